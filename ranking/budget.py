"""The budget line (alternativkostnad): walking the forum's order, the
cumulative cost against the frame.

Pure functions over plain numbers, so the rule is easy to read and to test:

- A proposal with a negative cost år 1 is a saving (ransonering or
  effektivisering): it widens the frame by what it saves, unless the decision
  on it is Avslås or Utreds vidare.
- A proposal decided "Inom nämndens ram" is paid by its nämnd and stays off the
  line.
- Every other proposal, in order, adds its cost år 1 — for partial financing the
  amount granted — to the cumulative cost. It is funded (above the line) while
  the cumulative cost is within the frame; a proposal exactly on the frame is
  funded. The first proposal that does not fit draws the line: it and every
  proposal after it fall below, which is what the municipality gives up.
- Years 1–3 are shown beside: the cumulative cost år 1–3 against three times
  the frame plus the savings år 1–3. For partial financing the years 2–3 count in
  the same share as år 1.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

RULE = _(
    "Budgetlinjen: förslagen läggs i forumets ordning och kostnaden år 1 summeras. "
    "Förslag ryms över linjen så länge den sammanlagda kostnaden ryms inom ramen; ett "
    "förslag som precis når ramen ryms. Det första förslag som inte ryms drar linjen, "
    "och det och alla förslag efter hamnar under linjen. Besparingar (ransonering och "
    "effektivisering) vidgar ramen med det de sparar, utom när beslutet är Avslås eller "
    "Utreds vidare. Förslag som beslutats inom nämndens ram ligger utanför linjen. Vid "
    "delvis finansiering räknas det beviljade beloppet, och år 2–3 i samma andel. För "
    "år 1–3 jämförs med tre gånger ramen."
)

YEARS = 3


@dataclass(frozen=True)
class Entry:
    """One proposal as the line needs it. ``partial_tkr``: the amount granted
    år 1 when the decision is partial financing. ``off_line``: decided within
    the nämnd's frame. ``saving_refused``: a saving whose decision is Avslås or
    Utreds vidare (it does not widen the frame)."""

    key: object
    cost_year1: int
    cost_years1_3: int
    partial_tkr: int | None = None
    off_line: bool = False
    saving_refused: bool = False

    @property
    def is_saving(self) -> bool:
        return self.cost_year1 < 0


@dataclass(frozen=True)
class Step:
    key: object
    cost: int
    cost_1_3: int
    cumulative: int
    cumulative_1_3: int
    funded: bool
    fits_1_3: bool
    partial: bool


@dataclass
class Line:
    frame: int
    savings: int
    savings_1_3: int
    steps: list[Step] = field(default_factory=list)
    saving_keys: list = field(default_factory=list)
    refused_saving_keys: list = field(default_factory=list)
    off_line_keys: list = field(default_factory=list)

    @property
    def effective_frame(self) -> int:
        return self.frame + self.savings

    @property
    def effective_frame_1_3(self) -> int:
        return YEARS * self.frame + self.savings_1_3

    @property
    def funded(self) -> list[Step]:
        return [step for step in self.steps if step.funded]

    @property
    def given_up(self) -> list[Step]:
        return [step for step in self.steps if not step.funded]

    @property
    def funded_total(self) -> int:
        return sum(step.cost for step in self.funded)

    @property
    def given_up_total(self) -> int:
        return sum(step.cost for step in self.given_up)

    @property
    def remaining(self) -> int:
        """What is left of the (widened) frame after the funded proposals."""
        return self.effective_frame - self.funded_total

    @property
    def line_index(self) -> int:
        """How many steps are above the line (the line is drawn after them)."""
        return len(self.funded)


def _share(entry: Entry) -> tuple[int, int, bool]:
    """The cost år 1 and år 1–3 the line counts for ``entry``."""
    if entry.partial_tkr is None:
        return entry.cost_year1, entry.cost_years1_3, False
    if entry.cost_year1 > 0:
        share = entry.partial_tkr / entry.cost_year1
        return entry.partial_tkr, round(entry.cost_years1_3 * share), True
    return entry.partial_tkr, entry.partial_tkr * YEARS, True


def budget_line(entries: list[Entry], frame: int) -> Line:
    """The budget line for ``entries`` in order, against ``frame`` (tkr år 1)."""
    line = Line(frame=frame, savings=0, savings_1_3=0)
    counted: list[Entry] = []
    for entry in entries:
        if entry.off_line:
            line.off_line_keys.append(entry.key)
        elif entry.is_saving:
            if entry.saving_refused:
                line.refused_saving_keys.append(entry.key)
            else:
                line.saving_keys.append(entry.key)
                line.savings += -entry.cost_year1
                line.savings_1_3 += max(0, -entry.cost_years1_3)
        else:
            counted.append(entry)
    cumulative = cumulative_1_3 = 0
    crossed = False
    for entry in counted:
        cost, cost_1_3, partial = _share(entry)
        cumulative += cost
        cumulative_1_3 += cost_1_3
        if not crossed and cumulative > line.effective_frame:
            crossed = True
        line.steps.append(
            Step(
                key=entry.key,
                cost=cost,
                cost_1_3=cost_1_3,
                cumulative=cumulative,
                cumulative_1_3=cumulative_1_3,
                funded=not crossed,
                fits_1_3=cumulative_1_3 <= line.effective_frame_1_3,
                partial=partial,
            )
        )
    return line


# --- the chart ---
# Coordinates for the server-rendered SVG (templates/ranking/includes/
# budget_chart.svg): one bar per proposal at its cumulative cost, the frame as
# a horizontal line. Computed here so the web page and the PDF draw the same.

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    funded: bool


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom_y: float
    right_x: float
    bars: list[Bar]
    frame_y: float
    ticks: list[Tick]
    line_x: float | None


def nice_step(span: int) -> int:
    """A round step (1, 2, 2.5 or 5 × a power of ten) for about five ticks."""
    raw = max(1, span) / 5
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude) or 1
    return int(10 * magnitude)


def chart(line: Line) -> Chart:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top_value = max([line.effective_frame, 1] + [step.cumulative for step in line.steps])
    low_value = min([0] + [step.cumulative for step in line.steps])
    step = nice_step(top_value - low_value)
    top_value = -(-top_value // step) * step
    low_value = (low_value // step) * step
    span = top_value - low_value or 1

    def y(value):
        return round(TOP + plot_h * (top_value - value) / span, 1)

    count = len(line.steps) or 1
    slot = plot_w / count
    gap = slot * 0.15 if slot > 4 else 0
    bars = []
    for i, s in enumerate(line.steps):
        base, value = y(0), y(s.cumulative)
        bars.append(
            Bar(
                x=round(LEFT + i * slot + gap / 2, 2),
                y=min(base, value),
                width=round(max(slot - gap, 0.5), 2),
                height=max(abs(base - value), 0.5),
                funded=s.funded,
            )
        )
    ticks = [Tick(y(v), v) for v in range(low_value, top_value + 1, step)]
    line_x = round(LEFT + line.line_index * slot, 1) if line.steps else None
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        bottom_y=y(low_value),
        right_x=WIDTH - RIGHT,
        bars=bars,
        frame_y=y(line.effective_frame),
        ticks=ticks,
        line_x=line_x,
    )
