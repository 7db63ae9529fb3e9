"""A proposal's life across years (``followup.lifecycle`` and its part of the
proposal page): a chain of three rounds in order, what each year shows per
role, and queries that do not grow with the rounds."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.lifecycle import chain, lifecycle
from followup.models import PeriodKind, Progress
from followup.services import carry_over, default_deadlines, set_periods
from ranking.models import Handling, NamndRanking, Outcome
from rounds.models import AnalysisStatus, Phase, Proposal
from tests.factories import analysis_of, make_proposal, make_round
from tests.followup.test_carry import (
    BILDNING,
    SOCIAL,
    decide,
    detail_url,
    follow_up_round,
    report,
    user,
)
from tests.forum_setup import rank, result_of

SECTION = "Förslagets väg genom åren"


def read(proposal: Proposal) -> Proposal:
    """The proposal as the proposal page reads it."""
    return Proposal.objects.select_related(
        "round", "analysis__round", "analysis__forvaltning__namnd", "decision", "carried_into"
    ).get(pk=proposal.pk)


@pytest.fixture
def chained(demo):
    """Bostad först: proposed, ranked and partly funded in 2025 and not done;
    carried into 2026, funded and not begun; carried into 2027 (Bildning's
    draft there)."""
    controller = user("controller")
    r2025 = follow_up_round(2025)
    r2026 = make_round(2026)
    first = make_proposal(analysis_of(r2025, BILDNING), title="Bostad först", cost_year1=500)
    NamndRanking.objects.create(
        result=result_of(r2025, "Bildningsnämnden"),
        proposal=first,
        rank=3,
        handling=Handling.KOMMUNGEMENSAM,
    )
    rank(r2025, "forum-1", first, 2)
    rank(r2025, "forum-2", first, 4)
    first = decide(first, Outcome.DELVIS, 300, "Tre lägenheter först.")
    report(first, PeriodKind.TERTIAL_1, Progress.ENLIGT_PLAN, 50)
    report(first, PeriodKind.DELAR, Progress.STORRE_AVVIKELSE, 100, "Färre lägenheter.", "Ny värd.")
    second = carry_over(first, by=controller, reason="Första överföringen.")

    analysis = analysis_of(r2026, BILDNING)
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    second = decide(second, Outcome.FINANSIERAS)
    r2026.phase = Phase.UPPFOLJNING
    r2026.save()
    set_periods(r2026, default_deadlines(2026), by=controller)
    report(read(second), PeriodKind.TERTIAL_1, Progress.EJ_PABORJAD, 0)
    make_round(2027)
    third = carry_over(read(second), by=controller, reason="Andra överföringen.")
    return read(first), read(second), read(third)


def years_shown(html: str) -> list[str]:
    section = html.split(f">{SECTION}</h2>")[1].split("</section>")[0]
    return re.findall(r'<h3 class="lifecycle__title">(\d{4}):', section)


def test_the_chain_runs_from_any_member_earlier_years_first(chained):
    first, second, third = chained
    for proposal in chained:
        assert [p.pk for p in chain(read(proposal))] == [first.pk, second.pk, third.pk]


def test_the_life_holds_each_years_ranking_decision_follow_up_and_carry(chained):
    _first, second, _third = chained
    life = lifecycle(second, user("controller"))
    assert [stage.year for stage in life.stages] == [2025, 2026, 2027]
    assert [stage.current for stage in life.stages] == [False, True, False]
    one, two, three = life.stages
    assert one.ranking["namnd_ranking"].rank == 3
    assert one.ranking["combined"].median == 3.0
    assert (one.decision.outcome, one.decided_tkr) == (Outcome.DELVIS, 300)
    assert [(r.period_label, r.progress_label) for r in one.reports] == [
        ("Tertial 1", "Enligt plan"),
        ("Delår", "Större avvikelse"),
    ]
    assert one.carried_to is two and two.carried_to is three and three.carried_to is None
    assert (two.decided_tkr, [r.progress for r in two.reports]) == (500, ["ej_paborjad"])
    assert three.decision is None and three.reports == []
    assert not three.shows_follow_up


def test_the_controller_sees_the_whole_life_on_the_page(chained, signed_in):
    first, second, third = chained
    html = signed_in("controller").get(detail_url(second)).content.decode()
    assert years_shown(html) == ["2025", "2026", "2027"]
    section = html.split(f">{SECTION}</h2>")[1].split("</section>")[0]
    assert f'<a href="{detail_url(first)}">2025-001</a> Bostad först' in section
    assert f'<a href="{detail_url(third)}">2027-001</a> Bostad först' in section
    assert "nämndens rangordning 3 (till kommungemensam prioritering)" in section
    assert "forumets median 3 (2 har rangordnat)" in section
    assert "Finansieras delvis, 300\xa0tkr år 1" in section
    assert "Finansieras, 500\xa0tkr år 1" in section
    assert "<li>Tertial 1: Enligt plan</li><li>Delår: Större avvikelse</li>" in section
    assert "<li>Tertial 1: Ej påbörjad</li>" in section
    assert "till 2026-001: Första överföringen." in section  # this page: no link
    assert f'till <a href="{detail_url(third)}">2027-001</a>: Andra överföringen.' in section
    assert 'aria-current="true"' in section


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning"])
def test_bildnings_staff_see_the_follow_up_and_their_draft(chained, signed_in, username):
    first, _second, third = chained
    html = signed_in(username).get(detail_url(first)).content.decode()
    assert years_shown(html) == ["2025", "2026", "2027"]
    assert "Uppföljt" in html and "Delår: Större avvikelse" in html
    assert f'<a href="{detail_url(third)}">2027-001</a>' in html
    assert "Andra överföringen." in html


def test_the_lasare_sees_the_follow_up_but_not_the_draft(chained, signed_in):
    _first, second, third = chained
    html = signed_in("revisor").get(detail_url(second)).content.decode()
    section = html.split(f">{SECTION}</h2>")[1].split("</section>")[0]
    assert "Uppföljt" in section and "Större avvikelse" in section
    assert f'href="{detail_url(third)}"' not in section
    assert "Andra överföringen." not in section


@pytest.mark.parametrize("username", ["ledamot-bildning", "tjp-social", "forum-1"])
def test_others_see_neither_the_follow_up_nor_the_draft(chained, signed_in, username):
    first, second, third = chained
    html = signed_in(username).get(detail_url(second)).content.decode()
    section = html.split(f">{SECTION}</h2>")[1].split("</section>")[0]
    assert years_shown(html) == ["2025", "2026", "2027"]
    assert "Uppföljt" not in section and "Större avvikelse" not in section
    assert f'<a href="{detail_url(first)}">2025-001</a>' in section
    assert f'href="{detail_url(third)}"' not in section
    assert "Andra överföringen." not in section  # the draft's own text
    assert "till 2027-001" in section
    assert "Du har inte behörighet att läsa det här förslaget." in section
    assert "Första överföringen." in section  # 2026's own, submitted


def test_the_draft_itself_is_not_found_by_others(chained, signed_in):
    assert signed_in("tjp-social").get(detail_url(chained[2])).status_code == 404


def test_the_last_year_shows_the_life_from_its_end(chained, signed_in):
    html = signed_in("tjp-bildning").get(detail_url(chained[2])).content.decode()
    assert years_shown(html) == ["2025", "2026", "2027"]


def test_a_proposal_with_no_life_beyond_its_page_shows_no_section(demo, signed_in):
    round = make_round(2027)
    proposal = make_proposal(analysis_of(round, BILDNING))
    html = signed_in("tjp-bildning").get(detail_url(proposal)).content.decode()
    assert SECTION not in html


def test_a_followed_up_proposal_shows_its_reports_to_its_staff_only(demo, signed_in):
    round = follow_up_round(2026)
    proposal = decide(make_proposal(analysis_of(round, SOCIAL)), Outcome.FINANSIERAS)
    report(proposal, PeriodKind.TERTIAL_1, Progress.ENLIGT_PLAN, 40)
    html = signed_in("tjp-social").get(detail_url(proposal)).content.decode()
    assert SECTION in html and "Tertial 1: Enligt plan" in html
    assert SECTION not in signed_in("tjp-bildning").get(detail_url(proposal)).content.decode()


def page_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("username", ["controller", "tjp-bildning", "ledamot-bildning"])
def test_the_page_queries_do_not_grow_with_the_rounds(chained, signed_in, username):
    _first, second, _third = chained
    client = signed_in(username)
    url = detail_url(second)
    before = page_queries(client, url)

    for proposal in chained:
        round = proposal.round
        for i in range(6):
            more = make_proposal(analysis_of(round, BILDNING), title=f"Mer {i}")
            if round.phase == Phase.UPPFOLJNING:
                more = decide(more, Outcome.FINANSIERAS)
                report(more, PeriodKind.TERTIAL_1, Progress.ENLIGT_PLAN, i)
    signed_in(username)
    assert page_queries(client, url) == before


def test_each_year_of_the_chain_adds_a_bounded_number_of_queries(chained, signed_in):
    first, _second, _third = chained
    client = signed_in("controller")
    alone = make_proposal(analysis_of(first.round, BILDNING), title="Ensam")
    alone = decide(alone, Outcome.FINANSIERAS)
    report(alone, PeriodKind.TERTIAL_1, Progress.ENLIGT_PLAN, 10)
    # The same page with one year and with three: at most three more queries
    # for each other year (read it, its ranking, and the carry-over button's).
    assert (
        page_queries(client, detail_url(first)) - page_queries(client, detail_url(alone)) <= 3 * 2
    )
