"""The verksamhetsanalys grid in the browser: the keyboard path through add,
edit, move and "Gör till förslag"; two people editing the same item; the grid
at 320 px. axe checks the page before and after the htmx swaps."""

import re

from rounds.models import AnalysisColumn, AnalysisItem, ListItem, Proposal
from tests.browser.conftest import TIMEOUT_MS, assert_accessible, expect, sign_in, tab_to
from tests.factories import analysis_of, make_round

CELL_LABEL = "Ny punkt i Invånare – Situationer och åtgärder som behöver nya resurser"


def bildning_grid():
    """Round 2027 in the verksamhetsanalys phase; Bildning's analysis and its URL."""
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    return analysis, f"/omgangar/2027/analyser/{analysis.forvaltning_id}/"


def tab_back_to(page, locator, max_tabs: int = 40) -> None:
    """Press Shift+Tab until ``locator`` has the focus."""
    for _ in range(max_tabs):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"{max_tabs} presses of Shift+Tab never reached {locator}")


def status(page):
    return page.locator("#grid-status")


def test_keyboard_add_edit_move_and_make_a_proposal(page):
    analysis, url = bildning_grid()
    sign_in(page, "tjp-bildning")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Verksamhetsanalys 2027 – Bildningsförvaltningen"
    )
    assert_accessible(page, "the empty grid")

    # Add two items with the keyboard only.
    new_item = page.get_by_label(CELL_LABEL)
    tab_to(page, new_item)
    page.keyboard.type("Fler förskollärare")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Lägg till").nth(2)).to_be_focused()
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Punkten lades till.")
    expect(page.get_by_label(CELL_LABEL)).to_be_focused()
    expect(page.get_by_label(CELL_LABEL)).to_have_value("")
    page.keyboard.type("Större lokaler")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    cell = page.locator(".grid-cell").filter(has=page.get_by_label(CELL_LABEL))
    expect(cell.locator(".grid-item__text")).to_have_text(["Fler förskollärare", "Större lokaler"])
    assert_accessible(page, "the grid after adding")

    # Edit the first: back up from the add field to its Ändra button.
    tab_back_to(page, page.get_by_role("button", name="Ändra: Fler förskollärare"))
    page.keyboard.press("Enter")
    editor = page.get_by_label("Ändra punkten i Invånare – Situationer och åtgärder")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("Fler förskollärare")
    assert_accessible(page, "the grid with an item being edited")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Fler förskollärare i Norrby")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Spara")).to_be_focused()
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Punkten sparades.")
    expect(page.get_by_role("button", name="Ändra: Fler förskollärare i Norrby")).to_be_focused()

    # Move it down: the live region says where it went, the focus stays on the button.
    tab_to(page, page.get_by_role("button", name="Flytta ned: Fler förskollärare i Norrby"))
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Punkten flyttades till plats 2 av 2.")
    expect(cell.locator(".grid-item__text")).to_have_text(
        ["Större lokaler", "Fler förskollärare i Norrby"]
    )
    expect(
        page.get_by_role("button", name="Flytta ned: Fler förskollärare i Norrby")
    ).to_be_focused()
    assert_accessible(page, "the grid after a move")
    item = AnalysisItem.objects.get(analysis=analysis, text="Fler förskollärare i Norrby")
    assert (item.column, item.position) == (AnalysisColumn.NYA_RESURSER, 1)

    # "Gör till förslag" opens the new proposal's form, pre-filled; nothing
    # exists until it is saved, and "Avbryt" leads back to the item's cell.
    tab_to(page, page.get_by_role("button", name="Gör till förslag: Fler förskollärare i Norrby"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/omgangar/2027/forslag/nytt/\d+/\?punkt={item.pk}$"))
    expect(page.get_by_label("Rubrik")).to_have_value("Fler förskollärare i Norrby")
    assert not Proposal.objects.filter(analysis_item=item).exists()
    assert_accessible(page, "the new proposal's form from an item")
    page.get_by_role("link", name="Avbryt").click()
    page.wait_for_url(re.compile(r"/analyser/\d+/#ruta-\d+-3$"))
    expect(
        page.get_by_role("button", name="Gör till förslag: Fler förskollärare i Norrby")
    ).to_be_visible()
    assert not Proposal.objects.exists()


def test_two_people_edit_the_same_item(browser, demo_site, page, console):
    analysis, url = bildning_grid()
    invanare = ListItem.objects.get(round=analysis.round, kind="perspektiv", name="Invånare")
    item = AnalysisItem.objects.create(
        analysis=analysis, perspektiv=invanare, column=AnalysisColumn.NULAGE, text="Original"
    )
    other = browser.new_context(base_url=demo_site.url, locale="sv-SE")
    other.set_default_timeout(TIMEOUT_MS)
    try:
        anders = other.new_page()
        console.watch(anders)
        sign_in(page, "tjp-bildning")
        sign_in(anders, "chef-bildning")
        for person in (page, anders):
            person.goto(url)
            person.get_by_role("button", name="Ändra: Original").click()
            expect(person.get_by_label("Ändra punkten i Invånare – Nuläge")).to_have_value(
                "Original"
            )

        anders.get_by_label("Ändra punkten i Invånare – Nuläge").fill("Anders text")
        anders.get_by_role("button", name="Spara").click()
        expect(anders.locator("#grid-status")).to_have_text("Punkten sparades.")

        page.get_by_label("Ändra punkten i Invånare – Nuläge").fill("Saras text")
        page.get_by_role("button", name="Spara").click()
        notice = page.get_by_role("alert")
        expect(notice).to_contain_text("Någon annan har ändrat punkten medan du skrev.")
        expect(notice.locator("blockquote")).to_have_text("Anders text")
        expect(page.get_by_label("Ändra punkten i Invånare – Nuläge")).to_have_value("Saras text")
        assert_accessible(page, "the grid with an edit conflict")
        item.refresh_from_db()
        assert item.text == "Anders text"

        # A second save is a deliberate overwrite.
        page.get_by_role("button", name="Spara").click()
        expect(status(page)).to_have_text("Punkten sparades.")
        item.refresh_from_db()
        assert item.text == "Saras text"
    finally:
        other.close()


def test_the_grid_reflows_at_320_px_with_large_enough_targets(page):
    analysis, url = bildning_grid()
    invanare = ListItem.objects.get(round=analysis.round, kind="perspektiv", name="Invånare")
    for position, text in enumerate(["Fler förskollärare", "Större lokaler"]):
        AnalysisItem.objects.create(
            analysis=analysis,
            perspektiv=invanare,
            column=AnalysisColumn.NYA_RESURSER,
            text=text,
            position=position,
        )
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, "tjp-bildning")
    page.goto(url)
    expect(page.get_by_text("Fler förskollärare")).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls {overflow}px sideways at 320 px"
    # Each cell names its column when the table is stacked.
    expect(
        page.locator(
            ".grid-cell__label", has_text="Situationer och åtgärder som behöver nya resurser"
        ).first
    ).to_be_visible()
    for button in page.locator(".analysis-grid button").all():
        box = button.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, button.inner_text()
    assert_accessible(page, "the grid at 320 px")


def test_a_half_written_item_survives_a_move_in_the_same_cell(page):
    analysis, url = bildning_grid()
    invanare = ListItem.objects.get(round=analysis.round, kind="perspektiv", name="Invånare")
    for position, text in enumerate(["Första", "Andra"]):
        AnalysisItem.objects.create(
            analysis=analysis,
            perspektiv=invanare,
            column=AnalysisColumn.NYA_RESURSER,
            text=text,
            position=position,
        )
    sign_in(page, "tjp-bildning")
    page.goto(url)
    page.get_by_label(CELL_LABEL).fill("Halvskriven punkt")
    page.get_by_role("button", name="Flytta ned: Första").click()
    expect(status(page)).to_have_text("Punkten flyttades till plats 2 av 2.")
    expect(page.get_by_label(CELL_LABEL)).to_have_value("Halvskriven punkt")
    page.get_by_role("button", name="Ändra: Andra").click()
    page.get_by_role("link", name="Avbryt").click()
    expect(page.get_by_role("button", name="Ändra: Andra")).to_be_focused()
    expect(page.get_by_label(CELL_LABEL)).to_have_value("Halvskriven punkt")
