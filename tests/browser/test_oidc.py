"""Sign-in with the municipality's account in Chromium, against a real OpenID Connect
provider (panva/oidc-provider, tests/oidc_provider.py): a demo user signs in and
lands on their start page; an unknown account is refused (and created without
roles when allowed); a tampered state and an expired ID token end on the Swedish
error page; signing out ends both sessions; OIDC_ONLY hides the password form."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest

from prioritering import oidc
from rounds.models import Membership, User
from tests.browser.conftest import assert_accessible, expect, tab_to
from tests.oidc_provider import app_urls, start_provider


@pytest.fixture(scope="module")
def provider(live_server):
    started = start_provider(app_urls(live_server.url))
    yield started
    started.stop()


@pytest.fixture
def oidc_on(settings, provider, demo_site, page):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    oidc.forget_discovery()
    # The provider's own login page asks Google for a font; there is no internet here.
    page.route(
        "https://fonts.googleapis.com/**",
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )
    # A demo user as the municipality's directory knows them.
    user = User.objects.get(username="tjp-bildning")
    user.email = "Tjp-Bildning@Exempelkommun.se"
    user.save()
    yield provider
    provider.expire_id_tokens(False)
    oidc.forget_discovery()


def to_provider(page):
    """From the sign-in page, by keyboard, to the provider's login form."""
    page.goto("/konto/logga-in/")
    assert_accessible(page, "the sign-in page with OIDC")
    button = page.get_by_role("link", name="Logga in med kommunens konto")
    assert "oidc" in button.get_attribute("href")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page.locator("input[name=login]")).to_be_visible()


def provider_login(page, login: str):
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any")
    page.locator("input[name=password]").press("Enter")


def test_a_demo_user_signs_in_with_the_municipalitys_account(page, oidc_on):
    to_provider(page)
    provider_login(page, "tjp-bildning@exempelkommun.se")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    expect(
        page.get_by_role("heading", level=2, name="Tjänsteperson, Bildningsförvaltningen")
    ).to_be_visible()
    assert urlsplit(page.url).path == "/"
    assert User.objects.get(username="tjp-bildning").last_sign_in_method == "oidc"


def answered(console, status: int) -> None:
    """The browser logs the error page's status: that one, and nothing else."""
    entries = console.take()
    assert entries and all(f"status of {status}" in entry for entry in entries), entries


def test_an_unknown_account_is_refused_then_created_when_allowed(page, console, oidc_on, settings):
    to_provider(page)
    provider_login(page, "ny.medarbetare@exempelkommun.se")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har inget konto i Prioritering")
    expect(page.get_by_text("ny.medarbetare@exempelkommun.se")).to_be_visible()
    assert_accessible(page, "the refusal of an unknown account")
    answered(console, 403)
    page.goto("/")
    assert urlsplit(page.url).path == "/konto/logga-in/"  # not signed in

    settings.OIDC_CREATE_USERS = True
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    # Still signed in at the provider: straight back, and in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    user = User.objects.get(email="ny.medarbetare@exempelkommun.se")
    assert not Membership.objects.filter(user=user).exists()


def _tampered(url: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = "f" * 32
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_tampered_state_ends_on_the_swedish_error_page(page, console, oidc_on):
    """The provider's answer is changed on its way back: its state is not the one
    this browser's sign-in began with. (Playwright cannot route a redirect's later
    hops, so the provider's login is fetched through the test and its redirects
    followed there, up to the app's callback, whose state is changed.)"""

    def tamper(route):
        response = route.fetch(max_redirects=0)
        location = response.headers.get("location", "")
        while location and "/konto/oidc/callback/" not in location:
            response = page.context.request.get(location, max_redirects=0)
            location = response.headers.get("location", "")
        assert "/konto/oidc/callback/" in location, location
        route.fulfill(status=303, headers={"location": _tampered(location)})

    to_provider(page)
    page.route(f"{oidc_on.issuer}/interaction/**", tamper)
    provider_login(page, "tjp-bildning@exempelkommun.se")

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen kunde inte slutföras")
    assert "state=" + "f" * 32 in page.url
    assert_accessible(page, "the OIDC error page")
    answered(console, 400)
    page.goto("/")
    assert urlsplit(page.url).path == "/konto/logga-in/"


def test_an_expired_id_token_ends_on_the_swedish_error_page(page, console, oidc_on):
    oidc_on.expire_id_tokens(True)
    to_provider(page)
    provider_login(page, "tjp-bildning@exempelkommun.se")

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen kunde inte slutföras")
    answered(console, 400)
    page.goto("/")
    assert urlsplit(page.url).path == "/konto/logga-in/"


def test_signing_out_ends_both_sessions(page, oidc_on):
    to_provider(page)
    provider_login(page, "tjp-bildning@exempelkommun.se")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")

    page.get_by_role("button", name="Logga ut").click()
    # The provider's own question: sign out there too.
    page.wait_for_url(f"{oidc_on.issuer}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert urlsplit(page.url).path == "/konto/logga-in/"

    # Signing in again asks for the account at the provider: its session ended.
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    expect(page.locator("input[name=login]")).to_be_visible()


def test_oidc_only_hides_the_password_form(page, oidc_on, settings):
    settings.OIDC_ONLY = True
    page.goto("/konto/logga-in/")
    expect(page.get_by_role("link", name="Logga in med kommunens konto")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_count(0)
    assert_accessible(page, "the sign-in page with OIDC_ONLY")

    # The emergency administrator's way in is behind a link.
    page.get_by_role("link", name="Nödinloggning med lösenord (endast administratörer)").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    page.locator("input[name=username]").fill("tjp-bildning")
    page.locator("input[name=password]").fill("demo")
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_text("Inloggning med lösenord är avstängd")).to_be_visible()
