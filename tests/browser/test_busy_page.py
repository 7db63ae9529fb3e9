"""The 503 page of a save that lost its race twice (prioritering.transactions
.busy): it says nothing was saved, shows what was sent, and "Skicka igen"
sends it again — the same fields, the same submit key.

The race itself is provoked in tests/test_write_transactions.py (a real
deadlock and real lock waits on PostgreSQL); here the browser gets the page
the server makes for it, in place of the first answer, and the second send
goes to the server for real. At 1280 and 390 pixels nothing lies past the
window's edge and axe finds nothing."""

import os
import re
from pathlib import Path
from urllib.parse import parse_qs

from django.conf import settings
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from prioritering.transactions import busy
from rounds.models import Proposal, User
from tests.browser.conftest import assert_accessible, expect, sign_in
from tests.browser.test_double_submit import bildning, create_url, fill_new_proposal

WIDTHS = {"bred": (1280, 900), "smal": (390, 844)}
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")
TITLE = "Fler förskollärare i ytterområdena"


def busy_page(path: str, body: str, username: str, csrf_cookie: str) -> str:
    """The page the server answers a post of ``body`` to ``path`` with when
    it lost twice (for the browser with ``csrf_cookie``)."""
    request = RequestFactory().post(
        path, data=body, content_type="application/x-www-form-urlencoded"
    )
    request.COOKIES[settings.CSRF_COOKIE_NAME] = csrf_cookie
    request.user = User.objects.get(username=username)
    request.session = SessionStore()
    request._messages = default_storage(request)
    request.htmx = False
    response = busy(request)
    assert response.status_code == 503
    return response.content.decode()


def test_the_busy_page_keeps_what_was_sent_and_sends_it_again(page, console):
    analysis = bildning()
    url = create_url(analysis)
    sign_in(page, "tjp-bildning")
    page.goto(url)
    fill_new_proposal(page, TITLE)
    sent = []

    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}

    def lost_twice(route):
        if route.request.method != "POST":
            route.continue_()
            return
        sent.append(route.request.post_data)
        body = route.request.post_data
        route.fulfill(
            status=503,
            content_type="text/html; charset=utf-8",
            body=busy_page(url, body, "tjp-bildning", cookies[settings.CSRF_COOKIE_NAME]),
        )

    page.route(re.compile(r"/forslag/nytt/\d+/$"), lost_twice)
    page.get_by_role("button", name="Spara förslaget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inget sparades – försök igen")
    assert not Proposal.objects.exists()
    # The browser logs the 503 as a failed load; nothing else goes to the console.
    assert all("503" in entry for entry in console.take())

    # What was sent is there to read, the title among it.
    page.locator("summary", has_text="Det du skickade").click()
    expect(page.locator(".busy-posted")).to_contain_text(TITLE)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the busy page ({label}): {overflow} px past the window's edge"
        assert_accessible(page, f"the busy page ({label})")
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/upptaget-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # "Skicka igen", from the keyboard, reaches the server this time.
    page.unroute_all()
    again = page.get_by_role("button", name="Skicka igen")
    again.focus()
    with page.expect_request(lambda r: r.method == "POST") as resent:
        page.keyboard.press("Enter")
    page.wait_for_url("**/omgangar/2027/forslag/1/")
    first, second = parse_qs(sent[0]), parse_qs(resent.value.post_data)
    first.pop("csrfmiddlewaretoken"), second.pop("csrfmiddlewaretoken")
    assert first == second  # the same fields, the same submit key
    assert Proposal.objects.get().title == TITLE
