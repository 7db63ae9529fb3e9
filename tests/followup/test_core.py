"""The follow-up's rules against hand-computed cases: decided amounts, the
budget up to a period, cost deviations per nämnd and in total, late and
missing reports; the report workflow; who may do what; and carrying a
proposal over into the next round without touching the old one."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from followup.models import FollowUpPeriod, FollowUpReport, PeriodKind, Progress
from followup.rules import (
    Counts,
    Timing,
    decided_amount,
    followed_up_proposals,
    largest_remainder,
    next_round,
    overview,
    period_budget,
    period_budgets,
    period_counts,
    timing,
)
from followup.services import (
    CARRIED_FIELDS,
    ReportConflict,
    carry_over,
    may_be_carried,
    report_for,
    return_report,
    save_report,
    set_periods,
    submit_report,
)
from prioritering.access import may
from ranking.models import Decision, Outcome
from rounds.models import AnalysisStatus, Grad, ListKind, Phase, Proposal, ProposalType, User
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import CAST

TODAY = datetime.date(2026, 11, 24)
BILDNING = "Bildningsförvaltningen"
SOCIAL = "Socialförvaltningen"


def user(name):
    return User.objects.get(username=name)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def decide(proposal, outcome, amount=None):
    return Decision.objects.create(
        round=proposal.round,
        proposal=proposal,
        outcome=outcome,
        amount_tkr=amount,
        motivation="Motiverat.",
        decided_by=user("controller"),
    )


@pytest.fixture
def round_2026(demo):
    round = make_round(year=2026, phase=Phase.UPPFOLJNING)
    set_periods(
        round,
        {
            PeriodKind.TERTIAL_1: datetime.date(2026, 4, 30),
            PeriodKind.DELAR: datetime.date(2026, 8, 31),
        },
        by=user("controller"),
    )
    return round


@pytest.fixture
def case(round_2026):
    """Two nämnder's decided proposals, and two that are not carried out."""
    bildning = analysis_of(round_2026, BILDNING)
    social = analysis_of(round_2026, SOCIAL)
    p = {
        "a": make_proposal(bildning, title="A", cost_year1=1200),
        "b": make_proposal(bildning, title="B", cost_year1=1000),
        "c": make_proposal(social, title="C", cost_year1=-350, typ=ProposalType.EFFEKTIVISERING),
        "d": make_proposal(social, title="D", cost_year1=900),
        "e": make_proposal(social, title="E", cost_year1=700),
        "f": make_proposal(bildning, title="F", cost_year1=400),
    }
    decide(p["a"], Outcome.FINANSIERAS)
    decide(p["b"], Outcome.DELVIS, 500)
    decide(p["c"], Outcome.EFFEKTIVISERAS)
    decide(p["d"], Outcome.INOM_RAM)
    decide(p["e"], Outcome.AVSLAS)
    decide(p["f"], Outcome.UTREDS)
    return p


def period(round, kind):
    return FollowUpPeriod.objects.select_related("round").get(round=round, kind=kind)


def file_report(period, proposal, by, *, submit_on=None, **fields):
    report = save_report(report_for(period, proposal), fields, by=user(by), expected_version=None)
    if submit_on is not None:
        report = submit_report(report, by=user(by), now=at(submit_on))
    return report


# --- the rules as numbers ---


def test_the_decided_amount_is_cost_year_1_or_the_amount_granted():
    assert decided_amount(Outcome.FINANSIERAS, None, 1200) == 1200
    assert decided_amount(Outcome.DELVIS, 500, 1000) == 500
    assert decided_amount(Outcome.EFFEKTIVISERAS, None, -350) == -350
    assert decided_amount(Outcome.INOM_RAM, None, 900) == 900


@pytest.mark.parametrize(
    ("decided", "kind", "expected"),
    [
        (1200, PeriodKind.TERTIAL_1, 400),
        (1200, PeriodKind.DELAR, 800),
        (1200, PeriodKind.ARSBOKSLUT, 1200),
        (500, PeriodKind.TERTIAL_1, 167),  # 166.67
        (500, PeriodKind.DELAR, 333),  # 333.33
        (-350, PeriodKind.TERTIAL_1, -117),  # -116.67, away from zero
        (-350, PeriodKind.DELAR, -233),  # -233.33
        (1, PeriodKind.TERTIAL_1, 0),
        (2, PeriodKind.TERTIAL_1, 1),  # 0.67
    ],
)
def test_the_budget_up_to_a_period_is_the_year_spread_evenly(decided, kind, expected):
    assert period_budget(decided, kind) == expected


def test_the_proposals_budgets_add_up_to_their_namnds_and_the_namnder_to_the_total():
    """650 + 350 tkr in one nämnd is 1 000 tkr decided: 667 at Delår, not
    433 + 233 = 666 from rounding each apart."""
    decided = [(1, 10, 650), (2, 10, 350), (3, 20, 300), (4, 30, 3500), (5, 30, -350)]
    budgets = period_budgets(decided, PeriodKind.DELAR)
    assert budgets[1] + budgets[2] == period_budget(1000, PeriodKind.DELAR) == 667
    assert {budgets[1], budgets[2]} <= {433, 434, 233, 234}
    assert budgets[3] == 200
    assert budgets[4] + budgets[5] == period_budget(3150, PeriodKind.DELAR) == 2100
    assert sum(budgets.values()) == period_budget(4450, PeriodKind.DELAR) == 2967
    # Each is its exact share rounded down or up.
    for pk, _namnd, amount in decided:
        assert abs(budgets[pk] - amount * 8 / 12) < 1


def test_the_largest_remainder_rounds_up_the_largest_fractions():
    from fractions import Fraction

    assert largest_remainder([Fraction(4, 3), Fraction(5, 3)], 3, [4, 5]) == [1, 2]
    assert largest_remainder([Fraction(-7, 3), Fraction(7, 3)], 0, [-7, 7]) == [-2, 2]
    # Equal fractions: the larger amount first.
    assert largest_remainder([Fraction(1, 2), Fraction(3, 2)], 1, [1, 3]) == [0, 1]
    with pytest.raises(ValueError):
        largest_remainder([Fraction(1, 3)], 5, [1])


def test_the_overview_budgets_of_a_namnd_follow_its_decided_sum(case, round_2026):
    """A nämnd decided 1 000 tkr (650 + 350) shows 667 at Delår, and its
    proposals add up to it; the total is 8/12 of the total decided."""
    bildning = analysis_of(round_2026, BILDNING)
    for title, cost in (("G", 650), ("H", 350)):
        decide(make_proposal(bildning, title=title, cost_year1=cost), Outcome.FINANSIERAS)
    delar = period(round_2026, PeriodKind.DELAR)
    result = overview(round_2026, delar, today=TODAY)
    rows = {row.title: row for row in result.rows}
    for sums in result.namnder:
        members = [row for row in result.rows if row.namnd == sums.label]
        assert sums.budget_tkr == sum(row.budget_tkr for row in members)
        assert sums.budget_tkr == period_budget(sums.decided_tkr, PeriodKind.DELAR)
    assert sum(s.budget_tkr for s in result.namnder) == result.total.budget_tkr
    assert result.total.budget_tkr == period_budget(result.total.decided_tkr, PeriodKind.DELAR)
    assert rows["G"].budget_tkr + rows["H"].budget_tkr == 667
    # A förvaltning's view of the same proposals shows the same budgets.
    narrowed = overview(
        round_2026,
        delar,
        today=TODAY,
        proposals=followed_up_proposals(round_2026).filter(analysis=bildning),
    )
    assert {row.title: row.budget_tkr for row in narrowed.rows} == {
        title: row.budget_tkr for title, row in rows.items() if row.forvaltning == BILDNING
    }


def test_a_report_on_its_last_day_is_on_time():
    deadline = datetime.date(2026, 4, 30)
    assert timing(at(deadline), deadline, TODAY) == Timing.ON_TIME
    assert timing(at(datetime.date(2026, 5, 1)), deadline, TODAY) == Timing.SUBMITTED_LATE
    assert timing(None, deadline, deadline) == Timing.NOT_YET
    assert timing(None, deadline, datetime.date(2026, 5, 1)) == Timing.OVERDUE


def test_only_decisions_to_carry_out_are_followed_up(case, round_2026):
    titles = set(followed_up_proposals(round_2026).values_list("title", flat=True))
    assert titles == {"A", "B", "C", "D"}


def test_the_overview_sums_cost_against_budget_by_hand(case, round_2026):
    tertial = period(round_2026, PeriodKind.TERTIAL_1)
    file_report(
        tertial,
        case["a"],
        "tjp-bildning",
        submit_on=datetime.date(2026, 4, 29),
        progress=Progress.ENLIGT_PLAN,
        cost_outcome_tkr=380,
        effect_achieved=Grad.MATTLIG,
    )
    file_report(
        tertial,
        case["b"],
        "chef-bildning",
        submit_on=datetime.date(2026, 5, 3),
        progress=Progress.MINDRE_AVVIKELSE,
        cost_outcome_tkr=210,
        effect_achieved=Grad.LITEN,
        deviation="Rekryteringen drog ut på tiden.",
        measures="Tjänsten annonseras igen.",
    )
    file_report(tertial, case["c"], "tjp-social", progress=Progress.ENLIGT_PLAN)  # a draft

    result = overview(round_2026, tertial, today=TODAY)
    rows = {row.title: row for row in result.rows}
    assert [(row.title, row.decided_tkr, row.budget_tkr) for row in result.rows] == [
        ("A", 1200, 400),
        ("B", 500, 167),
        ("C", -350, -117),
        ("D", 900, 300),
    ]
    assert rows["A"].deviation_tkr == -20
    assert rows["B"].deviation_tkr == 43
    assert rows["C"].deviation_tkr is None  # a draft counts for nothing
    assert rows["C"].report.state == AnalysisStatus.DRAFT
    assert [row.timing for row in result.rows] == [
        Timing.ON_TIME,
        Timing.SUBMITTED_LATE,
        Timing.OVERDUE,
        Timing.OVERDUE,
    ]

    bildning, social = result.namnder
    assert (bildning.label, bildning.proposals, bildning.reported) == ("Bildningsnämnden", 2, 2)
    assert (bildning.decided_tkr, bildning.budget_tkr, bildning.outcome_tkr) == (1700, 567, 590)
    assert bildning.deviation_tkr == 23
    assert (social.label, social.proposals, social.reported, social.missing) == (
        "Socialnämnden",
        2,
        0,
        2,
    )
    assert (social.decided_tkr, social.budget_tkr, social.outcome_tkr) == (550, 183, 0)
    assert social.deviation_tkr == 0  # missing reports are not savings
    total = result.total
    assert (total.decided_tkr, total.budget_tkr, total.reported_budget_tkr) == (2250, 750, 567)
    assert (total.outcome_tkr, total.deviation_tkr) == (590, 23)

    counts = {value: count for value, _label, count in result.status_counts}
    assert counts[Progress.ENLIGT_PLAN] == 1
    assert counts[Progress.MINDRE_AVVIKELSE] == 1
    assert counts[""] == 2
    assert sum(counts.values()) == 4
    assert [row.title for row in result.deviations] == ["B"]
    assert [row.title for row in result.missing] == ["C", "D"]
    assert [row.title for row in result.late] == ["B", "C", "D"]
    assert result.missing_by_forvaltning == [(SOCIAL, 2, 2)]
    assert period_counts(round_2026, tertial, today=TODAY) == Counts(
        proposals=4, reported=2, late=3, deviations=1
    )
    # Before the last day nothing is late but what came in after it.
    before = period_counts(round_2026, tertial, today=datetime.date(2026, 4, 30))
    assert (before.late, before.reported) == (1, 2)


def test_a_later_period_shows_the_latest_earlier_status_until_its_report_is_in(case, round_2026):
    tertial = period(round_2026, PeriodKind.TERTIAL_1)
    delar = period(round_2026, PeriodKind.DELAR)
    file_report(
        tertial,
        case["a"],
        "tjp-bildning",
        submit_on=datetime.date(2026, 4, 29),
        progress=Progress.STORRE_AVVIKELSE,
        cost_outcome_tkr=0,
        effect_achieved=Grad.INGEN,
        deviation="Ingen personal.",
        measures="Ny rekrytering.",
    )
    result = overview(round_2026, delar, today=datetime.date(2026, 8, 1))
    row = next(row for row in result.rows if row.title == "A")
    assert row.progress == ""
    assert row.timing == Timing.NOT_YET
    assert row.latest.kind == PeriodKind.TERTIAL_1
    assert row.latest.progress == Progress.STORRE_AVVIKELSE
    assert row.is_unfinished
    assert result.deviations == []  # deviations are this period's
    assert result.total.budget_tkr == 800 + 333 - 233 + 600


def test_the_overview_is_three_queries_whatever_the_size(
    case, round_2026, django_assert_num_queries
):
    tertial = period(round_2026, PeriodKind.TERTIAL_1)
    with django_assert_num_queries(2):
        overview(round_2026, tertial, today=TODAY)
    bildning = analysis_of(round_2026, BILDNING)
    for number in range(20):
        proposal = make_proposal(bildning, title=f"Fler {number}")
        decide(proposal, Outcome.FINANSIERAS)
        file_report(tertial, proposal, "tjp-bildning", progress=Progress.ENLIGT_PLAN)
    with django_assert_num_queries(2):
        result = overview(round_2026, tertial, today=TODAY)
    assert len(result.rows) == 24


# --- the report workflow ---


def test_a_draft_is_saved_incomplete_and_submitted_complete(case, round_2026):
    delar = period(round_2026, PeriodKind.DELAR)
    report = file_report(delar, case["a"], "tjp-bildning", cost_outcome_tkr=700)
    assert report.state == AnalysisStatus.DRAFT
    with pytest.raises(ValidationError) as refused:
        submit_report(report, by=user("tjp-bildning"))
    assert set(refused.value.message_dict) == {"progress"}
    report = save_report(
        report,
        {"progress": Progress.STORRE_AVVIKELSE},
        by=user("tjp-bildning"),
        expected_version=report.version,
    )
    with pytest.raises(ValidationError) as refused:
        submit_report(report, by=user("tjp-bildning"))
    assert set(refused.value.message_dict) == {"effect_achieved", "deviation", "measures"}
    assert "åtgärder" in refused.value.message_dict["measures"][0]
    report = save_report(
        report,
        {"effect_achieved": Grad.LITEN, "deviation": "Sen start.", "measures": "Förläng."},
        by=user("tjp-bildning"),
        expected_version=report.version,
    )
    report = submit_report(report, by=user("tjp-bildning"))
    assert report.state == AnalysisStatus.SUBMITTED
    assert report.submitted_by == user("tjp-bildning")
    history = list(
        report.history.order_by("history_date").values_list("history_user__username", "state")
    )
    assert history == [
        ("tjp-bildning", "utkast"),
        ("tjp-bildning", "utkast"),
        ("tjp-bildning", "utkast"),
        ("tjp-bildning", "inlamnad"),
    ]
    # Submitted: closed for the förvaltning until the controller returns it.
    with pytest.raises(PermissionDenied):
        save_report(
            report, {"measures": "Ändrat"}, by=user("tjp-bildning"), expected_version=report.version
        )
    report = return_report(report, by=user("controller"), comment="Ange kostnaden per månad.")
    assert report.state == AnalysisStatus.RETURNED
    save_report(
        report, {"measures": "Ändrat"}, by=user("chef-bildning"), expected_version=report.version
    )


def test_not_yet_started_needs_no_effect(case, round_2026):
    tertial = period(round_2026, PeriodKind.TERTIAL_1)
    report = file_report(
        tertial,
        case["d"],
        "tjp-social",
        submit_on=TODAY,
        progress=Progress.EJ_PABORJAD,
        cost_outcome_tkr=0,
    )
    assert report.is_submitted


def test_a_stale_save_is_refused_and_writes_nothing(case, round_2026):
    tertial = period(round_2026, PeriodKind.TERTIAL_1)
    report = file_report(tertial, case["a"], "tjp-bildning", cost_outcome_tkr=100)
    save_report(report, {"cost_outcome_tkr": 200}, by=user("chef-bildning"), expected_version=1)
    with pytest.raises(ReportConflict) as conflict:
        save_report(report, {"cost_outcome_tkr": 300}, by=user("tjp-bildning"), expected_version=1)
    assert conflict.value.current.cost_outcome_tkr == 200
    assert FollowUpReport.objects.get(pk=report.pk).cost_outcome_tkr == 200
    # A second first save finds the first one's report.
    with pytest.raises(ReportConflict):
        save_report(
            FollowUpReport(period=tertial, proposal=case["a"]),
            {"cost_outcome_tkr": 1},
            by=user("tjp-bildning"),
            expected_version=None,
        )


def test_a_proposal_that_is_not_followed_up_has_no_report(case, round_2026):
    tertial = period(round_2026, PeriodKind.TERTIAL_1)
    with pytest.raises(ValidationError):
        file_report(tertial, case["e"], "tjp-social", cost_outcome_tkr=1)
    assert not FollowUpReport.objects.exists()


def test_periods_follow_each_other_and_keep_their_reports(case, round_2026):
    controller = user("controller")
    with pytest.raises(ValidationError):
        set_periods(
            round_2026,
            {PeriodKind.ARSBOKSLUT: datetime.date(2026, 8, 1)},
            by=controller,
        )
    file_report(period(round_2026, PeriodKind.DELAR), case["a"], "tjp-bildning")
    with pytest.raises(ValidationError):
        set_periods(round_2026, {PeriodKind.DELAR: None}, by=controller)
    set_periods(round_2026, {PeriodKind.TERTIAL_1: None}, by=controller)
    assert list(round_2026.follow_up_periods.values_list("kind", flat=True)) == [PeriodKind.DELAR]
    with pytest.raises(PermissionDenied):
        set_periods(round_2026, {PeriodKind.TERTIAL_1: TODAY}, by=user("tjp-bildning"))


# --- who may ---


def allowed(action, obj):
    return {name for name in CAST if may(user(name), action, obj)}


def test_who_may_report_view_and_return(case, round_2026):
    tertial = period(round_2026, PeriodKind.TERTIAL_1)
    draft = report_for(tertial, case["a"])
    assert allowed("report_follow_up", draft) == {"chef-bildning", "tjp-bildning"}
    assert allowed("return_follow_up_report", draft) == set()
    assert allowed("view_follow_up", case["a"].analysis) == {
        "controller",
        "revisor",
        "chef-bildning",
        "tjp-bildning",
    }
    assert allowed("view_follow_up", case["c"].analysis) == {"controller", "revisor", "tjp-social"}
    # The läsare reads every förvaltning's follow-up; only the controller exports it.
    assert allowed("view_follow_up_overview", round_2026) == {"controller", "revisor"}
    assert allowed("export_follow_up", round_2026) == {"controller"}

    report = file_report(
        tertial,
        case["a"],
        "tjp-bildning",
        submit_on=TODAY,
        progress=Progress.ENLIGT_PLAN,
        cost_outcome_tkr=1,
        effect_achieved=Grad.STOR,
    )
    assert allowed("report_follow_up", report) == set()
    assert allowed("return_follow_up_report", report) == {"controller"}

    round_2026.phase = Phase.AVSLUTAD
    round_2026.save()
    report = FollowUpReport.objects.select_related("proposal__analysis__round").get(pk=report.pk)
    assert allowed("return_follow_up_report", report) == set()
    fresh = Proposal.objects.select_related("analysis__round").get(pk=case["b"].pk)
    assert allowed("report_follow_up", report_for(tertial, fresh)) == set()
    with pytest.raises(PermissionDenied):
        file_report(tertial, case["b"], "tjp-bildning", cost_outcome_tkr=1)


# --- carrying over ---


@pytest.fixture
def round_2027(round_2026):
    return make_round(year=2027)  # in the verksamhetsanalys phase, open for 30 days


def test_who_may_carry_over_and_when(case, round_2026, round_2027):
    assert next_round(round_2026) == round_2027
    assert allowed("carry_over_proposal", case["a"]) == {
        "controller",
        "chef-bildning",
        "tjp-bildning",
    }
    assert allowed("carry_over_proposal", case["c"]) == {"controller", "tjp-social"}
    round_2027.phase = Phase.NAMND
    round_2027.save()
    assert allowed("carry_over_proposal", case["a"]) == set()


def test_carry_over_needs_a_next_round_and_a_followed_up_round(case, round_2026):
    assert allowed("carry_over_proposal", case["a"]) == set()  # no round 2027 yet
    make_round(year=2027)
    round_2026.phase = Phase.BESLUT
    round_2026.save()
    assert allowed("carry_over_proposal", Proposal.objects.get(pk=case["a"].pk)) == set()


def test_carry_over_copies_the_right_fields_and_leaves_the_old_round_alone(
    case, round_2026, round_2027
):
    old = case["b"]
    lists = {(item.kind, item.name): item for item in round_2026.list_items.all()}
    old.perspektiv = lists[(ListKind.PERSPEKTIV, "Invånare")]
    old.orsak = lists[(ListKind.ORSAK, "Lagkrav")]
    old.situation = "Köerna växer."
    old.atgard = "Fler platser."
    old.svarighetsgrad = 3
    old.nytta = 2
    old.kostnadseffektivitet = 2
    old.rekommendation = "rangordnas"
    old.rangordning = 2
    old.cost_year2 = 1100
    old.save()
    old.mal.set([])
    before = {name: getattr(old, name) for name in (*CARRIED_FIELDS, "rangordning", "version")}
    history_before = old.history.count()
    decision_before = Decision.objects.get(proposal=old).outcome
    make_proposal(analysis_of(round_2027, BILDNING), title="Redan i 2027")
    file_report(
        period(round_2026, PeriodKind.TERTIAL_1),
        old,
        "tjp-bildning",
        submit_on=TODAY,
        progress=Progress.STORRE_AVVIKELSE,
        cost_outcome_tkr=10,
        effect_achieved=Grad.LITEN,
        deviation="Lokalen saknas.",
        measures="Förs över till 2027.",
    )
    history_before = old.history.count()

    new = carry_over(old, by=user("tjp-bildning"), reason="Delvis finansierat; resten 2027.")

    new = Proposal.objects.select_related("round", "analysis__forvaltning").get(pk=new.pk)
    assert new.carried_from == old
    assert Proposal.objects.get(pk=old.pk).carried_into == new
    assert new.round == round_2027
    assert new.analysis.forvaltning.name == BILDNING
    assert new.number == 2
    assert new.carry_over_reason == "Delvis finansierat; resten 2027."
    assert "2026-002" in new.kommentar
    for name in CARRIED_FIELDS:
        assert getattr(new, name) == before[name], name
    assert new.perspektiv.round == round_2027
    assert new.perspektiv.name == "Invånare"
    assert new.orsak.round == round_2027
    assert new.orsak.name == "Lagkrav"
    assert new.rangordning is None  # the new round ranks anew
    assert new.created_by == user("tjp-bildning")
    assert new.history.first().history_change_reason == "Överfört från 2026-002"

    old = Proposal.objects.get(pk=old.pk)
    assert {name: getattr(old, name) for name in before} == before
    assert old.history.count() == history_before
    assert Decision.objects.get(proposal=old).outcome == decision_before

    with pytest.raises(ValidationError):
        carry_over(old, by=user("controller"), reason="En gång till.")
    assert round_2027.proposals.count() == 2


@pytest.mark.parametrize(
    ("progress", "carried"),
    [
        (None, False),  # no report yet: nothing shows it unfinished
        (Progress.ENLIGT_PLAN, False),
        (Progress.GENOMFORD, False),
        (Progress.EJ_PABORJAD, True),
        (Progress.MINDRE_AVVIKELSE, True),
        (Progress.STORRE_AVVIKELSE, True),
        (Progress.AVBRUTEN, True),
    ],
)
def test_what_is_carried_is_unfinished_by_its_latest_report(
    case, round_2026, round_2027, progress, carried
):
    proposal = case["a"]
    if progress is not None:
        file_report(
            period(round_2026, PeriodKind.TERTIAL_1),
            proposal,
            "tjp-bildning",
            submit_on=TODAY,
            progress=Progress.STORRE_AVVIKELSE,
            cost_outcome_tkr=1,
            effect_achieved=Grad.LITEN,
            deviation="Sent.",
            measures="Vänta.",
        )
        # The later report decides.
        file_report(
            period(round_2026, PeriodKind.DELAR),
            proposal,
            "tjp-bildning",
            submit_on=TODAY,
            progress=progress,
            cost_outcome_tkr=1,
            effect_achieved=Grad.LITEN,
            deviation="Text.",
            measures="Text.",
        )
    proposal = Proposal.objects.select_related("decision").get(pk=proposal.pk)
    assert may_be_carried(proposal) is carried
    if carried:
        carry_over(proposal, by=user("controller"), reason="Ofullbordat.")
    else:
        with pytest.raises(ValidationError):
            carry_over(proposal, by=user("controller"), reason="Ofullbordat.")
    assert round_2027.proposals.count() == int(carried)


def test_carry_over_needs_a_reason_and_a_decision_to_carry(case, round_2026, round_2027):
    with pytest.raises(ValidationError):
        carry_over(case["a"], by=user("controller"), reason="  ")
    with pytest.raises(ValidationError):
        carry_over(case["e"], by=user("controller"), reason="Avslaget.")  # Avslås
    carried = carry_over(case["f"], by=user("controller"), reason="Utredningen är klar.")
    assert carried.round == round_2027
    with pytest.raises(PermissionDenied):
        carry_over(case["c"], by=user("tjp-bildning"), reason="Fel förvaltning.")
    assert round_2027.proposals.count() == 1


def test_the_controllers_start_page_says_how_the_period_stands(case, round_2026, client):
    from tests.helpers import assert_queries_do_not_grow

    tertial = period(round_2026, PeriodKind.TERTIAL_1)
    file_report(
        tertial,
        case["a"],
        "tjp-bildning",
        submit_on=datetime.date(2026, 4, 29),
        progress=Progress.MINDRE_AVVIKELSE,
        cost_outcome_tkr=380,
        effect_achieved=Grad.MATTLIG,
        deviation="Sen start.",
        measures="Förlängning.",
    )
    client.force_login(user("controller"))
    html = client.get("/").content.decode()
    # Tertial 1 is the latest period whose last day has passed (Delår's is in the future
    # only when the test runs before September 2026).
    today = timezone.localdate()
    if today > datetime.date(2026, 8, 31):
        assert "Uppföljning 2026, Delår (januari–augusti): 0 av 4 rapporter inlämnade" in html
    else:
        assert (
            "Uppföljning 2026, Tertial 1 (januari–april): 1 av 4 rapporter inlämnade. "
            "Sena: 3. Avvikelser: 1."
        ) in html
    assert 'href="/omgangar/2026/uppfoljning/' in html

    bildning = analysis_of(round_2026, BILDNING)

    def grow():
        for number in range(10):
            proposal = make_proposal(bildning, title=f"Fler {number}")
            decide(proposal, Outcome.FINANSIERAS)
            file_report(
                tertial,
                proposal,
                "tjp-bildning",
                submit_on=TODAY,
                progress=Progress.ENLIGT_PLAN,
                cost_outcome_tkr=1,
                effect_achieved=Grad.STOR,
            )

    assert_queries_do_not_grow(client, "/", grow)


def test_the_start_page_asks_for_periods_when_there_are_none(demo, client):
    round = make_round(year=2026, phase=Phase.UPPFOLJNING)
    client.force_login(user("controller"))
    html = client.get("/").content.decode()
    assert "Uppföljning 2026: ange uppföljningsperioderna och deras sista dagar." in html
    assert f'href="/omgangar/{round.budget_year}/uppfoljning/perioder/"' in html
