"""Creating a proposal: the empty form, a save, and who may."""

import re

import pytest

from rounds.models import AnalysisStatus, ListKind, Phase, Proposal
from tests.factories import analysis_of, make_round
from tests.helpers import assert_sent_to_sign_in
from tests.proposal_helpers import USERS, form_data, set_state


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


def url(analysis):
    return f"/omgangar/{analysis.round.budget_year}/forslag/nytt/{analysis.forvaltning_id}/"


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning"])
def test_staff_get_the_empty_form(signed_in, bildning, username):
    response = signed_in(username).get(url(bildning))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Nytt förslag</h1>" in html
    assert 'name="version"' not in html  # a new proposal has no version yet
    title = re.search(r'<input type="text" name="title"[^>]*>', html).group(0)
    assert "value=" not in title


def test_staff_create_a_proposal(signed_in, demo, bildning):
    response = signed_in("tjp-bildning").post(url(bildning), form_data())
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/omgangar/2027/forslag/{proposal.number}/"
    assert proposal.analysis == bildning
    assert proposal.created_by == demo["tjp-bildning"]
    assert proposal.title == "Fler förskollärare i ytterområdena"
    assert proposal.cost_year1 == 1500
    assert proposal.cost_years4_10 == 10500
    assert proposal.svarighetsgrad == 3
    assert proposal.rangordning == 4
    assert proposal.version == 1
    assert proposal.history.first().history_user == demo["tjp-bildning"]


def test_the_saved_message_is_shown_on_the_detail_page(signed_in, bildning):
    response = signed_in("tjp-bildning").post(url(bildning), form_data(), follow=True)
    assert "Förslaget 2027-001 är sparat." in response.content.decode()


def test_numbers_follow_each_other_in_the_round(signed_in, bildning):
    client = signed_in("tjp-bildning")
    client.post(url(bildning), form_data())
    client.post(url(bildning), form_data(title="Ett till"))
    assert list(Proposal.objects.values_list("number", flat=True)) == [1, 2]


def test_goals_and_lists_of_the_round_are_saved(signed_in, bildning):
    round = bildning.round
    goal = round.list_items.create(kind=ListKind.POLITISKT_MAL, name="Trygg uppväxt")
    fokus = round.list_items.get(kind=ListKind.FOKUSOMRADE, name="Digitalisering")
    signed_in("tjp-bildning").post(
        url(bildning), form_data(mal=[str(goal.pk)], fokusomrade=str(fokus.pk))
    )
    proposal = Proposal.objects.get()
    assert list(proposal.mal.all()) == [goal]
    assert proposal.fokusomrade == fokus


def test_an_invalid_form_saves_nothing_and_keeps_what_was_typed(signed_in, bildning):
    response = signed_in("tjp-bildning").post(url(bildning), form_data(rangordning="11"))
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    html = response.content.decode()
    assert "Fler förskollärare i ytterområdena" in html
    assert "Rangordningen är ett heltal från 1 till 10." in html


def test_the_form_hides_what_the_round_switched_off(signed_in, bildning):
    round = bildning.round
    round.uses_effekt = round.uses_kunskapsunderlag = round.uses_maluppfyllelse = False
    round.uses_effekt_framst_for = round.uses_etisk_granskning = False
    round.save()
    client = signed_in("tjp-bildning")
    html = client.get(url(bildning)).content.decode()
    for name in ("effekt", "kunskapsunderlag", "maluppfyllelse", "mal", "etik_behov"):
        assert f'name="{name}"' not in html, name
    for name in ("svarighetsgrad", "nytta", "kostnadseffektivitet"):
        assert f'name="{name}"' in html, name
    response = client.post(url(bildning), form_data(effekt="4", etik_behov="risk"))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.effekt is None  # not in the form: not taken
    assert proposal.etik_behov == ""


# --- Who may ----------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(set(USERS) - {"tjp-bildning", "chef-bildning"}))
def test_others_may_not_create_in_a_draft(signed_in, bildning, username):
    """They may not know of the draft (404) or may only read it (403)."""
    client = signed_in(username)
    expected = 403 if username in {"controller"} else 404
    assert client.get(url(bildning)).status_code == expected
    assert client.post(url(bildning), form_data()).status_code == expected
    assert not Proposal.objects.exists()


def test_outsider_may_read_but_not_create_in_a_submitted_analysis(signed_in, bildning):
    set_state(bildning, status=AnalysisStatus.SUBMITTED)
    client = signed_in("tjp-social")
    assert client.get(url(bildning)).status_code == 403
    assert client.post(url(bildning), form_data()).status_code == 403


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"status": AnalysisStatus.SUBMITTED}, 403),
        ({"deadline_days": -1}, 403),
        ({"phase": Phase.NAMND}, 403),
        ({"status": AnalysisStatus.RETURNED}, 200),
        ({"status": AnalysisStatus.RETURNED, "phase": Phase.NAMND}, 200),
    ],
)
def test_staff_create_only_while_the_analysis_is_open(signed_in, bildning, state, expected):
    set_state(bildning, **state)
    assert signed_in("tjp-bildning").get(url(bildning)).status_code == expected


def test_unknown_forvaltning_or_year_is_404(signed_in, bildning):
    client = signed_in("tjp-bildning")
    assert client.get("/omgangar/2027/forslag/nytt/9999/").status_code == 404
    assert client.get(f"/omgangar/1999/forslag/nytt/{bildning.forvaltning_id}/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, bildning):
    response = client.get(url(bildning))
    assert_sent_to_sign_in(response)
    assert_sent_to_sign_in(client.post(url(bildning), form_data()))
    assert not Proposal.objects.exists()
