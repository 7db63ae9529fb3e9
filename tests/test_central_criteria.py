"""The model's three central criteria (svårighetsgrad, nytta för målområdet,
kostnadseffektivitet) and a cost are required before a proposal reaches a
ranking: submitting an analysis, recording a nämnd's result and importing into
a submitted analysis are refused while one is missing, and the refusal names
the proposal and what it lacks (rounds.criteria)."""

import datetime

import pytest
from django.urls import reverse

from ranking.models import NamndResult
from ranking.services import namnd as namnd_services
from rounds import criteria
from rounds.importing import ImportRefused, import_workbook, read_workbook
from rounds.models import Analysis, AnalysisStatus, Namnd, Phase, Proposal
from rounds.services.analysis import submit_analysis
from tests.factories import analysis_of, make_proposal, make_round
from tests.forum_setup import submitted
from tests.test_import_parsing import forum_book, forum_row

# Each thing a proposal may lack, with the field emptied and the name the
# refusal gives it.
MISSING = [
    ("svarighetsgrad", {"svarighetsgrad": None}, "svårighetsgrad"),
    ("nytta", {"nytta": None}, "nytta för målområdet"),
    ("kostnadseffektivitet", {"kostnadseffektivitet": None}, "kostnadseffektivitet"),
    ("cost", {"cost_year1": 0}, "kostnad år 1"),
]
IDS = [case[0] for case in MISSING]


@pytest.fixture
def draft(demo):
    round = make_round()
    analysis = analysis_of(round, "Bildningsförvaltningen")
    make_proposal(analysis, title="Läxhjälp")
    return analysis


def submit_url(analysis):
    return reverse(
        "analysis_submit",
        kwargs={"year": analysis.round.budget_year, "forvaltning_id": analysis.forvaltning_id},
    )


# --- submitting the analysis -------------------------------------------------------


@pytest.mark.parametrize(("_name", "empty", "label"), MISSING, ids=IDS)
def test_submitting_is_refused_while_a_proposal_lacks_a_central_criterion(
    draft, demo, _name, empty, label
):
    lacking = make_proposal(draft, title="Fritidsgård", **empty)
    with pytest.raises(criteria.IncompleteProposals) as refused:
        submit_analysis(draft, by=demo["chef-bildning"])
    assert [(p.number, p.missing) for p in refused.value.proposals] == [(lacking.number, (label,))]
    assert f"2027-002 Fritidsgård saknar {label}" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == AnalysisStatus.DRAFT


@pytest.mark.parametrize(("_name", "empty", "label"), MISSING, ids=IDS)
def test_the_refused_submission_names_the_proposal_with_a_link(
    draft, signed_in, _name, empty, label
):
    make_proposal(draft, title="Fritidsgård", **empty)
    response = signed_in("chef-bildning").post(submit_url(draft), {"confirm": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert f'<a href="/omgangar/2027/forslag/2/">2027-002 Fritidsgård</a> – saknar {label}<' in page
    assert "Analysen kan inte lämnas in ännu." in page
    assert 'role="alert"' in page
    assert 'name="confirm"' not in page  # nothing to confirm
    assert Analysis.objects.get(pk=draft.pk).status == AnalysisStatus.DRAFT


def test_every_missing_criterion_is_named_at_once(draft, demo):
    make_proposal(
        draft, title="Tom", svarighetsgrad=None, nytta=None, kostnadseffektivitet=None, cost_year1=0
    )
    with pytest.raises(criteria.IncompleteProposals) as refused:
        submit_analysis(draft, by=demo["chef-bildning"])
    assert refused.value.proposals[0].missing == (
        "svårighetsgrad",
        "nytta för målområdet",
        "kostnadseffektivitet",
        "kostnad år 1",
    )


def test_a_cost_in_a_later_year_counts_as_a_cost(draft, demo):
    make_proposal(draft, title="Senare", cost_year1=0, cost_year2=400)
    submit_analysis(draft, by=demo["chef-bildning"])
    assert Analysis.objects.get(pk=draft.pk).status == AnalysisStatus.SUBMITTED


def test_a_saving_is_a_cost(draft, demo):
    make_proposal(draft, title="Besparing", cost_year1=-300)
    submit_analysis(draft, by=demo["chef-bildning"])
    assert Analysis.objects.get(pk=draft.pk).status == AnalysisStatus.SUBMITTED


def test_a_withdrawn_proposal_does_not_stop_the_submission(draft, demo):
    make_proposal(
        draft,
        title="Dragen",
        svarighetsgrad=None,
        withdrawn_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC),
    )
    submit_analysis(draft, by=demo["chef-bildning"])
    assert Analysis.objects.get(pk=draft.pk).status == AnalysisStatus.SUBMITTED


def test_a_draft_may_stay_incomplete(draft, signed_in):
    """Writing is not held to the rule: an incomplete proposal saves, and the
    analysis's page and the proposal's open as before."""
    lacking = make_proposal(draft, title="Halvfärdig", svarighetsgrad=None, nytta=None)
    client = signed_in("tjp-bildning")
    assert client.get(f"/omgangar/2027/forslag/{lacking.number}/").status_code == 200
    assert Proposal.objects.get(pk=lacking.pk).svarighetsgrad is None


# --- the nämnd's record -----------------------------------------------------------


@pytest.fixture
def namnd_round(demo):
    round = make_round(phase=Phase.NAMND)
    analysis = submitted(round, "Bildningsförvaltningen")
    return round, analysis, Namnd.objects.get(name="Bildningsnämnden")


def ranked_result(round, namnd, ledamot):
    result = namnd_services.result_for(round, namnd, by=ledamot)
    for ranking in result.rankings.all():
        ranking.rank = 1
        ranking.handling = "kommungemensam"
        ranking.save()
    return result


@pytest.mark.parametrize(("_name", "empty", "label"), MISSING, ids=IDS)
def test_the_namnd_cannot_record_while_a_proposal_lacks_a_central_criterion(
    namnd_round, demo, _name, empty, label
):
    from django.core.exceptions import ValidationError

    round, analysis, namnd = namnd_round
    make_proposal(analysis, title="Komplett")
    make_proposal(analysis, title="Fritidsgård", **empty)
    result = ranked_result(round, namnd, demo["ledamot-bildning"])
    with pytest.raises(ValidationError) as refused:
        namnd_services.record_result(
            result, datetime.date(2027, 3, 12), "45", by=demo["ledamot-bildning"]
        )
    assert f"2027-002 Fritidsgård saknar {label}" in " ".join(refused.value.messages)
    assert NamndResult.objects.get(pk=result.pk).recorded_at is None


def test_the_namnd_page_names_what_stops_the_record_with_links(namnd_round, demo, signed_in):
    round, analysis, namnd = namnd_round
    make_proposal(analysis, title="Fritidsgård", kostnadseffektivitet=None)
    ranked_result(round, namnd, demo["ledamot-bildning"])
    client = signed_in("ledamot-bildning")
    url = reverse("namnd_ranking_record", kwargs={"year": 2027, "namnd_id": namnd.pk})
    response = client.post(url, {"decision_date": "2027-03-12", "paragraph": "45"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027-001 Fritidsgård saknar kostnadseffektivitet" in page
    assert (
        '<a href="/omgangar/2027/forslag/1/">2027-001 Fritidsgård</a> – saknar kostnadseffektivitet'
        in page
    )
    assert NamndResult.objects.get(round=round, namnd=namnd).recorded_at is None


def test_the_namnd_records_when_every_proposal_is_complete(namnd_round, demo):
    round, analysis, namnd = namnd_round
    make_proposal(analysis, title="Komplett")
    result = ranked_result(round, namnd, demo["ledamot-bildning"])
    namnd_services.record_result(
        result, datetime.date(2027, 3, 12), "45", by=demo["ledamot-bildning"]
    )
    assert NamndResult.objects.get(pk=result.pk).recorded_at is not None


# --- importing into a submitted analysis ------------------------------------------

# The forum compilation's columns for each criterion (tests.test_import_parsing).
ROW_EMPTY = {
    "svarighetsgrad": {"svarighet": None},
    "nytta": {"nytta": None},
    "kostnadseffektivitet": {"kostnadseff": None},
    "cost": {"y1": 0, "y2": 0, "y3": 0},
}


@pytest.mark.parametrize(("name", "_empty", "label"), MISSING, ids=IDS)
def test_an_import_into_a_submitted_analysis_is_held_to_the_rule(demo, name, _empty, label):
    round = make_round(year=2027)
    submitted(round, "Bildningsförvaltningen")
    book = forum_book(forum_row(title="Komplett"), forum_row(title="Halv", **ROW_EMPTY[name]))
    with pytest.raises(ImportRefused) as refused:
        import_workbook(round, read_workbook(book, "fil.xlsx"), by=demo["controller"])
    problems = [str(problem) for problem in refused.value.problems]
    assert len(problems) == 1
    assert "rad 4" in problems[0]  # the second row under the two header rows
    assert f"Saknas: {label}." in problems[0]
    assert not Proposal.objects.filter(round=round).exists()  # all or nothing


@pytest.mark.parametrize(("name", "_empty", "_label"), MISSING, ids=IDS)
def test_an_import_into_a_draft_may_be_incomplete(demo, name, _empty, _label):
    round = make_round(year=2027)
    book = forum_book(forum_row(title="Halv", **ROW_EMPTY[name]))
    import_workbook(round, read_workbook(book, "fil.xlsx"), by=demo["controller"])
    assert Proposal.objects.filter(round=round, title="Halv").exists()


def test_the_proposal_is_flagged_while_it_lacks_central_criteria(draft, signed_in):
    """A draft may lack them, but it says so beside the proposal: rank 1 and
    none of the three does not pass unnoticed."""
    lacking = make_proposal(
        draft,
        title="Etta utan bedömning",
        rangordning=1,
        svarighetsgrad=None,
        nytta=None,
        kostnadseffektivitet=None,
    )
    page = signed_in("tjp-bildning").get(f"/omgangar/2027/forslag/{lacking.number}/")
    text = page.content.decode()
    assert "Saknar svårighetsgrad, nytta för målområdet, kostnadseffektivitet." in text
    complete = make_proposal(draft, title="Komplett", rangordning=5)
    text = signed_in("tjp-bildning").get(f"/omgangar/2027/forslag/{complete.number}/")
    assert "Modellens tre centrala kriterier" not in text.content.decode()
