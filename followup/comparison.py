"""Two rounds side by side, per nämnd: how many proposals, what they would
cost, how many were funded and for how much, the funded share, and the cost
outcome so far. The controller's view of how the years differ.

The rules, in one place (and shown on the page as ``RULES``), are below. The
numbers come from three aggregate queries (the nämnder, the proposals grouped,
the reports grouped) however many proposals the rounds have.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils.translation import gettext_lazy as _

from followup.lifecycle import PERIOD_SHORT
from followup.models import FollowUpReport
from followup.rules import FOLLOWED_UP, decided_amount
from rounds.models import AnalysisStatus, Namnd, Proposal, Round

RULES = _(
    "Förslag: förslagen i inlämnade verksamhetsanalyser, utom återkallade. Kostnad år 1: "
    "summan av deras kostnad år 1; en besparing räknas negativt. Finansierade: förslag med "
    "beslutet Finansieras, Finansieras delvis, Genomförs eller Inom nämndens ram (de som följs "
    "upp). Finansierat år 1: det beslutade beloppet år 1, vid delvis finansiering det beviljade "
    "beloppet. Finansierad andel: det finansierade beloppet år 1 för förslag med positiv "
    "kostnad år 1, delat med den föreslagna kostnaden år 1 för alla förslag med positiv "
    "kostnad år 1, i procent med en decimal; besparingar och förslag utan kostnad räknas inte. "
    "Utfall: summan av kostnadsutfallet i de inlämnade rapporterna för den senaste period i "
    "omgången som har inlämnade rapporter; ett streck när det inte finns någon."
)


@dataclass
class Figures:
    """One nämnd's (or the total's) numbers in one round."""

    proposals: int = 0
    cost_tkr: int = 0
    funded: int = 0
    funded_tkr: int = 0
    positive_cost_tkr: int = 0  # proposed cost år 1 of proposals with a positive cost
    funded_positive_tkr: int = 0  # funded amount år 1 of those of them that are funded
    outcome_tkr: int | None = None  # None: no submitted report in the period
    reports: int = 0

    @property
    def share(self) -> Decimal | None:
        """The funded share in percent, one decimal (halves up); None when
        no proposal has a positive cost år 1."""
        if self.positive_cost_tkr <= 0:
            return None
        share = Decimal(self.funded_positive_tkr * 100) / Decimal(self.positive_cost_tkr)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def add(self, other: "Figures") -> None:
        self.proposals += other.proposals
        self.cost_tkr += other.cost_tkr
        self.funded += other.funded
        self.funded_tkr += other.funded_tkr
        self.positive_cost_tkr += other.positive_cost_tkr
        self.funded_positive_tkr += other.funded_positive_tkr
        self.reports += other.reports
        if other.outcome_tkr is not None:
            self.outcome_tkr = (self.outcome_tkr or 0) + other.outcome_tkr


@dataclass
class Line:
    """A nämnd (or the total): its figures per round, in the rounds' order."""

    label: str
    figures: list[Figures]


@dataclass
class Column:
    """One round of the comparison, and the period its outcome is from."""

    round: Round
    period_kind: int | None = None

    @property
    def period_label(self) -> str:
        return str(PERIOD_SHORT[self.period_kind]) if self.period_kind else ""


@dataclass
class Comparison:
    columns: list[Column]
    lines: list[Line] = field(default_factory=list)
    total: Line | None = None

    @property
    def rows(self) -> list[tuple[Line, list[tuple[Column, Figures]]]]:
        """Each nämnd with its figures beside their round: the page shows a
        row per round under each nämnd, so the two years read one above the
        other and the table fits the window however many rounds it holds."""
        return [(line, list(zip(self.columns, line.figures, strict=True))) for line in self.lines]

    @property
    def total_rows(self) -> list[tuple[Column, Figures]]:
        return list(zip(self.columns, self.total.figures, strict=True)) if self.total else []


def compare(first: Round, second: Round) -> Comparison:
    """The rounds per nämnd, the earlier budget year first. The nämnder are
    those of either round's analyses."""
    rounds = sorted({first.pk: first, second.pk: second}.values(), key=lambda r: r.budget_year)
    index = {round.pk: position for position, round in enumerate(rounds)}
    columns = [Column(round) for round in rounds]

    namnder = dict(
        Namnd.objects.filter(forvaltningar__analyses__round__in=rounds)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    figures: dict[int, list[Figures]] = {
        namnd_id: [Figures() for _ in rounds] for namnd_id in namnder
    }

    def of(namnd_id: int, round_id: int) -> Figures:
        return figures.setdefault(namnd_id, [Figures() for _ in rounds])[index[round_id]]

    groups = (
        Proposal.objects.filter(
            round__in=rounds, withdrawn_at__isnull=True, analysis__status=AnalysisStatus.SUBMITTED
        )
        .values(
            "round_id",
            "analysis__forvaltning__namnd_id",
            "decision__outcome",
            positive=ExpressionWrapper(Q(cost_year1__gt=0), output_field=BooleanField()),
            partial=ExpressionWrapper(
                Q(decision__amount_tkr__isnull=False), output_field=BooleanField()
            ),
        )
        .annotate(count=Count("pk"), cost=Sum("cost_year1"), amount=Sum("decision__amount_tkr"))
        .order_by()
    )
    for group in groups:
        numbers = of(group["analysis__forvaltning__namnd_id"], group["round_id"])
        count, cost = group["count"], group["cost"] or 0
        numbers.proposals += count
        numbers.cost_tkr += cost
        if group["positive"]:
            numbers.positive_cost_tkr += cost
        outcome = group["decision__outcome"]
        if outcome in FOLLOWED_UP:
            # decided_amount is a sum's as well as one proposal's: the group
            # holds either only granted amounts or none.
            amount = decided_amount(outcome, group["amount"] if group["partial"] else None, cost)
            numbers.funded += count
            numbers.funded_tkr += amount
            if group["positive"]:
                numbers.funded_positive_tkr += amount

    reports = list(
        FollowUpReport.objects.filter(
            period__round__in=rounds,
            state=AnalysisStatus.SUBMITTED,
            proposal__withdrawn_at__isnull=True,
        )
        .values("period__round_id", "period__kind", "proposal__analysis__forvaltning__namnd_id")
        .annotate(count=Count("pk"), outcome=Sum("cost_outcome_tkr"))
        .order_by()
    )
    for row in reports:
        column = columns[index[row["period__round_id"]]]
        column.period_kind = max(column.period_kind or 0, row["period__kind"])
    for row in reports:
        round_id = row["period__round_id"]
        if row["period__kind"] != columns[index[round_id]].period_kind:
            continue
        numbers = of(row["proposal__analysis__forvaltning__namnd_id"], round_id)
        numbers.outcome_tkr = (numbers.outcome_tkr or 0) + (row["outcome"] or 0)
        numbers.reports += row["count"]

    missing = set(figures) - set(namnder)
    if missing:  # a nämnd with proposals but no analysis in either round: not expected
        namnder.update(Namnd.objects.filter(pk__in=missing).values_list("pk", "name"))
    result = Comparison(columns=columns)
    result.lines = sorted(
        (Line(label=namnder[namnd_id], figures=numbers) for namnd_id, numbers in figures.items()),
        key=lambda line: line.label,
    )
    total = [Figures() for _ in rounds]
    for line in result.lines:
        for sums, numbers in zip(total, line.figures, strict=True):
            sums.add(numbers)
    result.total = Line(label=str(_("Totalt")), figures=total)
    return result
