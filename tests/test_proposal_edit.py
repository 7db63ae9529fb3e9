"""Editing a proposal: the form with its values, a save, flags, and who may."""

import re

import pytest

from rounds.models import AnalysisStatus, ListKind, Phase, Proposal
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import assert_queries_do_not_grow, assert_sent_to_sign_in
from tests.proposal_helpers import USERS, proposal_url, set_state, unchanged_post


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


@pytest.fixture
def proposal(bildning):
    return make_proposal(
        bildning,
        title="Fler förskollärare",
        svarighetsgrad=3,
        nytta=3,
        kostnadseffektivitet=2,
        rangordning=4,
        cost_year1=1500,
    )


def edit_url(proposal):
    return proposal_url(proposal, "andra")


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning"])
def test_staff_get_the_form_with_the_saved_values(signed_in, proposal, username):
    response = signed_in(username).get(edit_url(proposal))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ändra förslag 2027-001</h1>" in html
    assert 'value="Fler förskollärare"' in html
    assert 'name="version" value="1"' in html
    assert 'name="cost_year1" value="1\u00a0500"' in html
    assert re.search(r'value="3" id="id_svarighetsgrad_1" checked>', html)


def test_staff_save_changes(signed_in, demo, proposal):
    data = unchanged_post(proposal, title="Fyra förskollärare", cost_year2="−200", nytta="2")
    response = signed_in("tjp-bildning").post(edit_url(proposal), data)
    assert response.status_code == 302
    assert response["Location"] == proposal_url(proposal)
    proposal.refresh_from_db()
    assert proposal.title == "Fyra förskollärare"
    assert proposal.cost_year2 == -200
    assert proposal.nytta == 2
    assert proposal.version == 2
    assert proposal.history.latest().history_user == demo["tjp-bildning"]


def test_saving_unchanged_keeps_every_value(signed_in, proposal):
    before = Proposal.objects.filter(pk=proposal.pk).values().get()
    signed_in("tjp-bildning").post(edit_url(proposal), unchanged_post(proposal))
    after = Proposal.objects.filter(pk=proposal.pk).values().get()
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"version", "updated_at"}


def test_flags_are_shown_but_never_block(signed_in, proposal):
    # Nytta above svårighetsgrad and a rank far above what severity suggests.
    data = unchanged_post(proposal, svarighetsgrad="1", nytta="4", rangordning="1")
    client = signed_in("tjp-bildning")
    response = client.post(edit_url(proposal), data, follow=True)
    html = response.content.decode()
    assert "Förslaget 2027-001 är sparat." in html
    assert "Nyttan (mycket stor) är bedömd högre än svårighetsgraden (liten)." in html
    assert "Rangordning 1 är högre än kommunens riktvärden för svårighetsgraden (7–10)." in html
    # The form shows them too, also when it comes back with an error.
    response = client.post(
        edit_url(proposal),
        unchanged_post(Proposal.objects.get(pk=proposal.pk), cost_year1="x"),
    )
    assert "Nyttan (mycket stor) är bedömd högre" in response.content.decode()


def test_the_suggested_rank_is_shown_next_to_the_rank(signed_in, proposal):
    html = signed_in("tjp-bildning").get(edit_url(proposal)).content.decode()
    assert re.search(
        r'id="rank-suggestion"[^>]*>Kommunens riktvärden: svårighetsgraden Stor brukar ge '
        r"rangordning 3–5\.</p>",
        html,
    )
    assert (
        'data-text-4="Kommunens riktvärden: svårighetsgraden Mycket stor brukar ge rangordning '
        '1–3."' in html
    )
    # Beside it, the guide as the municipality's, with the source's two examples.
    assert "<summary>Kommunens riktvärden och modellens exempel</summary>" in html
    assert "Tillstånd B + Åtgärd y, jämfört med nuvarande vård Y" in html


def test_the_suggested_rank_follows_the_rounds_own_riktvarden(signed_in, proposal):
    round = proposal.round
    round.riktvarde_stor_fran, round.riktvarde_stor_till = 2, 4
    round.save()
    html = signed_in("tjp-bildning").get(edit_url(proposal)).content.decode()
    assert "Kommunens riktvärden: svårighetsgraden Stor brukar ge rangordning 2–4." in html
    assert '<tr><th scope="row">Stor</th><td>2–4</td></tr>' in html


def test_lists_are_limited_to_the_round_and_kind(signed_in, proposal, demo):
    other = make_round(year=2028)
    html = signed_in("tjp-bildning").get(edit_url(proposal)).content.decode()
    fokus = html.split('name="fokusomrade"')[1].split("</select>")[0]
    own = set(proposal.round.list_items.filter(kind="fokusomrade").values_list("pk", flat=True))
    foreign = set(other.list_items.filter(kind="fokusomrade").values_list("pk", flat=True))
    shown = {int(pk) for pk in re.findall(r'value="(\d+)"', fokus)}
    assert shown == own
    assert not shown & foreign


# --- Who may ----------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(set(USERS) - {"tjp-bildning", "chef-bildning"}))
def test_others_may_not_edit_a_draft(signed_in, proposal, username):
    client = signed_in(username)
    expected = 403 if username == "controller" else 404
    assert client.get(edit_url(proposal)).status_code == expected
    response = client.post(edit_url(proposal), unchanged_post(proposal, title="Kapad"))
    assert response.status_code == expected
    proposal.refresh_from_db()
    assert proposal.title == "Fler förskollärare"


@pytest.mark.parametrize("username", USERS)
def test_nobody_edits_a_submitted_proposal(signed_in, bildning, proposal, username):
    """Everyone signed in may read it (403, not 404), nobody may change it."""
    set_state(bildning, status=AnalysisStatus.SUBMITTED)
    client = signed_in(username)
    assert client.get(edit_url(proposal)).status_code == 403
    assert client.post(edit_url(proposal), unchanged_post(proposal)).status_code == 403


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"deadline_days": -1}, 403),
        ({"deadline_days": 0}, 200),
        ({"phase": Phase.NAMND}, 403),
        ({"status": AnalysisStatus.RETURNED}, 200),
        ({"status": AnalysisStatus.RETURNED, "phase": Phase.NAMND}, 200),
        ({"status": AnalysisStatus.RETURNED, "deadline_days": -1}, 403),
    ],
)
def test_staff_edit_only_while_open(signed_in, bildning, proposal, state, expected):
    set_state(bildning, **state)
    assert signed_in("chef-bildning").get(edit_url(proposal)).status_code == expected


def test_controller_reads_but_never_edits(signed_in, proposal):
    client = signed_in("controller")
    assert client.get(proposal_url(proposal)).status_code == 200
    assert client.get(edit_url(proposal)).status_code == 403


def test_unknown_proposal_is_404(signed_in, proposal):
    assert signed_in("tjp-bildning").get("/omgangar/2027/forslag/999/andra/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, proposal):
    response = client.get(edit_url(proposal))
    assert_sent_to_sign_in(response)
    response = client.post(edit_url(proposal), unchanged_post(proposal, title="Anonym"))
    assert_sent_to_sign_in(response)
    proposal.refresh_from_db()
    assert proposal.title == "Fler förskollärare"


def test_a_form_without_its_version_asks_for_a_reload(signed_in, proposal):
    data = unchanged_post(proposal, title="Ny")
    del data["version"]
    response = signed_in("tjp-bildning").post(edit_url(proposal), data)
    assert response.status_code == 200
    assert "Ladda om sidan och försök igen." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == "Fler förskollärare"


def test_get_and_post_only(signed_in, proposal):
    assert signed_in("tjp-bildning").delete(edit_url(proposal)).status_code == 405


def test_form_queries_do_not_grow_with_the_lists(signed_in, proposal):
    round = proposal.round

    def grow():
        for i in range(20):
            round.list_items.create(kind=ListKind.POLITISKT_MAL, name=f"Mål {i}")
            round.list_items.create(kind=ListKind.VERKSAMHETSOMRADE, name=f"Område {i}")
        proposal.mal.add(*round.list_items.filter(kind=ListKind.POLITISKT_MAL)[:5])

    assert_queries_do_not_grow(signed_in("tjp-bildning"), edit_url(proposal), grow)
