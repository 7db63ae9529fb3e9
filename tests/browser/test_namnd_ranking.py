"""The nämnd's ranking in the browser, with the keyboard only: a ledamot types
a rank and saves with Enter (the list re-sorts), moves a proposal within its
rank, sets the handling, saves and records the decision, whose order follows
the ranks; a tjänsteperson then reads the result. axe on the page before and
after, and the page fits a 1280 × 900 window."""

from ranking.models import Handling, NamndRanking, NamndResult
from ranking.services import namnd as namnd_services
from rounds.models import AnalysisStatus, Namnd, Phase, User
from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in, tab_to
from tests.factories import analysis_of, make_proposal, make_round


def sign_out(page):
    tab_to(page, page.get_by_role("button", name="Logga ut"), 120)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def references(page):
    return page.locator("table.namnd-table tbody tr .proposal-reference").all_inner_texts()


def saved_order():
    return [
        (r.proposal.reference, r.rank)
        for r in NamndRanking.objects.select_related("proposal").order_by("position")
    ]


def test_ledamot_ranks_and_records_with_the_keyboard(page):
    round = make_round(phase=Phase.NAMND)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    make_proposal(analysis, title="Läxhjälp", rangordning=1, cost_year1=400)
    make_proposal(analysis, title="Förstärkt stöd", cost_year1=1500)
    make_proposal(analysis, title="Sommarskola", rangordning=2, cost_year1=300)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    ledamot = User.objects.get(username="ledamot-bildning")
    result = namnd_services.result_for(round, namnd, by=ledamot)
    url = f"/omgangar/2027/namnder/{namnd.pk}/"

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "ledamot-bildning")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rangordning i Bildningsnämnden 2027")
    assert references(page) == ["2027-001", "2027-003", "2027-002"]
    assert_fits(page, "the nämnd's ranking")
    assert_accessible(page, "the nämnd's ranking")

    # Type rank 1 and save with Enter: the list re-sorts, 002 joins rank 1's end.
    rank = page.get_by_label("Rangordning för 2027-002 Förstärkt stöd")
    tab_to(page, rank, 80)
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Nämndens rangordning är sparad.")
    assert references(page) == ["2027-001", "2027-002", "2027-003"]
    assert saved_order() == [("2027-001", 1), ("2027-002", 1), ("2027-003", 2)]

    # Move 002 up within rank 1: moved in the page, announced, saved behind.
    move = page.get_by_role("button", name="Flytta upp 2027-002")
    tab_to(page, move, 40)
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        page.keyboard.press("Enter")
    expect(page.locator("#namnd-ranking-live")).to_have_text(
        "2027-002 flyttad till plats 1 av 3, rangordning 1"
    )
    expect(move).to_be_focused()
    assert references(page) == ["2027-002", "2027-001", "2027-003"]
    assert saved_order() == [("2027-002", 1), ("2027-001", 1), ("2027-003", 2)]

    # Up again at the top: it stays, and says so.
    page.keyboard.press("Enter")
    expect(page.locator("#namnd-ranking-live")).to_have_text("2027-002 står kvar på plats 1 av 3")

    # A handling for each, with the keyboard. Back from the first row's move
    # button (Shift+Tab) into its group lands on the last radio; forward into
    # a group, on the first. Space checks it.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    first = page.get_by_role("group", name="Hantering av 2027-002 Förstärkt stöd")
    expect(first.get_by_role("radio", name="Drivs inte vidare")).to_be_checked()
    for name in ("2027-001 Läxhjälp", "2027-003 Sommarskola"):
        group = page.get_by_role("group", name=f"Hantering av {name}")
        tab_to(page, group.get_by_role("radio").first, 20)
        page.keyboard.press("Space")
        expect(group.get_by_role("radio", name="Inom nämndens ram")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Spara rangordningen"), 40)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Nämndens rangordning är sparad.")

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
    assert NamndResult.objects.get(pk=result.pk).is_recorded
    # The recorded order is the order of the ranks.
    assert saved_order() == [("2027-002", 1), ("2027-001", 1), ("2027-003", 2)]
    assert NamndRanking.objects.filter(handling=Handling.INOM_RAM).count() == 2
    assert references(page) == ["2027-002", "2027-001", "2027-003"]
    assert_fits(page, "the nämnd's ranking")
    assert_accessible(page, "the recorded ranking")
    sign_out(page)

    sign_in(page, "tjp-bildning")
    page.goto(url)
    expect(page.get_by_text("Registrerat 12 mars 2027 § 45 av Eva Sundberg")).to_be_visible()
    assert references(page) == ["2027-002", "2027-001", "2027-003"]
    expect(page.get_by_role("spinbutton")).to_have_count(0)
    assert_fits(page, "the nämnd's ranking")
    assert_accessible(page, "the ranking read by the förvaltning")


def test_the_ranking_page_is_usable_at_390_px(page):
    round = make_round(phase=Phase.NAMND)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    make_proposal(analysis, title="Förstärkt stöd i förskoleklass", rangordning=1)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "ledamot-bildning")
    page.goto(f"/omgangar/2027/namnder/{namnd.pk}/")
    expect(page.get_by_role("button", name="Flytta upp 2027-001")).to_be_visible()
    assert_fits(page, "the nämnd's ranking")
    assert_accessible(page, "the nämnd's ranking at 390 px")


def test_a_row_dragged_with_the_mouse_follows_the_rule(page):
    round = make_round(phase=Phase.NAMND)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    make_proposal(analysis, title="Läxhjälp", rangordning=1)
    make_proposal(analysis, title="Förstärkt stöd", rangordning=4)
    last = make_proposal(analysis, title="Skolskjuts", rangordning=8)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    sign_in(page, "ledamot-bildning")
    page.goto(f"/omgangar/2027/namnder/{namnd.pk}/")
    first_row = page.locator("table.namnd-table tbody tr").first
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator(f"#forslag-{last.pk} .ranklist-drag-handle").drag_to(first_row)
    assert answer.value.status == 204
    # Dropped above a rank 1 it takes rank 1, at that rank's edge.
    expect(page.locator("#namnd-ranking-live")).to_have_text(
        "2027-003 flyttad till plats 1 av 3, rangordning 1"
    )
    expect(page.get_by_label("Rangordning för 2027-003 Skolskjuts")).to_have_value("1")
    assert references(page) == ["2027-003", "2027-001", "2027-002"]
    assert saved_order() == [("2027-003", 1), ("2027-001", 1), ("2027-002", 4)]
