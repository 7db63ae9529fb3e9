"""The forum's working pages fit the window (issue 15): the compilation (also
ordered per nämnd), the own sheet (open in round 2027, read only in the
published round 2026) and the meeting view at 1280 × 900 for the controller, a
forumdeltagare and the läsare; the compilation and the sheet at 390 px wide;
the controller's page of the round's forum members at both widths (issue 16).
A page fails when it is wider than the window or when a table cell or control
lies past the window's right edge — unless it lies inside a scroll region of
its own (role=region, focusable, as the meeting's table) that itself fits.
axe on every page."""

import pytest

from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in, tab_to
from tests.demo_snapshot import load_demo

FORUM = "/omgangar/2027/forum/"
SHEET = f"{FORUM}mitt-ark/"
MEETING = f"{FORUM}mote/"
CLOSED_SHEET = "/omgangar/2026/forum/mitt-ark/"
MEMBERS = f"{FORUM}deltagare/"
CLOSED_MEMBERS = "/omgangar/2026/forum/deltagare/"


@pytest.fixture
def forum(demo_site):
    """Round 2027 in the forum phase (three members have ranked), round 2026
    published."""
    load_demo(with_round=True, phase="forum")
    return demo_site


def check(page, path, what):
    page.goto(path)
    expect(page.locator("main h1")).to_be_visible()
    assert_fits(page, what, scrolling_box=True)
    assert_accessible(page, what)


PAGES_1280 = {
    "controller": [
        FORUM,
        f"{FORUM}?ordning=namnd",
        f"{FORUM}?ordning=ar1",
        MEETING,
        MEMBERS,
        CLOSED_MEMBERS,
    ],
    "forum-1": [FORUM, SHEET, MEETING, CLOSED_SHEET],
    "revisor": [FORUM, f"{FORUM}?ordning=namnd", MEETING],
}


@pytest.mark.parametrize("username", sorted(PAGES_1280))
def test_the_forum_pages_fit_1280_px(forum, page, username):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, username)
    for path in PAGES_1280[username]:
        check(page, path, f"{path} as {username} at 1280 px")


def test_the_key_figures_and_controls_are_in_view_at_1280_px(forum, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "forum-1")
    page.goto(FORUM)
    for header in ("Median", "Medel", "Kvartilavstånd", "Har rangordnat", "Diskussion"):
        expect(page.get_by_role("columnheader", name=header, exact=True)).to_be_in_viewport()
    page.goto(SHEET)
    first_row = page.locator("table.forum-sheet-table tbody tr").first
    expect(first_row.locator("input.ranklist-rank")).to_be_in_viewport()
    expect(first_row.get_by_role("button", name="Flytta ned")).to_be_in_viewport()


def test_a_rows_details_open_with_the_keyboard_and_still_fit(forum, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "revisor")
    page.goto(FORUM)
    row = page.locator("table.forum-table tbody tr").first
    reference = row.locator(".proposal-reference").inner_text()
    summary = row.locator("details.forum-more summary")
    tab_to(page, summary, 80)
    with page.expect_response(lambda r: "mer=" in r.url and r.status == 200):
        page.keyboard.press("Enter")
    details = row.locator("details.forum-more")
    expect(details.locator("dl")).to_contain_text("Kostnadseffektivitet")
    expect(details.get_by_role("link", name=f"Hela förslaget {reference}")).to_be_visible()
    assert_fits(page, "the compilation with a row's details open", scrolling_box=True)
    assert_accessible(page, "the compilation with a row's details open")


PAGES_390 = {
    "controller": [MEMBERS],
    "forum-1": [FORUM, SHEET, CLOSED_SHEET],
    "revisor": [FORUM],
}


@pytest.mark.parametrize("username", sorted(PAGES_390))
def test_the_compilation_and_the_sheet_read_at_390_px(forum, page, username):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, username)
    for path in PAGES_390[username]:
        check(page, path, f"{path} as {username} at 390 px")
