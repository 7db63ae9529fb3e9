"""How sure the budget line is: whether a proposal's place above or below the
line holds when one forum member's ranks are left out, when the same ranks
are combined by another rule, or when the costs are a little off.

Pure functions over plain numbers (no models), beside ``aggregate`` (the
sammanvägd rangordning) and ``budget`` (the line), whose rules they reuse:

- **The method's rule**: the forum's ranks combined by the median
  (``aggregate.order``), the line drawn over that order with the round's
  frame (``budget.budget_line``: savings, decisions and purpose as on the
  budget line page). Every other run changes one thing and draws the line the
  same way; the decisions (partial financing, within the nämnd's frame,
  refused savings) stay as they are.
- **Leave one out**: for each member in turn, the median without that
  member's ranks. A proposal's ``leave_one_out`` is the share of those runs in
  which it lies above the line (with fewer than two members there is nothing
  to leave out, and it is None).
- **Other rules**, shown for insight and never applied: the mean (lower
  first, unranked last), a Borda count (rank r gives 11 − r points, unranked
  none; more points first) and Copeland (each pair of proposals compared by
  the members who ranked both; a proposal scores its pairwise majorities won
  less those lost; higher first). Ties under a rule keep the median's order.
- **Cost uncertainty**: every cost år 1 varied by ± ``percent`` % on the
  median's order. Whether a proposal is above the line only ever improves
  when costs fall and savings grow, so the two extremes (costs low and
  savings high; costs high and savings low) decide whether it can cross.

"Above the line" is a funded proposal for those that cost money and, in a
round of reduced resources, a saving needed to reach the reduction.
Proposals not on the line (savings that only widen the frame, proposals kept
within the nämnd's frame, refused savings) get no stability.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
from django.utils.translation import gettext_lazy as _

from ranking import budget

MEDIAN, MEAN, BORDA, COPELAND = "median", "mean", "borda", "copeland"
RULE_KEYS = (MEDIAN, MEAN, BORDA, COPELAND)
RULE_LABELS = {
    MEDIAN: _("Median (metodens regel)"),
    MEAN: _("Medelvärde"),
    BORDA: _("Borda"),
    COPELAND: _("Copeland"),
}

SIDE_TEXTS = {True: _("Över"), False: _("Under")}

# The classes, most telling first: a proposal gets the first that applies.
STABLE_ABOVE = "stabil_over"
STABLE_BELOW = "stabil_under"
MEMBER = "beror_pa_ledamot"
RULE_DEPENDENT = "beror_pa_regeln"
COST = "beror_pa_kostnaden"
CLASS_LABELS = {
    STABLE_ABOVE: _("Stabil över linjen"),
    STABLE_BELOW: _("Stabil under linjen"),
    MEMBER: _("Beror på en enskild ledamot"),
    RULE_DEPENDENT: _("Beror på regeln"),
    COST: _("Beror på kostnaden"),
}
CLASSES = (STABLE_ABOVE, MEMBER, RULE_DEPENDENT, COST, STABLE_BELOW)

DEFAULT_PERCENT = 10
MAX_PERCENT = 50
BORDA_TOP = 11  # rank r gives BORDA_TOP − r points

RULE = _(
    "Forumets rangordningar vägs samman med medianen och linjen dras "
    "med omgångens ram, precis som på budgetlinjen. Sedan prövas tre saker, en i taget. "
    "En ledamot i taget: medianen räknas om utan den ledamotens rangordning och linjen "
    "dras igen; andelen av de omräkningarna där förslaget hamnar över linjen visas. Andra "
    "regler: samma rangordningar vägs samman med medelvärdet, med Borda (rang 1 ger 10 "
    "poäng, rang 10 ger 1, ej rangordnat 0) och med Copeland (förslagen jämförs parvis av "
    "de ledamöter som rangordnat båda; ett förslag får ett plus för varje förslag en "
    "majoritet sätter efter det och ett minus för varje förslag en majoritet sätter före). "
    "Kostnaden: varje kostnad år 1 ändras med plus eller minus en viss procent. Ett förslag "
    "är stabilt när det hamnar på samma sida av linjen i alla prövningar; annars visas "
    "det första som flyttar det: en enskild ledamot, regeln eller kostnaden. Medianen är "
    "metodens regel; de andra reglerna visas bara för att pröva resultatet och används "
    "aldrig. Besluten (delvis finansiering, inom nämndens ram, avslagna besparingar) är "
    "desamma i alla prövningar."
)


@dataclass(frozen=True)
class Stability:
    """One proposal on the line. ``above``: under the method's rule.
    ``leave_one_out``: the share of leave-one-out runs above the line (None
    with fewer than two members). ``rules``: above the line under each rule.
    ``cost_low`` / ``cost_high``: above the line with costs lowered / raised
    by the percentage."""

    above: bool
    leave_one_out: float | None
    rules: dict[str, bool]
    cost_low: bool
    cost_high: bool
    runs: int = 0  # how many leave-one-out runs ``leave_one_out`` is a share of

    @property
    def runs_above(self) -> int:
        return round((self.leave_one_out or 0) * self.runs)

    @property
    def member_dependent(self) -> bool:
        return self.leave_one_out is not None and self.leave_one_out != (1.0 if self.above else 0.0)

    @property
    def rule_dependent(self) -> bool:
        return any(above != self.above for above in self.rules.values())

    @property
    def cost_dependent(self) -> bool:
        return self.cost_low != self.above or self.cost_high != self.above

    @property
    def klass(self) -> str:
        if self.member_dependent:
            return MEMBER
        if self.rule_dependent:
            return RULE_DEPENDENT
        if self.cost_dependent:
            return COST
        return STABLE_ABOVE if self.above else STABLE_BELOW

    @property
    def label(self):
        return CLASS_LABELS[self.klass]

    @property
    def stable(self) -> bool:
        return self.klass in (STABLE_ABOVE, STABLE_BELOW)

    # The words of the tables of proposals whose side is not sure (the pages'
    # and the decision document's), so each template holds markup only.

    @property
    def side_text(self):
        return SIDE_TEXTS[self.above]

    @property
    def leave_one_out_text(self):
        if self.leave_one_out is None:
            return "–"
        return _("Över i %(above)s av %(runs)s") % {"above": self.runs_above, "runs": self.runs}

    @property
    def other_rules(self) -> list[tuple]:
        """(the rule's name, over or under by it) for each rule but the median,
        in ``RULE_KEYS``' order."""
        return [
            (RULE_LABELS[key], SIDE_TEXTS[self.rules[key]]) for key in RULE_KEYS if key != MEDIAN
        ]

    @property
    def cost_text(self):
        if self.above and not self.cost_high:
            return _("Under om kostnaderna är högre")
        if not self.above and self.cost_low:
            return _("Över om kostnaderna är lägre")
        return _("Samma sida")

    @property
    def leave_one_out_percent(self) -> int | None:
        if self.leave_one_out is None:
            return None
        return round(self.leave_one_out * 100)


@dataclass(frozen=True)
class Analysis:
    """The whole analysis: how many members' ranks it rests on, the cost
    variation used and each proposal on the line's stability by key."""

    members: int
    percent: int
    stability: dict = field(default_factory=dict)

    def of(self, key) -> Stability | None:
        return self.stability.get(key)

    @property
    def counts(self) -> list[tuple[str, object, int]]:
        """(class, label, how many) for each class, in the classes' order."""
        counted = dict.fromkeys(CLASSES, 0)
        for stability in self.stability.values():
            counted[stability.klass] += 1
        return [(klass, CLASS_LABELS[klass], counted[klass]) for klass in CLASSES]

    @property
    def unstable(self) -> int:
        return sum(1 for stability in self.stability.values() if not stability.stable)


# --- combining ranks ---


class _Tally:
    """One proposal's ranks as counts per rank (ranks are 1–10), so a member's
    ranks can be taken out and put back without sorting."""

    __slots__ = ("counts", "n", "total")

    def __init__(self):
        self.counts = [0] * (BORDA_TOP + 1)
        self.n = 0
        self.total = 0

    def add(self, rank: int, sign: int = 1) -> None:
        self.counts[rank] += sign
        self.n += sign
        self.total += sign * rank

    def median(self) -> float:
        """The median, as ``statistics.median`` gives it for the ranks."""
        n = self.n
        low_index, high_index = (n - 1) // 2, n // 2
        low = high = None
        seen = 0
        for rank, count in enumerate(self.counts):
            if not count:
                continue
            seen += count
            if low is None and seen > low_index:
                low = rank
            if seen > high_index:
                high = rank
                break
        return (low + high) / 2

    def mean(self) -> float:
        return self.total / self.n


def _median_order(tallies: Mapping) -> list:
    """Keys by the method's rule, as ``aggregate.order``: median, then mean,
    then key; the unranked last by key."""

    def sort_key(key):
        tally = tallies[key]
        if tally.n == 0:
            return (1, 0.0, 0.0, key)
        return (0, tally.median(), tally.mean(), key)

    return sorted(tallies, key=sort_key)


def _tallies(ballots: Iterable[Mapping], keys: Iterable) -> dict:
    tallies = {key: _Tally() for key in keys}
    for ballot in ballots:
        for key, rank in ballot.items():
            if key in tallies:
                tallies[key].add(rank)
    return tallies


def _mean_order(tallies: Mapping, median_order: list) -> list:
    position = {key: i for i, key in enumerate(median_order)}

    def sort_key(key):
        tally = tallies[key]
        if tally.n == 0:
            return (1, 0.0, position[key])
        return (0, tally.mean(), position[key])

    return sorted(median_order, key=sort_key)


def _borda_order(tallies: Mapping, median_order: list) -> list:
    position = {key: i for i, key in enumerate(median_order)}

    def points(key):
        tally = tallies[key]
        return BORDA_TOP * tally.n - tally.total

    return sorted(median_order, key=lambda key: (-points(key), position[key]))


def copeland_scores(ballots: list[Mapping], keys: list) -> dict:
    """Each key's Copeland score: pairwise majorities won less those lost,
    each pair compared by the members who ranked both (a member who gives
    both the same rank prefers neither)."""
    index = {key: i for i, key in enumerate(keys)}
    size = len(keys)
    prefers = np.zeros((size, size), dtype=np.int32)
    for ballot in ballots:
        ranks = np.full(size, np.nan)
        for key, rank in ballot.items():
            if key in index:
                ranks[index[key]] = rank
        # a < b with NaN is False: an unranked proposal is never compared
        prefers += ranks[:, None] < ranks[None, :]
    wins = (prefers > prefers.T).sum(axis=1)
    losses = (prefers < prefers.T).sum(axis=1)
    return {key: int(wins[i] - losses[i]) for key, i in index.items()}


def _copeland_order(ballots, median_order: list) -> list:
    scores = copeland_scores(ballots, median_order)
    position = {key: i for i, key in enumerate(median_order)}
    return sorted(median_order, key=lambda key: (-scores[key], position[key]))


# --- the line ---


def _above(entries: list[budget.Entry], frame: int, purpose: str) -> dict:
    """Above the line, by key, for the entries on it, in the order given."""
    line = budget.budget_line(entries, frame, purpose)
    above = {step.key: step.funded for step in line.steps}
    if line.reduction:
        above.update((step.key, step.needed) for step in line.saving_steps)
    return above


def _in_order(entries: Mapping, order: list) -> list[budget.Entry]:
    return [entries[key] for key in order]


def _scaled(entry: budget.Entry, percent: int, up: bool) -> budget.Entry:
    """``entry`` in hundredths of a tkr with its cost år 1 raised (``up``) or
    lowered by ``percent`` — a saving's size the other way, so that "up" is
    the worst case for the line. A granted partial amount is a decision, not
    an estimate: it stays."""
    sign = 1 if up else -1
    factor = 100 + sign * percent if entry.cost_year1 >= 0 else 100 - sign * percent
    return replace(
        entry,
        cost_year1=entry.cost_year1 * factor,
        cost_years1_3=entry.cost_years1_3 * factor,
        partial_tkr=None if entry.partial_tkr is None else entry.partial_tkr * 100,
    )


def analyse(
    ballots: Iterable[Mapping],
    entries: Iterable[budget.Entry],
    frame: int,
    purpose: str = budget.NYA,
    percent: int = DEFAULT_PERCENT,
) -> Analysis:
    """The robustness of the line drawn over ``entries`` (their order does
    not matter: each run orders them by its rule; keys are sortable, as
    proposal ids) from ``ballots`` — one mapping of key → rank (1–10) per
    member who ranked — against ``frame`` read as ``purpose`` says, with
    costs varied by ``percent``."""
    ballots = [ballot for ballot in ballots if ballot]
    by_key = {entry.key: entry for entry in entries}
    tallies = _tallies(ballots, by_key)
    median_order = _median_order(tallies)
    base = _above(_in_order(by_key, median_order), frame, purpose)
    if not base:
        return Analysis(members=len(ballots), percent=percent)

    rules = {
        MEDIAN: base,
        MEAN: _above(_in_order(by_key, _mean_order(tallies, median_order)), frame, purpose),
        BORDA: _above(_in_order(by_key, _borda_order(tallies, median_order)), frame, purpose),
        COPELAND: _above(_in_order(by_key, _copeland_order(ballots, median_order)), frame, purpose),
    }

    above_runs = dict.fromkeys(base, 0)
    runs = 0
    if len(ballots) >= 2:
        for ballot in ballots:
            shown = [(key, rank) for key, rank in ballot.items() if key in tallies]
            for key, rank in shown:
                tallies[key].add(rank, -1)
            run = _above(_in_order(by_key, _median_order(tallies)), frame, purpose)
            for key, rank in shown:
                tallies[key].add(rank)
            runs += 1
            for key, above in run.items():
                if above and key in above_runs:
                    above_runs[key] += 1

    ordered = _in_order(by_key, median_order)
    low = _above([_scaled(e, percent, up=False) for e in ordered], frame * 100, purpose)
    high = _above([_scaled(e, percent, up=True) for e in ordered], frame * 100, purpose)

    stability = {
        key: Stability(
            above=above,
            leave_one_out=above_runs[key] / runs if runs else None,
            rules={rule: rules[rule].get(key, False) for rule in RULE_KEYS},
            cost_low=low.get(key, above),
            cost_high=high.get(key, above),
            runs=runs,
        )
        for key, above in base.items()
    }
    return Analysis(members=len(ballots), percent=percent, stability=stability)


def median_order(ballots: Iterable[Mapping], keys: Iterable) -> list:
    """The keys in the method's order computed from ``ballots`` — what anyone
    can recompute from the published ballots."""
    return _median_order(_tallies(list(ballots), list(keys)))
