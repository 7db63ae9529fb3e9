"""Double clicks (PostgreSQL, a thread and a database connection of its own
per request, through the real views): the same form — the same
``submit_key`` — sent five times at once from the same browser, for every
action that creates something. It is done once: one row and one history row,
and every one of the five gets the first one's answer (the same status and
redirect). Before issue 13 each click made its own item, proposal, list
entry, "Registrerad" and "Publicerad" row, or answered with an error page
beside the first one's redirect."""

import pytest
from django.urls import reverse

from demo.loading import load_demo
from ranking.models import ForumResult, NamndResult
from rounds.models import (
    AnalysisColumn,
    AnalysisItem,
    ListItem,
    ListKind,
    Namnd,
    Phase,
    Proposal,
    Round,
)
from tests.factories import analysis_of, make_proposal, make_round
from tests.followup.test_carry import follow_up_round
from tests.forum_setup import outcome_round, submitted
from tests.helpers import run_together
from tests.proposal_helpers import form_data
from tests.test_race_analysis import (
    BILDNING,
    add_item_url,
    assert_answered,
    carry_url,
    create_url,
    form_fields,
    grid_url,
    new_key,
    post_at_once,
    same_session,
    signed_in,
    to_carry,
)
from tests.test_race_phases import decided

CLICKS = 5
RUNS = 2


def stored_once(rows):
    """The one row the clicks made (made once, not once per click)."""
    rows = list(rows)
    assert len(rows) == 1, f"stored {len(rows)} times: {rows}"
    return rows[0]


def clicked(client, url: str, data: dict, *, htmx: bool = False):
    """The form sent ``CLICKS`` times at once from the same browser, with one
    submit key; every click must get the first one's answer."""
    data = {**data, "submit_key": new_key()}
    tabs = [client, *(same_session(client) for _ in range(CLICKS - 1))]
    answers = assert_answered(
        run_together(*(post_at_once(tab, url, data, htmx=htmx) for tab in tabs)),
        {200, 204, 302, 403, 409},
    )
    assert len(set(answers)) == 1, f"the clicks got different answers: {answers}"
    return answers[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_adding_an_analysis_item(postgres):
    load_demo()
    analysis = analysis_of(make_round(), BILDNING)
    perspektiv = ListItem.objects.filter(round=analysis.round, kind=ListKind.PERSPEKTIV).first()
    client = signed_in("tjp-bildning")
    for run in range(RUNS):
        text = f"Fler förskollärare {run}"
        data = {"perspektiv": perspektiv.pk, "column": AnalysisColumn.NYA_RESURSER, "text": text}
        answer = clicked(client, add_item_url(analysis), data)
        assert answer.status == 302
        item = stored_once(AnalysisItem.objects.filter(analysis=analysis, text=text))
        assert AnalysisItem.history.filter(id=item.pk).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_creating_a_proposal(postgres):
    load_demo()
    analysis = analysis_of(make_round(), BILDNING)
    client = signed_in("tjp-bildning")
    for run in range(RUNS):
        title = f"Fler förskollärare {run}"
        answer = clicked(client, create_url(analysis), form_data(title=title))
        assert answer.status == 302
        proposal = stored_once(Proposal.objects.filter(analysis=analysis, title=title))
        assert Proposal.history.filter(id=proposal.pk).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_making_a_proposal_of_an_item(postgres):
    load_demo()
    analysis = analysis_of(make_round(), BILDNING)
    perspektiv = ListItem.objects.filter(round=analysis.round, kind=ListKind.PERSPEKTIV).first()
    client = signed_in("tjp-bildning")
    for run in range(RUNS):
        item = AnalysisItem.objects.create(
            analysis=analysis,
            perspektiv=perspektiv,
            column=AnalysisColumn.NYA_RESURSER,
            text=f"Fler förskollärare {run}",
            position=run,
        )
        # "Gör till förslag" only opens the form; its save makes the proposal.
        answer = clicked(client, f"{grid_url(analysis)}punkter/{item.pk}/forslag/", {})
        assert answer.status == 302
        assert not Proposal.objects.filter(analysis_item=item).exists()
        url = f"{create_url(analysis)}?punkt={item.pk}"
        answer = clicked(client, url, form_data(title=item.text, punkt=str(item.pk)))
        assert answer.status == 302
        proposal = stored_once(Proposal.objects.filter(analysis_item=item))
        assert Proposal.history.filter(id=proposal.pk).count() == 1
        assert Proposal.objects.filter(analysis=analysis).count() == run + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_carrying_a_proposal_over(postgres):
    load_demo()
    old = analysis_of(follow_up_round(2026), BILDNING)
    analysis = analysis_of(make_round(2027), BILDNING)
    client = signed_in("tjp-bildning")
    for run in range(RUNS):
        [proposal] = to_carry(old, 1, run)
        answer = clicked(client, carry_url(proposal), {"reason": "Utreds på nytt."})
        assert answer.status == 302
        carried = stored_once(Proposal.objects.filter(carried_from=proposal))
        assert carried.analysis_id == analysis.pk
        assert Proposal.history.filter(id=carried.pk).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_adding_to_a_list(postgres):
    load_demo()
    round = make_round()
    url = reverse("round_lists", kwargs={"year": round.budget_year})
    client = signed_in("controller")
    for run in range(RUNS):
        name = f"Miljö {run}"
        data = {"kind": ListKind.PERSPEKTIV, "action": "add", "perspektiv-name": name}
        answer = clicked(client, url, data)
        assert answer.status == 302
        item = stored_once(
            ListItem.objects.filter(round=round, kind=ListKind.PERSPEKTIV, name=name)
        )
        assert ListItem.history.filter(id=item.pk).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_creating_a_round(postgres):
    load_demo()
    client = signed_in("controller")
    for year in (2030, 2031)[:RUNS]:
        data = {"budget_year": year, "purpose": "nya", "frame_tkr": 15000, "copy_from": ""}
        answer = clicked(client, reverse("round_create"), data)
        assert answer.status == 302
        round = stored_once(Round.objects.filter(budget_year=year))
        assert Round.history.filter(id=round.pk).count() == 1
        assert ListItem.objects.filter(round=round, kind=ListKind.PERSPEKTIV).count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_recording_the_namnd_result(postgres):
    load_demo()
    round = make_round(phase=Phase.NAMND)
    analysis = submitted(round, BILDNING)
    for i in range(3):
        make_proposal(analysis, title=f"Förslag {i}", rangordning=i + 1)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    kwargs = {"year": round.budget_year, "namnd_id": namnd.pk}
    page, save, record = (
        reverse(name, kwargs=kwargs)
        for name in ("namnd_ranking", "namnd_ranking_save", "namnd_ranking_record")
    )
    ledamot = signed_in("ledamot-bildning")
    form = form_fields(ledamot.get(page), save)
    for name in [name for name in form if name.startswith("rank_")]:
        form[f"handling_{name[5:]}"] = "kommungemensam"
    assert ledamot.post(save, {**form, "submit_key": new_key()}).status_code == 302
    result = NamndResult.objects.get(round=round, namnd=namnd)
    for run in range(RUNS):
        data = {"decision_date": f"2027-03-1{run}", "paragraph": f"4{run}", "comment": ""}
        answer = clicked(ledamot, record, data)
        assert answer.status == 302
        recorded = NamndResult.history.filter(id=result.pk, history_change_reason="Registrerad")
        assert recorded.count() == run + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_publishing(postgres):
    load_demo()
    round, _proposals = outcome_round()
    controller = signed_in("controller")
    decided(controller, round)
    answer = clicked(
        controller, reverse("forum_publish", kwargs={"year": round.budget_year}), {"confirm": "1"}
    )
    public = reverse("public_round", kwargs={"year": round.budget_year})
    assert (answer.status, answer.location) == (302, public)
    result = ForumResult.objects.get(round=round)
    published = ForumResult.history.filter(id=result.pk, history_change_reason="Publicerad")
    assert published.count() == 1
