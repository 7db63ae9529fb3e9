"""The verksamhetsanalys grid in the browser: the keyboard path through
"Lägg till punkt", an item's menu (edit, move, delete, "Gör till förslag");
moves an item cannot make are not offered; two people editing the same item;
the grid filled, at 1280 and 390 px, with nothing past the window's edge, and
at 320 px; the grid without JavaScript. axe checks the page before and after
the htmx swaps."""

import re

import pytest

from rounds.models import AnalysisColumn, AnalysisItem, ListItem, Proposal
from tests.browser.conftest import TIMEOUT_MS, assert_accessible, expect, sign_in, tab_to
from tests.factories import analysis_of, make_proposal, make_round

CELL_LABEL = "Ny punkt i Invånare – Situationer och åtgärder som behöver nya resurser"
ADD_TOGGLE = "Lägg till punkt i Invånare – Situationer och åtgärder som behöver nya resurser"


# Records, as each htmx answer has been handled, which element has the focus.
FOCUS_AT_ANSWER = """() => {
  window.focusAtAnswer = [];
  document.addEventListener("htmx:afterRequest", () => {
    const element = document.activeElement;
    const text = element === document.body ? "" : ` ${element.textContent.trim()}`;
    window.focusAtAnswer.push(`${element.tagName}${text}`);
  });
}"""


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


def add_toggle(page, name: str = ADD_TOGGLE):
    """A cell's "Lägg till punkt" (a <summary>: Playwright gives it no role)."""
    return page.locator("summary.grid-add__toggle", has_text=name)


def menu_toggle(page, text: str):
    """The toggle of the item's menu, by the item's text."""
    name = re.compile(rf"Åtgärder för punkten: {re.escape(text)}$")
    return page.locator("summary.item-menu__toggle", has_text=name)


def open_menu(page, text: str) -> None:
    menu_toggle(page, text).click()


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def test_keyboard_add_edit_move_delete_and_make_a_proposal(page):
    analysis, url = bildning_grid()
    sign_in(page, "tjp-bildning")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Verksamhetsanalys 2027 – Bildningsförvaltningen"
    )
    assert_accessible(page, "the empty grid")
    field = page.get_by_label(CELL_LABEL)
    expect(field).to_be_hidden()

    # Where the focus is when each answer has been swapped in: already on
    # the element the answer names (htmx must not leave it on the page for
    # its settling, 20 ms in which Enter and the first letters go astray).
    page.evaluate(FOCUS_AT_ANSWER)

    # "Lägg till punkt" opens the cell's field with the focus in it; after
    # "Lägg till" the field closes and the focus is back on the toggle.
    tab_to(page, add_toggle(page))
    page.keyboard.press("Enter")
    expect(field).to_be_focused()
    assert_accessible(page, "the grid with a cell's field open")
    page.keyboard.type("Fler förskollärare")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Lägg till", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Punkten lades till.")
    expect(add_toggle(page)).to_be_focused()
    assert page.evaluate("window.focusAtAnswer") == [f"SUMMARY {ADD_TOGGLE}"]
    expect(field).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.get_by_label(CELL_LABEL)).to_be_focused()
    expect(page.get_by_label(CELL_LABEL)).to_have_value("")
    page.keyboard.type("Större lokaler")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Punkten lades till.")
    cell = page.locator(".grid-cell").filter(has=add_toggle(page))
    expect(cell.locator(".grid-item__text")).to_have_text(["Fler förskollärare", "Större lokaler"])
    assert_accessible(page, "the grid after adding")

    # "Avbryt" empties and closes the field, the focus back on its toggle.
    expect(add_toggle(page)).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.type("Inte den här")
    tab_to(page, cell.get_by_role("link", name="Avbryt"))
    page.keyboard.press("Enter")
    expect(add_toggle(page)).to_be_focused()
    expect(page.get_by_label(CELL_LABEL)).to_be_hidden()
    expect(page.get_by_label(CELL_LABEL)).to_have_value("")

    # The first item's menu: back up to its toggle, open it. It offers no
    # "Flytta upp"; Escape closes it again.
    tab_back_to(page, menu_toggle(page, "Fler förskollärare"))
    page.keyboard.press("Enter")
    expect(button(page, "Flytta ned: Fler förskollärare")).to_be_visible()
    expect(button(page, "Flytta upp: Fler förskollärare")).to_have_count(0)
    assert_accessible(page, "the grid with an item's menu open")
    page.keyboard.press("Escape")
    expect(button(page, "Ändra: Fler förskollärare")).to_be_hidden()
    expect(menu_toggle(page, "Fler förskollärare")).to_be_focused()

    # Edit from the menu.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(button(page, "Ändra: Fler förskollärare")).to_be_focused()
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
    expect(menu_toggle(page, "Fler förskollärare i Norrby")).to_be_focused()

    # Move it down from its menu: it is last now, so "Flytta ned" is gone
    # and the focus is on its (closed) menu; opened, it offers "Flytta upp".
    page.keyboard.press("Enter")
    tab_to(page, button(page, "Flytta ned: Fler förskollärare i Norrby"))
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Punkten flyttades till plats 2 av 2.")
    expect(cell.locator(".grid-item__text")).to_have_text(
        ["Större lokaler", "Fler förskollärare i Norrby"]
    )
    expect(menu_toggle(page, "Fler förskollärare i Norrby")).to_be_focused()
    assert_accessible(page, "the grid after a move")
    item = AnalysisItem.objects.get(analysis=analysis, text="Fler förskollärare i Norrby")
    assert (item.column, item.position) == (AnalysisColumn.NYA_RESURSER, 1)
    page.keyboard.press("Enter")
    expect(button(page, "Flytta upp: Fler förskollärare i Norrby")).to_be_visible()
    expect(button(page, "Flytta ned: Fler förskollärare i Norrby")).to_have_count(0)

    # "Gör till förslag" opens the new proposal's form, pre-filled; nothing
    # exists until it is saved, and "Avbryt" leads back to the item's cell.
    tab_to(page, button(page, "Gör till förslag: Fler förskollärare i Norrby"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/omgangar/2027/forslag/nytt/\d+/\?punkt={item.pk}$"))
    expect(page.get_by_label("Rubrik")).to_have_value("Fler förskollärare i Norrby")
    assert not Proposal.objects.filter(analysis_item=item).exists()
    assert_accessible(page, "the new proposal's form from an item")
    page.get_by_role("link", name="Avbryt").click()
    page.wait_for_url(re.compile(r"/analyser/\d+/#ruta-\d+-3$"))
    expect(menu_toggle(page, "Fler förskollärare i Norrby")).to_be_visible()
    assert not Proposal.objects.exists()

    # Delete from the menu: it asks first; the focus then goes to the menu
    # of the item that is left.
    tab_to(page, menu_toggle(page, "Större lokaler"))
    page.keyboard.press("Enter")
    tab_to(page, button(page, "Ta bort: Större lokaler"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Ja, ta bort")).to_be_focused()
    assert_accessible(page, "the grid asking before a removal")
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Punkten togs bort.")
    expect(cell.locator(".grid-item__text")).to_have_text(["Fler förskollärare i Norrby"])
    expect(menu_toggle(page, "Fler förskollärare i Norrby")).to_be_focused()
    assert_accessible(page, "the grid after a removal")
    assert list(AnalysisItem.objects.values_list("text", flat=True)) == [
        "Fler förskollärare i Norrby"
    ]


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
            open_menu(person, "Original")
            button(person, "Ändra: Original").click()
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


def add_items(analysis, column=AnalysisColumn.NYA_RESURSER, texts=("Första", "Andra")):
    invanare = ListItem.objects.get(round=analysis.round, kind="perspektiv", name="Invånare")
    for position, text in enumerate(texts):
        AnalysisItem.objects.create(
            analysis=analysis, perspektiv=invanare, column=column, text=text, position=position
        )


def fill_every_cell(analysis):
    """Two or three items in every cell, long words and a proposal among them."""
    long_text = (
        "Barngrupperna i förskolorna i de nya bostadsområdena växer och behovet "
        "av modersmålsstödsundervisning och specialpedagogisk kompetens ökar"
    )
    for perspektiv in ListItem.objects.filter(round=analysis.round, kind="perspektiv"):
        for column in AnalysisColumn:
            for position in range(2 + column % 2):
                AnalysisItem.objects.create(
                    analysis=analysis,
                    perspektiv=perspektiv,
                    column=column,
                    text=f"{long_text} ({perspektiv.name}, {position + 1})",
                    position=position,
                )
    item = AnalysisItem.objects.filter(analysis=analysis, column=AnalysisColumn.RANSONERA).first()
    make_proposal(analysis, analysis_item=item)


PAST_THE_EDGE = """() => {
    const width = document.documentElement.clientWidth;
    const past = [];
    for (const element of document.querySelectorAll("main *")) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
            const where = `${Math.round(box.left)}–${Math.round(box.right)}`;
            past.push(`${element.tagName}.${element.className} ${where}`);
        }
    }
    return {scroll: document.documentElement.scrollWidth - width, past: past.slice(0, 10)};
}"""


def assert_nothing_past_the_edge(page, where: str) -> None:
    found = page.evaluate(PAST_THE_EDGE)
    assert found["scroll"] <= 0, f"{where}: the page scrolls {found['scroll']} px sideways"
    assert not found["past"], f"{where}: past the window's edge: {found['past']}"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_full_grid_fits_the_window_with_its_menus_open(page, width):
    """Every cell filled: the grid fits 1280 px (and 390 px, stacked) with
    nothing past the window's edge, an open menu in the last column included."""
    analysis, url = bildning_grid()
    fill_every_cell(analysis)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "tjp-bildning")
    page.goto(url)
    assert_nothing_past_the_edge(page, f"the full grid at {width} px")
    assert_accessible(page, f"the full grid at {width} px")
    last_column = page.locator(f".grid-cell[id$='-{AnalysisColumn.RANSONERA.value}']").first
    last_column.locator("summary.item-menu__toggle").first.click()
    panel = last_column.locator(".item-menu[open] .item-menu__panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert_nothing_past_the_edge(page, f"the full grid at {width} px with a menu open")
    last_column.locator("summary.grid-add__toggle").click()
    expect(last_column.locator("textarea")).to_be_focused()
    assert_nothing_past_the_edge(page, f"the full grid at {width} px with a field open")
    assert_accessible(page, f"the full grid at {width} px, a menu and a field open")


def test_the_grid_reflows_at_320_px_with_large_enough_targets(page):
    analysis, url = bildning_grid()
    add_items(analysis, texts=("Fler förskollärare", "Större lokaler"))
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, "tjp-bildning")
    page.goto(url)
    expect(page.get_by_text("Fler förskollärare", exact=True)).to_be_visible()
    assert_nothing_past_the_edge(page, "the grid at 320 px")
    # Each cell names its column when the table is stacked.
    expect(
        page.locator(
            ".grid-cell__label", has_text="Situationer och åtgärder som behöver nya resurser"
        ).first
    ).to_be_visible()
    open_menu(page, "Större lokaler")
    controls = page.locator(".analysis-grid summary, .analysis-grid button").filter(visible=True)
    assert controls.count() > 16
    for control in controls.all():
        box = control.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, control.inner_text()
    assert_nothing_past_the_edge(page, "the grid at 320 px with a menu open")
    assert_accessible(page, "the grid at 320 px")


def test_one_menu_is_open_at_a_time_and_a_click_elsewhere_closes_it(page):
    analysis, url = bildning_grid()
    add_items(analysis)
    sign_in(page, "tjp-bildning")
    page.goto(url)
    # An open menu lies over the items below it (as any drop-down does), so
    # the lower item's menu is opened first and the upper one's toggle clicked.
    open_menu(page, "Andra")
    expect(button(page, "Ändra: Andra")).to_be_visible()
    open_menu(page, "Första")
    expect(button(page, "Ändra: Första")).to_be_visible()
    expect(button(page, "Ändra: Andra")).to_be_hidden()
    page.get_by_role("heading", level=1).click()
    expect(button(page, "Ändra: Första")).to_be_hidden()
    # Tabbing out of an open menu closes it too.
    open_menu(page, "Första")
    tab_to(page, menu_toggle(page, "Andra"))
    expect(button(page, "Ändra: Första")).to_be_hidden()


def test_a_half_written_item_survives_a_move_in_the_same_cell(page):
    analysis, url = bildning_grid()
    add_items(analysis)
    sign_in(page, "tjp-bildning")
    page.goto(url)
    add_toggle(page).click()
    page.get_by_label(CELL_LABEL).fill("Halvskriven punkt")
    open_menu(page, "Första")
    button(page, "Flytta ned: Första").click()
    expect(status(page)).to_have_text("Punkten flyttades till plats 2 av 2.")
    # The field is still open, with what was written.
    expect(page.get_by_label(CELL_LABEL)).to_have_value("Halvskriven punkt")
    expect(page.get_by_label(CELL_LABEL)).to_be_visible()
    open_menu(page, "Andra")
    button(page, "Ändra: Andra").click()
    # The edit form's "Avbryt" (the open add field has one too, on the page
    # before the edit form arrives: waiting for the edit form's own avoids
    # cancelling the wrong one).
    page.get_by_role("link", name="Avbryt").and_(page.locator("[hx-get]")).click()
    expect(menu_toggle(page, "Andra")).to_be_focused()
    expect(page.get_by_label(CELL_LABEL)).to_have_value("Halvskriven punkt")


def test_the_grid_works_without_javascript(browser, demo_site, console):
    """The menus and "Lägg till punkt" are <details>, the actions plain forms."""
    analysis, url = bildning_grid()
    add_items(analysis)
    context = browser.new_context(base_url=demo_site.url, locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        console.watch(page)
        sign_in(page, "tjp-bildning")
        page.goto(url)
        add_toggle(page).click()
        page.get_by_label(CELL_LABEL).fill("Utan skript")
        page.get_by_role("button", name="Lägg till", exact=True).click()
        expect(page.get_by_text("Punkten lades till.").first).to_be_visible()
        cell = page.locator(".grid-cell").filter(has=add_toggle(page))
        expect(cell.locator(".grid-item__text")).to_have_text(["Första", "Andra", "Utan skript"])
        open_menu(page, "Första")
        button(page, "Flytta ned: Första").click()
        expect(page.get_by_text("Punkten flyttades till plats 2 av 3.").first).to_be_visible()
        expect(cell.locator(".grid-item__text")).to_have_text(["Andra", "Första", "Utan skript"])
        open_menu(page, "Utan skript")
        button(page, "Ta bort: Utan skript").click()
        page.get_by_role("button", name="Ja, ta bort").click()
        expect(page.get_by_text("Punkten togs bort.").first).to_be_visible()
        expect(cell.locator(".grid-item__text")).to_have_text(["Andra", "Första"])
        # No axe here: it is a script, and this page runs none (the same
        # markup is checked with JavaScript on in the tests above).
    finally:
        context.close()
