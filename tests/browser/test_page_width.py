"""One page width for every page (static/css/app.css, "Page width"): the
header, the navigation, the main content and the footer start at the same left
edge, on an ordinary page and on a page whose main task is a wide table alike,
and a narrow window gets a small gutter and no sideways scrolling."""

import pytest

from tests.browser.conftest import assert_accessible, expect, sign_in
from tests.demo_snapshot import load_demo

# Where each part's content starts: its box's left edge plus its left padding
# (the column is centred and padded; the parts' boxes differ in what is
# around them). None where the page has no such part (no navigation for
# someone signed out).
LEFT_EDGES = """() => {
  const edge = (selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const box = element.getBoundingClientRect();
    return box.left + parseFloat(getComputedStyle(element).paddingLeft);
  };
  return {
    header: edge(".site-header__inner"),
    navigation: edge(".main-nav ul"),
    main: edge("main"),
    heading: document.querySelector("main h1").getBoundingClientRect().left,
    footer: edge(".site-footer ul"),
    scrolls: document.documentElement.scrollWidth > window.innerWidth,
  };
}"""

# A sample of pages: an ordinary one (the start page) and the wide-table pages
# the issue measured (the forum's compilation, the follow-up overview, the
# public round page).
SIGNED_IN = ["/", "/omgangar/2027/forum/", "/omgangar/2026/uppfoljning/delar/"]
PUBLIC = "/oppna-prioriteringar/2026/"


@pytest.fixture
def rounds(demo_site):
    load_demo(with_round=True)
    return demo_site


def edges_of(page, path: str) -> dict:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page.evaluate(LEFT_EDGES)


def assert_one_left_edge(edges: dict, where: str) -> float:
    lefts = {part: edges[part] for part in ("header", "navigation", "main", "heading", "footer")}
    present = {part: left for part, left in lefts.items() if left is not None}
    assert {"header", "main", "heading", "footer"} <= present.keys(), (where, edges)
    first = present["header"]
    assert all(abs(left - first) < 0.5 for left in present.values()), (
        f"{where}: the parts start at different left edges: {present}"
    )
    return first


def test_header_content_and_footer_share_one_left_edge_at_1280(rounds, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "controller")
    starts = {}
    for path in SIGNED_IN:
        starts[path] = assert_one_left_edge(edges_of(page, path), path)
        assert_accessible(page, path)
    page.context.clear_cookies()
    starts[PUBLIC] = assert_one_left_edge(edges_of(page, PUBLIC), PUBLIC)
    assert_accessible(page, PUBLIC)
    # One rule for every page: at 1280 px an ordinary page and a wide-table
    # page start at the same place, so the header does not jump between them.
    assert len({round(start) for start in starts.values()}) == 1, starts


@pytest.mark.parametrize("path", ["/", PUBLIC])
def test_a_narrow_window_has_a_small_gutter_and_no_sideways_scrolling(rounds, page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    if path == "/":
        sign_in(page, "tjp-bildning")
    edges = edges_of(page, path)
    start = assert_one_left_edge(edges, path)
    assert 8 <= start <= 24, f"{path}: the gutter at 390 px is {start} px"
    assert not edges["scrolls"], f"{path} scrolls sideways at 390 px"
