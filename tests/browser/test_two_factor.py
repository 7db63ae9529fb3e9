"""In the browser: an administratör adds an authenticator app with the keyboard
alone, reading the secret off the page as an app would, signs out, and signs in
with the password and a code; each page passes axe."""

import time
from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import assert_accessible, assert_fits, expect, tab_to
from tests.totp import wait_out_throttling


def code_from(secret: str, step_ahead: int = 0) -> str:
    """What an authenticator app shows for the secret typed by hand."""
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=step_ahead):06d}"


def test_an_administrator_enrols_with_the_keyboard_and_signs_in_with_a_code(page, console):
    page.goto("/konto/logga-in/")
    page.locator("input[name=username]").press_sequentially("admin")
    page.locator("input[name=password]").press_sequentially("demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")

    # To the enrol page from the account area, and begin.
    link = page.get_by_role("link", name="Tvåstegsverifiering")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    assert_accessible(page, "the enrol page, before")
    begin = page.get_by_role("button", name="Lägg till tvåstegsverifiering")
    tab_to(page, begin)
    page.keyboard.press("Enter")

    # The QR code and the secret; the app is given the secret by hand.
    expect(page.get_by_role("img", name="QR-kod för autentiseringsappen")).to_be_visible()
    assert_accessible(page, "the enrol page, adding")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_fits(page, "the enrol page at 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    secret = page.locator(".two-factor__secret").inner_text()
    field = page.get_by_label("Kod från appen")
    tab_to(page, field)
    page.keyboard.type("000000" if code_from(secret) != "000000" else "111111")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Koden stämmer inte")).to_be_visible()
    assert_accessible(page, "the enrol page, a wrong code")
    device = TOTPDevice.objects.get(user__username="admin")
    assert not device.confirmed
    wait_out_throttling(device)  # django-otp's wait after a wrong code (1 s), passed
    field = page.get_by_label("Kod från appen")
    tab_to(page, field)
    page.keyboard.press("Control+A")
    page.keyboard.type(code_from(secret))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Tvåstegsverifieringen är på").first).to_be_visible()
    assert_accessible(page, "the enrol page, enrolled")
    device.refresh_from_db()
    assert device.confirmed

    # Sign out, with the keyboard.
    sign_out = page.get_by_role("button", name="Logga ut")
    tab_to(page, sign_out)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")

    # The password alone leads to the code.
    page.locator("input[name=username]").press_sequentially("admin")
    page.locator("input[name=password]").press_sequentially("demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ange koden från appen")
    assert_accessible(page, "the verify page")
    page.goto("/")  # not signed in yet
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ange koden från appen")
    field = page.get_by_label("Kod från appen")
    tab_to(page, field)
    # The code that confirmed the app counts once: the app's next one.
    device.refresh_from_db()
    now = int(time.time() // 30)
    page.keyboard.type(code_from(secret, step_ahead=max(0, device.last_t + 1 - now)))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    expect(page.get_by_role("link", name="Tvåstegsverifiering")).to_be_visible()
    used = device.last_t
    device.refresh_from_db()
    assert device.last_t > used  # signed in by the code


def test_with_2fa_required_an_administrator_is_sent_to_add_it_first(page, settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True
    page.goto("/konto/logga-in/")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill("demo")
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    expect(page.get_by_text("Ditt konto måste ha tvåstegsverifiering")).to_be_visible()
    assert_accessible(page, "the enrol page, required")
    page.goto("/organisation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    page.get_by_role("button", name="Lägg till tvåstegsverifiering").click()
    secret = page.locator(".two-factor__secret").inner_text()
    page.get_by_label("Kod från appen").fill(code_from(secret))
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
