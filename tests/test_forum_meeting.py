"""The forum's live meeting view: the sammanvägd rangordning for the big
screen, whose table region polls a fragment URL with the stamp it shows. The
fragment answers 204 while nothing changed, else the new table (and announces
the update only when what it shows changed). Who may see it, and its queries."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ranking import ranks, selectors
from ranking.models import ForumRank
from ranking.services import forum as forum_services
from rounds.models import Phase
from tests.factories import make_proposal
from tests.forum_setup import rank, send_on
from tests.helpers import CAST, assert_queries_do_not_grow, assert_sent_to_sign_in
from tests.test_forum import setup  # noqa: F401 (a fixture)

MEETING = reverse("forum_meeting", kwargs={"year": 2027})
TABLE = reverse("forum_meeting_table", kwargs={"year": 2027})
HX = {"HX-Request": "true"}


def poll_url(text):
    """The fragment URL the table region polls, with its stamp."""
    match = re.search(r'<div id="forum-meeting-table"[^>]*hx-get="([^"]+)"', text)
    assert match, "the table region polls"
    return html.unescape(match.group(1))


def poll(client, text):
    return client.get(poll_url(text), headers=HX)


@pytest.mark.parametrize("username", CAST)
def test_everyone_signed_in_sees_the_meeting_view(setup, signed_in, username):  # noqa: F811
    _round, (first, _second, _third) = setup
    client = signed_in(username)
    page = client.get(MEETING)
    assert page.status_code == 200
    text = page.content.decode()
    assert first.title in text
    assert 'hx-trigger="every 2s"' in text
    assert 'hx-swap="outerHTML"' in text
    assert "Sammanvägd rangordning: medianen av deltagarnas rangordningar" in text
    assert 'aria-live="polite"' in text
    fragment = client.get(TABLE, headers=HX)
    assert fragment.status_code == 200
    assert first.title in fragment.content.decode()
    assert client.post(MEETING).status_code == 405
    assert client.post(TABLE).status_code == 405


def test_anonymous_is_sent_to_sign_in(setup, client):  # noqa: F811
    for url in (MEETING, TABLE):
        assert_sent_to_sign_in(client.get(url))
    # The poll of a signed-out screen sends the whole page to sign in, not a
    # sign-in form into the table region.
    response = client.get(TABLE, headers=HX)
    assert response["HX-Redirect"].startswith("/konto/logga-in/?next=")


def test_the_forum_list_links_to_the_meeting_view(setup, signed_in):  # noqa: F811
    text = signed_in("revisor").get(reverse("forum_list", kwargs={"year": 2027})).content
    assert f'href="{MEETING}"' in text.decode()


def test_table_shows_the_rule_order_with_figures_and_disagreement(setup, signed_in):  # noqa: F811
    round, (first, second, third) = setup
    for username, value in (("forum-1", 3), ("forum-2", 3), ("forum-3", 9)):
        rank(round, username, first, value)
    rank(round, "forum-1", second, 1)
    text = signed_in("tjp-social").get(MEETING).content.decode()
    positions = [text.index(f'id="mote-forslag-{p.pk}"') for p in (second, first, third)]
    assert positions == sorted(positions)
    row = text[positions[1] : text.index("</tr>", positions[1])]
    assert '<td class="round-numeric forum-median">3</td>' in row
    assert '<td class="round-numeric forum-mean">5,0</td>' in row
    assert '<td class="round-numeric forum-iqr">3</td>' in row
    assert '<td class="forum-count">3 av 5</td>' in row
    assert "Oenighet – diskutera" in row
    assert 'class="forum-disagreement"' in row
    assert "1 500" in row or "1\xa0500" in row  # år 1 in tkr
    assert text.count("Oenighet – diskutera") == 1


def test_poll_answers_204_while_nothing_changed(setup, signed_in):  # noqa: F811
    round, (first, _second, _third) = setup
    rank(round, "forum-2", first, 4)
    client = signed_in("controller")
    text = client.get(MEETING).content.decode()
    response = poll(client, text)
    assert response.status_code == 204
    assert response.content == b""
    assert "HX-Request" in response["Vary"]
    assert poll(client, text).status_code == 204


def test_poll_answers_the_new_table_after_a_rank_changes(setup, signed_in, demo):  # noqa: F811
    round, (first, second, _third) = setup
    rank(round, "forum-2", first, 4)
    client = signed_in("controller")
    text = client.get(MEETING).content.decode()
    member = demo["forum-1"]
    forum_services.save_forum_ranks(round, member, {first.pk: 8, second.pk: 2}, by=member)
    response = poll(client, text)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="forum-meeting-table"')
    assert '<td class="round-numeric forum-median">6</td>' in fragment  # median of 4 and 8
    assert 'hx-swap-oob="innerHTML"' in fragment
    assert "Rangordningen uppdaterades " in fragment
    assert re.search(r"uppdaterades \d\d:\d\d:\d\d", fragment)
    # The new fragment polls with the new stamp: unchanged since, 204.
    assert poll_url(fragment) != poll_url(text)
    assert poll(client, fragment).status_code == 204


def test_poll_sees_a_removed_rank(setup, signed_in, demo):  # noqa: F811
    round, (first, _second, _third) = setup
    member = demo["forum-1"]
    forum_services.save_forum_ranks(round, member, {first.pk: 8}, by=member)
    rank(round, "forum-2", first, 2)
    client = signed_in("revisor")
    text = client.get(MEETING).content.decode()
    assert '<td class="round-numeric forum-median">5</td>' in text
    forum_services.save_forum_ranks(round, member, {first.pk: ""}, by=member)
    response = poll(client, text)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert '<td class="round-numeric forum-median">2</td>' in fragment
    assert '<td class="forum-count">1 av 5</td>' in fragment


def test_poll_sees_a_removal_and_an_equal_new_rank_in_one_save(setup, signed_in, demo):  # noqa: F811
    round, (first, second, _third) = setup
    member = demo["forum-1"]
    forum_services.save_forum_ranks(round, member, {first.pk: 3}, by=member)
    client = signed_in("revisor")
    text = client.get(MEETING).content.decode()
    # Same count and same sum of ranks: the newer change still shows.
    forum_services.save_forum_ranks(round, member, {first.pk: "", second.pk: 3}, by=member)
    response = poll(client, text)
    assert response.status_code == 200
    start = response.content.decode().index(f'id="mote-forslag-{second.pk}"')
    assert '<td class="forum-count">1 av 5</td>' in response.content.decode()[start:]


def test_a_change_of_order_only_is_not_announced(setup, signed_in, demo):  # noqa: F811
    round, (first, second, _third) = setup
    member = demo["forum-1"]
    forum_services.save_forum_ranks(round, member, {first.pk: 3, second.pk: 3}, by=member)
    client = signed_in("revisor")
    text = client.get(MEETING).content.decode()
    forum_services.move_forum_rank(round, member, second.pk, ranks.UP, by=member)
    response = poll(client, text)
    assert response.status_code == 200  # the stamp moved
    assert "uppdaterades" not in response.content.decode()  # but the table did not


def test_the_stamp_is_one_query(setup, django_assert_num_queries):  # noqa: F811
    round, _proposals = setup
    with django_assert_num_queries(1):
        selectors.forum_stamp(round)


def test_the_meeting_view_is_readable_after_the_forum_phase(setup, signed_in):  # noqa: F811
    round, (_first, _second, _third) = setup
    round.phase = Phase.BESLUT
    round.save()
    client = signed_in("tjp-bildning")
    assert client.get(MEETING).status_code == 200
    assert client.get(TABLE, headers=HX).status_code == 200


@pytest.fixture
def grow_proposals(setup):  # noqa: F811
    round, proposals = setup
    bildning = proposals[0].analysis

    def grow():
        for i in range(30):
            proposal = send_on(
                round, make_proposal(bildning, title=f"Extra {i}"), "Bildningsnämnden"
            )
            rank(round, "forum-1", proposal, 1 + i % 10)
            rank(round, "forum-2", proposal, 10 - i % 10)

    return grow


def grow_members(round, proposals):
    def grow():
        for username in ("forum-3", "forum-4", "forum-5"):
            for proposal in proposals:
                rank(round, username, proposal, 7)

    return grow


@pytest.mark.parametrize("url", [MEETING, TABLE])
def test_query_count_does_not_grow_with_proposals(setup, grow_proposals, signed_in, url):  # noqa: F811
    round, proposals = setup
    for proposal in proposals:
        rank(round, "forum-1", proposal, 2)
    client = signed_in("controller")
    assert_queries_do_not_grow(client, url, grow_proposals, headers=HX)


@pytest.mark.parametrize("url", [MEETING, TABLE])
def test_query_count_does_not_grow_with_members(setup, signed_in, url):  # noqa: F811
    round, proposals = setup
    for proposal in proposals:
        rank(round, "forum-1", proposal, 2)
    client = signed_in("controller")
    assert_queries_do_not_grow(client, url, grow_members(round, proposals), headers=HX)


def test_an_unchanged_poll_costs_a_few_queries_whatever_the_data(
    setup,  # noqa: F811
    grow_proposals,
    signed_in,
):
    round, proposals = setup
    client = signed_in("controller")

    def unchanged_poll_queries():
        text = client.get(MEETING).content.decode()
        url = poll_url(text)
        client.get(url, headers=HX)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, headers=HX).status_code == 204
        return len(queries)

    before = unchanged_poll_queries()
    grow_proposals()
    grow_members(round, proposals)()
    assert unchanged_poll_queries() == before
    # Session, user, round, roles, the stamp; and the session's renewal
    # (SESSION_SAVE_EVERY_REQUEST: a savepoint, the update, its release).
    assert before <= 8
    assert ForumRank.objects.count() > 60


def test_screens_share_the_rendered_table_until_the_next_change(setup, signed_in):  # noqa: F811
    """The second screen asking after the same change gets the same table
    without it being computed again (fewer queries), and a new change is seen."""
    round, (first, _second, _third) = setup
    client = signed_in("revisor")
    url = poll_url(client.get(MEETING).content.decode())
    rank(round, "forum-1", first, 3)
    with CaptureQueriesContext(connection) as first_screen:
        one = client.get(url, headers=HX)
    with CaptureQueriesContext(connection) as second_screen:
        two = client.get(url, headers=HX)
    assert one.status_code == two.status_code == 200
    assert one.content == two.content
    assert len(second_screen) < len(first_screen)
    rank(round, "forum-2", first, 9)
    three = client.get(url, headers=HX)
    assert three.status_code == 200 and three.content != one.content
