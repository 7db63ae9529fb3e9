"""Signing in with a confirmed TOTP device: the password alone signs nobody in;
the code at /konto/tvafaktor/verifiera/ does, once, within five minutes."""

import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from prioritering import two_factor
from tests.totp import code_for, wait_out_throttling, wrong_code

LOGIN = "/konto/logga-in/"
VERIFY = "/konto/tvafaktor/verifiera/"


@pytest.fixture
def device(demo):
    return TOTPDevice.objects.create(user=demo["admin"], name="Prioritering", confirmed=True)


def password_step(client, demo_password, username="admin", next_url=None):
    data = {"username": username, "password": demo_password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_the_password_alone_does_not_sign_in(client, device, demo_password):
    response = password_step(client, demo_password)
    assert response["Location"] == VERIFY
    assert "_auth_user_id" not in client.session
    start = client.get("/")
    assert start.status_code == 302
    assert start["Location"].startswith(LOGIN)


def test_the_pending_step_keeps_only_an_id_and_a_deadline(client, device, demo_password):
    client.get(LOGIN)
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    password_step(client, demo_password)
    pending = client.session[two_factor.PENDING]
    assert pending["user_id"] == device.user_id
    assert 0 < pending["until"] - time.time() <= two_factor.PENDING_SECONDS
    assert set(pending) == {"user_id", "backend", "next_url", "until", "failures"}
    assert client.session.session_key != before


def test_the_verify_page_asks_for_the_code_in_swedish(client, device, demo_password):
    password_step(client, demo_password)
    response = client.get(VERIFY)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ange koden från appen</h1>" in html
    assert 'autocomplete="one-time-code"' in html
    assert "Microsoft Authenticator" in html


def test_a_wrong_code_is_refused(client, device, demo_password, caplog):
    password_step(client, demo_password)
    code = wrong_code(device)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "two-factor failed for admin" in caplog.text
    assert code not in caplog.text


def test_the_right_code_signs_in_verified_with_a_new_session_key(
    client, device, demo_password, caplog
):
    password_step(client, demo_password)
    pending_key = client.session.session_key
    code = code_for(device)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session.session_key != pending_key
    assert two_factor.PENDING not in client.session
    user = signed_in_user(client)
    assert user.username == "admin"
    assert user.is_verified()
    assert "two-factor ok for admin" in caplog.text
    assert code not in caplog.text


def test_a_wrong_code_then_the_right_one(client, device, demo_password):
    password_step(client, demo_password)
    client.post(VERIFY, {"code": wrong_code(device)})
    # At once, the device waits (django-otp: 1 s, then 2, 4 … after each wrong code).
    response = client.post(VERIFY, {"code": code_for(device)})
    assert "För många felaktiga koder i rad" in response.content.decode()
    wait_out_throttling(device)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == "/"
    assert signed_in_user(client).is_verified()


def test_the_same_code_is_refused_the_second_time(device, demo_password):
    first = Client()
    password_step(first, demo_password)
    code = code_for(device)
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    second = Client()
    password_step(second, demo_password)
    response = second.post(VERIFY, {"code": code})
    assert "Koden stämmer inte" in response.content.decode()
    assert "_auth_user_id" not in second.session


def test_the_pending_step_expires(client, device, demo_password):
    password_step(client, demo_password)
    session = client.session
    session[two_factor.PENDING]["until"] = int(time.time()) - 1
    session.save()
    response = client.post(VERIFY, {"code": code_for(device)}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Tiden för att ange koden gick ut" in response.content.decode()
    assert two_factor.PENDING not in client.session
    assert "_auth_user_id" not in client.session


def test_without_a_password_step_the_verify_page_sends_to_sign_in(client, device):
    assert client.get(VERIFY)["Location"] == LOGIN
    assert client.post(VERIFY, {"code": code_for(device)})["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_next_is_kept_through_the_second_step(client, device, demo_password):
    password_step(client, demo_password, next_url="/organisation/")
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == "/organisation/"


def test_next_outside_the_site_is_not_followed(client, device, demo_password):
    password_step(client, demo_password, next_url="https://evil.example/")
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == "/"


def test_five_wrong_codes_lock_the_username_as_wrong_passwords_do(client, device, demo_password):
    password_step(client, demo_password)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wait_out_throttling(device)
        response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="admin").failures_since_start >= 5
    assert two_factor.PENDING not in client.session
    # The password is refused too while the lock lasts, from any session.
    assert password_step(Client(), demo_password).status_code == 429


def test_a_limit_of_wrong_codes_per_sign_in_sends_back_to_the_password(
    client, device, demo_password, settings
):
    settings.AXES_FAILURE_LIMIT = 100  # the session's own limit, alone
    password_step(client, demo_password)
    for _ in range(two_factor.MAX_FAILURES):
        wait_out_throttling(device)
        response = client.post(VERIFY, {"code": wrong_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "För många felaktiga koder" in response.content.decode()
    assert two_factor.PENDING not in client.session


def test_an_account_without_a_device_signs_in_with_the_password(client, demo, demo_password):
    TOTPDevice.objects.create(user=demo["admin"], confirmed=False)  # begun, never confirmed
    response = password_step(client, demo_password)
    assert response["Location"] == "/"
    assert signed_in_user(client).username == "admin"
    assert not signed_in_user(client).is_verified()


def test_a_signed_in_user_on_the_verify_page_goes_to_the_start_page(signed_in):
    assert signed_in("controller").get(VERIFY)["Location"] == "/"


def test_the_verify_page_is_within_the_query_budget(client, device, demo_password):
    from tests.helpers import PAGE_QUERY_BUDGET, count_queries

    password_step(client, demo_password)
    assert count_queries(client, VERIFY) <= PAGE_QUERY_BUDGET
