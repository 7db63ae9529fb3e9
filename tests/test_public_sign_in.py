"""The public pages offer sign-in: an anonymous visitor finds "Logga in" in
the header, leading back to the page after signing in; a signed-in user
finds their name and "Logga ut" instead, and the sign-in page does not link
to itself."""

import pytest

from rounds.models import Round

LINK = 'class="sign-in-link" href="/konto/logga-in/?next='


@pytest.fixture
def published(demo_rounds, db):
    return Round.objects.get(budget_year=2026)


@pytest.mark.parametrize("url", ["/oppna-prioriteringar/", "/oppna-prioriteringar/2026/"])
def test_an_anonymous_visitor_finds_the_sign_in_link(published, client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'{LINK}{url}">Logga in</a>' in html


def test_a_signed_in_user_finds_no_sign_in_link(published, signed_in):
    html = signed_in("revisor").get("/oppna-prioriteringar/2026/").content.decode()
    assert LINK not in html and "Logga ut" in html


def test_the_sign_in_page_does_not_link_to_itself(db, client):
    assert LINK not in client.get("/konto/logga-in/").content.decode()


def test_the_link_leads_back_to_the_public_page(published, client, demo_password):
    response = client.post(
        "/konto/logga-in/?next=/oppna-prioriteringar/2026/",
        {"username": "revisor", "password": demo_password},
    )
    assert response.status_code == 302
    assert response["Location"] == "/oppna-prioriteringar/2026/"
