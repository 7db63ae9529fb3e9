"""Sign-in, sign-out, throttling of failed sign-ins and session lifetime."""

import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from demo.organisation import DEMO_USERS
from prioritering.middleware import SIGNED_IN_AT

LOGIN = "/konto/logga-in/"
DEMO_USERNAMES = [username for username, *_ in DEMO_USERS]


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_sign_in_page_is_swedish_with_standard_field_names(db, client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert "<h1>Logga in</h1>" in html


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_demo_user_can_sign_in(demo, client, demo_password, username):
    response = sign_in(client, username, demo_password)
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    start = client.get(reverse("start"))
    assert start.status_code == 200
    assert "Mina uppgifter" in start.content.decode()
    assert start.context["user"].username == username


def test_wrong_password_is_refused_with_a_swedish_message(demo, client):
    response = sign_in(client, "controller", "fel")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_gives_a_new_session_key(demo, client, demo_password):
    client.get(LOGIN)
    client.cookies["sessionid"] = "x" * 32
    sign_in(client, "controller", demo_password)
    assert client.session.session_key != "x" * 32


def test_next_is_followed_but_only_within_the_site(demo, client, demo_password):
    response = client.post(
        LOGIN + "?next=/organisation/",
        {"username": "controller", "password": demo_password, "next": "/organisation/"},
    )
    assert response["Location"] == "/organisation/"
    client.logout()
    response = client.post(
        LOGIN,
        {"username": "controller", "password": demo_password, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("start")


def test_sign_out_needs_post_and_ends_the_session(demo, client, demo_password):
    sign_in(client, "controller", demo_password)
    assert client.get("/konto/logga-ut/").status_code == 405
    response = client.post("/konto/logga-ut/")
    assert response.status_code == 302
    assert client.get(reverse("start")).status_code == 302


def test_repeated_failures_lock_the_username(demo, client, demo_password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "controller", "fel").status_code == 200
    locked = sign_in(client, "controller", "fel")
    assert locked.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    response = sign_in(client, "controller", demo_password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_is_per_username_not_per_address(demo, demo_password):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "controller", "fel", address="192.0.2.10")
    # A colleague in the same town hall, behind the same address, is unaffected.
    colleague = Client()
    response = sign_in(colleague, "tjp-bildning", demo_password, address="192.0.2.10")
    assert response.status_code == 302
    # The locked username is locked from any address.
    elsewhere = Client()
    assert (
        sign_in(elsewhere, "controller", demo_password, address="198.51.100.7").status_code == 429
    )


def test_lock_ends_after_the_cool_off(demo, client, demo_password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "controller", "fel")
    attempt = AccessAttempt.objects.get(username="controller")
    attempt.attempt_time -= settings.AXES_COOLOFF_TIME
    attempt.save()
    assert sign_in(client, "controller", demo_password).status_code == 302


def test_failed_sign_in_is_logged_without_the_password(demo, client, caplog):
    sign_in(client, "controller", "hemligt-fel-losenord")
    assert "failed sign-in: username='controller'" in caplog.text
    assert "hemligt-fel-losenord" not in caplog.text


def test_sessions_end_after_inactivity():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_ends_after_the_absolute_lifetime(demo, client, demo_password):
    sign_in(client, "controller", demo_password)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_session_within_its_lifetime_goes_on(demo, client, demo_password):
    sign_in(client, "controller", demo_password)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 3600
    session.save()
    assert client.get(reverse("start")).status_code == 200


def test_password_change(demo, client, demo_password):
    sign_in(client, "tjp-bildning", demo_password)
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": demo_password,
            "new_password1": "Sommar-Tulpan-2026",
            "new_password2": "Sommar-Tulpan-2026",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("start")).status_code == 200  # still signed in
    client.post("/konto/logga-ut/")
    assert sign_in(client, "tjp-bildning", "Sommar-Tulpan-2026").status_code == 302


def test_password_change_shows_errors_in_swedish(demo, client, demo_password):
    sign_in(client, "tjp-bildning", demo_password)
    response = client.post(
        "/konto/losenord/",
        {"old_password": "fel", "new_password1": "a", "new_password2": "b"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Formuläret innehåller fel" in html
    assert "felaktigt" in html.lower()  # Django's Swedish: "Ditt gamla lösenord var felaktigt"


def test_password_change_requires_sign_in(db, client):
    response = client.get("/konto/losenord/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
