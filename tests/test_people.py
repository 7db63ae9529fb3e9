"""The people page: who holds which role, filtered in place with htmx."""

import pytest

from rounds.models import User
from tests.factories import grow_organisation
from tests.helpers import assert_queries_do_not_grow

URL = "/organisation/personer/"


@pytest.mark.parametrize("username", ["admin", "controller"])
def test_administrator_and_controller_see_people(signed_in, username):
    response = signed_in(username).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sara Nilsson" in html
    assert "Tjänsteperson, Bildningsförvaltningen" in html


@pytest.mark.parametrize(
    "username",
    ["chef-bildning", "tjp-bildning", "tjp-social", "ledamot-bildning", "forum-2", "revisor"],
)
def test_other_roles_are_refused(signed_in, username):
    assert signed_in(username).get(URL).status_code == 403


def test_filter_by_text_matches_names_and_units(signed_in):
    client = signed_in("controller")
    people = client.get(URL, {"q": "social"}).context["page"].object_list
    assert [p.username for p in people] == ["tjp-social"]
    people = client.get(URL, {"q": "berg"}).context["page"].object_list
    assert {p.username for p in people} == {"chef-bildning", "ledamot-bildning", "forum-1"}


def test_filter_by_role(signed_in):
    people = signed_in("controller").get(URL, {"roll": "forumdeltagare"}).context["page"]
    assert sorted(p.username for p in people.object_list) == [f"forum-{i}" for i in range(1, 6)]


def test_unknown_role_filter_is_ignored(signed_in):
    page = signed_in("controller").get(URL, {"roll": "kung"}).context["page"]
    assert page.paginator.count == User.objects.filter(is_active=True).count()


def test_htmx_request_gets_only_the_results(signed_in):
    response = signed_in("controller").get(URL, {"q": "sara"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_full_page_varies_on_htmx_too(signed_in):
    response = signed_in("controller").get(URL)
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert response["Cache-Control"] == "private, no-store"


def test_history_restore_gets_the_whole_page(signed_in):
    response = signed_in("controller").get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_pages_of_fifty(signed_in):
    grow_organisation(namnder=2, users=120)
    client = signed_in("controller")
    first = client.get(URL).context["page"]
    assert len(first.object_list) == 50
    assert first.paginator.num_pages == 3
    html = client.get(URL, {"sida": 3, "q": "person"}).content.decode()
    assert "Sida 3 av 3" in html
    assert "sida=2" in html  # the previous-page link keeps the filter
    assert "q=person&amp;sida=2" in html


def test_query_count_does_not_grow(signed_in):
    client = signed_in("controller")
    assert_queries_do_not_grow(client, URL, lambda: grow_organisation(10, 150))
    assert_queries_do_not_grow(
        client, URL + "?q=person", lambda: grow_organisation(5, 50), headers={"HX-Request": "true"}
    )
