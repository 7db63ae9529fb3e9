"""Rows made on first use, asked for many times at the same moment
(PostgreSQL, a thread and a database connection of its own per request,
through the real views). Eight first openings of a nämnd's page, eight first
saves of the forum's order and review, a forumdeltagare's "Spara" beside the
sheet's own background save: nobody gets a 500 (before issue 13 all but one
hit the unique constraint), the row is made once, and reading a page writes
nothing."""

import pytest
from django.urls import reverse

from demo.loading import load_demo
from ranking.models import ForumRank, ForumResult, NamndResult
from rounds.models import Namnd, Phase, User
from tests.factories import make_proposal, make_round
from tests.forum_setup import outcome_round, send_on, submitted
from tests.helpers import data_fingerprint, run_together
from tests.test_race_analysis import (
    BILDNING,
    assert_answered,
    form_fields,
    get_at_once,
    new_key,
    post_at_once,
    same_session,
    signed_in,
)

AT_ONCE = 8
RUNS = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_first_openings_of_the_namnd_page(postgres):
    load_demo()
    round = make_round(phase=Phase.NAMND)
    analysis = submitted(round, BILDNING)
    for i in range(4):
        make_proposal(analysis, title=f"Förslag {i}", rangordning=i + 1)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    url = reverse("namnd_ranking", kwargs={"year": round.budget_year, "namnd_id": namnd.pk})
    ledamoter = [signed_in("ledamot-bildning") for _ in range(AT_ONCE)]

    for run in range(RUNS):
        NamndResult.objects.filter(round=round).delete()  # never opened (again)
        before = data_fingerprint()
        results = run_together(*(get_at_once(ledamot, url) for ledamot in ledamoter))
        assert_answered(results, {200})
        assert data_fingerprint() == before, f"run {run}: opening the page wrote"


def order_url(round) -> str:
    return reverse("forum_order", kwargs={"year": round.budget_year})


def review_url(round) -> str:
    return reverse("forum_review", kwargs={"year": round.budget_year})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_first_saves_of_the_forum_order_and_review(postgres):
    load_demo()
    round, _proposals = outcome_round()
    controllers = [signed_in("controller") for _ in range(AT_ONCE)]
    answers = {"review_sarbehandling": "Nej", "review_undantrangning": "Nej"}

    for run in range(RUNS):
        ForumResult.objects.filter(round=round).delete()  # nothing recorded yet
        targets = []
        for i, controller in enumerate(controllers):
            if i % 2:
                url = review_url(round)
                form = {**form_fields(controller.get(url), url), **answers}
                form["review_rimlighet"] = f"Rimlig {run}-{i}"
            else:  # the order as computed
                url = order_url(round)
                form = form_fields(controller.get(url), url)
            targets.append(post_at_once(controller, url, {**form, "submit_key": new_key()}))
        results = run_together(*targets)
        # Saved, or shown again as a conflict with another's save (200, 409).
        assert_answered(results, {200, 302, 409})
        result = ForumResult.objects.get(round=round)
        made = ForumResult.history.filter(id=result.pk, history_type="+")
        assert made.count() == 1, f"run {run}: the result was made {made.count()} times"
        assert result.has_order and result.has_review, results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_members_spara_beside_their_own_background_save(postgres):
    load_demo()
    round = make_round(phase=Phase.FORUM)
    analysis = submitted(round, BILDNING)
    for i in range(6):
        send_on(round, make_proposal(analysis, title=f"Förslag {i}"), "Bildningsnämnden")
    url = reverse("forum_sheet", kwargs={"year": round.budget_year})

    for number in range(1, 6):  # each member's first save of their sheet
        member = User.objects.get(username=f"forum-{number}")
        tab = signed_in(member.username)
        form = form_fields(tab.get(url), url)
        for name in [name for name in form if name.startswith("rank_")]:
            form[name] = str((number + int(name[5:])) % 10 + 1)
        # static/js/ranklist.js saves in the background without the form's submit key.
        background = {name: value for name, value in form.items() if name != "submit_key"}
        results = run_together(
            post_at_once(tab, url, {**form, "submit_key": form.get("submit_key") or new_key()}),
            post_at_once(same_session(tab), url, background, htmx=True),
        )
        assert_answered(results, {204, 302})
        assert [r.status for r in results] == [302, 204], results
        ranks = ForumRank.objects.filter(round=round, member=member).count()
        assert ranks == 6, f"{member.username}: {ranks} ranks for 6 proposals"
