"""/konto/tvafaktor/: an administratör or controller who signed in with a
password adds an authenticator app (TOTP), replaces it or turns it off."""

import re

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from prioritering.two_factor import secret_in_groups
from tests.helpers import CAST, PAGE_QUERY_BUDGET, cast_except, count_queries
from tests.totp import code_for, wrong_code

ENROL = "/konto/tvafaktor/"
STEPS = ["borja", "bekrafta", "avbryt", "byt", "ta-bort"]
MAY_ENROL = ("admin", "controller")


def start(client):
    response = client.post(ENROL + "borja/")
    assert response.status_code == 302
    return TOTPDevice.objects.get(user__username=client.session_username, confirmed=False)


@pytest.fixture
def admin_client(signed_in):
    client = signed_in("admin")
    client.session_username = "admin"
    return client


def test_the_page_offers_to_begin_and_names_the_apps(admin_client):
    response = admin_client.get(ENROL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Tvåstegsverifiering</h1>" in html
    for app in ("Microsoft Authenticator", "Google Authenticator", "FreeOTP"):
        assert app in html
    assert 'action="/konto/tvafaktor/borja/"' in html
    assert not TOTPDevice.objects.exists()  # reading the page writes nothing


def test_beginning_shows_the_qr_code_and_the_secret_in_groups_of_four(admin_client):
    device = start(admin_client)
    html = admin_client.get(ENROL).content.decode()
    assert '<svg role="img" class="qr-code"' in html
    assert "<title>QR-kod för autentiseringsappen</title>" in html
    secret = secret_in_groups(device)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", secret)
    assert secret in html
    assert not device.confirmed


def test_beginning_twice_keeps_one_new_device(admin_client):
    start(admin_client)
    admin_client.post(ENROL + "borja/")
    assert TOTPDevice.objects.count() == 1


def test_a_wrong_code_is_refused_in_swedish_and_confirms_nothing(admin_client):
    device = start(admin_client)
    response = admin_client.post(ENROL + "bekrafta/", {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_a_code_that_is_not_six_digits_is_refused(admin_client):
    device = start(admin_client)
    response = admin_client.post(ENROL + "bekrafta/", {"code": "12ab"})
    assert "Koden är sex siffror" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_the_right_code_confirms_the_device_and_verifies_the_session(admin_client, caplog):
    device = start(admin_client)
    code = code_for(device)
    response = admin_client.post(ENROL + "bekrafta/", {"code": code})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert admin_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert "two-factor enrolled for admin" in caplog.text
    assert code not in caplog.text
    html = admin_client.get(ENROL).content.decode()
    assert "Tvåstegsverifieringen är på" in html
    assert "qr-code" not in html  # the secret is shown only while adding


def test_the_right_code_with_spaces_as_the_apps_show_it(admin_client):
    device = start(admin_client)
    code = code_for(device)
    admin_client.post(ENROL + "bekrafta/", {"code": f"{code[:3]} {code[3:]}"})
    device.refresh_from_db()
    assert device.confirmed


def test_after_confirming_it_goes_on_to_next_within_the_site(admin_client):
    device = start(admin_client)
    response = admin_client.post(
        ENROL + "bekrafta/", {"code": code_for(device), "next": "/organisation/"}
    )
    assert response["Location"] == "/organisation/"


def test_next_outside_the_site_is_not_followed(admin_client):
    device = start(admin_client)
    response = admin_client.post(
        ENROL + "bekrafta/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == ENROL


def test_cancelling_throws_the_new_secret_away(admin_client):
    start(admin_client)
    admin_client.post(ENROL + "avbryt/")
    assert not TOTPDevice.objects.exists()


def enrolled(client):
    device = start(client)
    client.post(ENROL + "bekrafta/", {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_removing_needs_a_current_code(admin_client):
    device = enrolled(admin_client)
    response = admin_client.post(ENROL + "ta-bort/", {"code": wrong_code(device)})
    assert "Koden stämmer inte" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_removing_with_a_current_code_turns_it_off(admin_client, caplog):
    device = enrolled(admin_client)
    response = admin_client.post(ENROL + "ta-bort/", {"code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()
    assert DEVICE_ID_SESSION_KEY not in admin_client.session
    assert "two-factor removed for admin" in caplog.text


def test_the_code_just_used_is_not_accepted_again(admin_client):
    """A code counts once (django-otp's last_t): the one that confirmed the
    device cannot also remove it."""
    device = start(admin_client)
    code = code_for(device)
    admin_client.post(ENROL + "bekrafta/", {"code": code})
    response = admin_client.post(ENROL + "ta-bort/", {"code": code})
    assert "Koden stämmer inte" in response.content.decode()
    assert TOTPDevice.objects.filter(confirmed=True).count() == 1


def test_replacing_keeps_the_old_device_until_the_new_one_is_confirmed(admin_client):
    old = enrolled(admin_client)
    admin_client.post(ENROL + "byt/", {"code": code_for(old)})
    new = TOTPDevice.objects.get(confirmed=False)
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    html = admin_client.get(ENROL).content.decode()
    assert secret_in_groups(new) in html
    assert "Den app du använder nu gäller tills du har bekräftat den nya" in html
    admin_client.post(ENROL + "bekrafta/", {"code": code_for(new)})
    assert list(TOTPDevice.objects.values_list("pk", "confirmed")) == [(new.pk, True)]
    assert admin_client.session[DEVICE_ID_SESSION_KEY] == new.persistent_id


def test_replacing_needs_a_current_code(admin_client):
    old = enrolled(admin_client)
    admin_client.post(ENROL + "byt/", {"code": wrong_code(old)})
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


# --- who may: administratör and controller, signed in with a password ---------


@pytest.mark.parametrize("username", MAY_ENROL)
def test_administrator_and_controller_may_enrol(signed_in, username):
    assert signed_in(username).get(ENROL).status_code == 200


@pytest.mark.parametrize("username", cast_except(*MAY_ENROL))
def test_every_other_role_is_refused(signed_in, username):
    client = signed_in(username)
    assert client.get(ENROL).status_code == 403
    for step in STEPS:
        assert client.post(ENROL + step + "/", {"code": "123456"}).status_code == 403, step
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("username", MAY_ENROL)
def test_a_session_signed_in_through_oidc_is_refused(signed_in, username):
    """Its provider handles MFA (the OIDC sign-in sets sign_in_method)."""
    client = signed_in(username)
    session = client.session
    session["sign_in_method"] = "oidc"
    session.save()
    assert client.get(ENROL).status_code == 403
    assert client.post(ENROL + "borja/").status_code == 403
    assert "Tvåstegsverifiering</a>" not in client.get("/").content.decode()


@pytest.mark.parametrize("username", CAST)
def test_the_account_area_links_to_it_for_who_may(signed_in, username):
    html = signed_in(username).get("/").content.decode()
    assert (f'href="{ENROL}"' in html) is (username in MAY_ENROL)


@pytest.mark.parametrize("step", STEPS)
def test_the_steps_answer_only_post(admin_client, step):
    assert admin_client.get(ENROL + step + "/").status_code == 405


def test_the_page_is_within_the_query_budget(admin_client):
    assert count_queries(admin_client, ENROL) <= PAGE_QUERY_BUDGET
    start(admin_client)
    assert count_queries(admin_client, ENROL) <= PAGE_QUERY_BUDGET
    enrolled_device = TOTPDevice.objects.get()
    admin_client.post(ENROL + "bekrafta/", {"code": code_for(enrolled_device)})
    assert count_queries(admin_client, ENROL) <= PAGE_QUERY_BUDGET


# --- the admin shows who has it, and turns it off for a lost phone -----------


def test_the_user_admin_shows_who_has_a_confirmed_device(admin_client, demo):
    enrolled(admin_client)
    TOTPDevice.objects.create(user=demo["controller"], confirmed=False)  # not confirmed
    html = admin_client.get("/admin/rounds/user/?o=1").content.decode()
    assert "tvåstegsverifiering" in html.lower()
    page = admin_client.get(f"/admin/rounds/user/{demo['admin'].pk}/change/").content.decode()
    assert 'alt="True"' in page
    page = admin_client.get(f"/admin/rounds/user/{demo['controller'].pk}/change/")
    assert 'alt="False"' in page.content.decode()


def test_the_admin_turns_it_off_for_a_lost_phone(admin_client, demo, caplog):
    enrolled(admin_client)
    response = admin_client.post(
        "/admin/rounds/user/",
        {"action": "remove_two_factor", "_selected_action": [demo["admin"].pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()
    assert "two-factor removed for admin by administrator" in caplog.text


def test_django_otps_own_device_admin_is_not_offered(admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
