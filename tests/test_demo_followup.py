"""The demo's follow-up of round 2026: periods around today, Tertial 1 and
Delår reported with a mix of statuses and deviations, one Delår report late
and one a draft, and two proposals carried into round 2027."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from demo.loading import load_demo
from followup.models import FollowUpReport, PeriodKind, Progress
from followup.rules import Timing, overview
from rounds.models import AnalysisStatus, Phase, Round


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def round_2026(loaded, db):
    return Round.objects.get(budget_year=2026)


def test_the_periods_lie_around_today(round_2026):
    today = timezone.localdate()
    assert round_2026.phase == Phase.UPPFOLJNING
    deadlines = dict(round_2026.follow_up_periods.values_list("kind", "deadline"))
    assert deadlines == {
        PeriodKind.TERTIAL_1: today - datetime.timedelta(days=190),
        PeriodKind.DELAR: today - datetime.timedelta(days=70),
        PeriodKind.ARSBOKSLUT: today + datetime.timedelta(days=80),
    }


def test_tertial_1_is_in_on_time_with_a_deviation(round_2026):
    period = round_2026.follow_up_periods.get(kind=PeriodKind.TERTIAL_1)
    result = overview(round_2026, period)
    # The forum's eleven followed-up decisions and the two kept within nämnders' frames
    assert len(result.rows) == 13
    assert {"Sommarskola för elever som saknar betyg", "Digitalisering av bygglovsarkivet"} <= {
        row.title for row in result.rows
    }
    assert {row.timing for row in result.rows} == {Timing.ON_TIME}
    assert [row.title for row in result.deviations] == ["Fler platser i förskola"]


def test_delar_has_deviations_a_late_report_and_a_draft(round_2026):
    period = round_2026.follow_up_periods.get(kind=PeriodKind.DELAR)
    result = overview(round_2026, period)
    statuses = {row.title: row.progress for row in result.rows}
    assert statuses["Bostadsförsörjning missbrukare"] == Progress.STORRE_AVVIKELSE
    assert statuses["Digital fjärrtillsyn nattetid"] == Progress.MINDRE_AVVIKELSE
    assert statuses["Samordnade inköp"] == Progress.GENOMFORD
    assert [row.title for row in result.late] == [
        "Ökad bemanning elevhälsa",
        "Skyfallskartering för detaljplaner",
    ]
    assert all(row.timing == Timing.OVERDUE for row in result.late)
    draft = FollowUpReport.objects.get(
        period=period, proposal__title="Skyfallskartering för detaljplaner"
    )
    assert draft.state == AnalysisStatus.DRAFT
    bostad = next(row for row in result.deviations if row.title.startswith("Bostad"))
    assert bostad.report.measures
    # Bostad först: 600 tkr granted, 8/12 is 400; 260 spent.
    assert (bostad.decided_tkr, bostad.budget_tkr, bostad.deviation_tkr) == (600, 400, -140)


def test_the_reports_are_written_and_handed_in_by_the_forvaltningar(round_2026):
    report = FollowUpReport.objects.select_related("submitted_by").get(
        period__kind=PeriodKind.DELAR, proposal__title="Utökad hemtjänst nattetid"
    )
    assert report.submitted_by.username == "chef-social"
    assert report.history.earliest("history_date").history_user.username == "tjp-social"


def test_two_proposals_are_carried_into_2027(round_2026):
    carried = Round.objects.get(budget_year=2027).proposals.filter(carried_from__isnull=False)
    assert {(p.carried_from.round_id, p.carried_from.title) for p in carried} == {
        (round_2026.pk, "Bostadsförsörjning missbrukare"),
        (round_2026.pk, "Ny simhall, förstudie"),
    }
    assert all(p.carry_over_reason for p in carried)


@pytest.mark.parametrize(
    "username", ["controller", "tjp-social", "chef-teknik", "revisor", "ledamot-social"]
)
def test_the_pages_of_a_proposal_across_years_keep_the_query_budget(round_2026, client, username):
    """A proposal carried over shows its whole life, each year's way through
    the ranking and reports, within the page budget."""
    from rounds.models import User
    from tests.helpers import PAGE_QUERY_BUDGET, count_queries

    client.force_login(User.objects.get(username=username))
    pages = ["/omgangar/2026/forslag/8/", "/omgangar/2026/forslag/12/", "/omgangar/2026/forslag/1/"]
    if username in ("controller", "tjp-social"):
        pages.append("/omgangar/2027/forslag/7/")
    if username in ("controller", "chef-teknik"):
        pages.append("/omgangar/2027/forslag/20/")
    for url in pages:
        assert count_queries(client, url) <= PAGE_QUERY_BUDGET, (username, url)


def test_the_controllers_start_page_points_to_the_delar_overview(round_2026, client):
    from rounds.models import User

    client.force_login(User.objects.get(username="controller"))
    html = client.get("/").content.decode()
    assert (
        "Uppföljning 2026, Delår (januari–augusti): 11 av 13 rapporter inlämnade. "
        "Sena: 2. Avvikelser: 3."
    ) in html
    assert 'href="/omgangar/2026/uppfoljning/delar/"' in html


def test_four_decided_proposals_are_taken_into_their_namnds_plans(round_2026):
    period = round_2026.follow_up_periods.get(kind=PeriodKind.DELAR)
    texts = {row.title: row.implementation_text for row in overview(round_2026, period).rows}
    taken = {title for title, text in texts.items() if "VP saknas" not in text}
    assert taken == {
        "Utökad hemtjänst nattetid",
        "Bostadsförsörjning missbrukare",
        "Fler platser i förskola",
        "Samordnade inköp",
    }
    assert "IKP saknas" not in texts["Utökad hemtjänst nattetid"]
    assert "Budget saknas" in texts["Samordnade inköp"]
    assert texts["Ökad bemanning elevhälsa"] == "VP saknas · Budget saknas · IKP saknas"
