"""The list of rounds: every signed-in user reads it; the controller starts a
new round from it."""

import pytest

from rounds.models import Kommun, Phase, Round
from tests.factories import make_round
from tests.helpers import CAST, assert_queries_do_not_grow

URL = "/omgangar/"
EVERYONE = list(CAST)


@pytest.mark.parametrize("username", EVERYONE)
def test_every_signed_in_user_sees_the_rounds(signed_in, username):
    make_round(2027)
    make_round(2026, phase=Phase.UPPFOLJNING)
    html = signed_in(username).get(URL).content.decode()
    assert "Budgetår 2027" in html
    assert "Budgetår 2026" in html
    assert html.index("Budgetår 2027") < html.index("Budgetår 2026")
    assert "Verksamhetsanalys" in html
    assert "Genomförande och uppföljning" in html
    assert "20\xa0000\xa0tkr" in html
    assert 'href="/omgangar/2027/"' in html


def test_controller_sees_the_new_round_button(signed_in):
    html = signed_in("controller").get(URL).content.decode()
    assert 'href="/omgangar/ny/"' in html
    assert "Ny omgång" in html


@pytest.mark.parametrize("username", [u for u in EVERYONE if u != "controller"])
def test_others_do_not_see_the_new_round_button(signed_in, username):
    make_round()
    html = signed_in(username).get(URL).content.decode()
    assert 'href="/omgangar/ny/"' not in html


def test_no_rounds_yet(signed_in):
    html = signed_in("tjp-bildning").get(URL).content.decode()
    assert "Det finns ingen omgång ännu." in html


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/?next=/omgangar/")


def test_post_is_not_allowed(signed_in):
    assert signed_in("controller").post(URL).status_code == 405


def test_query_count_does_not_grow_with_the_rounds(signed_in):
    make_round(2027)

    def grow():
        for year in range(2015, 2025):
            Round.objects.create(kommun=Kommun.objects.get(), budget_year=year, frame_tkr=year)

    assert_queries_do_not_grow(signed_in("tjp-bildning"), URL, grow)
