"""The sammanställning av verksamhetsanalyser in a browser: it fits the window
at 1280 × 900 and 390 px wide (the table stacks per perspektiv, as the grid
does) for the roles that read it, with axe; its filters swap only the results
and push the URL, by mouse and by keyboard; the export downloads the selection.

Round 2027 in the analysis phase: Bildning's and Social's analyses are drafts,
Kommunledningsförvaltningen's and Samhällsbyggnadsförvaltningen's submitted,
Tekniska förvaltningen's returned."""

import io
import re

import pytest
from openpyxl import load_workbook

from rounds.models import AnalysisItem
from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in, tab_to
from tests.demo_snapshot import load_demo

URL = "/omgangar/2027/analyser/sammanstallning/"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
KLF = "Kommunledningsförvaltningen"


@pytest.fixture
def analys(demo_site):
    load_demo(with_round=True, phase="analys")
    return demo_site


def empty_pair() -> tuple[str, str]:
    """A förvaltning and a perspektiv of round 2027 left without items (the
    demo fills every cell of the grid; Teknik's Hållbarhet is emptied)."""
    AnalysisItem.objects.filter(
        analysis__round__budget_year=2027,
        analysis__forvaltning__name="Tekniska förvaltningen",
        perspektiv__name="Hållbarhet",
    ).delete()
    return "Tekniska förvaltningen", "Hållbarhet"


def groups(page):
    """The förvaltningar named in the table's cells."""
    names = page.locator(".synthesis-group__name").evaluate_all(
        "nodes => nodes.map(node => node.firstChild.textContent.trim())"
    )
    return set(names)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
@pytest.mark.parametrize("username", ["controller", "tjp-bildning", "revisor"])
def test_the_synthesis_fits_and_is_accessible(analys, page, size, username):
    page.set_viewport_size(size)
    sign_in(page, username)
    response = page.goto(URL)
    assert response.status == 200
    expect(page.locator("main h1")).to_have_text("Sammanställning av verksamhetsanalyser 2027")
    expect(page.locator(".synthesis-grid tbody tr").first).to_be_visible()
    what = f"the sammanställning as {username} at {size['width']} px"
    assert_fits(page, what)
    assert_accessible(page, what)
    shown = groups(page)
    assert KLF in shown
    # Drafts stay in their förvaltning (and the controller's view).
    assert ("Socialförvaltningen" in shown) is (username == "controller")
    assert ("Bildningsförvaltningen" in shown) is (username in ("controller", "tjp-bildning"))


def test_it_is_reached_from_the_analyses_and_the_round(analys, page):
    page.set_viewport_size(WIDE)
    sign_in(page, "revisor")
    page.goto("/omgangar/2027/")
    page.get_by_role("link", name="Sammanställning av verksamhetsanalyser").click()
    expect(page).to_have_url(re.compile(re.escape(URL) + "$"))
    page.goto("/omgangar/2027/analyser/")
    page.get_by_role("link", name=re.compile("^Sammanställning av verksamhetsanalyserna")).click()
    expect(page).to_have_url(re.compile(re.escape(URL) + "$"))


def test_the_filters_swap_the_results_and_push_the_url(analys, page):
    page.set_viewport_size(WIDE)
    sign_in(page, "controller")
    page.goto(URL)
    heading = page.locator("main h1")
    heading.evaluate("node => { node.dataset.kept = 'yes'; }")  # gone if the page reloads
    page.get_by_role("checkbox", name=KLF).check()
    expect(page).to_have_url(re.compile(r"forvaltning=\d+"))
    expect(page.locator("#result-count")).to_have_text(re.compile(r"från 1 förvaltning$"))
    assert groups(page) == {KLF}
    page.get_by_label("Perspektiv").select_option(label="Ekonomi")
    expect(page).to_have_url(re.compile(r"perspektiv=\d+"))
    expect(page.locator(".synthesis-grid tbody th")).to_have_text(["Ekonomi"])
    expect(heading).to_have_attribute("data-kept", "yes")
    assert_accessible(page, "the filtered sammanställning")

    # The export holds the same selection.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned urvalet som Excel").click()
    assert download.value.suggested_filename == "sammanstallning-verksamhetsanalyser-2027.xlsx"
    with open(download.value.path(), "rb") as file:
        book = load_workbook(io.BytesIO(file.read()))
    rows = list(book.active.values)[2:]
    assert rows and {(row[0], row[2]) for row in rows} == {(KLF, "Ekonomi")}

    # A reload shows the same thing; without a match the page says so.
    page.reload()
    expect(page.get_by_role("checkbox", name=KLF)).to_be_checked()
    expect(page.locator(".synthesis-grid tbody th")).to_have_text(["Ekonomi"])
    forvaltning, perspektiv = empty_pair()
    page.get_by_role("checkbox", name=KLF).uncheck()
    page.get_by_role("checkbox", name=forvaltning).check()
    page.get_by_label("Perspektiv").select_option(label=perspektiv)
    expect(page.locator("#results")).to_contain_text("Inga analyspunkter i det urvalet.")
    expect(page.locator("#result-count")).to_have_text("0 punkter")


def test_the_filters_work_by_keyboard(analys, page):
    page.set_viewport_size(NARROW)
    sign_in(page, "controller")
    page.goto(URL)
    checkbox = page.get_by_role("checkbox", name=KLF)
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"forvaltning=\d+"))
    expect(page.locator("#result-count")).to_have_text(re.compile(r"från 1 förvaltning$"))
    expect(checkbox).to_be_focused()
    assert groups(page) == {KLF}
