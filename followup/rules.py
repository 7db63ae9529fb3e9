"""The follow-up of a round as numbers: what was decided, what it costs so far
against its budget, which reports are in, late or missing, and what deviates.

The rules, in one place (and shown on the overview page as ``RULES``):

- A proposal is followed up when its decision is to carry it out:
  Finansieras, Finansieras delvis, Genomförs or Inom nämndens ram.
- Its decided amount is its cost år 1; for partial financing the amount
  granted. A saving is negative.
- The budget up to a period is the decided amount spread evenly over the
  year: 4/12 at Tertial 1, 8/12 at Delår, 12/12 at Årsbokslut, in whole
  tkr. It is rounded once, for the round's total (halves away from zero),
  and that total is shared out by the largest remainder — among the nämnder,
  then each nämnd's among its proposals — so the proposals add up to their
  nämnd and the nämnder to the total, each within 1 tkr of its exact share
  (no nämnd decided 1 000 tkr with a budget of 666 at Delår, 650 + 350
  rounded apart).
- The cost deviation of a submitted report is its cost outcome minus that
  budget: above zero costs more (or saves less) than decided.
- A nämnd's and the total's deviation count only the proposals whose report
  is submitted, so a missing report does not look like a saving.
- A report is late when it was submitted after the period's last day, or is
  still not submitted when that day has passed.

The overview is built from two queries however many proposals there are
(each proposal's genomförande — into the verksamhetsplan, budget and
internkontrollplan — comes with it).
"""

import datetime
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from django.db.models import Case, Count, F, Q, TextField, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from followup.models import (
    DEVIATING,
    PART_SHORT,
    PERIOD_MONTHS,
    UNFINISHED,
    FollowUpPeriod,
    FollowUpReport,
    ImplementationPart,
    PeriodKind,
    Progress,
)
from ranking.models import Outcome
from rounds.models import AnalysisStatus, Proposal, Round

RULES = _(
    "Följs upp: förslag med beslutet Finansieras, Finansieras delvis, Genomförs eller "
    "Inom nämndens ram. Beslutat belopp är kostnaden år 1, vid delvis finansiering det "
    "beviljade beloppet. Budgeten till och med perioden är det beslutade beloppet "
    "fördelat jämnt över året: 4/12 vid tertial 1, 8/12 vid delår och 12/12 vid "
    "årsbokslut, i hela tkr: summan avrundas en gång och fördelas så att förslagen "
    "summerar till nämndens budget och nämnderna till totalen. Avvikelsen är "
    "kostnadsutfallet minus den budgeten; ett positivt tal betyder högre kostnad (eller "
    "mindre besparing) än beslutat. Summorna per nämnd räknar bara förslag med inlämnad "
    "rapport. En rapport är sen när den lämnades in efter periodens sista dag, eller inte "
    "har lämnats in när den dagen har passerat."
)

# The decisions that are carried out, and so followed up.
FOLLOWED_UP = (
    Outcome.FINANSIERAS,
    Outcome.DELVIS,
    Outcome.RANSONERAS,
    Outcome.EFFEKTIVISERAS,
    Outcome.INOM_RAM,
)
# Decisions whose proposal may be proposed again in the next round: what was
# carried out (when its follow-up shows it unfinished) and what was to be
# investigated further.
CARRIABLE = (*FOLLOWED_UP, Outcome.UTREDS)


def next_round(round: Round) -> Round | None:
    """The kommun's round for the following budget year, if it exists."""
    return Round.objects.filter(
        kommun_id=round.kommun_id, budget_year=round.budget_year + 1
    ).first()


def decided_amount(outcome: str, amount_tkr: int | None, cost_year1: int) -> int:
    """The amount år 1 a decision grants (tkr): the granted amount for partial
    financing, else the proposal's cost år 1."""
    if outcome == Outcome.DELVIS and amount_tkr is not None:
        return amount_tkr
    return cost_year1


def period_budget(decided_tkr: int, kind: int) -> int:
    """The part of the year's decided amount that falls within the period,
    rounded on its own (halves away from zero). The proposals' budgets are
    :func:`period_budgets`' shares of the round's, which add up."""
    share = Decimal(decided_tkr) * PERIOD_MONTHS[PeriodKind(kind)] / 12
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def largest_remainder(exact: list[Fraction], total: int, weights: list[int]) -> list[int]:
    """Whole numbers, each ``exact`` rounded down or up, that add up to
    ``total`` (which must lie between the sums of the two): the ones with the
    largest fractions are rounded up; of equal fractions, the larger weight
    first, then the earlier."""
    parts = [math.floor(value) for value in exact]
    up = total - sum(parts)
    if not 0 <= up <= len(parts):
        raise ValueError("the total is not a rounding of the parts' sum")
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), -abs(weights[i]), i))
    for index in order[:up]:
        parts[index] += 1
    return parts


def period_budgets(decided: Iterable[tuple[int, int, int]], kind: int) -> dict[int, int]:
    """The budget up to the period of each followed-up proposal of a round,
    given (proposal, nämnd, decided amount) for all of them: the round's
    total rounded once (:func:`period_budget`), shared among the nämnder by
    the largest remainder, and each nämnd's among its proposals likewise. So
    the proposals add up to their nämnd's budget and the nämnder to the
    total, and each is within 1 tkr of its exact share."""
    months = PERIOD_MONTHS[PeriodKind(kind)]
    by_namnd: dict[int, list[tuple[int, int]]] = {}
    for proposal_id, namnd_id, amount in decided:
        by_namnd.setdefault(namnd_id, []).append((proposal_id, amount))
    namnder = list(by_namnd)
    sums = [sum(amount for _pk, amount in by_namnd[n]) for n in namnder]
    namnd_budgets = largest_remainder(
        [Fraction(amount * months, 12) for amount in sums], period_budget(sum(sums), kind), sums
    )
    budgets: dict[int, int] = {}
    for namnd_id, namnd_budget in zip(namnder, namnd_budgets, strict=True):
        members = by_namnd[namnd_id]
        amounts = [amount for _pk, amount in members]
        shares = largest_remainder(
            [Fraction(amount * months, 12) for amount in amounts], namnd_budget, amounts
        )
        budgets.update(zip((pk for pk, _amount in members), shares, strict=True))
    return budgets


def proposal_budget(round: Round, proposal_id: int, decided_tkr: int, kind: int) -> int:
    """One proposal's budget up to the period, as the overview shares it out
    (one query: every followed-up proposal's decided amount); one not
    followed up, its own amount's."""
    budgets = period_budgets(_decided_amounts(followed_up_proposals(round)), kind)
    return budgets.get(proposal_id, period_budget(decided_tkr, kind))


def _decided_amounts(queryset) -> list[tuple[int, int, int]]:
    return [
        (pk, namnd_id, decided_amount(outcome, amount_tkr, cost_year1))
        for pk, namnd_id, outcome, amount_tkr, cost_year1 in queryset.values_list(
            "pk",
            "analysis__forvaltning__namnd_id",
            "decision__outcome",
            "decision__amount_tkr",
            "cost_year1",
        )
    ]


def followed_up_proposals(round: Round):
    """The round's proposals whose decision is to carry them out."""
    return Proposal.objects.filter(
        round=round, withdrawn_at__isnull=True, decision__outcome__in=FOLLOWED_UP
    )


class Timing(StrEnum):
    ON_TIME = "on_time"
    SUBMITTED_LATE = "submitted_late"
    NOT_YET = "not_yet"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return TIMING_LABELS[self]

    @property
    def is_late(self) -> bool:
        return self in (Timing.SUBMITTED_LATE, Timing.OVERDUE)

    @property
    def is_missing(self) -> bool:
        return self in (Timing.NOT_YET, Timing.OVERDUE)


TIMING_LABELS = {
    Timing.ON_TIME: _("Inlämnad i tid"),
    Timing.SUBMITTED_LATE: _("Inlämnad för sent"),
    Timing.NOT_YET: _("Inte inlämnad"),
    Timing.OVERDUE: _("Försenad – saknas"),
}


def timing(
    submitted_at: datetime.datetime | None, deadline: datetime.date, today: datetime.date
) -> Timing:
    """Whether a report came in on time; ``submitted_at`` is None while it is
    not submitted. A report handed in on its last day is on time."""
    if submitted_at is not None:
        day = timezone.localdate(submitted_at)
        return Timing.ON_TIME if day <= deadline else Timing.SUBMITTED_LATE
    return Timing.OVERDUE if today > deadline else Timing.NOT_YET


@dataclass(frozen=True)
class ReportData:
    """A report as the overview needs it (read with ``values()``)."""

    pk: int
    kind: int
    state: str
    progress: str
    cost_outcome_tkr: int | None
    effect_achieved: int | None
    effect_text: str
    deviation: str
    measures: str
    submitted_at: datetime.datetime | None

    @property
    def is_submitted(self) -> bool:
        return self.state == AnalysisStatus.SUBMITTED

    @property
    def progress_label(self) -> str:
        return Progress(self.progress).label if self.progress else ""

    @property
    def kind_label(self) -> str:
        return PeriodKind(self.kind).label


@dataclass(frozen=True)
class PartData:
    """One part of a proposal's genomförande: taken into the verksamhetsplan,
    budget or internkontrollplan on ``date`` (None: not yet), ``reference``."""

    part: str
    date: datetime.date | None
    reference: str

    @property
    def short(self) -> str:
        return str(PART_SHORT[ImplementationPart(self.part)])

    @property
    def label(self) -> str:
        return ImplementationPart(self.part).label

    @property
    def text(self) -> str:
        """ "VP 12 mars 2027" or "VP saknas": in words, never by colour alone."""
        if self.date is None:
            return gettext("%(part)s saknas") % {"part": self.short}
        return f"{self.short} {date_format(self.date, 'j F Y')}"

    @property
    def long_text(self) -> str:
        """With its reference: "VP 12 mars 2027 (VP 2027 avsnitt 4.2)"."""
        if self.date is None:
            return self.text
        return f"{self.text} ({self.reference})"


# The genomförande's fields, read with the proposals in the same query.
IMPLEMENTATION_VALUES = tuple(
    f"implementation__{part.value}_{name}"
    for part in ImplementationPart
    for name in ("date", "reference")
)


def implementation_parts(values: tuple) -> tuple[PartData, ...]:
    """The three parts from :data:`IMPLEMENTATION_VALUES`' values (all None
    when nothing is recorded)."""
    return tuple(
        PartData(part.value, values[2 * index], values[2 * index + 1] or "")
        for index, part in enumerate(ImplementationPart)
    )


def parts_of(implementation) -> tuple[PartData, ...]:
    """The three parts of a saved genomförande (None: nothing recorded)."""
    return tuple(
        PartData(part.value, *implementation.part(part.value))
        if implementation is not None
        else PartData(part.value, None, "")
        for part in ImplementationPart
    )


@dataclass
class Row:
    """One followed-up proposal in one period."""

    proposal_id: int
    number: int
    reference: str
    title: str
    namnd_id: int
    namnd: str
    forvaltning_id: int
    forvaltning: str
    outcome: str
    decided_tkr: int
    budget_tkr: int
    report: ReportData | None  # this period's, in any state
    earlier: ReportData | None  # the latest submitted report of an earlier period
    timing: Timing
    # Where it was taken into the nämnd's verksamhetsplan, budget, internkontrollplan.
    implementation: tuple[PartData, ...] = ()

    @property
    def implementation_text(self) -> str:
        """ "VP 12 mars 2027 · Budget saknas · IKP saknas"."""
        return " · ".join(part.text for part in self.implementation)

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def submitted(self) -> ReportData | None:
        return self.report if self.report is not None and self.report.is_submitted else None

    @property
    def progress(self) -> str:
        """The status this period reports ("" while its report is not in)."""
        return self.submitted.progress if self.submitted else ""

    @property
    def latest(self) -> ReportData | None:
        """The latest submitted report: this period's, else an earlier one."""
        return self.submitted or self.earlier

    @property
    def outcome_tkr(self) -> int | None:
        return self.submitted.cost_outcome_tkr if self.submitted else None

    @property
    def deviation_tkr(self) -> int | None:
        outcome = self.outcome_tkr
        return None if outcome is None else outcome - self.budget_tkr

    @property
    def is_deviating(self) -> bool:
        return self.progress in DEVIATING

    @property
    def is_unfinished(self) -> bool:
        latest = self.latest
        return latest is not None and latest.progress in UNFINISHED


@dataclass
class Sums:
    """Cost against budget for a nämnd, or for the whole round."""

    label: str
    proposals: int = 0
    reported: int = 0
    decided_tkr: int = 0
    budget_tkr: int = 0
    reported_budget_tkr: int = 0
    outcome_tkr: int = 0

    @property
    def deviation_tkr(self) -> int:
        return self.outcome_tkr - self.reported_budget_tkr

    @property
    def missing(self) -> int:
        return self.proposals - self.reported

    def add(self, row: Row) -> None:
        self.proposals += 1
        self.decided_tkr += row.decided_tkr
        self.budget_tkr += row.budget_tkr
        if row.submitted is not None:
            self.reported += 1
            self.reported_budget_tkr += row.budget_tkr
            self.outcome_tkr += row.outcome_tkr or 0


@dataclass
class Overview:
    round: Round
    period: FollowUpPeriod
    today: datetime.date
    rows: list[Row]
    namnder: list[Sums] = field(default_factory=list)
    total: Sums | None = None

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.period.deadline

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(progress value, label, count) for every status, in the scale's
        order, and last the reports not in ("" value)."""
        counts = Counter(row.progress for row in self.rows)
        result = [(value, label, counts.get(value, 0)) for value, label in Progress.choices]
        result.append(("", _("Rapport saknas"), counts.get("", 0)))
        return result

    @property
    def missing(self) -> list[Row]:
        return [row for row in self.rows if row.timing.is_missing]

    @property
    def late(self) -> list[Row]:
        return [row for row in self.rows if row.timing.is_late]

    @property
    def deviations(self) -> list[Row]:
        return [row for row in self.rows if row.is_deviating]

    @property
    def reports_missing_text(self) -> str:
        """How many reports are not in and how many came late, in words that
        fit the numbers: no "2 rapporter …, varav 2 efter sista dagen" when
        the last day has passed for all of them."""
        missing = len(self.missing)
        overdue = sum(1 for row in self.rows if row.timing == Timing.OVERDUE)
        late = sum(1 for row in self.rows if row.timing == Timing.SUBMITTED_LATE)
        if not missing:
            sentences = [gettext("Alla rapporter är inlämnade.")]
        elif overdue == missing:
            sentences = [
                ngettext(
                    "%(count)s rapport är inte inlämnad och sista dagen har passerat.",
                    "%(count)s rapporter är inte inlämnade och sista dagen har passerat.",
                    missing,
                )
                % {"count": missing}
            ]
        elif overdue:
            sentences = [
                ngettext(
                    "%(count)s rapport är inte inlämnad",
                    "%(count)s rapporter är inte inlämnade",
                    missing,
                )
                % {"count": missing}
                + "; "
                + ngettext(
                    "för %(overdue)s av dem har sista dagen passerat.",
                    "för %(overdue)s av dem har sista dagen passerat.",
                    overdue,
                )
                % {"overdue": overdue}
            ]
        else:
            sentences = [
                ngettext(
                    "%(count)s rapport är inte inlämnad.",
                    "%(count)s rapporter är inte inlämnade.",
                    missing,
                )
                % {"count": missing}
            ]
        if late:
            sentences.append(
                ngettext(
                    "%(count)s rapport lämnades in för sent.",
                    "%(count)s rapporter lämnades in för sent.",
                    late,
                )
                % {"count": late}
            )
        return " ".join(sentences)

    @property
    def missing_by_forvaltning(self) -> list[tuple[str, int, int]]:
        """(förvaltning, reports not in, of which overdue), for those with any."""
        missing: Counter = Counter()
        overdue: Counter = Counter()
        for row in self.rows:
            if row.timing.is_missing:
                missing[row.forvaltning] += 1
            if row.timing == Timing.OVERDUE:
                overdue[row.forvaltning] += 1
        return [(name, missing[name], overdue[name]) for name in sorted(missing)]


REPORT_FIELDS = (
    "pk",
    "period__kind",
    "state",
    "progress",
    "cost_outcome_tkr",
    "effect_achieved",
    "effect_text",
    "deviation",
    "measures",
    "submitted_at",
    "proposal_id",
)


TEXT_FIELDS = ("effect_text", "deviation", "measures")


def _report(values: tuple) -> tuple[int, ReportData]:
    *data, proposal_id = values
    return proposal_id, ReportData(*data)


def overview(
    round: Round,
    period: FollowUpPeriod,
    *,
    today: datetime.date | None = None,
    proposals=None,
) -> Overview:
    """The follow-up of ``period``: every followed-up proposal (or those of
    ``proposals``, a queryset narrowing them, e.g. to one förvaltning) with its
    report, budget and timing, and the sums per nämnd and in total."""
    return overviews(round, [period], today=today, proposals=proposals)[0]


def overviews(
    round: Round,
    periods: list[FollowUpPeriod],
    *,
    today: datetime.date | None = None,
    proposals=None,
) -> list[Overview]:
    """:func:`overview` of each of ``periods`` (in their order), from the same
    two queries: the proposals, and their reports up to the last period (and
    a third when ``proposals`` narrows them: the round's decided amounts, of
    which the budgets are shares)."""
    if not periods:
        return []
    today = today or timezone.localdate()
    queryset = followed_up_proposals(round) if proposals is None else proposals
    # The genomförande comes in the same query (a left join: one per proposal).
    read = list(
        queryset.order_by("analysis__forvaltning__namnd__name", "number").values_list(
            "pk",
            "number",
            "title",
            "cost_year1",
            "analysis__forvaltning__namnd_id",
            "analysis__forvaltning__namnd__name",
            "analysis__forvaltning_id",
            "analysis__forvaltning__name",
            "decision__outcome",
            "decision__amount_tkr",
            *IMPLEMENTATION_VALUES,
        )
    )
    width = len(read[0]) - len(IMPLEMENTATION_VALUES) if read else 0
    proposal_rows = [values[:width] for values in read]
    implementations = {values[0]: implementation_parts(values[width:]) for values in read}
    kinds = {period.kind for period in periods}
    # Reports of other periods give only their status: their texts stay in the database.
    asked = {
        name: Case(
            When(period__kind__in=kinds, then=F(name)),
            default=Value(""),
            output_field=TextField(),
        )
        for name in TEXT_FIELDS
    }
    by_kind: dict[int, dict[int, ReportData]] = {}
    reports = (
        FollowUpReport.objects.filter(
            period__round=round, period__kind__lte=max(kinds), proposal__in=queryset
        )
        .annotate(**{f"{name}_now": value for name, value in asked.items()})
        .order_by("period__kind")
        .values_list(*(f"{name}_now" if name in TEXT_FIELDS else name for name in REPORT_FIELDS))
    )
    for values in reports:
        proposal_id, report = _report(values)
        by_kind.setdefault(report.kind, {})[proposal_id] = report
    # The budgets are shares of the whole round's (a narrowed overview asks
    # for every followed-up proposal's amount: one query more), so a
    # proposal's budget is the same on every page.
    if proposals is None:
        decided = [
            (pk, namnd_id, decided_amount(outcome, amount_tkr, cost_year1))
            for pk, _number, _title, cost_year1, namnd_id, *_rest, outcome, amount_tkr in (
                proposal_rows
            )
        ]
    else:
        decided = _decided_amounts(followed_up_proposals(round))
    return [
        _overview(
            round,
            period,
            today,
            proposal_rows,
            by_kind,
            period_budgets(decided, period.kind),
            implementations,
        )
        for period in periods
    ]


def _overview(round, period, today, proposal_rows, by_kind, budgets, implementations) -> Overview:
    current = by_kind.get(period.kind, {})
    earlier: dict[int, ReportData] = {}
    for kind in sorted(kind for kind in by_kind if kind < period.kind):
        for proposal_id, report in by_kind[kind].items():
            if report.is_submitted:
                earlier[proposal_id] = report  # in the periods' order: the latest wins
    rows = []
    for (
        pk,
        number,
        title,
        cost_year1,
        namnd_id,
        namnd,
        forvaltning_id,
        forvaltning,
        outcome,
        amount_tkr,
    ) in proposal_rows:
        decided = decided_amount(outcome, amount_tkr, cost_year1)
        report = current.get(pk)
        submitted_at = report.submitted_at if report is not None and report.is_submitted else None
        rows.append(
            Row(
                proposal_id=pk,
                number=number,
                reference=f"{round.budget_year}-{number:03d}",
                title=title,
                namnd_id=namnd_id,
                namnd=namnd,
                forvaltning_id=forvaltning_id,
                forvaltning=forvaltning,
                outcome=outcome,
                decided_tkr=decided,
                budget_tkr=budgets[pk],
                report=report,
                earlier=earlier.get(pk),
                timing=timing(submitted_at, period.deadline, today),
                implementation=implementations[pk],
            )
        )

    result = Overview(round=round, period=period, today=today, rows=rows)
    by_namnd: dict[int, Sums] = {}
    result.total = Sums(label=str(_("Totalt")))
    for row in rows:
        by_namnd.setdefault(row.namnd_id, Sums(label=row.namnd)).add(row)
        result.total.add(row)
    result.namnder = sorted(by_namnd.values(), key=lambda sums: sums.label)
    return result


@dataclass(frozen=True)
class Counts:
    """How a period stands, in numbers: what the controller's start page says."""

    proposals: int
    reported: int
    late: int
    deviations: int


def period_counts(round: Round, period: FollowUpPeriod, *, today: datetime.date) -> Counts:
    """The overview's counts of ``period`` — proposals followed up, reports
    in, late reports (:func:`timing`) and deviations — in one query."""
    on_period = Q(
        follow_up_reports__period=period, follow_up_reports__state=AnalysisStatus.SUBMITTED
    )
    # Handed in after the last day: from the start of the next day, local time.
    day_after = timezone.make_aware(
        datetime.datetime.combine(period.deadline + datetime.timedelta(days=1), datetime.time())
    )
    numbers = followed_up_proposals(round).aggregate(
        proposals=Count("pk", distinct=True),
        reported=Count("follow_up_reports", filter=on_period),
        submitted_late=Count(
            "follow_up_reports",
            filter=on_period & Q(follow_up_reports__submitted_at__gte=day_after),
        ),
        deviations=Count(
            "follow_up_reports", filter=on_period & Q(follow_up_reports__progress__in=DEVIATING)
        ),
    )
    missing = numbers["proposals"] - numbers["reported"]
    overdue = missing if today > period.deadline else 0
    return Counts(
        proposals=numbers["proposals"],
        reported=numbers["reported"],
        late=numbers["submitted_late"] + overdue,
        deviations=numbers["deviations"],
    )


def latest_reports(proposal_ids) -> dict[int, FollowUpReport]:
    """Each proposal's latest submitted report, with its period, in one query:
    what a carry-over starts from."""
    latest: dict[int, FollowUpReport] = {}
    reports = (
        FollowUpReport.objects.filter(proposal_id__in=proposal_ids, state=AnalysisStatus.SUBMITTED)
        .select_related("period")
        .only(
            "pk",
            "proposal_id",
            "progress",
            "deviation",
            "measures",
            "cost_outcome_tkr",
            "period__kind",
            "period__round_id",
        )
        .order_by("period__kind")
    )
    for report in reports:
        latest[report.proposal_id] = report  # ordered by period: the latest wins
    return latest
