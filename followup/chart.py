"""The follow-up's chart: per nämnd, what was decided for the year, the budget
up to the period and the cost outcome reported so far, as horizontal bars.

Computed here and drawn by ``templates/followup/overview_chart.html``,
so the overview page and the PDF follow-up report show the same drawing (as
``ranking.budget.chart`` does for the budget line). The three bars of a nämnd
differ in fill and outline — outlined, hatched, solid — not in colour alone,
and the cost table beside the chart holds every value in words and numbers.

The budget bar and the outcome bar are those of the proposals whose report
is in (``followup.rules.Sums.reported_budget_tkr`` and ``outcome_tkr``), so
that their difference is the nämnd's deviation, and a missing report does not
look like a saving; the decided bar is the whole year's decided amount.

The words the overview, its PDF and its Excel share for a row's status and
deviation are here too (:func:`signed_tkr`, :func:`status_of`), so the three
say the same thing.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followup.models import PeriodKind
from followup.rules import Row, Sums
from prioritering.templatetags.formatting import tkr
from ranking.budget import nice_step

WIDTH = 760
LEFT = 236  # room for the nämnd's name
RIGHT = 24
TOP = 44  # room for the legend
BOTTOM = 34  # room for the axis' numbers
BAR = 10
GAP = 18  # between two nämnder
GROUP = 3 * BAR + GAP
LABEL_CHARACTERS = 34  # a longer name is shortened (the table has it whole)
LEGEND_LEFT = 16

# The bars of a nämnd, top to bottom: (kind, which sum).
KINDS = ("decided", "budget", "outcome")


@dataclass(frozen=True)
class Bar:
    kind: str
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass(frozen=True)
class Group:
    label: str
    full_label: str
    reports: str  # "3 av 4 rapporter"
    label_y: float
    reports_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    x: float
    value: int


@dataclass(frozen=True)
class LegendEntry:
    kind: str
    x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right_x: float
    top: int
    bottom_y: float
    zero_x: float
    groups: list[Group]
    ticks: list[Tick]
    legend: list[LegendEntry]


def _short(name: str) -> str:
    if len(name) <= LABEL_CHARACTERS:
        return name
    return name[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _values(sums: Sums) -> tuple[int, int, int]:
    return sums.decided_tkr, sums.reported_budget_tkr, sums.outcome_tkr


def chart(namnder: Sequence[Sums], reports_text) -> Chart:
    """The chart of ``namnder`` (one group each, in their order).
    ``reports_text(sums)`` words the reports in, e.g. "3 av 4 rapporter"."""
    plot_w = WIDTH - LEFT - RIGHT
    values = [value for sums in namnder for value in _values(sums)]
    high = max([1, *values])
    low = min([0, *values])
    step = nice_step(high - low)
    high = -(-high // step) * step
    low = (low // step) * step
    span = high - low or 1

    def x(value: int) -> float:
        return round(LEFT + plot_w * (value - low) / span, 1)

    zero = x(0)
    groups = []
    for index, sums in enumerate(namnder):
        top = TOP + index * GROUP
        bars = []
        for position, (kind, value) in enumerate(zip(KINDS, _values(sums), strict=True)):
            end = x(value)
            bars.append(
                Bar(
                    kind=kind,
                    x=min(zero, end),
                    y=top + position * BAR,
                    width=max(abs(end - zero), 0.5),
                    height=BAR - 1,
                    value=value,
                )
            )
        groups.append(
            Group(
                label=_short(sums.label),
                full_label=sums.label,
                reports=reports_text(sums),
                label_y=top + BAR,
                reports_y=top + 2.4 * BAR,
                bars=bars,
            )
        )
    bottom = TOP + max(1, len(namnder)) * GROUP - GAP / 2
    ticks = [Tick(x(value), value) for value in range(low, high + 1, step)]
    slot = (WIDTH - 2 * LEGEND_LEFT) / len(KINDS)
    legend = [LegendEntry(kind, round(LEGEND_LEFT + i * slot, 1)) for i, kind in enumerate(KINDS)]
    return Chart(
        width=WIDTH,
        height=round(bottom + BOTTOM),
        left=LEFT,
        right_x=WIDTH - RIGHT,
        top=TOP,
        bottom_y=bottom,
        zero_x=zero,
        groups=groups,
        ticks=ticks,
        legend=legend,
    )


# --- the words of a row -------------------------------------------------------


def signed_tkr(value: int | None, unit: str = "tkr") -> str:
    """A deviation with its sign: ``+1 500 tkr``, ``−300 tkr``, ``0 tkr``;
    "–" when there is none (the report is not in)."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + tkr(value, unit)


@dataclass(frozen=True)
class Status:
    """A row's latest status: its key (a Progress value, or "saknas"), its
    words, and the earlier period it comes from ("" for this period's)."""

    key: str
    label: str
    period: str

    @property
    def text(self) -> str:
        """The status in words, with the earlier period it comes from."""
        if self.period:
            return _("%(status)s (%(period)s)") % {"status": self.label, "period": self.period}
        return self.label


# A period in a few words, to mark a status that comes from an earlier period.
SHORT_PERIOD = {
    PeriodKind.TERTIAL_1: gettext_lazy("Tertial 1"),
    PeriodKind.DELAR: gettext_lazy("Delår"),
    PeriodKind.ARSBOKSLUT: gettext_lazy("Årsbokslut"),
}
MISSING = "saknas"


def status_of(row: Row) -> Status:
    """This period's status; else the latest earlier one, marked with its
    period; else "Rapport saknas"."""
    if row.submitted is not None:
        return Status(row.submitted.progress, str(row.submitted.progress_label), "")
    if row.earlier is not None:
        earlier = row.earlier
        label = str(earlier.progress_label)
        return Status(earlier.progress, label, str(SHORT_PERIOD[earlier.kind]))
    return Status(MISSING, _("Rapport saknas"), "")
