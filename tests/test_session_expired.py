"""Nothing typed is lost when the session expires: a save after sign-out keeps
everything that was posted, and can be sent again after signing in."""

import pytest

from rounds.models import Proposal
from tests.factories import analysis_of, make_proposal, make_round


@pytest.fixture
def proposal(demo):
    return make_proposal(analysis_of(make_round(), "Bildningsförvaltningen"), title="Gammal rubrik")


def edit_url(proposal):
    return f"/omgangar/{proposal.round.budget_year}/forslag/{proposal.number}/andra/"


def test_a_plain_save_after_sign_out_keeps_what_was_posted(client, proposal):
    response = client.post(
        edit_url(proposal),
        {"title": "Ny rubrik <b>", "mal": ["3", "5"], "csrfmiddlewaretoken": "gammal"},
    )
    assert response.status_code == 401
    html = response.content.decode()
    assert "Du har blivit utloggad" in html
    assert '<input type="hidden" name="title" value="Ny rubrik &lt;b&gt;">' in html
    assert '<input type="hidden" name="mal" value="3">' in html
    assert '<input type="hidden" name="mal" value="5">' in html
    assert 'value="gammal"' not in html  # a fresh token, not the old one
    assert f'action="{edit_url(proposal)}"' in html
    assert 'target="_blank"' in html
    assert Proposal.objects.get(pk=proposal.pk).title == "Gammal rubrik"


def test_a_page_after_sign_out_still_goes_to_sign_in(client, proposal):
    response = client.get(edit_url(proposal))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_an_htmx_save_after_sign_out_changes_nothing_on_the_page(client, proposal):
    response = client.post(edit_url(proposal), {"title": "x"}, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert "HX-Redirect" not in response


def test_a_signed_in_users_refusal_is_not_mistaken_for_expiry(signed_in, proposal):
    # tjp-social may not know of the draft: 404, not the session-expired page.
    assert signed_in("tjp-social").post(edit_url(proposal), {"title": "x"}).status_code == 404


def test_signing_out_is_not_mistaken_for_expiry(signed_in, proposal):
    response = signed_in("tjp-bildning").post("/konto/logga-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/"
