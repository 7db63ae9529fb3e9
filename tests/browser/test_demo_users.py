"""Every demo user signs in and walks every page they can reach; axe checks each.

The crawl follows same-origin links breadth-first from the start page. It
skips signing out, the language switch, static files and mail links, follows
only the first link with a query string per path, and in the Django admin
visits the index, each model's changelist and add page and one change page
per model. A user sees at most MAX_PAGES pages, so the suite stays fast.
"""

import re
import warnings
from collections import deque
from urllib.parse import urlsplit

import pytest

from demo.organisation import DEMO_USERS
from tests.browser.conftest import assert_accessible, expect, sign_in

MAX_PAGES = 50

# The start page has one section per role, headed by the role (and its unit).
ROLE_HEADINGS = {
    "admin": "Administratör",
    "controller": "Controller",
    "chef-bildning": "Förvaltningschef, Bildningsförvaltningen",
    "tjp-bildning": "Tjänsteperson, Bildningsförvaltningen",
    "tjp-social": "Tjänsteperson, Socialförvaltningen",
    "ledamot-bildning": "Nämndledamot, Bildningsnämnden",
    "forum-1": "Forumdeltagare",
    "forum-2": "Forumdeltagare",
    "forum-3": "Forumdeltagare",
    "forum-4": "Forumdeltagare",
    "forum-5": "Forumdeltagare",
    "revisor": "Läsare",
}

# Pages everyone reaches from the shell, and those only some roles are shown.
EVERYONE = {"/", "/organisation/", "/tillganglighet/", "/konto/losenord/"}
PEOPLE = "/organisation/personer/"
ADMIN = "/admin/"
SEES_PEOPLE = {"admin", "controller"}
SEES_ADMIN = {"admin"}
ADMIN_MODELS = ("kommun", "namnd", "forvaltning", "user", "membership")

SKIPPED_PREFIXES = ("/konto/logga-ut/", "/i18n/", "/static/")
ADMIN_MODEL_PAGE = re.compile(
    r"^/admin/(?P<app>[\w-]+)/(?P<model>[\w-]+)/(?:(?P<add>add/)|(?P<pk>[^/]+)/change/)?$"
)


def test_every_demo_user_is_covered():
    assert set(ROLE_HEADINGS) == {username for username, *_ in DEMO_USERS}


@pytest.mark.parametrize("username", list(ROLE_HEADINGS))
def test_demo_user_can_reach_every_page_accessibly(page, console, username):
    response = sign_in(page, username)
    assert "no-store" in response.headers.get("cache-control", "")
    role_section = page.get_by_role("heading", level=2, name=ROLE_HEADINGS[username], exact=True)
    expect(role_section).to_have_count(1)

    visited = crawl(page, console)

    assert visited >= EVERYONE, f"{username} did not reach {EVERYONE - visited}"
    assert (PEOPLE in visited) == (username in SEES_PEOPLE)
    assert (ADMIN in visited) == (username in SEES_ADMIN)
    if username in SEES_ADMIN:
        for model in ADMIN_MODELS:
            changelist, add = f"/admin/rounds/{model}/", f"/admin/rounds/{model}/add/"
            change = re.compile(rf"^/admin/rounds/{model}/\d+/change/")
            assert changelist in visited and add in visited, f"{model}: {sorted(visited)}"
            assert any(change.match(path) for path in visited), f"{model}: {sorted(visited)}"


def crawl(page, console) -> set[str]:
    """Visit every page reachable from the start page and check each. Returns
    the paths (with query) visited."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    link_filter = LinkFilter()
    queue = deque(["/"])
    queued = {"/"}
    visited: set[str] = set()
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(path)
        check_page(page, response, path)
        assert_accessible(page, path)
        console.assert_clean(path)
        visited.add(path)
        hrefs = page.locator("a[href]").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        for href in hrefs:
            link = same_origin_path(href, origin, urlsplit(page.url).path)
            if link and link not in queued and link_filter.follow(link):
                queued.add(link)
                queue.append(link)
    if queue:
        warnings.warn(
            f"The crawl stopped at {MAX_PAGES} pages; not checked: {sorted(queue)}",
            stacklevel=2,
        )
    return visited


def same_origin_path(href: str, origin: str, current_path: str) -> str | None:
    """The path and query of a link to this site (an href starting with "/",
    the site's address, or "?" for the current page with another query, as in
    pagination and the admin's filters), without its fragment; None for any
    other link."""
    href = href.strip()
    if href.startswith(origin):
        href = href[len(origin) :] or "/"
    elif href.startswith("?"):
        href = current_path + href
    if not href.startswith("/") or href.startswith("//"):
        return None  # mailto:, other sites, fragments ("#main"), relative paths
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class LinkFilter:
    """Which links the crawl follows (see the module docstring)."""

    def __init__(self):
        self.paths_with_query: set[str] = set()
        self.admin_change_pages: set[tuple[str, str]] = set()

    def follow(self, link: str) -> bool:
        path, _, query = link.partition("?")
        if path.startswith(SKIPPED_PREFIXES):
            return False
        if path.startswith(ADMIN) and not self._admin_page(path):
            return False
        if query:
            if path in self.paths_with_query:
                return False
            self.paths_with_query.add(path)
        return True

    def _admin_page(self, path: str) -> bool:
        if path == ADMIN:
            return True
        match = ADMIN_MODEL_PAGE.match(path)
        if not match:
            return False  # app indexes, history, delete, password, logout, jsi18n
        if match["pk"]:
            model = (match["app"], match["model"])
            if model in self.admin_change_pages:
                return False
            self.admin_change_pages.add(model)
        return True


def check_page(page, response, path: str) -> None:
    assert response is not None, f"{path}: no response"
    assert response.status == 200, f"{path}: status {response.status}"
    assert response.request.redirected_from is None, f"{path}: redirected to {page.url}"
    assert page.locator("html").get_attribute("lang") == "sv", f"{path}: <html lang> is not sv"
    h1_count = page.locator("h1").count()
    assert h1_count == 1, f"{path}: {h1_count} h1 elements, expected exactly one"
    check_skip_link(page, path)


FIRST_TABBABLE = """() => {
    const candidates = document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]');
    const positive = [...candidates].filter(element => element.tabIndex > 0);
    const first = [...candidates].find(
        element => element.tabIndex >= 0 && !element.disabled);
    const href = first && first.getAttribute('href');
    const target = href && href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
    const active = document.activeElement;
    return {
        html: first ? first.outerHTML : null,
        href: href,
        targetTag: target ? target.tagName : null,
        positiveTabindex: positive.map(element => element.outerHTML),
        autofocused: active && active !== document.body ? active.outerHTML : null,
    };
}"""


def check_skip_link(page, path: str) -> None:
    """The first focusable element is a skip link to the page's <main>, and the
    first Tab reaches it (unless a field took the focus on load: autofocus)."""
    first = page.evaluate(FIRST_TABBABLE)
    assert not first["positiveTabindex"], f"{path}: tabindex > 0 on {first['positiveTabindex']}"
    assert first["targetTag"] == "MAIN", f"{path}: first focusable is {first}, not a skip link"
    if not path.startswith(ADMIN):
        # Django's admin has its own skip link, to <main id="content-start">.
        assert first["href"] == "#main", f"{path}: the skip link goes to {first['href']}"
    if first["autofocused"] is None:
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML")
        assert focused == first["html"], f"{path}: the first Tab focused {focused}"
        page.keyboard.press("Shift+Tab")  # leave the page as it was for axe
