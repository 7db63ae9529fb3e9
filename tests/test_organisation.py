"""The organisation page: nämnder, their förvaltningar and chefs."""

import pytest
from django.urls import reverse

from tests.factories import grow_organisation
from tests.helpers import assert_queries_do_not_grow

URL = "/organisation/"


@pytest.mark.parametrize("username", ["revisor", "tjp-social", "forum-1", "controller"])
def test_every_signed_in_user_reads_the_organisation(signed_in, username):
    response = signed_in(username).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "Kommunstyrelsen",
        "Kommunledningsförvaltningen",
        "Bildningsnämnden",
        "Socialförvaltningen",
        "Plan- och miljönämnden",
        "Samhällsbyggnadsförvaltningen",
    ):
        assert name in html
    assert "Anders Berg" in html  # Bildningsförvaltningen's chef


def test_kommunstyrelsen_comes_first(signed_in):
    response = signed_in("revisor").get(URL)
    assert response.context["namnder"][0].name == "Kommunstyrelsen"


def test_anonymous_is_sent_to_sign_in(db, client):
    assert client.get(URL)["Location"].startswith("/konto/logga-in/")


def test_rejects_post(signed_in):
    assert signed_in("controller").post(URL).status_code == 405


def test_query_count_does_not_grow(signed_in):
    assert_queries_do_not_grow(
        signed_in("revisor"), reverse("organisation"), lambda: grow_organisation(20, 100)
    )
