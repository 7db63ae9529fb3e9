"""The keyboard path: signing in, the skip link, the people filter (htmx), the
language switch, signing out, and what htmx leaves in the browser's storage."""

import re

from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to

START_HEADING = "Mina uppgifter"
START_URL = re.compile(r"^https?://[^/]+/$")


def test_sign_in_with_the_keyboard_only(page):
    page.goto("/konto/logga-in/")
    username = page.locator("input[name=username]")
    password = page.locator("input[name=password]")

    tab_to(page, username)  # no Tab needed: Django's form autofocuses it
    page.keyboard.type("tjp-bildning")
    tab_to(page, password)
    page.keyboard.type("demo")
    page.keyboard.press("Enter")

    page.wait_for_url(START_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(START_HEADING)
    expect(
        page.get_by_role("heading", level=2, name="Tjänsteperson, Bildningsförvaltningen")
    ).to_be_visible()


def test_a_wrong_password_is_announced_and_keeps_the_username(page):
    page.goto("/konto/logga-in/")
    tab_to(page, page.locator("input[name=username]"))
    page.keyboard.type("tjp-bildning")
    tab_to(page, page.locator("input[name=password]"))
    page.keyboard.type("fel")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
    expect(page.locator("input[name=username]")).to_have_value("tjp-bildning")
    assert_accessible(page, "the sign-in page with an error")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    sign_in(page, "controller")
    page.goto("/")  # a fresh page: nothing has the focus yet

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("#main")
    # The next Tab continues in the main content (the controller's first task),
    # not in the header.
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("main").get_by_role("link", name="Se personer och roller")
    ).to_be_focused()


def test_people_filter_updates_the_results_in_place(page):
    sign_in(page, "controller")
    page.goto("/organisation/personer/")
    results = page.locator("#results")
    expect(page.get_by_role("status").filter(has_text="person")).to_have_text("12 personer")
    # A full page load would lose this; an htmx swap keeps it.
    page.evaluate("() => { window.samePage = true; }")

    tab_to(page, page.get_by_role("searchbox", name="Sök på namn, användarnamn eller enhet"))
    with page.expect_response(
        lambda response: (
            "q=Haddad" in response.url and response.request.headers.get("hx-request") == "true"
        )
    ) as swap:
        page.keyboard.type("Haddad")

    assert swap.value.status == 200
    expect(page.get_by_role("status").filter(has_text="person")).to_have_text("1 person")
    expect(results.get_by_role("rowheader")).to_have_text(["Omar Haddad"])
    page.wait_for_url(re.compile(r"/organisation/personer/\?(.*&)?q=Haddad"))
    assert page.evaluate("() => window.samePage") is True
    assert page.locator("h1").count() == 1, "the swap must not nest a second page"
    assert_accessible(page, "the people page after filtering")


def test_people_filter_by_role_with_the_keyboard(page):
    sign_in(page, "controller")
    page.goto("/organisation/personer/")
    page.evaluate("() => { window.samePage = true; }")

    tab_to(page, page.get_by_role("combobox", name="Roll"))
    with page.expect_response(lambda response: "roll=forumdeltagare" in response.url):
        page.keyboard.type("Forum")  # type-ahead in the closed list picks Forumdeltagare

    expect(page.get_by_role("status").filter(has_text="person")).to_have_text("5 personer")
    assert page.evaluate("() => window.samePage") is True
    assert_accessible(page, "the people page filtered by role")


def test_language_switch_with_the_keyboard(page):
    sign_in(page, "tjp-social")
    html = page.locator("html")

    tab_to(page, page.get_by_role("button", name="English"))
    page.keyboard.press("Enter")
    expect(html).to_have_attribute("lang", "en")
    svenska = page.get_by_role("button", name="Svenska")
    expect(svenska).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    assert_accessible(page, "the start page in English")

    tab_to(page, svenska)
    page.keyboard.press("Enter")
    expect(html).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(START_HEADING)
    expect(page.get_by_role("button", name="Svenska")).to_have_attribute("aria-current", "true")


def test_back_after_signing_out_does_not_show_the_signed_in_page(page):
    response = sign_in(page, "tjp-bildning")
    # Pages for a signed-in user are kept in no cache, the browser's included.
    assert "no-store" in response.headers["cache-control"]
    assert "private" in response.headers["cache-control"]
    welcome = page.get_by_text("Välkommen, Sara")
    expect(welcome).to_be_visible()

    tab_to(page, page.get_by_role("button", name="Logga ut"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/konto/logga-in/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")

    page.go_back()
    # The browser asks the server again (no-store), which sends it to sign in.
    page.wait_for_url(re.compile(r"/konto/logga-in/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(welcome).to_have_count(0)
    expect(page.get_by_text(START_HEADING, exact=True)).to_have_count(0)


def test_htmx_keeps_no_page_snapshots_in_local_storage(page):
    sign_in(page, "controller")
    page.goto("/organisation/personer/")
    count = page.get_by_role("status").filter(has_text="person")
    tab_to(page, page.locator("#id_q"))
    with page.expect_response(lambda response: "q=Berg" in response.url):
        page.keyboard.type("Berg")  # Berg, Sundberg, Öberg
    expect(count).to_have_text("3 personer")

    # Back and Forward within the page: htmx restores history from the server
    # (historyCacheSize 0, refreshOnHistoryMiss), never from a stored snapshot.
    page.go_back()
    page.wait_for_url(re.compile(r"/organisation/personer/$"))
    expect(count).to_have_text("12 personer")
    page.wait_for_load_state()  # htmx listens for popstate once the page has loaded
    page.go_forward()
    page.wait_for_url(re.compile(r"q=Berg"))
    expect(count).to_have_text("3 personer")
    page.goto("/organisation/")
    page.go_back()
    expect(count).to_have_text("3 personer")

    keys = page.evaluate("() => Object.keys(window.localStorage)")
    assert not [key for key in keys if key.startswith("htmx-history")], keys
