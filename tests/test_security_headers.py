"""CSP without inline script, CSRF on every form, no case data cached."""

import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def test_content_security_policy_allows_no_inline_script(signed_in):
    response = signed_in("controller").get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_public_pages_carry_the_policy_too(db, client):
    assert "Content-Security-Policy" in client.get("/konto/logga-in/")
    assert client.get("/konto/logga-in/")["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_style_or_event_handlers():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"<style\b", text) and path.name != "500.html":
            offenders.append(f"{path}: inline <style>")
        if re.search(r"\sstyle=\"", text):
            offenders.append(f"{path}: style attribute")
        if re.search(r"\son[a-z]+=\"", text) or "hx-on" in text:
            offenders.append(f"{path}: inline event handler")
    assert not offenders, offenders


def test_htmx_is_vendored_and_configured_for_the_policy(signed_in):
    html = signed_in("controller").get("/").content.decode()
    assert re.search(r'<script src="/static/vendor/htmx-[\d.]+\.min\.js"', html)
    assert '"historyCacheSize": 0' in html
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert "https://" not in re.sub(r'href="https?://[^"]*"', "", html.split("<body")[0])


def test_csrf_is_enforced(demo, demo_password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/konto/logga-in/", {"username": "controller", "password": demo_password}
    )
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.content.decode()


def test_htmx_request_after_session_expiry_redirects_the_whole_page(db, client):
    response = client.get("/organisation/personer/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/konto/logga-in/")


def test_htmx_save_after_session_expiry_keeps_the_page(db, client):
    """A POST answers 401 without redirecting: the form, and what was typed in
    it, stays on the page (app.js offers sign-in in a new tab)."""
    response = client.post("/organisation/personer/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert "HX-Redirect" not in response
    assert "utloggad" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/organisation/", "/konto/losenord/"])
def test_signed_in_pages_are_not_cached(signed_in, url):
    assert signed_in("tjp-bildning").get(url)["Cache-Control"] == "private, no-store"


def test_health_check_answers_without_sign_in(db, client):
    response = client.get("/halsa/")
    assert response.status_code == 200
    assert response.content == b"ok"
