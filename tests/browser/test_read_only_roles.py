"""Reading what one may not change, in the browser with the keyboard and axe:
the läsare (revisor) walks the demo's follow-up of 2026 — index, the Delår
overview, a report — and finds no form; a forumdeltagare opens the own sheet
of the published round 2026, read-only; an anonymous visitor of the public
pages finds "Logga in"."""

import re

import pytest

from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.demo_snapshot import load_demo


@pytest.fixture
def rounds(demo_site):
    load_demo(with_round=True)
    return demo_site


def press(page, locator, key="Enter", max_tabs=80):
    tab_to(page, locator, max_tabs)
    page.keyboard.press(key)


def no_form_in_main(page):
    main = page.locator("main")
    expect(main.locator("form[method=post]")).to_have_count(0)
    expect(main.get_by_role("textbox")).to_have_count(0)
    expect(main.get_by_role("spinbutton")).to_have_count(0)


def test_the_lasare_reads_the_follow_up(rounds, page):
    sign_in(page, "revisor")
    page.goto("/omgangar/2026/")
    press(page, page.get_by_role("link", name="Uppföljning", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning 2026")
    no_form_in_main(page)
    assert_accessible(page, "the läsare's follow-up index")

    press(page, page.get_by_role("link", name=re.compile(r"^Översikt: Delår")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljning Delår")
    expect(page.get_by_role("heading", name="Uppföljningsrapporten")).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)
    assert_accessible(page, "the läsare's Delår overview")

    report = page.locator(
        "main a[href*='/uppfoljning/delar/'][href$='/']:not([href$='/delar/'])"
    ).first
    press(page, report, max_tabs=200)
    expect(page).to_have_url(re.compile(r"/uppfoljning/delar/\d+/$"))
    no_form_in_main(page)
    assert_accessible(page, "a report, read by the läsare")


def test_a_forum_member_reads_the_own_closed_sheet(rounds, page):
    sign_in(page, "forum-1")
    page.goto("/omgangar/2026/forum/mitt-ark/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt rangordningsark 2026")
    expect(page.get_by_text("Arket är stängt.")).to_be_visible()
    no_form_in_main(page)
    expect(page.get_by_role("button", name=re.compile("^Flytta"))).to_have_count(0)
    assert_accessible(page, "the closed forum sheet")


def test_an_anonymous_visitor_signs_in_from_the_public_page(rounds, page):
    page.goto("/oppna-prioriteringar/2026/")
    press(page, page.get_by_role("link", name="Logga in", exact=True))
    expect(page).to_have_url(re.compile(r"/konto/logga-in/\?next=/oppna-prioriteringar/2026/$"))
