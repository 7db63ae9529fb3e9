"""The pages fit the window: the proposal list, the comparison of rounds and
the public pages at 1280 × 900, and the start page, the proposal page (detail
and form), the follow-up report and the public pages at 390 × 844 as well,
for each role that works on them, with axe on every page.

A page fails when it scrolls sideways, or when a table cell, a control or a
link lies past the window's right edge — except inside a box of its own that
scrolls and itself fits the window (the wide "Alla kolumner" list). Where the
task is read, not compared column by column, not even such a box may scroll:
the proposal list's two task views, the comparison, and every named page at
390 px."""

import re

import pytest

from rounds.models import Forvaltning
from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in
from tests.demo_snapshot import load_demo

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}


def assert_fits_accessible(page, what: str, *, scrolling_box: bool = False) -> None:
    """Nothing past the window's edge; with ``scrolling_box`` False no box
    on the page scrolls sideways either. Then axe."""
    assert_fits(page, what, scrolling_box=scrolling_box)
    assert_accessible(page, what)


def visit(page, url: str, what: str, **options) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{what}: {url} gave {response.status}"
    assert_fits_accessible(page, what, **options)


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


@pytest.fixture
def forum_demo(demo_site):
    """Round 2027 in the forum phase (the default), 2026 published and followed up."""
    load_demo(with_round=True)
    return demo_site


@pytest.fixture
def analys_demo(demo_site):
    """Round 2027 in the analysis phase: its proposals are edited."""
    load_demo(with_round=True, phase="analys")
    return demo_site


# --- The proposal list and the comparison at 1280 -------------------------------


def test_the_proposal_list_fits_1280_in_each_column_choice(forum_demo, page):
    page.set_viewport_size(WIDE)
    bildning = Forvaltning.objects.get(name="Bildningsförvaltningen").pk
    lists = {
        "controller": ["/omgangar/2027/forslag/"],
        "chef-bildning": [f"/omgangar/2027/forslag/?forvaltning={bildning}"],
        "tjp-bildning": [f"/omgangar/2027/forslag/?forvaltning={bildning}"],
        "revisor": ["/omgangar/2027/forslag/"],
    }
    for username, urls in lists.items():
        as_user(page, username)
        for url in urls:
            visit(page, url, f"the proposal list as {username}")
            assert page.locator("table.proposal-table tbody tr").count() > 0
            # Each task view fits whole: key numbers and status in view.
            for choice in ("Kostnader per år", "Bedömning"):
                page.get_by_role("link", name=choice, exact=True).click()
                expect(page.get_by_role("link", name=choice, exact=True)).to_have_attribute(
                    "aria-current", "true"
                )
                assert_fits_accessible(page, f"the list's {choice} as {username}")
                expect(page.locator("table.proposal-table thead th").last).to_have_text(
                    re.compile("Status")
                )

    # Every column: a box of its own that scrolls, its first columns and
    # headings staying in view, and no control past the window.
    as_user(page, "controller")
    page.goto("/omgangar/2027/forslag/")
    page.get_by_role("link", name="Alla kolumner", exact=True).click()
    expect(page.locator("table.proposal-table thead th")).to_have_count(13)
    assert_fits_accessible(page, "the list's every column", scrolling_box=True)
    region = page.get_by_role("region", name=re.compile("Förslag 2027"))
    expect(region).to_have_attribute("tabindex", "0")
    title = page.locator("table.proposal-table tbody th").first
    before = title.bounding_box()
    region.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    assert title.bounding_box()["x"] == pytest.approx(before["x"], abs=1)
    # The choice is remembered: the list opens with every column again.
    page.goto("/omgangar/2027/forslag/")
    expect(page.locator("table.proposal-table thead th")).to_have_count(13)


def test_the_comparison_of_rounds_fits_1280(forum_demo, page):
    page.set_viewport_size(WIDE)
    for username in ("controller", "revisor"):
        as_user(page, username)
        visit(page, "/omgangar/2027/jamforelse/", f"the comparison as {username}")
        body = page.locator("table.comparison-table tbody").first
        expect(body.get_by_role("rowheader", name="2026")).to_be_visible()
        expect(body.get_by_role("rowheader", name="2027")).to_be_visible()


# --- The public pages, at both widths ----------------------------------------------


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_the_public_pages_fit(forum_demo, page, size):
    page.set_viewport_size(size)
    visit(page, "/oppna-prioriteringar/", "the public list")
    visit(page, "/oppna-prioriteringar/2026/", "a published round")
    figures = page.locator(".public-figure dd")
    expect(figures.first).to_have_text("6\u00a0000\u00a0tkr")
    for figure in figures.all():
        # Whole, not cut off: the text fits its box.
        assert figure.evaluate("dd => dd.scrollWidth <= dd.clientWidth + 1"), figure.inner_text()
    motivation = page.locator("table.decision-table .decision-motivation").first
    expect(motivation).to_be_visible()
    box = motivation.bounding_box()
    assert box["x"] + box["width"] <= size["width"]


# --- The named pages at 390 (and 1280) ---------------------------------------------------


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_the_start_page_and_the_follow_up_report_fit(forum_demo, page, size):
    page.set_viewport_size(size)
    reports = {
        "controller": "/omgangar/2026/uppfoljning/delar/8/",
        "chef-bildning": "/omgangar/2026/uppfoljning/arsbokslut/1/",
        "tjp-bildning": "/omgangar/2026/uppfoljning/delar/2/",
        "revisor": "/omgangar/2026/uppfoljning/delar/8/",
    }
    for username, report in reports.items():
        as_user(page, username)
        assert_fits_accessible(page, f"the start page of {username}")
        visit(page, report, f"a follow-up report as {username}")


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_the_proposal_page_and_form_fit(analys_demo, page, size):
    page.set_viewport_size(size)
    for username in ("tjp-bildning", "chef-bildning"):
        as_user(page, username)
        assert_fits_accessible(page, f"the start page of {username} in the analysis")
        visit(page, "/omgangar/2027/forslag/1/andra/", f"the proposal form as {username}")
        visit(page, "/omgangar/2027/forslag/1/", f"the proposal page as {username}")
    # Saved with a change: the page's history shows it, and still fits.
    page.goto("/omgangar/2027/forslag/1/andra/")
    page.get_by_label("Konsekvensanalys", exact=True).fill(
        "Utan fritidsgården saknar ungdomarna i NN en trygg mötesplats kvällstid, "
        "och socialtjänstens uppsökande arbete får ingen fast punkt."
    )
    page.get_by_role("button", name="Spara förslaget").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fritidsgård NN")
    assert_fits_accessible(page, "the proposal page with its history")
    # A new proposal's empty form.
    page.goto("/omgangar/2027/forslag/")
    page.get_by_role("link", name="Nytt förslag", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nytt förslag")
    assert_fits_accessible(page, "a new proposal's form")
    for username in ("controller", "revisor"):
        as_user(page, username)
        visit(page, "/omgangar/2026/forslag/8/", f"a decided proposal as {username}")
