"""The matrix chart: svårighetsgrad (x) × nytta (y), one bubble per proposal
whose area is proportional to its cost år 1 (a saving by what it saves).

A pure function over plain points, so the same drawing serves the web pages
and the PDF (templates/ranking/includes/matrix_chart.html) and the geometry is
easy to test. Proposals that share a cell are laid out side by side on a
small grid inside the cell, largest first, so no bubble hides another; one
scale is used for every bubble, so areas compare across the whole chart.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ranking.selectors import REFUSED
from rounds.models import Grad, Svarighetsgrad

WIDTH, HEIGHT = 640, 520
LEFT, RIGHT, TOP, BOTTOM = 118, 12, 12, 118
# A bubble fills at most this share of its slot's shorter side.
FILL = 0.92
# Below this radius a bubble carries no number (it would not be readable).
LABEL_MIN_RADIUS = 7.0
# The key under the plot: one entry per kind.
LEGEND_LEFT, LEGEND_COLUMN, LEGEND_ROW = LEFT + 8, 230, 22
# A proposal with no cost år 1 is drawn as a dot of this radius.
DOT_RADIUS = 1.5

# What a bubble stands for; the template draws each with its own fill and
# stroke, so the kinds are told apart without colour.
FUNDED = "funded"
GIVEN_UP = "given_up"
SAVING = "saving"
OUTSIDE = "outside"
KINDS = (FUNDED, GIVEN_UP, SAVING, OUTSIDE)
KIND_LABELS = {
    FUNDED: _("Ryms över budgetlinjen"),
    GIVEN_UP: _("Under budgetlinjen"),
    SAVING: _("Besparing"),
    OUTSIDE: _("Utanför budgetlinjen"),
}


@dataclass(frozen=True)
class Point:
    """One proposal as the chart needs it. ``label``: the short text in the
    bubble (the place in the forum's order); ``key``: anything the caller
    wants back (e.g. the proposal id)."""

    key: object
    label: str
    svarighetsgrad: int | None
    nytta: int | None
    cost: int
    kind: str = FUNDED


@dataclass(frozen=True)
class Bubble:
    key: object
    label: str
    cx: float
    cy: float
    r: float
    kind: str
    cost: int
    show_label: bool
    font_size: float


@dataclass(frozen=True)
class AxisLabel:
    position: float
    text: str


@dataclass(frozen=True)
class LegendEntry:
    x: int
    y: int
    kind: str
    label: str


@dataclass(frozen=True)
class Matrix:
    width: int
    height: int
    left: int
    top: int
    right_x: int
    bottom_y: int
    cell_width: float
    cell_height: float
    x_labels: list[AxisLabel]
    y_labels: list[AxisLabel]
    x_lines: list[float]
    y_lines: list[float]
    bubbles: list[Bubble]
    unplaced: int
    count: int
    largest: int
    legend: list[LegendEntry] = field(default_factory=list)

    @property
    def x_title_y(self) -> int:
        return self.bottom_y + 40

    @property
    def y_title_x(self) -> int:
        return 16

    @property
    def middle_x(self) -> float:
        return round((self.left + self.right_x) / 2, 1)

    @property
    def middle_y(self) -> float:
        return round((self.top + self.bottom_y) / 2, 1)


# Left to right: the smallest svårighetsgrad first. Bottom to top: Ingen nytta first.
X_LEVELS = sorted(Svarighetsgrad.values)
Y_LEVELS = sorted(Grad.values)


def _slots(count: int, cell_w: float, cell_h: float) -> tuple[int, int]:
    """Columns and rows of the grid that holds ``count`` bubbles in one cell:
    the one whose slots have the longest shorter side (cells are wide)."""
    best = (1, max(count, 1))
    for columns in range(1, max(count, 1) + 1):
        rows = math.ceil(count / columns) or 1
        if min(cell_w / columns, cell_h / rows) > min(cell_w / best[0], cell_h / best[1]):
            best = (columns, rows)
    return best


def _slot_side(count: int, cell_w: float, cell_h: float) -> float:
    columns, rows = _slots(count, cell_w, cell_h)
    return min(cell_w / columns, cell_h / rows)


def matrix(points: list[Point]) -> Matrix:
    """The chart's geometry for ``points`` (those without svårighetsgrad or
    nytta are counted in ``unplaced`` and not drawn)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    cell_w, cell_h = plot_w / len(X_LEVELS), plot_h / len(Y_LEVELS)
    cells: dict[tuple[int, int], list[Point]] = {}
    unplaced = 0
    for point in points:
        if point.svarighetsgrad in X_LEVELS and point.nytta in Y_LEVELS:
            cells.setdefault((point.svarighetsgrad, point.nytta), []).append(point)
        else:
            unplaced += 1
    # One scale for all: the densest cell's slots bound the largest bubble.
    slot = min(
        (_slot_side(len(c), cell_w, cell_h) for c in cells.values()),
        default=min(cell_w, cell_h),
    )
    max_radius = slot * FILL / 2
    largest = max((abs(point.cost) for c in cells.values() for point in c), default=0)
    bubbles = []
    for (x_level, y_level), members in sorted(cells.items()):
        columns, rows = _slots(len(members), cell_w, cell_h)
        slot_w, slot_h = cell_w / columns, cell_h / rows
        x0 = LEFT + X_LEVELS.index(x_level) * cell_w
        y0 = TOP + (len(Y_LEVELS) - 1 - Y_LEVELS.index(y_level)) * cell_h
        ordered = sorted(members, key=lambda p: -abs(p.cost))
        for i, point in enumerate(ordered):
            column, row = i % columns, i // columns
            r = max_radius * math.sqrt(abs(point.cost) / largest) if point.cost else DOT_RADIUS
            bubbles.append(
                Bubble(
                    key=point.key,
                    label=point.label,
                    cx=round(x0 + (column + 0.5) * slot_w, 2),
                    cy=round(y0 + (row + 0.5) * slot_h, 2),
                    r=round(max(r, 0.5), 3),
                    kind=point.kind if point.kind in KINDS else FUNDED,
                    cost=point.cost,
                    show_label=r >= LABEL_MIN_RADIUS and bool(point.label),
                    font_size=round(min(11.0, r * 0.9), 1),
                )
            )
    return Matrix(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        top=TOP,
        right_x=WIDTH - RIGHT,
        bottom_y=HEIGHT - BOTTOM,
        cell_width=round(cell_w, 2),
        cell_height=round(cell_h, 2),
        x_labels=[
            AxisLabel(round(LEFT + (i + 0.5) * cell_w, 1), str(Svarighetsgrad(level).label))
            for i, level in enumerate(X_LEVELS)
        ],
        y_labels=[
            AxisLabel(
                round(TOP + (len(Y_LEVELS) - 1 - i + 0.5) * cell_h, 1), str(Grad(level).label)
            )
            for i, level in enumerate(Y_LEVELS)
        ],
        x_lines=[round(LEFT + i * cell_w, 1) for i in range(len(X_LEVELS) + 1)],
        y_lines=[round(TOP + i * cell_h, 1) for i in range(len(Y_LEVELS) + 1)],
        bubbles=bubbles,
        unplaced=unplaced,
        count=len(points),
        largest=largest,
        legend=[
            LegendEntry(
                LEGEND_LEFT + (i % 2) * LEGEND_COLUMN,
                HEIGHT - BOTTOM + 60 + (i // 2) * LEGEND_ROW,
                kind,
                str(KIND_LABELS[kind]),
            )
            for i, kind in enumerate(KINDS)
        ],
    )


def kind_of(row) -> str:
    """The bubble kind of an outcome row (ranking.selectors.OutcomeRow) after
    ``with_line``: where the budget line put it."""
    if row.step is not None:
        return FUNDED if row.step.funded else GIVEN_UP
    if row.proposal.cost_year1 < 0 and not (
        row.decision is not None and row.decision.outcome in REFUSED
    ):
        return SAVING
    return OUTSIDE


def points_of(rows) -> list[Point]:
    """The chart's points for outcome rows that have their budget-line steps
    (``selectors.with_line``): no queries, the rows hold all it needs."""
    return [
        Point(
            key=row.proposal.pk,
            label=str(row.position),
            svarighetsgrad=row.proposal.svarighetsgrad,
            nytta=row.proposal.nytta,
            cost=row.proposal.cost_year1,
            kind=kind_of(row),
        )
        for row in rows
    ]


def matrix_for(rows) -> Matrix:
    """The chart of outcome rows, for the views and the PDF."""
    return matrix(points_of(rows))
