"""Withdrawing a proposal: it stays, marked withdrawn, never deleted, and can
no longer be changed."""

import pytest

from rounds.models import AnalysisStatus, Phase, Proposal
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import assert_sent_to_sign_in
from tests.proposal_helpers import USERS, proposal_url, set_state, unchanged_post


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


@pytest.fixture
def proposal(bildning):
    return make_proposal(bildning, title="Fler förskollärare")


def url(proposal):
    return proposal_url(proposal, "aterkalla")


def test_the_confirmation_page(signed_in, proposal):
    response = signed_in("tjp-bildning").get(url(proposal))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Återkalla förslag 2027-001</h1>" in html
    assert "tas inte bort" in html
    assert 'name="reason"' in html
    assert not Proposal.objects.get(pk=proposal.pk).is_withdrawn  # GET changes nothing


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning"])
def test_staff_withdraw_with_a_reason(signed_in, demo, proposal, username):
    client = signed_in(username)
    response = client.post(url(proposal), {"reason": "  Ingår nu i 2027-002.  "})
    assert response.status_code == 302
    assert response["Location"] == proposal_url(proposal)
    proposal.refresh_from_db()
    assert proposal.is_withdrawn
    assert proposal.withdrawn_by == demo[username]
    assert proposal.withdrawn_reason == "Ingår nu i 2027-002."
    record = proposal.history.latest()
    assert record.history_user == demo[username]
    html = client.get(proposal_url(proposal)).content.decode()
    assert "Förslaget 2027-001 är återkallat." in html
    assert "Ingår nu i 2027-002." in html


def test_the_reason_is_optional(signed_in, proposal):
    signed_in("tjp-bildning").post(url(proposal))
    proposal.refresh_from_db()
    assert proposal.is_withdrawn
    assert proposal.withdrawn_reason == ""


def test_too_long_a_reason_is_refused(signed_in, proposal):
    response = signed_in("tjp-bildning").post(url(proposal), {"reason": "x" * 2001})
    assert response.status_code == 200
    assert "Skälet kan vara högst 2000 tecken." in response.content.decode()
    assert not Proposal.objects.get(pk=proposal.pk).is_withdrawn


def test_a_withdrawn_proposal_stays_in_the_list(signed_in, proposal):
    client = signed_in("tjp-bildning")
    client.post(url(proposal))
    assert Proposal.objects.filter(pk=proposal.pk).exists()
    response = client.get("/omgangar/2027/forslag/")
    html = response.content.decode()
    assert "Fler förskollärare" in html
    row = html.split("Fler förskollärare")[1].split("</tr>")[0]
    assert "Återkallat" in row
    response = client.get("/omgangar/2027/forslag/", {"status": "aterkallat"})
    assert [p.pk for p in response.context["page"].object_list] == [proposal.pk]


def test_a_withdrawn_proposal_cannot_be_edited_or_withdrawn_again(signed_in, proposal):
    client = signed_in("tjp-bildning")
    client.post(url(proposal))
    proposal.refresh_from_db()
    edit = proposal_url(proposal, "andra")
    assert client.get(edit).status_code == 403
    assert client.post(edit, unchanged_post(proposal, title="Ändrad")).status_code == 403
    assert client.get(url(proposal)).status_code == 403
    assert client.post(url(proposal), {"reason": "igen"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Fler förskollärare"
    assert proposal.withdrawn_reason == ""


def test_there_is_no_way_to_delete(signed_in, proposal):
    client = signed_in("tjp-bildning")
    for path in (proposal_url(proposal), proposal_url(proposal, "andra"), url(proposal)):
        assert client.delete(path).status_code == 405
    assert client.post(proposal_url(proposal) + "ta-bort/").status_code == 404
    assert Proposal.objects.filter(pk=proposal.pk).exists()


# --- Who may ---------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(set(USERS) - {"tjp-bildning", "chef-bildning"}))
def test_others_may_not_withdraw_a_draft(signed_in, proposal, username):
    client = signed_in(username)
    expected = 403 if username == "controller" else 404
    assert client.get(url(proposal)).status_code == expected
    assert client.post(url(proposal), {"reason": "nej"}).status_code == expected
    assert not Proposal.objects.get(pk=proposal.pk).is_withdrawn


@pytest.mark.parametrize("username", USERS)
def test_nobody_withdraws_a_submitted_proposal(signed_in, bildning, proposal, username):
    set_state(bildning, status=AnalysisStatus.SUBMITTED)
    client = signed_in(username)
    assert client.get(url(proposal)).status_code == 403
    assert client.post(url(proposal)).status_code == 403
    assert not Proposal.objects.get(pk=proposal.pk).is_withdrawn


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"deadline_days": -1}, 403),
        ({"phase": Phase.FORUM}, 403),
        ({"status": AnalysisStatus.RETURNED}, 200),
    ],
)
def test_staff_withdraw_only_while_open(signed_in, bildning, proposal, state, expected):
    set_state(bildning, **state)
    assert signed_in("tjp-bildning").get(url(proposal)).status_code == expected


def test_anonymous_is_sent_to_sign_in(client, proposal):
    assert_sent_to_sign_in(client.get(url(proposal)))
    assert_sent_to_sign_in(client.post(url(proposal)))
    assert not Proposal.objects.get(pk=proposal.pk).is_withdrawn
