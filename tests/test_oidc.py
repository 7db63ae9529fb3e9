"""Sign-in with the municipality's own accounts (prioritering/oidc.py), against a
real OpenID Connect provider (panva/oidc-provider, tests/oidc_provider.py) and the
live server, driven over HTTP as a browser would (requests keeps the cookies of both).
The same flows in Chromium: tests/browser/test_oidc.py."""

import re
import time
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.hashers import is_password_usable

from prioritering import oidc
from rounds.models import Membership, User
from tests.oidc_provider import app_urls, start_provider

PASSWORD = "ett-långt-lösenord-för-test"


@pytest.fixture(scope="module")
def provider(live_server):
    started = start_provider(app_urls(live_server.url))
    yield started
    started.stop()


@pytest.fixture
def oidc_on(settings, provider, transactional_db):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    oidc.forget_discovery()
    yield provider
    provider.expire_id_tokens(False)
    oidc.forget_discovery()


@pytest.fixture
def anna(transactional_db):
    return User.objects.create_user(
        username="anna", email="Anna.Andersson@Exempelkommun.se", password=PASSWORD
    )


def start_url(live_server) -> str:
    return f"{live_server.url}/konto/oidc/logga-in/"


def at_provider(browser: requests.Session, url: str) -> requests.Response:
    """Follow the app's redirect to the provider's own login page."""
    response = browser.get(url)
    assert "/interaction/" in response.url, response.url
    return response


def provider_login(browser, page: requests.Response, login: str, **kwargs):
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
    return browser.post(
        urljoin(page.url, action),
        data={"prompt": "login", "login": login, "password": "any"},
        **kwargs,
    )


def sign_in(live_server, login: str, browser=None):
    browser = browser or requests.Session()
    response = provider_login(browser, at_provider(browser, start_url(live_server)), login)
    return browser, response


def heading(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S).group(1).strip()


def signed_in(browser, live_server) -> bool:
    response = browser.get(f"{live_server.url}/", allow_redirects=False)
    return response.status_code == 200


# --- the flows, end to end ---------------------------------------------------------------


def test_a_known_account_signs_in_matched_by_email_whatever_its_case(
    oidc_on, anna, live_server, caplog
):
    caplog.set_level("INFO", logger="prioritering.security")
    _browser, response = sign_in(live_server, "anna.andersson@exempelkommun.se")

    assert response.status_code == 200
    assert urlsplit(response.url).path == "/"
    assert heading(response) == "Mina uppgifter"
    anna.refresh_from_db()
    assert anna.last_sign_in_method == "oidc"
    assert anna.last_login is not None
    # The log names the provider, never a token or code.
    line = next(r.getMessage() for r in caplog.records if "method=oidc" in r.getMessage())
    assert f"user={anna.pk}" in line
    assert f"provider=127.0.0.1:{oidc_on.port}" in line
    assert "eyJ" not in caplog.text and "code=" not in caplog.text


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/organisation/", "/organisation/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
    ],
)
def test_the_sign_in_returns_to_the_page_asked_for_and_never_off_site(
    oidc_on, anna, live_server, next_url, lands_on
):
    browser = requests.Session()
    page = at_provider(browser, f"{start_url(live_server)}?{urlencode({'next': next_url})}")
    response = provider_login(browser, page, "anna.andersson@exempelkommun.se")
    assert response.status_code == 200
    assert urlsplit(response.url).netloc == urlsplit(live_server.url).netloc
    assert urlsplit(response.url).path == lands_on


def test_the_provider_checks_the_apps_pkce_and_secret(oidc_on, live_server):
    """The authorization request carries state, nonce and an S256 code challenge,
    and the app's redirect URI is the callback the issue names."""
    response = requests.get(start_url(live_server), allow_redirects=False, timeout=10)
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert response.headers["Location"].startswith(f"{oidc_on.issuer}/auth?")
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["redirect_uri"][0].endswith("/konto/oidc/callback/")
    assert query["scope"] == ["openid email profile"]


def test_an_unknown_account_is_refused_with_whom_to_contact(oidc_on, anna, live_server):
    browser, response = sign_in(live_server, "okand.person@exempelkommun.se")

    assert response.status_code == 403
    assert heading(response) == "Du har inget konto i Prioritering"
    assert "okand.person@exempelkommun.se" in response.text
    assert "administratör" in response.text
    assert not User.objects.filter(email__iexact="okand.person@exempelkommun.se").exists()
    assert not signed_in(browser, live_server)


def test_an_unknown_account_is_created_without_roles_when_allowed(oidc_on, settings, live_server):
    settings.OIDC_CREATE_USERS = True
    _browser, response = sign_in(live_server, "Ny.Person@exempelkommun.se")

    assert response.status_code == 200 and heading(response) == "Mina uppgifter"
    user = User.objects.get(email="Ny.Person@exempelkommun.se")
    assert user.username == "ny.person@exempelkommun.se"
    assert (user.first_name, user.last_name) == ("Ny.Person", "Testsson")
    assert not Membership.objects.filter(user=user).exists()
    assert not is_password_usable(user.password)
    assert user.last_sign_in_method == "oidc"
    # The next sign-in finds the same account.
    sign_in(live_server, "ny.person@exempelkommun.se")
    assert User.objects.filter(email__iexact="ny.person@exempelkommun.se").count() == 1


def test_an_inactive_account_is_refused(oidc_on, anna, live_server):
    anna.is_active = False
    anna.save()
    browser, response = sign_in(live_server, "anna.andersson@exempelkommun.se")
    assert response.status_code == 403
    assert heading(response) == "Ditt konto är inaktiverat"
    assert not signed_in(browser, live_server)


def test_an_unverified_email_is_refused(oidc_on, live_server, transactional_db):
    User.objects.create_user(username="u", email="unverified@exempelkommun.se")
    browser, response = sign_in(live_server, "unverified@exempelkommun.se")
    assert response.status_code == 403
    assert "ingen bekräftad e-postadress" in response.text
    assert not signed_in(browser, live_server)


def test_an_expired_id_token_is_refused(oidc_on, anna, live_server):
    oidc_on.expire_id_tokens(True)
    browser, response = sign_in(live_server, "anna.andersson@exempelkommun.se")
    assert response.status_code == 400
    assert heading(response) == "Inloggningen kunde inte slutföras"
    assert not signed_in(browser, live_server)


def _callback_url(browser, live_server, login: str) -> str:
    """Sign in at the provider and stop at its redirect back to the app."""
    page = at_provider(browser, start_url(live_server))
    response = provider_login(browser, page, login, allow_redirects=False)
    while "/konto/oidc/callback/" not in response.headers.get("Location", ""):
        response = browser.get(
            urljoin(response.url, response.headers["Location"]), allow_redirects=False
        )
    return urljoin(response.url, response.headers["Location"])


def _with(url: str, **params) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_tampered_state_is_refused_and_a_state_is_used_once(oidc_on, anna, live_server):
    browser = requests.Session()
    callback = _callback_url(browser, live_server, "anna.andersson@exempelkommun.se")

    tampered = browser.get(_with(callback, state="x" * 32))
    assert tampered.status_code == 400
    assert heading(tampered) == "Inloggningen kunde inte slutföras"
    assert not signed_in(browser, live_server)

    assert browser.get(callback).status_code == 200  # the genuine answer still works
    assert signed_in(browser, live_server)
    # Replayed, in the same browser or in another: the state was used.
    assert browser.get(callback).status_code == 400
    assert requests.get(callback, timeout=10).status_code == 400


def test_a_code_swapped_for_anothers_is_refused(oidc_on, anna, live_server, transactional_db):
    """The PKCE verifier belongs to the session that started: another session's code fails."""
    User.objects.create_user(username="bo", email="bo@exempelkommun.se")
    first, second = requests.Session(), requests.Session()
    anna_callback = _callback_url(first, live_server, "anna.andersson@exempelkommun.se")
    bo_callback = _callback_url(second, live_server, "bo@exempelkommun.se")
    anna_code = parse_qs(urlsplit(anna_callback).query)["code"][0]

    response = second.get(_with(bo_callback, code=anna_code))
    assert response.status_code == 400
    assert not signed_in(second, live_server)


def test_a_wrong_client_secret_is_a_swedish_page_not_a_500(oidc_on, settings, anna, live_server):
    settings.OIDC_RP_CLIENT_SECRET = "wrong"
    _browser, response = sign_in(live_server, "anna.andersson@exempelkommun.se")
    assert response.status_code == 400
    assert heading(response) == "Inloggningen kunde inte slutföras"


def test_a_provider_that_is_down_is_a_swedish_page(settings, live_server, transactional_db):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # discard: nothing listens
    settings.OIDC_TIMEOUT = 2
    oidc.forget_discovery()
    response = requests.get(start_url(live_server), timeout=10)
    assert response.status_code == 503
    assert heading(response) == "Kommunens inloggningstjänst svarar inte"


def test_the_provider_refusing_is_a_swedish_page(oidc_on, live_server):
    browser = requests.Session()
    start = browser.get(start_url(live_server), allow_redirects=False)
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    response = browser.get(
        f"{live_server.url}/konto/oidc/callback/?error=access_denied&state={state}"
    )
    assert response.status_code == 400
    assert heading(response) == "Inloggningen avbröts"


def test_signing_out_ends_the_session_at_the_provider_too(oidc_on, anna, live_server):
    browser, _response = sign_in(live_server, "anna.andersson@exempelkommun.se")
    token = browser.cookies.get("csrftoken")
    sign_out = browser.post(
        f"{live_server.url}/konto/logga-ut/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{live_server.url}/"},
    )
    # The provider asks whether to sign out there as well; yes.
    assert sign_out.url.startswith(f"{oidc_on.issuer}/session/end")
    assert not signed_in(browser, live_server)
    form = re.search(r'<form[^>]*action="([^"]+)"', sign_out.text).group(1)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', sign_out.text).group(1)
    done = browser.post(urljoin(sign_out.url, form), data={"xsrf": xsrf, "logout": "yes"})
    assert urlsplit(done.url).path == "/konto/logga-in/"
    # Signing in again asks for the account at the provider: its session ended too.
    at_provider(browser, start_url(live_server))


# --- without the provider: the page, the switches and the token checks -----------------


def test_the_sign_in_page_offers_the_municipalitys_account(client, settings, db):
    settings.OIDC_ISSUER = "https://login.example.invalid/tenant/v2.0"
    page = client.get("/konto/logga-in/?next=/omgangar/")
    text = page.content.decode()
    assert "Logga in med kommunens konto" in text
    assert 'href="/konto/oidc/logga-in/?next=%2Fomgangar%2F"' in text
    assert 'name="password"' in text  # beside the password form


def test_without_oidc_there_is_no_button_and_no_route(client, settings, db):
    settings.OIDC_ISSUER = ""
    assert "kommunens konto" not in client.get("/konto/logga-in/").content.decode()
    assert client.get("/konto/oidc/logga-in/").status_code == 404
    assert client.get("/konto/oidc/callback/?code=x&state=y").status_code == 404


def test_oidc_only_hides_the_password_form_and_refuses_passwords(client, settings, db):
    settings.OIDC_ISSUER = "https://login.example.invalid/tenant/v2.0"
    settings.OIDC_ONLY = True
    User.objects.create_user(username="anna", email="anna@x.se", password=PASSWORD)
    User.objects.create_user(
        username="nod", email="nod@x.se", password=PASSWORD, emergency_admin=True
    )
    text = client.get("/konto/logga-in/").content.decode()
    assert 'name="password"' not in text
    assert "Logga in med kommunens konto" in text
    assert "Nödinloggning" in text

    refused = client.post("/konto/logga-in/", {"username": "anna", "password": PASSWORD})
    assert refused.status_code == 200
    assert "Inloggning med lösenord är avstängd" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    allowed = client.post("/konto/logga-in/", {"username": "nod", "password": PASSWORD})
    assert allowed.status_code == 302
    assert client.session["sign_in_method"] == "password"
    assert User.objects.get(username="nod").last_sign_in_method == "password"


def test_oidc_only_refuses_passwords_in_the_backend_too(settings, db, rf):
    from django.contrib.auth import authenticate

    settings.OIDC_ISSUER = "https://login.example.invalid/tenant/v2.0"
    settings.OIDC_ONLY = True
    User.objects.create_user(username="anna", email="anna@x.se", password=PASSWORD)
    request = rf.post("/konto/logga-in/")
    assert authenticate(request, username="anna", password=PASSWORD) is None
    settings.OIDC_ONLY = False
    assert authenticate(request, username="anna", password=PASSWORD) is not None


@pytest.fixture(scope="module")
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


ISSUER = "https://login.example.invalid/tenant/v2.0"


def _backend(settings):
    settings.OIDC_RP_CLIENT_ID = "app"
    backend = oidc.OidcBackend()
    backend.issuer = ISSUER
    backend.OIDC_RP_CLIENT_ID = "app"
    backend.OIDC_RP_SIGN_ALGO = "RS256"
    return backend


def _token(key, **claims):
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": "app", "sub": "1", "iat": now, "exp": now + 300}
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm="RS256")


def test_a_valid_id_token_passes(settings, signing_key):
    claims = _backend(settings)._verify_jws(_token(signing_key), signing_key.public_key())
    assert claims["sub"] == "1"


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://evil.example/"},
        {"aud": "another-app"},
        {"aud": ["app", "another-app"]},  # several audiences and no azp
        {"exp": int(time.time()) - 600},
        {"exp": None},
        {"iat": None},
        {"iat": int(time.time()) + 3600},
        {"iss": None},
    ],
    ids=[
        "issuer",
        "audience",
        "several-audiences",
        "expired",
        "no-exp",
        "no-iat",
        "future",
        "no-iss",
    ],
)
def test_an_id_token_with_a_wrong_claim_is_refused(settings, signing_key, claims):
    with pytest.raises(oidc.OidcInvalidError):
        _backend(settings)._verify_jws(_token(signing_key, **claims), signing_key.public_key())


def test_another_key_or_algorithm_is_refused(settings, signing_key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    backend = _backend(settings)
    with pytest.raises(oidc.OidcInvalidError):
        backend._verify_jws(_token(other), signing_key.public_key())
    unsigned = jwt.encode({"iss": ISSUER, "aud": "app", "sub": "1"}, None, algorithm="none")
    with pytest.raises(oidc.OidcInvalidError):
        backend._verify_jws(unsigned, signing_key.public_key())
    hmac = jwt.encode({"iss": ISSUER, "aud": "app", "sub": "1"}, "secret" * 8, algorithm="HS256")
    with pytest.raises(oidc.OidcInvalidError):
        backend._verify_jws(hmac, signing_key.public_key())


def test_several_audiences_pass_with_this_app_as_authorised_party(settings, signing_key):
    token = _token(signing_key, aud=["app", "another-app"], azp="app")
    assert _backend(settings)._verify_jws(token, signing_key.public_key())["azp"] == "app"


def test_the_pages_let_a_form_lead_to_the_provider_only_while_oidc_is_on(client, settings, db):
    """Signing out posts a form that is redirected to the provider's end-session
    endpoint: CSP's form-action allows the issuer's origin then, and only then."""
    settings.OIDC_ISSUER = ""
    policy = client.get("/konto/logga-in/")["Content-Security-Policy"]
    assert "form-action 'self';" in policy or policy.endswith("form-action 'self'")
    settings.OIDC_ISSUER = "https://login.example.invalid/tenant/v2.0"
    policy = client.get("/konto/logga-in/")["Content-Security-Policy"]
    assert "form-action 'self' https://login.example.invalid" in policy
    assert "script-src 'self'" in policy  # nothing else loosened


def test_the_admin_shows_each_users_sign_in_method_and_last_sign_in(client, db):
    from rounds.models import Role

    admin = User.objects.create_user(username="adm", email="adm@x.se", password=PASSWORD)
    Membership.objects.create(user=admin, role=Role.ADMINISTRATOR)
    User.objects.create_user(
        username="anna", email="anna@x.se", last_sign_in_method="oidc", emergency_admin=False
    )
    client.post("/konto/logga-in/", {"username": "adm", "password": PASSWORD})
    text = client.get("/admin/rounds/user/").content.decode()
    assert "Senaste inloggningssätt" in text
    assert "Kommunens konto (OpenID Connect)" in text
    assert "Senaste inloggning" in text
    change = client.get(f"/admin/rounds/user/{admin.pk}/change/").content.decode()
    assert "nödadministratör" in change.lower()
