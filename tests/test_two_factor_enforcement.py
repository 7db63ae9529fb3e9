"""REQUIRE_2FA_FOR_ADMINS=1: an administratör or controller who signed in with
a password is sent to /konto/tvafaktor/ from every page until they have added
an app and given a code; nobody else is, and with the setting off nobody."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import cast_except
from tests.totp import code_for

ENROL = "/konto/tvafaktor/"
PAGES = [
    "/",
    "/organisation/",
    "/organisation/personer/",
    "/omgangar/",
    "/admin/",
    "/konto/losenord/",
]


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True


def enrol(client):
    client.post(ENROL + "borja/")
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(ENROL + "bekrafta/", {"code": code_for(device)})
    assert response.status_code == 302
    return device


@pytest.mark.parametrize("username", ["admin", "controller"])
def test_every_page_sends_to_the_enrol_page(required, signed_in, username):
    client = signed_in(username)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(ENROL + "?next="), page
    assert client.post("/omgangar/ny/", {})["Location"] == ENROL


def test_htmx_requests_get_hx_redirect(required, signed_in):
    response = signed_in("admin").get("/organisation/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(ENROL)


def test_what_must_stay_reachable_does(required, signed_in):
    client = signed_in("admin")
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "Ditt konto måste ha tvåstegsverifiering" in page.content.decode()
    assert client.get("/halsa/").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "sv", "next": ENROL}).status_code == 302
    assert client.post("/i18n/setlang/", {"language": "sv"})["Location"] != ENROL + "?next="
    assert client.post("/konto/logga-ut/")["Location"] == "/konto/logga-in/"


def test_after_enrolling_every_page_is_reached(required, signed_in):
    client = signed_in("admin")
    enrol(client)
    for page in PAGES:
        assert client.get(page).status_code == 200, page


def test_enrolling_goes_on_to_the_page_that_was_asked_for(required, signed_in):
    client = signed_in("admin")
    assert client.get("/organisation/")["Location"] == ENROL + "?next=%2Forganisation%2F"
    page = client.get(ENROL + "?next=/organisation/").content.decode()
    assert 'name="next" value="/organisation/"' in page
    response = client.post(ENROL + "borja/", {"next": "/organisation/"})
    assert response["Location"] == ENROL + "?next=%2Forganisation%2F"
    device = TOTPDevice.objects.get()
    response = client.post(
        ENROL + "bekrafta/", {"code": code_for(device), "next": "/organisation/"}
    )
    assert response["Location"] == "/organisation/"


def test_a_device_without_a_code_in_this_session_is_not_enough(required, signed_in, demo):
    """Enrolled elsewhere, but this session gave no code: still sent on."""
    TOTPDevice.objects.create(user=demo["admin"], confirmed=True)
    assert signed_in("admin").get("/")["Location"].startswith(ENROL)


def test_signing_in_with_password_and_code_reaches_the_pages(required, client, demo, demo_password):
    device = TOTPDevice.objects.create(user=demo["admin"], confirmed=True)
    client.post("/konto/logga-in/", {"username": "admin", "password": demo_password})
    client.post("/konto/tvafaktor/verifiera/", {"code": code_for(device)})
    for page in PAGES:
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize("username", cast_except("admin", "controller"))
def test_other_roles_are_not_affected(required, signed_in, username):
    client = signed_in(username)
    assert client.get("/").status_code == 200
    assert client.get("/organisation/").status_code == 200


@pytest.mark.parametrize("username", ["admin", "controller"])
def test_a_session_signed_in_through_oidc_is_not_affected(required, signed_in, username):
    client = signed_in(username)
    session = client.session
    session["sign_in_method"] = "oidc"
    session.save()
    assert client.get("/").status_code == 200
    assert client.get("/organisation/").status_code == 200


@pytest.mark.parametrize("username", ["admin", "controller"])
def test_with_the_setting_off_nothing_is_enforced(signed_in, username, settings):
    settings.REQUIRE_2FA_FOR_ADMINS = False
    client = signed_in(username)
    for page in PAGES:
        response = client.get(page, follow=True)
        expected = 403 if (username, page) == ("controller", "/admin/") else 200
        assert response.status_code == expected, page
        assert not any(url.startswith(ENROL) for url, _ in response.redirect_chain), page


def test_the_setting_is_read_from_the_environment():
    import subprocess
    import sys

    def read(value):
        code = "from prioritering import settings; print(settings.REQUIRE_2FA_FOR_ADMINS)"
        env = {"PATH": "/usr/bin:/bin", "REQUIRE_2FA_FOR_ADMINS": value}
        return subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert read("") == "False"
    assert read("1") == "True"
    assert read("0") == "False"


def test_a_verified_administrator_stays_within_the_query_budget(required, signed_in):
    """django-otp reads the session's device once per request, enforcement
    asks the roles the page reads anyway."""
    from tests.helpers import PAGE_QUERY_BUDGET, count_queries

    client = signed_in("admin")
    enrol(client)
    for page in ["/", "/organisation/", "/organisation/personer/", "/omgangar/", ENROL]:
        assert count_queries(client, page) <= PAGE_QUERY_BUDGET, page
