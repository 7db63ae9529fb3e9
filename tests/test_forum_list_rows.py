"""The forum's long lists as the pages write them (ranking.views.forum_rows):
the compilation's columns and its rows' details on demand (``?mer=<id>``, the
htmx fragment of a row's "Mer"), the figures the compilation and the meeting
read as plain values, and the escaping of what users typed."""

import pytest
from django.urls import reverse

from ranking import selectors
from ranking.models import Handling
from rounds.models import Phase
from tests.factories import make_proposal, make_round
from tests.forum_setup import rank, send_on, submitted
from tests.helpers import assert_sent_to_sign_in

LIST = reverse("forum_list", kwargs={"year": 2027})
SHEET = reverse("forum_sheet", kwargs={"year": 2027})
MEETING = reverse("forum_meeting", kwargs={"year": 2027})
HTMX = {"HX-Request": "true"}


@pytest.fixture
def setup(demo):
    round = make_round(phase=Phase.FORUM)
    bildning = submitted(round, "Bildningsförvaltningen")
    first = send_on(
        round,
        make_proposal(
            bildning, title="Förstärkt stöd", cost_year1=1500, konsekvensanalys="Risk för köer"
        ),
        "Bildningsnämnden",
    )
    second = send_on(
        round, make_proposal(bildning, title="Skolskjuts", cost_year1=900), "Bildningsnämnden"
    )
    return round, [first, second]


def test_the_list_shows_the_task_columns_and_opens_the_rest_per_row(setup, signed_in):
    _round, (first, _second) = setup
    text = signed_in("forum-1").get(LIST).content.decode()
    for column in ("Plats", "Förslag", "Nämnd", "År 1", "Median", "Medel", "Kvartilavstånd"):
        assert f">{column}</th>" in text
    for moved in ("Fokusområde", "Orsak", "Konsekvensanalys", "Effekt på längre sikt"):
        assert f">{moved}</th>" not in text
    assert "Risk för köer" not in text  # only on demand
    assert f'hx-get="{LIST}?mer={first.pk}" hx-trigger="toggle once"' in text
    # Without JavaScript the row's details lead to the proposal.
    assert (
        f'<a href="/omgangar/2027/forslag/{first.number}/">Hela förslaget {first.reference}</a>'
        in text
    )


def test_a_rows_details_come_as_a_fragment(setup, signed_in, django_assert_max_num_queries):
    _round, (first, _second) = setup
    client = signed_in("revisor")
    with django_assert_max_num_queries(9):
        response = client.get(LIST, {"mer": first.pk}, headers=HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text
    assert "<dt>Typ</dt>" in text
    assert "<dt>Orsak till behov</dt>" in text  # the source's and the Excel layouts' words
    assert "Risk för köer" in text
    assert f"Hela förslaget {first.reference}" in text
    assert "HX-Request" in response["Vary"]


def test_the_full_page_is_served_without_htmx_whatever_the_query(setup, signed_in):
    _round, (first, _second) = setup
    response = signed_in("forum-1").get(LIST, {"mer": first.pk})
    assert response.status_code == 200
    assert "<html" in response.content.decode()


@pytest.mark.parametrize("value", ["x", "0", "999999"])
def test_details_of_no_proposal_are_not_found(setup, signed_in, value):
    response = signed_in("forum-1").get(LIST, {"mer": value}, headers=HTMX)
    assert response.status_code == 404


def test_details_of_a_proposal_outside_the_forum_are_not_found(setup, signed_in):
    round, (first, _second) = setup
    within = send_on(
        round,
        make_proposal(first.analysis, title="Inom ramen", konsekvensanalys="Hemligt utkast"),
        "Bildningsnämnden",
        Handling.INOM_RAM,
    )
    response = signed_in("forum-1").get(LIST, {"mer": within.pk}, headers=HTMX)
    assert response.status_code == 404
    assert "Hemligt utkast" not in response.content.decode()


def test_details_need_a_signed_in_user(setup, client):
    _round, (first, _second) = setup
    response = client.get(LIST, {"mer": first.pk}, headers=HTMX)
    assert response["HX-Redirect"].startswith("/konto/logga-in/")
    assert "Risk för köer" not in response.content.decode()
    assert_sent_to_sign_in(client.get(LIST, {"mer": first.pk}))


def test_lines_carry_the_same_figures_as_the_table(setup):
    round, (first, second) = setup
    for username, a, b in (("forum-1", 3, 1), ("forum-2", 3, 9), ("forum-3", 9, 9)):
        rank(round, username, first, a)
        rank(round, username, second, b)
    table = selectors.forum_table(round)
    lines = selectors.forum_lines(round)
    assert [(r.proposal.pk, r.combined, r.disagreement) for r in table] == [
        (r.proposal.pk, r.combined, r.disagreement) for r in lines
    ]
    assert lines[0].proposal.reference == table[0].proposal.reference
    assert lines[0].proposal.namnd == "Bildning"
    assert selectors.forum_table_digest(table, 5) == selectors.forum_table_digest(lines, 5)


def test_typed_text_is_escaped_in_every_long_list(setup, signed_in):
    round, (first, _second) = setup
    first.title = '<script>alert("x")</script> & "citat"'
    first.save()
    rank(round, "forum-1", first, 2)
    for url in (LIST, SHEET, MEETING):
        text = signed_in("forum-1").get(url).content.decode()
        assert "<script>alert" not in text, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;citat&quot;" in text
