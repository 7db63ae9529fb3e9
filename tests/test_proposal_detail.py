"""The proposal's page: every field in words, the flags, where it came from,
its status, the buttons the user may use — and who may see it at all."""

import pytest

from rounds.models import AnalysisColumn, AnalysisItem, AnalysisStatus, ListKind
from rounds.services.proposal import create_proposal_from_item, fields_from_item, withdraw_proposal
from tests.factories import analysis_of, make_proposal, make_round
from tests.proposal_helpers import USERS, proposal_url, set_state

NBSP = "\u00a0"


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


@pytest.fixture
def proposal(bildning):
    round = bildning.round
    proposal = make_proposal(
        bildning,
        title="Fler förskollärare",
        malomrade="invanare",
        situation="Stora barngrupper.\n\nLång kö.",
        typ="nya_behov",
        cost_year1=1500,
        cost_year2=-300,
        cost_years4_10=10500,
        svarighetsgrad=4,
        effekt=3,
        nytta=1,
        kostnadseffektivitet=4,
        kunskapsunderlag=0,
        maluppfyllelse=2,
        effekt_framst_for="organisationen",
        rangordning=2,
        etik_behov="risk",
        etik_kommentar="Kan missgynna glesbygden.",
        fokusomrade=round.list_items.get(kind=ListKind.FOKUSOMRADE, name="Tillväxt"),
    )
    proposal.mal.add(round.list_items.create(kind=ListKind.POLITISKT_MAL, name="Trygg uppväxt"))
    return proposal


def field(html, label):
    """The text of the <dd> after the <dt> ``label``."""
    after = html.split(f"<dt>{label}</dt>", 1)[1]
    return after.split("<dd>", 1)[1].split("</dd>", 1)[0].strip()


def test_every_field_in_swedish_words(signed_in, proposal):
    html = signed_in("tjp-bildning").get(proposal_url(proposal)).content.decode()
    assert '<h1><span class="proposal-reference">2027-001</span> Fler förskollärare</h1>' in html
    assert field(html, "Målområde") == "Invånares hälsa och välbefinnande"
    assert field(html, "Fokusområde") == "Tillväxt"
    assert field(html, "Typ") == "Nya behov"
    # Amounts are read with their unit, so neither the label nor the heading
    # says "tkr" again.
    assert field(html, "Kostnad år 1") == f"1{NBSP}500{NBSP}tkr"
    assert field(html, "Kostnad år 2") == f"\u2212300{NBSP}tkr"
    assert field(html, "Kostnad år 4–10") == f"10{NBSP}500{NBSP}tkr"
    assert "(tkr)" not in html.split('id="del-kostnader"')[1].split("</section>")[0]
    assert '<h2 id="del-kostnader">Kostnader</h2>' in html
    assert field(html, "Svårighetsgrad") == "Mycket stor"
    assert field(html, "Åtgärdens effekt") == "Stor"
    assert field(html, "Nytta för målområdet") == "Liten"
    assert field(html, "Kostnadseffektivitet") == "Mycket hög"
    assert field(html, "Kvalitet i kunskapsunderlaget") == "Saknas"
    assert field(html, "Måluppfyllelse") == "Måttlig"
    assert field(html, "Politiska mål som berörs") == "Trygg uppväxt"
    assert field(html, "Effekt främst för") == "Organisationen"
    assert field(html, "Rekommendation") == "Rangordnas"
    assert field(html, "Rangordning").startswith("2")
    assert "Kommunens riktvärden: svårighetsgraden Mycket stor brukar ge rangordning 1–3." in html
    assert field(html, "Behovs-solidaritetsprincipen") == "Risk – se kommentaren"
    assert field(html, "Situation") == "<p>Stora barngrupper.</p>\n\n<p>Lång kö.</p>"
    assert field(html, "Status") == "Utkast"
    assert "Slag av ransonering" not in html  # only for a ransonering


def test_ransonering_shows_its_kind(signed_in, bildning):
    proposal = make_proposal(
        bildning,
        typ="ransonering",
        ransonering_kind="process",
        ransonering_detail="tidsransonering",
        cost_year1=-400,
    )
    html = signed_in("tjp-bildning").get(proposal_url(proposal)).content.decode()
    assert field(html, "Slag av ransonering") == "Processransonering"
    assert field(html, "Ransoneringens inriktning") == "Tidsransonering för åtgärder"


def test_flags_are_shown(signed_in, proposal):
    html = signed_in("tjp-bildning").get(proposal_url(proposal)).content.decode()
    assert "Att pröva i bedömningen" in html
    assert "Hög rangordning trots liten nytta eller låg kostnadseffektivitet" in html


def test_switched_off_parts_are_not_shown(signed_in, proposal):
    round = proposal.round
    round.uses_effekt = round.uses_etisk_granskning = round.uses_maluppfyllelse = False
    round.save()
    html = signed_in("tjp-bildning").get(proposal_url(proposal)).content.decode()
    for label in ("Åtgärdens effekt", "Måluppfyllelse", "Politiska mål", "Etisk granskning"):
        assert label not in html, label
    assert field(html, "Svårighetsgrad") == "Mycket stor"


def test_a_proposal_from_the_analysis_links_to_its_cell(signed_in, demo, bildning):
    perspektiv = bildning.round.list_items.filter(kind=ListKind.PERSPEKTIV).first()
    item = AnalysisItem.objects.create(
        analysis=bildning,
        perspektiv=perspektiv,
        column=AnalysisColumn.NYA_RESURSER,
        text="Fler barn i förskolan",
    )
    proposal = create_proposal_from_item(item, by=demo["tjp-bildning"], **fields_from_item(item))
    html = signed_in("tjp-bildning").get(proposal_url(proposal)).content.decode()
    grid = f"/omgangar/2027/analyser/{bildning.forvaltning_id}/#ruta-{perspektiv.pk}-3"
    assert f'<a href="{grid}">' in html
    assert "Fler barn i förskolan" in html


def test_withdrawn_is_shown_prominently(signed_in, demo, proposal):
    withdraw_proposal(proposal, by=demo["chef-bildning"], reason="Ingår i 2027-002.")
    html = signed_in("tjp-bildning").get(proposal_url(proposal)).content.decode()
    banner = html.split('class="proposal-withdrawn"')[1].split("</div>")[0]
    assert "Återkallat" in banner
    assert "Anders Berg" in banner
    assert "Ingår i 2027-002." in banner
    assert field(html, "Status") == "Återkallat"
    assert "/andra/" not in html  # no Ändra button any more
    assert "/aterkalla/" not in html


@pytest.mark.parametrize(
    ("username", "buttons"),
    [
        ("tjp-bildning", True),
        ("chef-bildning", True),
        ("controller", False),
    ],
)
def test_buttons_only_for_who_may(signed_in, proposal, username, buttons):
    html = signed_in(username).get(proposal_url(proposal)).content.decode()
    assert (f'href="{proposal_url(proposal, "andra")}"' in html) is buttons
    assert (f'href="{proposal_url(proposal, "aterkalla")}"' in html) is buttons


# --- Who may see it -------------------------------------------------------------


@pytest.mark.parametrize("username", USERS)
def test_draft_is_seen_by_its_forvaltning_and_the_controller(signed_in, proposal, username):
    expected = 200 if username in {"tjp-bildning", "chef-bildning", "controller"} else 404
    assert signed_in(username).get(proposal_url(proposal)).status_code == expected


@pytest.mark.parametrize("username", USERS)
def test_submitted_is_seen_by_everyone_signed_in(signed_in, bildning, proposal, username):
    set_state(bildning, status=AnalysisStatus.SUBMITTED)
    response = signed_in(username).get(proposal_url(proposal))
    assert response.status_code == 200
    assert f'href="{proposal_url(proposal, "andra")}"' not in response.content.decode()


@pytest.mark.parametrize("username", USERS)
def test_returned_is_seen_by_the_forvaltning_its_namnd_and_controller(
    signed_in, bildning, proposal, username
):
    set_state(bildning, status=AnalysisStatus.RETURNED)
    allowed = {"tjp-bildning", "chef-bildning", "controller", "ledamot-bildning"}
    expected = 200 if username in allowed else 404
    assert signed_in(username).get(proposal_url(proposal)).status_code == expected


def test_anonymous_is_sent_to_sign_in(client, proposal):
    response = client.get(proposal_url(proposal))
    assert response["Location"].startswith("/konto/logga-in/")


def test_unknown_number_or_year_is_404(signed_in, proposal):
    client = signed_in("controller")
    assert client.get("/omgangar/2027/forslag/99/").status_code == 404
    assert client.get("/omgangar/2030/forslag/1/").status_code == 404


def test_post_is_not_allowed(signed_in, proposal):
    assert signed_in("tjp-bildning").post(proposal_url(proposal)).status_code == 405
