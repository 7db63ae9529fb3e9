"""The nämnd's ranking in the browser, with the keyboard only: a ledamot sets a
rank and a handling, moves a proposal up, saves and records the decision; a
tjänsteperson then reads the result. axe on the page before and after."""

from ranking.models import Handling, NamndRanking, NamndResult
from ranking.services import namnd as namnd_services
from rounds.models import AnalysisStatus, Namnd, Phase, User
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.factories import analysis_of, make_proposal, make_round


def sign_out(page):
    tab_to(page, page.get_by_role("button", name="Logga ut"), 120)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_ledamot_ranks_and_records_with_the_keyboard(page):
    round = make_round(phase=Phase.NAMND)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    first = make_proposal(analysis, title="Läxhjälp", rangordning=1, cost_year1=400)
    second = make_proposal(analysis, title="Förstärkt stöd", cost_year1=1500)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    ledamot = User.objects.get(username="ledamot-bildning")
    result = namnd_services.result_for(round, namnd, by=ledamot)
    namnd_services.save_rankings(
        result,
        [{"proposal_id": first.pk, "rank": 1, "handling": Handling.INOM_RAM}],
        [],
        by=ledamot,
    )
    url = f"/omgangar/2027/namnder/{namnd.pk}/"

    sign_in(page, "ledamot-bildning")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rangordning i Bildningsnämnden 2027")
    assert_accessible(page, "the nämnd's ranking")

    rank = page.get_by_label("Rangordning för 2027-002 Förstärkt stöd")
    tab_to(page, rank, 80)
    page.keyboard.type("2")
    handling = page.get_by_role("group", name="Hantering av 2027-002 Förstärkt stöd")
    radio = handling.get_by_role("radio", name="Till kommungemensam prioritering")
    tab_to(page, handling.get_by_role("radio").first, 10)
    page.keyboard.press("ArrowDown")
    expect(radio).to_be_checked()

    move = page.get_by_role("button", name="Flytta upp 2027-002")
    tab_to(page, move, 10)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("2027-002 flyttades till plats 1 av 2.")
    expect(page.get_by_role("button", name="Flytta upp 2027-002")).to_be_focused()
    ranking = NamndRanking.objects.get(proposal=second)
    assert (ranking.rank, ranking.handling, ranking.position) == (2, Handling.KOMMUNGEMENSAM, 0)

    tab_to(page, page.get_by_role("button", name="Spara rangordningen"), 40)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Nämndens rangordning är sparad.")

    # Enter in a rank field saves; it does not press the first row's "Flytta upp".
    rank = page.get_by_label("Rangordning för 2027-001 Läxhjälp")
    tab_to(page, rank, 80)
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Nämndens rangordning är sparad.")
    ranking = NamndRanking.objects.get(proposal=first)
    assert (ranking.rank, ranking.position) == (3, 1)

    date = page.get_by_label("Sammanträdesdatum", exact=False)
    tab_to(page, date, 60)
    # The order of a date input's segments follows the browser's own language,
    # not the page's: typing digits would depend on the machine, so fill it.
    date.fill("2027-03-12")
    tab_to(page, page.get_by_label("Paragraf (§)", exact=False), 10)
    page.keyboard.type("45")
    tab_to(page, page.get_by_role("button", name="Registrera beslutet"), 10)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Registrerat 12 mars 2027 § 45 av Eva Sundberg")).to_be_visible()
    assert_accessible(page, "the recorded ranking")
    assert NamndResult.objects.get(pk=result.pk).is_recorded
    sign_out(page)

    sign_in(page, "tjp-bildning")
    page.goto(url)
    expect(page.get_by_text("Registrerat 12 mars 2027 § 45 av Eva Sundberg")).to_be_visible()
    rows = page.locator("table.namnd-table tbody tr")
    expect(rows.first).to_contain_text("Förstärkt stöd")
    expect(rows.first).to_contain_text("Till kommungemensam prioritering")
    expect(page.get_by_role("spinbutton")).to_have_count(0)
    assert_accessible(page, "the ranking read by the förvaltning")
