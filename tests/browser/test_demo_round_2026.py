"""The demo's round 2026 in the browser: every page of the round a demo user
reaches from the round's own page and from the forum's outcome pages, and the
public pages, pass axe.

The crawl of tests/browser/test_demo_users.py loads the organisation only;
here the demo is loaded with its rounds, and the crawl starts at
/omgangar/2026/ and the forum's outcome pages and stays within round 2026 and
öppna prioriteringar. It follows at most two proposals, two follow-up reports
and two rättelse pages (each kind's pages are alike). Every page is checked before the test fails,
so one run lists every violation."""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import assert_accessible, expect, sign_in
from tests.browser.test_demo_users import check_page, same_origin_path
from tests.demo_snapshot import load_demo

ROUND = "/omgangar/2026/"
PUBLIC = "/oppna-prioriteringar/"
PROPOSAL = re.compile(r"^/omgangar/2026/forslag/\d+/")
# A follow-up report's page, one per proposal and period: alike too.
REPORT = re.compile(r"^/omgangar/2026/uppfoljning/[a-z0-9-]+/\d+/")
# A rättelse of one published decision (the controller's): alike too.
CORRECTION = re.compile(r"^/omgangar/2026/forum/beslut/\d+/rattelse/")
MAX_PAGES = 50
MAX_PROPOSALS = 2

# The forum's outcome pages; the crawl starts from them too.
FORUM = {
    f"{ROUND}forum/",
    f"{ROUND}forum/ordning/",
    f"{ROUND}forum/budgetlinje/",
    f"{ROUND}forum/granskning/",
    f"{ROUND}forum/beslut/",
}


@pytest.fixture
def rounds(demo_site):
    load_demo(with_round=True)
    return demo_site


@pytest.mark.parametrize("username", ["controller", "forum-1", "ledamot-social", "revisor"])
def test_the_pages_of_round_2026_are_accessible(rounds, page, console, username):
    sign_in(page, username)
    visited = crawl(page, console, [ROUND, *sorted(FORUM)])
    assert any(path.startswith(f"{ROUND}namnder/") for path in visited), sorted(visited)
    assert f"{PUBLIC}2026/" in visited, sorted(visited)


def test_the_public_pages_of_round_2026_are_accessible(rounds, page, console):
    visited = crawl(page, console, [PUBLIC])
    assert {PUBLIC, f"{PUBLIC}2026/"} <= visited
    page.goto(f"{PUBLIC}2026/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026")
    expect(page.get_by_text("Bostadsförsörjning missbrukare").first).to_be_visible()


def crawl(page, console, starts: list[str]) -> set[str]:
    """Visit every page of round 2026 and öppna prioriteringar reachable from
    ``starts`` and check each; returns the paths visited."""
    queue = deque(starts)
    queued = set(starts)
    visited: set[str] = set()
    problems: list[str] = []
    seen: dict[re.Pattern, set[str]] = {PROPOSAL: set(), REPORT: set(), CORRECTION: set()}
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(path)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        check_page(page, response, path)
        try:
            assert_accessible(page, path)
        except AssertionError as error:
            problems.append(str(error))
        console.assert_clean(path)
        visited.add(path)
        # Links marked download (faktaunderlag, protocols) are files, not pages.
        hrefs = page.locator("a[href]:not([download])").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        for href in hrefs:
            link = same_origin_path(href, origin, urlsplit(page.url).path)
            if link is None or link in queued or "?" in link:
                continue
            if not link.startswith((ROUND, PUBLIC)):
                continue
            if link.endswith((".xlsx", ".pdf", ".csv", ".json")):
                continue  # a download (its own tests), not a page
            kind, match = next(
                ((kind, kind.match(link)) for kind in seen if kind.match(link)), (None, None)
            )
            if match:
                if match.group(0) not in seen[kind] and len(seen[kind]) >= MAX_PROPOSALS:
                    continue
                seen[kind].add(match.group(0))
            queued.add(link)
            queue.append(link)
    assert not queue, f"the crawl stopped at {MAX_PAGES} pages; not checked: {sorted(queue)}"
    assert not problems, "\n\n".join(problems)
    return visited
