"""The notice settings (/konto/aviseringar/) in the browser: reached from the
header, changed with the keyboard alone, axe-clean, and fitting a phone."""

from notices.models import NoticeSettings
from rounds.models import User
from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in, tab_to


def test_a_user_turns_off_a_notice_and_chooses_english_with_the_keyboard(page):
    sign_in(page, "ledamot-bildning")
    link = page.get_by_role("link", name="Aviseringar", exact=True)
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aviseringar per e-post")
    assert_accessible(page, "the notice settings")

    tab_to(page, page.get_by_role("radio", name="Svenska"))  # the group's stop: the checked one
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Engelska")).to_be_checked()
    tab_to(page, page.get_by_role("checkbox", name="När en omgång publiceras"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Spara"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dina aviseringar är sparade.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="När en omgång publiceras")).not_to_be_checked()
    assert_accessible(page, "the notice settings, saved")

    saved = NoticeSettings.objects.get(user=User.objects.get(username="ledamot-bildning"))
    assert (saved.language, saved.published, saved.phase) == ("en", False, True)


def test_it_fits_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "tjp-bildning")
    page.goto("/konto/aviseringar/")
    assert_fits(page, "the notice settings at 390 px")
    assert_accessible(page, "the notice settings at 390 px")
