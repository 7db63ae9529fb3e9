"""Doors that close while people work (PostgreSQL, a thread and a database
connection of its own per request, all released together through the real
views): the controller moves the round out of the nämnd phase while the
ledamöter save their ranking, out of the forum phase while the
forumdeltagare save their sheets, and publishes while the decisions and the
review are saved. Whatever wins, nothing is written after the door closed —
after the phase move (its PhaseTransition's time), after ``published_at`` —
nobody gets a 500, a published round never has an undecided proposal, and
its public page answers."""

import pytest
from django.test import Client
from django.urls import reverse

from demo.loading import load_demo
from prioritering.audit import save_as
from ranking.models import Decision, ForumRank, ForumResult, NamndRanking, NamndResult
from rounds.models import Namnd, Phase, PhaseTransition, Round, User
from tests.factories import make_proposal, make_round
from tests.forum_setup import outcome_round, send_on, submitted
from tests.helpers import run_together
from tests.test_race_analysis import (
    BILDNING,
    OFFSETS,
    RUNS,
    assert_answered,
    form_fields,
    new_key,
    post_at_once,
    signed_in,
)

# --- the phase moves on ------------------------------------------------------------


def move_url(round: Round) -> str:
    return reverse("round_move_phase", kwargs={"year": round.budget_year})


def back_to(round: Round, phase: int) -> Round:
    """The round in ``phase`` again, for the next run."""
    round = Round.objects.get(pk=round.pk)
    round.phase = phase
    round.save()
    return round


def moved_at(round: Round):
    """When the round last moved phase."""
    return PhaseTransition.objects.filter(round=round).latest("at", "pk").at


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_namnd_rank_saves_beside_the_phase_move_land_before_it_or_not_at_all(postgres):
    load_demo()
    round = make_round(phase=Phase.NAMND)
    analysis = submitted(round, BILDNING)
    for i in range(5):
        make_proposal(analysis, title=f"Förslag {i}", rangordning=i + 1)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    kwargs = {"year": round.budget_year, "namnd_id": namnd.pk}
    page_url, save_url = (
        reverse("namnd_ranking", kwargs=kwargs),
        reverse("namnd_ranking_save", kwargs=kwargs),
    )
    ledamoter = [signed_in("ledamot-bildning") for _ in range(5)]
    controller = signed_in("controller")
    # The nämnd has saved once: its result and rows exist.
    first = ledamoter[0]
    response = first.post(save_url, {**form_fields(first.get(page_url), save_url)})
    assert response.status_code == 302
    result = NamndResult.objects.get(round=round, namnd=namnd)

    for run in range(RUNS):
        round = back_to(round, Phase.NAMND)
        targets = []
        for i, ledamot in enumerate(ledamoter):
            form = form_fields(ledamot.get(page_url), save_url)
            for name in [name for name in form if name.startswith("rank_")]:
                form[name] = str((i + run + int(name[5:])) % 10 + 1)
                form[f"handling_{name[5:]}"] = "kommungemensam"
            targets.append(post_at_once(ledamot, save_url, {**form, "submit_key": new_key()}))
        # A proposal that reached the nämnd after the ledamöter opened the
        # page (the förvaltning submitted again): a save gives it its row.
        make_proposal(analysis, title=f"Kompletterat {run}", rangordning=run + 1)
        move = {"to_phase": Phase.FORUM, "comment": "", "confirm": "1", "submit_key": new_key()}
        targets.append(post_at_once(controller, move_url(round), move, after=OFFSETS[run]))
        results = run_together(*targets)
        assert_answered(results, {302, 403})
        assert results[-1].status == 302, results  # the phase moved
        at = moved_at(round)
        late = NamndRanking.history.filter(result_id=result.pk, history_date__gt=at)
        assert not late.exists(), (at, [(h.proposal_id, h.history_date) for h in late], results)
        assert not NamndResult.history.filter(id=result.pk, history_date__gt=at).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_forum_sheet_saves_beside_the_phase_move_land_before_it_or_not_at_all(postgres):
    load_demo()
    round = make_round(phase=Phase.FORUM)
    analysis = submitted(round, BILDNING)
    for i in range(6):
        send_on(round, make_proposal(analysis, title=f"Förslag {i}"), "Bildningsnämnden")
    sheet_url = reverse("forum_sheet", kwargs={"year": round.budget_year})
    members = [signed_in(f"forum-{i}") for i in range(1, 6)]
    controller = signed_in("controller")

    for run in range(RUNS):
        round = back_to(round, Phase.FORUM)
        targets = []
        for i, member in enumerate(members):
            form = form_fields(member.get(sheet_url), sheet_url)
            for name in [name for name in form if name.startswith("rank_")]:
                form[name] = str((i + run + int(name[5:])) % 10 + 1)
            targets.append(post_at_once(member, sheet_url, {**form, "submit_key": new_key()}))
        move = {"to_phase": Phase.BESLUT, "comment": "", "confirm": "1", "submit_key": new_key()}
        targets.append(post_at_once(controller, move_url(round), move, after=OFFSETS[run]))
        results = run_together(*targets)
        assert_answered(results, {302, 403})
        assert results[-1].status == 302, results
        at = moved_at(round)
        late = ForumRank.history.filter(round_id=round.pk, history_date__gt=at)
        assert not late.exists(), (at, [(h.member_id, h.history_date) for h in late], results)


# --- publication -------------------------------------------------------------------


def forum_url(round: Round, name: str) -> str:
    return reverse(name, kwargs={"year": round.budget_year})


def decided(client: Client, round: Round) -> None:
    """The controller records the order, the review and a decision for every
    proposal, as the pages show them, and the round is in the Beslut phase."""
    answers = {"review_sarbehandling": "Nej", "review_undantrangning": "Nej"}
    answers["review_rimlighet"] = "Ja"
    for name, fill in [("forum_order", {}), ("forum_review", answers)]:
        url = forum_url(round, name)  # the order as computed, the review answered
        form = {**form_fields(client.get(url), url), **fill, "submit_key": new_key()}
        assert client.post(url, form).status_code == 302
    decide_all(client, round)
    back_to(round, Phase.BESLUT)


def decide_all(client: Client, round: Round) -> None:
    """Every proposal decided (an outcome emptied in the run before is given again)."""
    url = forum_url(round, "forum_decisions")
    form = form_fields(client.get(url), url)
    for name in [name for name in form if name.startswith("outcome_")]:
        pk = name.removeprefix("outcome_")
        form[name] = form[name] or "finansieras"
        form[f"motivation_{pk}"] = form.get(f"motivation_{pk}") or "Beslutat i forumet."
    response = client.post(url, {**form, "submit_key": new_key()})
    assert response.status_code == 302, response.content.decode()[:2000]


def unpublished(round: Round) -> Round:
    result = ForumResult.objects.get(round=round)
    result.published_at = result.published_by = None
    save_as(result, User.objects.get(username="admin"))
    return back_to(round, Phase.BESLUT)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_publish_beside_decision_and_review_saves_nothing_lands_after_it(postgres):
    load_demo()
    round, proposals = outcome_round()
    setup = signed_in("controller")
    decided(setup, round)
    decisions_url = forum_url(round, "forum_decisions")
    review_url = forum_url(round, "forum_review")
    publish_url = forum_url(round, "forum_publish")
    savers = [signed_in("controller") for _ in range(5)]
    reviewers = [signed_in("controller") for _ in range(2)]
    publisher = signed_in("controller")

    for run in range(RUNS):
        round = unpublished(round)
        decide_all(setup, round)
        targets = []
        for i, saver in enumerate(savers):
            form = form_fields(saver.get(decisions_url), decisions_url)
            first = proposals[0].pk
            if i == 0:  # the decision of the first proposal taken away
                form[f"outcome_{first}"] = ""
            else:  # a motivation changed (the first proposal's decision given again)
                form[f"motivation_{first}"] = f"Ändrad {run}-{i}"
            targets.append(post_at_once(saver, decisions_url, {**form, "submit_key": new_key()}))
        for i, reviewer in enumerate(reviewers):
            form = form_fields(reviewer.get(review_url), review_url)
            form["review_rimlighet"] = f"Rimlig {run}-{i}"
            targets.append(post_at_once(reviewer, review_url, {**form, "submit_key": new_key()}))
        form = form_fields(publisher.get(publish_url), publish_url)
        targets.append(
            post_at_once(
                publisher, publish_url, {**form, "submit_key": new_key()}, after=OFFSETS[run]
            )
        )
        results = run_together(*targets)
        # A save refused because the round is published (403), or shown
        # again as a conflict (200, 409); the publication done or refused for
        # what is missing (302 to the decisions page).
        assert_answered(results, {200, 302, 403, 409})
        assert results[-1].status == 302, results
        result = ForumResult.objects.get(round=round)
        if result.published_at is None:
            continue
        undecided = [p.pk for p in proposals if not Decision.objects.filter(proposal=p).exists()]
        assert not undecided, f"published with undecided proposals {undecided}: {results}"
        after = {"round_id": round.pk, "history_date__gt": result.published_at}
        late = Decision.history.filter(**after)
        assert not late.exists(), [(h.proposal_id, h.history_type) for h in late]
        late = ForumResult.history.filter(**after)
        assert [h.history_change_reason for h in late] == ["Publicerad"], results
        public = Client().get(reverse("public_round", kwargs={"year": round.budget_year}))
        assert public.status_code == 200
