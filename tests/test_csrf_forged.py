"""No request that failed CSRF is ever echoed (issue 12, finding 3). A page on
another site that auto-posts to one of ours gets 403 and nothing else — never
the session-expired page holding the attacker's fields and a fresh token for
the victim to send after signing in. No view skips the CSRF check."""

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.helpers import assert_sent_to_sign_in
from tests.test_url_auth import URLS

EVIL = "[budgetmall](https://evil.example/x)"
FORGED = {
    "action": "texts",
    "ekonomi": EVIL,
    "comment": EVIL,
    "title": EVIL,
    "text": EVIL,
    "reason": EVIL,
}
OWN = [(name, url) for name, url in URLS if not name.startswith("admin:")]


def assert_refused(response, where):
    assert response.status_code == 403, f"{where}: {response.status_code}"
    text = response.content.decode()
    assert "evil.example" not in text, where
    # Not the session-expired page with the fields to send again.
    assert 'name="ekonomi"' not in text, where
    assert "Skicka igen" not in text, where


@pytest.mark.parametrize(("name", "url"), OWN, ids=[name for name, _ in OWN])
def test_a_tokenless_cross_site_post_signed_out_is_refused(demo_rounds, db, name, url):
    """The victim's browser sends no session cookie cross-site: the request
    reaches us signed out, without a token."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, FORGED, HTTP_ORIGIN="https://evil.example")
    assert_refused(response, f"POST {url}")


@pytest.mark.parametrize(("name", "url"), OWN, ids=[name for name, _ in OWN])
def test_a_tokenless_post_signed_in_is_refused(demo_rounds, db, name, url):
    from rounds.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="controller"))
    response = client.post(url, FORGED, HTTP_ORIGIN="https://evil.example")
    assert_refused(response, f"POST {url}")


def test_a_multipart_forged_upload_is_refused_too(demo_rounds, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(enforce_csrf_checks=True)
    upload = SimpleUploadedFile("x.txt", b"evil.example", content_type="text/plain")
    response = client.post(
        "/omgangar/2027/forutsattningar/",
        {"action": "upload", "kind": "ekonomi", "file": upload, "comment": EVIL},
    )
    assert_refused(response, "upload")


def test_no_view_skips_the_csrf_check():
    """csrf_exempt is nowhere in our URLconf (the upload limit that once needed
    it is every request's first upload handler, FILE_UPLOAD_HANDLERS)."""

    def callbacks(patterns):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                yield from callbacks(entry.url_patterns)
            else:
                yield entry

    exempt = [
        str(entry.pattern)
        for entry in callbacks(get_resolver().url_patterns)
        if getattr(entry.callback, "csrf_exempt", False)
        and not entry.callback.__module__.startswith("django.contrib.admin")
    ]
    assert exempt == []


def test_a_genuine_post_after_the_session_expired_keeps_what_was_typed(demo_rounds, db):
    """The promise stands for a post with a valid token: the session expired,
    the CSRF cookie did not."""
    client = Client(enforce_csrf_checks=True)
    client.get("/konto/logga-in/")
    token = client.cookies["csrftoken"].value
    typed = "Ekonomin enligt budgetmallen"
    response = client.post(
        "/omgangar/2027/forutsattningar/",
        {"csrfmiddlewaretoken": token, "action": "texts", "ekonomi": typed},
    )
    assert_sent_to_sign_in(response)
    assert typed in response.content.decode()
