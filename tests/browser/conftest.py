"""Browser tests: Debian's Chromium driven by Playwright, checked with axe.

One browser for all these tests, a fresh context (cookies, storage) per test. The
browser never is downloaded: without /usr/bin/chromium (apt install chromium) or
without Playwright the tests skip, and fail when PRIORITERING_REQUIRE_BROWSER=1.

Every page a test opens is watched: a JavaScript error, a CSP violation or any
other console error fails the test.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.conftest import REQUIRE_BROWSER, skip_or_fail
from tests.demo_snapshot import load_demo

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    # Collect the tests anyway; the browser fixture skips (or fails in CI).
    Axe = PlaywrightError = expect = sync_playwright = None

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    """Every test in this folder drives the browser: mark it so."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests of the session.

    Package scope: it closes after the last test in this folder, and with it
    Playwright's asyncio loop, which its sync API keeps "running" in this
    thread all along. Beside a running loop Django's ORM refuses to work
    (SynchronousOnlyOperation: load_demo, the test database's flush), hence
    DJANGO_ALLOW_ASYNC_UNSAFE while the browser lives, and only then: left set,
    it would reach the tests that run after these and their subprocesses
    (`manage.py check --deploy` fails on it with async.E001).
    """
    if sync_playwright is None:
        skip_or_fail("needs playwright and axe-playwright-python (pip install)", REQUIRE_BROWSER)
    if CHROMIUM is None:
        skip_or_fail("needs Chromium at `chromium` on PATH (apt install chromium)", REQUIRE_BROWSER)
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


class ConsoleLog:
    """What the pages said on the console, and the errors they threw."""

    def __init__(self):
        self.entries: list[str] = []

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.entries.append(f"[page error] {page.url}: {error}"))

    def _on_console(self, message) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text or "Refused to" in text:
            location = message.location.get("url") or (message.page.url if message.page else "")
            self.entries.append(f"[console {message.type}] {location}: {text}")

    def take(self) -> list[str]:
        """The problems since the last call, emptying the log."""
        entries, self.entries = self.entries, []
        return entries

    def assert_clean(self, where: str = "") -> None:
        problems = self.take()
        assert not problems, (
            f"Console errors or CSP violations{' on ' + where if where else ''}:\n"
            + "\n".join(problems)
        )


@pytest.fixture
def console():
    return ConsoleLog()


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The live server, with the demo municipality and its users loaded."""
    load_demo()
    return live_server


@pytest.fixture
def page(browser, demo_site, console):
    context = browser.new_context(base_url=demo_site.url, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    console.watch(page)
    yield page
    context.close()
    console.assert_clean("the last page of the test")


def sign_in(page, username: str, password: str = DEMO_PASSWORD):
    """Sign in through the real form and wait for the start page. Returns the
    start page's response."""
    page.goto("/konto/logga-in/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_response(lambda r: urlsplit(r.url).path == "/") as start:
        page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    return start.value


def assert_accessible(page, what: str = "") -> None:
    """Run axe (WCAG 2.0/2.1 A and AA rules) on the page as it is now."""
    try:
        results = Axe().run(page, options=AXE_OPTIONS)
    except PlaywrightError as error:  # pragma: no cover - reported, not expected
        pytest.fail(f"axe could not run on {page.url}: {error}")
    violations = results.response["violations"]
    assert not violations, describe_violations(what or page.url, violations)


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            target = ", ".join(str(part) for part in node.get("target", []))
            lines.append(f"    target: {target}")
            lines.append(f"    html:   {node.get('html', '').strip()}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("    " + summary.replace("\n", "\n    "))
    return "\n".join(lines)


def tab_to(page, locator, max_tabs: int = 40) -> None:
    """Press Tab until ``locator`` has the focus, as a keyboard user would (no
    Tab at all if it has the focus already)."""
    for _ in range(max_tabs):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{max_tabs} presses of Tab never reached {locator}")


# What lies past the window's right edge: `wider` when the page itself scrolls
# sideways; `outside`, the table cells, controls and links past the edge that
# do not sit in a box of their own which scrolls and itself fits the window;
# `boxes`, the boxes that scroll sideways (overflow-x auto or scroll, content
# wider than the box).
OFF_SCREEN = """() => {
  const width = window.innerWidth;
  const scrolls = (element) => {
    const overflow = getComputedStyle(element).overflowX;
    return overflow === "auto" || overflow === "scroll";
  };
  const inBoxThatFits = (element) => {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (scrolls(parent) && parent !== document.documentElement && parent !== document.body) {
        return parent.getBoundingClientRect().right <= width + 0.5;
      }
    }
    return false;
  };
  const outside = [...document.querySelectorAll("td, th, input, button, select, textarea, a")]
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.right > width + 0.5 && !inBoxThatFits(element);
    })
    .map((element) => element.outerHTML.slice(0, 100));
  const boxes = [...document.querySelectorAll("body *")]
    .filter((element) => scrolls(element) && element.scrollWidth > element.clientWidth + 1)
    .map((element) => element.className || element.tagName);
  return {
    wider: document.documentElement.scrollWidth > width,
    outside: outside,
    boxes: boxes,
  };
}"""


def assert_fits(page, what: str = "", *, scrolling_box: bool = False) -> None:
    """Nothing of the page lies past the window's right edge. With
    ``scrolling_box`` a wide table may scroll inside a box of its own that
    fits the window (its controls must still be reachable there); without it
    no box on the page scrolls sideways either."""
    found = page.evaluate(OFF_SCREEN)
    assert not found["wider"], f"{what}: the page scrolls sideways"
    assert found["outside"] == [], f"{what}: past the window's edge: {found['outside']}"
    if not scrolling_box:
        assert found["boxes"] == [], f"{what}: scrolls sideways in {found['boxes']}"
