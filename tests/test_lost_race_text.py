"""A save that loses to a submit keeps what was typed (issue 13, part 8).

The door can close while someone writes: a colleague hands in the analysis or
the follow-up report, the round moves to its next phase, or it is published.
The save is then refused — but not with a bare 403: the report's author gets
the conflict page with the text (the report's versions are compared before
its access), and anyone who could write there a moment ago gets a page that
says in Swedish why, with everything they typed, read-only and copyable.
Whoever never could write gets the plain refusal, and sees nothing echoed.

Each case is tried twice: the door closed before the post came in (the
view's own check refuses), and the door closing between the view's check and
the save's lock (the service refuses; simulated by letting the colleague's
submit land just before the real save runs)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import services as followup_services
from followup.models import FollowUpReport, PeriodKind
from followup.services import ReportConflict, save_report, submit_report
from ranking.models import ForumResult
from rounds.models import AnalysisStatus, Grad, Phase, Proposal
from rounds.services import proposal as proposal_services
from tests.factories import analysis_of, make_proposal, make_round
from tests.followup.test_reports import make_case, make_round_2026, period, user
from tests.helpers import data_fingerprint
from tests.proposal_helpers import proposal_url, set_state, unchanged_post

TYPED_TITLE = "Min nya rubrik som inte får försvinna"
TYPED_TEXT = "Tre stycken text\nsom jag skrev i en halvtimme."


# --- a proposal -------------------------------------------------------------------------


@pytest.fixture
def proposal(demo):
    bildning = analysis_of(make_round(), "Bildningsförvaltningen")
    return make_proposal(
        bildning, title="Start", svarighetsgrad=3, nytta=3, kostnadseffektivitet=2, rangordning=4
    )


def typed(proposal) -> dict:
    return unchanged_post(proposal, title=TYPED_TITLE, situation=TYPED_TEXT)


def assert_text_kept(page: str) -> None:
    assert TYPED_TITLE in page
    assert "Tre stycken text" in page and "som jag skrev i en halvtimme." in page


def test_a_proposal_submitted_while_typing_says_so_and_keeps_the_text(demo, signed_in, proposal):
    client = signed_in("tjp-bildning")
    data = typed(proposal)
    set_state(proposal.analysis, status=AnalysisStatus.SUBMITTED)
    fingerprint = data_fingerprint()
    response = client.post(proposal_url(proposal, "andra"), data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Förslaget lämnades in medan du skrev" in page
    assert_text_kept(page)
    assert data_fingerprint() == fingerprint
    assert Proposal.objects.get(pk=proposal.pk).title == "Start"
    # Someone who never could edit it gets the plain refusal, nothing echoed.
    response = signed_in("ledamot-bildning").post(proposal_url(proposal, "andra"), data)
    assert response.status_code == 403
    page = response.content.decode()
    assert TYPED_TITLE not in page
    assert "Du har inte behörighet" in page


def test_a_submit_just_before_the_proposal_save_keeps_the_text(
    demo, signed_in, proposal, monkeypatch
):
    real = proposal_services.save_proposal

    def submitted_first(current, **kwargs):
        analysis = current.analysis
        analysis.status = AnalysisStatus.SUBMITTED
        analysis.save()
        return real(current, **kwargs)

    monkeypatch.setattr("rounds.views.proposal.save_proposal", submitted_first)
    response = signed_in("tjp-bildning").post(proposal_url(proposal, "andra"), typed(proposal))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Förslaget lämnades in medan du skrev" in page
    assert_text_kept(page)
    assert Proposal.objects.get(pk=proposal.pk).title == "Start"


def test_a_round_published_while_typing_says_so_and_keeps_the_text(demo, signed_in, proposal):
    client = signed_in("chef-bildning")
    data = typed(proposal)
    ForumResult.objects.create(
        round=proposal.round, published_at=timezone.now(), published_by=demo["controller"]
    )
    response = client.post(proposal_url(proposal, "andra"), data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Omgången är publicerad" in page
    assert_text_kept(page)


def test_a_phase_moved_while_typing_says_so_and_keeps_the_text(demo, signed_in, proposal):
    client = signed_in("tjp-bildning")
    data = typed(proposal)
    set_state(proposal.analysis, phase=Phase.FORUM)
    response = client.post(proposal_url(proposal, "andra"), data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Kommunövergripande prioritering" in page
    assert_text_kept(page)


# --- a follow-up report ---------------------------------------------------------------------


@pytest.fixture
def case(demo):
    return make_case(make_round_2026())


def report_url(proposal):
    return reverse("followup_report", args=[2026, "delar", proposal.number])


def report_post(version, **values):
    data = {
        "version": str(version),
        "progress": "enligt_plan",
        "cost_outcome_tkr": "380",
        "effect_achieved": str(Grad.STOR),
        "effect_text": TYPED_TEXT,
        "deviation": "",
        "measures": "",
    }
    data.update(values)
    return data


@pytest.fixture
def draft(case):
    """A draft of Delår, written by tjp-bildning (version 1)."""
    return save_report(
        FollowUpReport(period=period(case["round"], PeriodKind.DELAR), proposal=case["a"]),
        {"progress": "enligt_plan", "cost_outcome_tkr": 100, "effect_achieved": Grad.STOR},
        by=user("tjp-bildning"),
        expected_version=None,
    )


def test_the_service_compares_versions_before_asking_access(draft):
    submit_report(draft, by=user("tjp-bildning"))
    stale = FollowUpReport.objects.get(pk=draft.pk)
    stale.version = 1
    with pytest.raises(ReportConflict) as conflict:
        save_report(
            stale, {"effect_text": TYPED_TEXT}, by=user("chef-bildning"), expected_version=1
        )
    assert conflict.value.current.state == AnalysisStatus.SUBMITTED


def test_a_report_submitted_just_before_the_save_gives_the_conflict_with_the_text(
    case, draft, signed_in, monkeypatch
):
    real = followup_services.save_report

    def submitted_first(report, fields, **kwargs):
        submit_report(report, by=user("tjp-bildning"))
        return real(report, fields, **kwargs)

    monkeypatch.setattr("followup.views.reports.save_report", submitted_first)
    response = signed_in("chef-bildning").post(report_url(case["a"]), report_post(1))
    assert response.status_code == 409
    page = response.content.decode()
    assert "har lämnats in av" in page
    assert "Tre stycken text" in page
    report = FollowUpReport.objects.get(pk=draft.pk)
    assert (report.state, report.effect_text) == (AnalysisStatus.SUBMITTED, "")


def test_a_follow_up_closed_while_typing_says_so_and_keeps_the_text(case, draft, signed_in):
    client = signed_in("chef-bildning")
    round = case["round"]
    round.phase = Phase.AVSLUTAD
    round.save()
    fingerprint = data_fingerprint()
    response = client.post(report_url(case["a"]), report_post(1))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Avslutad" in page
    assert "Tre stycken text" in page and "som jag skrev i en halvtimme." in page
    assert data_fingerprint() == fingerprint
    # An outsider gets the plain refusal, nothing echoed.
    response = signed_in("tjp-social").post(report_url(case["a"]), report_post(1))
    assert response.status_code == 403
    assert "Tre stycken text" not in response.content.decode()


def test_a_follow_up_closed_just_before_the_save_keeps_the_text(
    case, draft, signed_in, monkeypatch
):
    real = followup_services.save_report

    def closed_first(report, fields, **kwargs):
        round = case["round"]
        round.phase = Phase.AVSLUTAD
        round.save()
        return real(report, fields, **kwargs)

    monkeypatch.setattr("followup.views.reports.save_report", closed_first)
    response = signed_in("chef-bildning").post(report_url(case["a"]), report_post(1))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Avslutad" in page
    assert "Tre stycken text" in page
    assert FollowUpReport.objects.get(pk=draft.pk).effect_text == ""
