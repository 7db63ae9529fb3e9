"""The budget line (alternativkostnad): walking the forum's order, the
cumulative cost against the frame. What the frame is follows the round's
purpose (``rounds.models.Purpose``; its values are repeated here so this
module stays free of the models).

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

By purpose:

- **Fördela nya resurser** (``NYA``): the frame is new money, as above.
- **Omfördela befintliga resurser** (``OMFORDELA``): no new money; the frame is
  0 whatever the round holds, and the savings alone fund new needs — the same
  walk against a frame of 0 plus the savings.
- **Fördela minskade resurser** (``MINSKADE``): the frame is a required
  reduction of the costs år 1, given as a positive number (one written as a
  negative number, as the settings allowed before, counts as its size). The savings are
  walked in the forum's order (for a reduction the order of least loss), each
  with its cumulative saving; a saving is *needed* while the savings before it
  have not reached the reduction, and the line is drawn after the last needed
  one. The reduction is met exactly, not met (by ``shortfall``) or over-met
  (by ``surplus``). Every saving not refused is carried out, so the savings
  beyond the reduction (the surplus) are all a reduction round has for
  proposals that cost money: they are walked in order against the surplus
  exactly as new money is walked against a frame — the frame is minus the
  reduction, plus the savings. When the savings do not reach the reduction
  the surplus is negative and no proposal that costs money is funded (not even
  one costing 0: the reduction comes first). Years 1–3: against the savings
  år 1–3 less three times the reduction.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

NYA, MINSKADE, OMFORDELA = "nya", "minskade", "omfordela"

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

RULE_MINSKADE = _(
    "Budgetlinjen vid minskade resurser: ramen är ett krav på att kostnaderna år 1 ska "
    "minska med ett visst belopp. Besparingarna (ransonering och effektivisering) läggs i "
    "forumets ordning, där den som ger minst förlust står först, och summeras. En besparing "
    "behövs för att nå minskningen så länge besparingarna före den inte har nått kravet; "
    "linjen dras efter den sista som behövs. För varje besparing visas vad den kostar i "
    "konsekvens. Besparingar där beslutet är Avslås eller Utreds vidare räknas inte. Alla "
    "andra besparingar genomförs, och det de sparar utöver kravet är det enda som kan "
    "finansiera förslag som kostar pengar: de läggs i forumets ordning mot överskottet och "
    "ryms så länge den sammanlagda kostnaden ryms inom det; det första förslag som inte ryms "
    "drar linjen för dem. Når besparingarna inte kravet ryms inget förslag som kostar "
    "pengar. Förslag som beslutats inom nämndens ram ligger utanför linjen. Vid delvis "
    "finansiering räknas det beviljade beloppet, och år 2–3 i samma andel. För år 1–3 "
    "jämförs med besparingarna år 1–3 minus tre gånger kravet."
)

RULE_OMFORDELA = _(
    "Budgetlinjen vid omfördelning av befintliga resurser: inga nya pengar tillförs, så "
    "ramen är 0 och omgångens ekonomiska utrymme används inte. Besparingarna (ransonering "
    "och effektivisering) är det som finansierar nya behov, utom när beslutet är Avslås "
    "eller Utreds vidare. Förslagen som kostar pengar läggs i forumets ordning och "
    "kostnaden år 1 summeras. De ryms över linjen så länge den sammanlagda kostnaden ryms "
    "inom besparingarna; ett förslag som precis når dem ryms. Det första förslag som inte "
    "ryms drar linjen, och det och alla förslag efter hamnar under linjen. Förslag som "
    "beslutats inom nämndens ram ligger utanför linjen. Vid delvis finansiering räknas det "
    "beviljade beloppet, och år 2–3 i samma andel. För år 1–3 jämförs med besparingarna "
    "år 1–3."
)

RULES = {NYA: RULE, MINSKADE: RULE_MINSKADE, OMFORDELA: RULE_OMFORDELA}


def rule(purpose: str):
    """The rule text of the line for a round with ``purpose``."""
    return RULES.get(purpose, RULE)


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


@dataclass(frozen=True)
class SavingStep:
    """A saving in the forum's order, as a positive amount: what it saves år 1
    and år 1–3, the cumulative saving år 1, and whether it is needed to reach
    a required reduction (never, outside a reduction round)."""

    key: object
    saving: int
    saving_1_3: int
    cumulative: int
    needed: bool


@dataclass
class Line:
    """``frame``: as the round gives it — the frame of new money, the required
    reduction (positive) or, when reallocating, 0."""

    frame: int
    savings: int
    savings_1_3: int
    purpose: str = NYA
    steps: list[Step] = field(default_factory=list)
    saving_steps: list[SavingStep] = field(default_factory=list)
    saving_keys: list = field(default_factory=list)
    refused_saving_keys: list = field(default_factory=list)
    off_line_keys: list = field(default_factory=list)

    @property
    def reduction(self) -> bool:
        return self.purpose == MINSKADE

    @property
    def required(self) -> int:
        """The required reduction år 1 (0 outside a reduction round)."""
        return self.frame if self.reduction else 0

    @property
    def base(self) -> int:
        """The money the line starts from before the savings: the frame, or
        minus the required reduction."""
        return -self.frame if self.reduction else self.frame

    @property
    def effective_frame(self) -> int:
        """What the proposals that cost money are walked against: the base
        plus the savings (for a reduction: the surplus, negative when the
        reduction is not met)."""
        return self.base + self.savings

    @property
    def effective_frame_1_3(self) -> int:
        return YEARS * self.base + self.savings_1_3

    @property
    def shortfall(self) -> int:
        """How much the savings lack of the required reduction."""
        return max(0, self.required - self.savings)

    @property
    def surplus(self) -> int:
        """How much the savings exceed the required reduction."""
        return max(0, self.savings - self.required) if self.reduction else 0

    @property
    def reduction_met(self) -> bool:
        return self.savings >= self.required

    @property
    def charted(self) -> bool:
        """Whether the chart has bars: the savings of a reduction, else the
        proposals on the line."""
        return bool(self.saving_steps if self.reduction else self.steps)

    @property
    def needed_savings(self) -> list[SavingStep]:
        return [step for step in self.saving_steps if step.needed]

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


def budget_line(entries: list[Entry], frame: int, purpose: str = NYA) -> Line:
    """The budget line for ``entries`` in order, against ``frame`` (tkr år 1)
    read as ``purpose`` says: new money, a required reduction, or ignored (0)
    when reallocating."""
    if purpose == OMFORDELA:
        frame = 0
    elif purpose == MINSKADE:
        frame = abs(frame)  # a reduction written as a negative number is its size
    line = Line(frame=frame, savings=0, savings_1_3=0, purpose=purpose)
    counted: list[Entry] = []
    for entry in entries:
        if entry.off_line:
            line.off_line_keys.append(entry.key)
        elif entry.is_saving:
            if entry.saving_refused:
                line.refused_saving_keys.append(entry.key)
            else:
                saving, saving_1_3 = -entry.cost_year1, max(0, -entry.cost_years1_3)
                line.saving_steps.append(
                    SavingStep(
                        key=entry.key,
                        saving=saving,
                        saving_1_3=saving_1_3,
                        cumulative=line.savings + saving,
                        needed=line.savings < line.required,
                    )
                )
                line.saving_keys.append(entry.key)
                line.savings += saving
                line.savings_1_3 += saving_1_3
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


def line_words(line: Line) -> str:
    """The words on the row that draws the line in a table, with
    ``%(frame)s`` for what the proposals were walked against."""
    if line.reduction:
        return gettext(
            "Budgetlinjen – överskottet utöver kravet på minskning, %(frame)s. Förslagen "
            "nedanför är det kommunen avstår."
        )
    if line.purpose == OMFORDELA:
        return gettext(
            "Budgetlinjen – besparingarna, %(frame)s. Förslagen nedanför är det kommunen avstår."
        )
    return gettext("Budgetlinjen – ramen %(frame)s. Förslagen nedanför är det kommunen avstår.")


def figures(line: Line) -> list[tuple[str, int]]:
    """The line's key figures as (label, tkr) in the order the pages, the
    decision document and the export show them; the labels follow the
    purpose. Called per request (the labels are translated now)."""
    # Each text spelled out twice (singular, plural) so makemessages finds it.
    funded = ngettext(
        "Ryms över linjen (%(counter)s förslag)",
        "Ryms över linjen (%(counter)s förslag)",
        len(line.funded),
    ) % {"counter": len(line.funded)}
    given_up = ngettext(
        "Under linjen, det kommunen avstår (%(counter)s förslag)",
        "Under linjen, det kommunen avstår (%(counter)s förslag)",
        len(line.given_up),
    ) % {"counter": len(line.given_up)}
    if line.reduction:
        return [
            (gettext("Krav på minskning år 1"), line.required),
            (
                ngettext(
                    "Besparingar som genomförs (%(counter)s)",
                    "Besparingar som genomförs (%(counter)s)",
                    len(line.saving_steps),
                )
                % {"counter": len(line.saving_steps)},
                line.savings,
            ),
            (
                ngettext(
                    "Besparingar som behövs för att nå minskningen (%(counter)s)",
                    "Besparingar som behövs för att nå minskningen (%(counter)s)",
                    len(line.needed_savings),
                )
                % {"counter": len(line.needed_savings)},
                sum(step.saving for step in line.needed_savings),
            ),
            (gettext("Saknas för att nå minskningen"), line.shortfall),
            (gettext("Besparingar utöver kravet, för förslag som kostar"), line.surplus),
            (
                ngettext(
                    "Ryms i överskottet (%(counter)s förslag)",
                    "Ryms i överskottet (%(counter)s förslag)",
                    len(line.funded),
                )
                % {"counter": len(line.funded)},
                line.funded_total,
            ),
            (gettext("Kvar av överskottet"), max(0, line.remaining)),
            (given_up, line.given_up_total),
        ]
    if line.purpose == OMFORDELA:
        return [
            (gettext("Ram år 1 (inga nya pengar vid omfördelning)"), line.frame),
            (gettext("Besparingar som finansierar nya behov"), line.savings),
            (funded, line.funded_total),
            (gettext("Kvar av besparingarna"), line.remaining),
            (given_up, line.given_up_total),
            (gettext("Besparingar år 1–3"), line.effective_frame_1_3),
        ]
    return [
        (gettext("Ram år 1"), line.frame),
        (gettext("Besparingar som vidgar ramen"), line.savings),
        (gettext("Ram inklusive besparingar"), line.effective_frame),
        (funded, line.funded_total),
        (gettext("Kvar av ramen"), line.remaining),
        (given_up, line.given_up_total),
        (gettext("Ram år 1–3 inklusive besparingar"), line.effective_frame_1_3),
    ]


# --- the chart ---
# Coordinates for the server-rendered SVG (templates/ranking/includes/
# budget_chart.svg): one bar per proposal at its cumulative cost, the frame as
# a horizontal line. Computed here so the web page and the PDF draw the same.
# For a reduction the bars are the savings at their cumulative saving, the
# horizontal line the required reduction and the vertical line drawn after the
# last saving needed to reach it (``chart_points``).

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


def chart_points(line: Line) -> tuple[list[tuple[int, bool]], int, int]:
    """What the chart draws: (cumulative, above the line) per bar, the level
    of the horizontal line and how many bars stand before the vertical one.
    New money and reallocation: the cumulative cost of each proposal against
    the frame with the savings. A reduction: the cumulative saving of each
    saving against the required reduction."""
    if line.reduction:
        points = [(s.cumulative, s.needed) for s in line.saving_steps]
        return points, line.required, len(line.needed_savings)
    points = [(s.cumulative, s.funded) for s in line.steps]
    return points, line.effective_frame, line.line_index


def chart(line: Line) -> Chart:
    points, level, line_index = chart_points(line)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top_value = max([level, 1] + [value for value, _above in points])
    low_value = min([0] + [value for value, _above in points])
    step = nice_step(top_value - low_value)
    top_value = -(-top_value // step) * step
    low_value = (low_value // step) * step
    span = top_value - low_value or 1

    def y(value):
        return round(TOP + plot_h * (top_value - value) / span, 1)

    count = len(points) or 1
    slot = plot_w / count
    gap = slot * 0.15 if slot > 4 else 0
    bars = []
    for i, (value, above) in enumerate(points):
        base, top = y(0), y(value)
        bars.append(
            Bar(
                x=round(LEFT + i * slot + gap / 2, 2),
                y=min(base, top),
                width=round(max(slot - gap, 0.5), 2),
                height=max(abs(base - top), 0.5),
                funded=above,
            )
        )
    ticks = [Tick(y(v), v) for v in range(low_value, top_value + 1, step)]
    line_x = round(LEFT + line_index * slot, 1) if points else None
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        bottom_y=y(low_value),
        right_x=WIDTH - RIGHT,
        bars=bars,
        frame_y=y(level),
        ticks=ticks,
        line_x=line_x,
    )
