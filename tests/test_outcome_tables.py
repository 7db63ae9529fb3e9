"""The outcome's long tables as the pages write them (ranking.views.outcome_tables):
the amounts read as the ``tkr`` filter writes them in each language, what
users typed is escaped in every table, and the decisions' fields keep the
shapes the form's readers parse (tests/test_publication_race.py, bench/race.py)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from prioritering.templatetags.formatting import tkr
from ranking import selectors
from ranking.models import Outcome
from ranking.services import decision as decision_services
from ranking.views.cells import tkr_writer
from rounds.models import User
from tests.forum_setup import outcome_round

NASTY = '<script>alert("x")</script> & "citat"'


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_amounts_read_as_the_tkr_filter_writes_them(language):
    with translation.override(language):
        write = tkr_writer()
        for value in (0, 5, -5, 999, 1000, -1000, 1234567, -300, 10**9, "1500", None, ""):
            assert write(value) == tkr(value), value


@pytest.fixture
def nasty_round(demo):
    round, proposals = outcome_round()
    first = proposals[0]
    first.title = NASTY
    first.konsekvensanalys = NASTY
    first.cost_year1 = 5000  # below the line, so its consequence is shown
    first.save()
    return round, proposals


def page_of(client, name):
    response = client.get(reverse(name, kwargs={"year": 2027}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["forum_order", "forum_budget", "forum_review", "forum_decisions"])
@pytest.mark.parametrize("username", ["controller", "revisor"])
def test_what_users_typed_is_escaped(nasty_round, signed_in, name, username):
    client = signed_in(username)
    page = page_of(client, name)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;citat&quot;" in page


def test_a_motivation_is_escaped_in_the_fields_and_the_reading(nasty_round, signed_in):
    round, (first, *_rest) = nasty_round
    decision_services.save_decisions(
        round,
        {first.pk: {"outcome": Outcome.AVSLAS, "motivation": NASTY}},
        by=User.objects.get(username="controller"),
    )
    for username in ("controller", "revisor"):
        page = page_of(signed_in(username), "forum_decisions")
        assert "<script>alert" not in page, username
        assert "&lt;script&gt;" in page, username


def test_the_decisions_fields_keep_the_shapes_the_readers_parse(nasty_round, signed_in):
    round, (first, second, *_rest) = nasty_round
    decision_services.save_decisions(
        round,
        {
            first.pk: {"outcome": Outcome.AVSLAS, "motivation": "Ryms inte"},
            second.pk: {"outcome": Outcome.DELVIS, "amount": "100", "motivation": "Delvis"},
        },
        by=User.objects.get(username="controller"),
    )
    page = page_of(signed_in("controller"), "forum_decisions")
    outcomes = dict(re.findall(r'name="outcome_(\d+)".*?value="([a-z_]+)" selected', page, re.S))
    amounts = dict(re.findall(r'name="amount_(\d+)"[^>]*value="([^"]*)"', page))
    texts = dict(re.findall(r'name="motivation_(\d+)"[^>]*>([^<]*)</textarea>', page))
    assert outcomes[str(first.pk)] == "avslas"
    assert outcomes[str(second.pk)] == "delvis"
    assert amounts[str(second.pk)] == "100"
    assert texts[str(second.pk)] == "Delvis"
    assert len(texts) == len(selectors.outcome_rows(round))


def test_the_review_row_shows_the_assessment_and_why_it_is_flagged(nasty_round, signed_in):
    _round, (first, *_rest) = nasty_round
    page = page_of(signed_in("revisor"), "forum_review")
    row = re.search(rf'<tr id="forslag-{first.pk}">(.*?)</tr>', page, re.S)
    assert row, "the flagged proposal has its own row"
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    ]
    assert cells[:4] == ["2", "Liten", "Liten", "Måttlig"]
    assert "Högt rangordnat (median 2) trots liten svårighetsgrad och liten nytta." in cells[4]
    assert f'href="/omgangar/2027/forslag/{first.number}/"' in row[1]
    namnd = first.analysis.forvaltning.namnd
    assert f'<span class="outcome-meta">{namnd.short_name or namnd.name}</span>' in row[1]
