"""Submitting and returning a verksamhetsanalys: the services and their views."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rounds.models import AnalysisStatus, Phase
from rounds.services.analysis import return_analysis, submit_analysis
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import assert_sent_to_sign_in


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


CONFIRM = {"confirm": "1"}


def url(analysis, action):
    return f"/omgangar/{analysis.round.budget_year}/analyser/{analysis.forvaltning_id}/{action}/"


def test_the_chef_submits(demo, bildning):
    submit_analysis(bildning, by=demo["chef-bildning"])
    bildning.refresh_from_db()
    assert bildning.status == AnalysisStatus.SUBMITTED
    assert bildning.submitted_by == demo["chef-bildning"]
    record = bildning.history.latest()
    assert record.history_user == demo["chef-bildning"]
    assert record.history_change_reason == "Inlämnad till nämnden"


@pytest.mark.parametrize(
    "username", ["tjp-bildning", "tjp-social", "controller", "ledamot-bildning"]
)
def test_only_the_chef_submits(demo, bildning, username):
    with pytest.raises(PermissionDenied):
        submit_analysis(bildning, by=demo[username])
    bildning.refresh_from_db()
    assert bildning.status == AnalysisStatus.DRAFT


def test_return_needs_a_comment(demo, bildning):
    submit_analysis(bildning, by=demo["chef-bildning"])
    with pytest.raises(ValidationError) as error:
        return_analysis(bildning, by=demo["controller"], comment="  ")
    assert "comment" in error.value.error_dict


def test_return_after_the_deadline_needs_a_new_last_day(demo, bildning):
    submit_analysis(bildning, by=demo["chef-bildning"])
    deadline = bildning.round.deadlines.get(phase=Phase.VERKSAMHETSANALYS)
    deadline.deadline = timezone.localdate() - datetime.timedelta(days=1)
    deadline.save()
    with pytest.raises(ValidationError) as error:
        return_analysis(bildning, by=demo["controller"], comment="Komplettera kostnaderna.")
    assert "extended_until" in error.value.error_dict
    new_day = timezone.localdate() + datetime.timedelta(days=7)
    return_analysis(
        bildning, by=demo["controller"], comment="Komplettera kostnaderna.", extended_until=new_day
    )
    bildning.refresh_from_db()
    assert bildning.status == AnalysisStatus.RETURNED
    assert bildning.extended_until == new_day
    # …and the förvaltning can work and resubmit.
    submit_analysis(bildning, by=demo["chef-bildning"])
    bildning.refresh_from_db()
    assert bildning.status == AnalysisStatus.SUBMITTED


def test_a_ledamot_of_the_namnd_returns_before_the_deadline(demo, bildning):
    submit_analysis(bildning, by=demo["chef-bildning"])
    return_analysis(bildning, by=demo["ledamot-bildning"], comment="Beskriv konsekvenserna.")
    bildning.refresh_from_db()
    assert bildning.returned_by == demo["ledamot-bildning"]
    assert bildning.return_comment == "Beskriv konsekvenserna."


def test_submit_view(signed_in, bildning):
    client = signed_in("chef-bildning")
    response = client.post(url(bildning, "lamna-in"), CONFIRM)
    assert response.status_code == 302
    bildning.refresh_from_db()
    assert bildning.status == AnalysisStatus.SUBMITTED
    # Submitted material is read-only for the förvaltning: a second submit is refused.
    assert client.post(url(bildning, "lamna-in"), CONFIRM).status_code == 403
    assert client.get(url(bildning, "lamna-in")).status_code == 403


def test_submit_view_answers_get_with_the_confirmation_page(signed_in, bildning):
    response = signed_in("chef-bildning").get(url(bildning, "lamna-in"))
    assert response.status_code == 200
    assert "Lämna in till Bildningsnämnden?" in response.content.decode()


def test_submit_view_hides_other_forvaltningar_drafts(signed_in, demo):
    round = make_round()
    social = analysis_of(round, "Socialförvaltningen")
    assert signed_in("chef-bildning").post(url(social, "lamna-in"), CONFIRM).status_code == 404
    assert signed_in("tjp-bildning").post(url(social, "lamna-in"), CONFIRM).status_code == 404


@pytest.mark.parametrize("username", ["tjp-bildning", "controller"])
def test_submit_view_refuses_others_who_can_see_it(signed_in, bildning, username):
    assert signed_in(username).post(url(bildning, "lamna-in"), CONFIRM).status_code == 403
    assert signed_in(username).get(url(bildning, "lamna-in")).status_code == 403


@pytest.mark.parametrize("username", ["revisor", "forum-1", "ledamot-bildning"])
def test_a_draft_is_unknown_to_those_who_may_not_read_it(signed_in, bildning, username):
    assert signed_in(username).post(url(bildning, "lamna-in"), CONFIRM).status_code == 404
    assert signed_in(username).get(url(bildning, "lamna-in")).status_code == 404


def test_return_view(signed_in, demo, bildning):
    submit_analysis(bildning, by=demo["chef-bildning"])
    client = signed_in("controller")
    page = client.get(url(bildning, "aterlamna"))
    assert page.status_code == 200
    assert "Kommentar till förvaltningen" in page.content.decode()
    empty = client.post(url(bildning, "aterlamna"), {"comment": "", **CONFIRM})
    assert "Skriv vad förvaltningen behöver komplettera" in empty.content.decode()
    response = client.post(
        url(bildning, "aterlamna"), {"comment": "Saknar kostnader för år 2.", **CONFIRM}
    )
    assert response.status_code == 302
    bildning.refresh_from_db()
    assert bildning.status == AnalysisStatus.RETURNED


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning", "tjp-social", "revisor"])
def test_return_view_refuses_others(signed_in, demo, bildning, username):
    submit_analysis(bildning, by=demo["chef-bildning"])
    assert signed_in(username).get(url(bildning, "aterlamna")).status_code == 403
    response = signed_in(username).post(url(bildning, "aterlamna"), {"comment": "x", **CONFIRM})
    assert response.status_code == 403


def test_anonymous_is_sent_to_sign_in(db, client, bildning):
    assert_sent_to_sign_in(client.post(url(bildning, "lamna-in"), CONFIRM))


def test_overview_shows_only_what_the_user_may_read(signed_in, demo, bildning):
    make_proposal(bildning)
    response = signed_in("tjp-social").get(f"/omgangar/{bildning.round.budget_year}/analyser/")
    assert response.status_code == 200
    names = [a.forvaltning.name for a in response.context["analyses"]]
    assert names == ["Socialförvaltningen"]
    assert response.context["hidden_count"] == 4
    response = signed_in("controller").get(f"/omgangar/{bildning.round.budget_year}/analyser/")
    assert len(response.context["analyses"]) == 5
    bildning_row = next(a for a in response.context["analyses"] if a.pk == bildning.pk)
    assert bildning_row.proposal_count == 1


def test_overview_of_an_unknown_round_is_404(signed_in, demo):
    assert signed_in("controller").get("/omgangar/1999/analyser/").status_code == 404
