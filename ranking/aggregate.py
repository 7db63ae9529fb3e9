"""The forum's sammanvägd rangordning, computed from the members' ranks.

Pure functions over plain numbers (no models): the median of the ranks given
(members who have not ranked a proposal simply do not count), the mean as
tie-break, and the spread as the interquartile range (Q3 − Q1, quartiles by
``statistics.quantiles(..., method="inclusive")``). Rank 1 is the highest
priority, so lower values come first."""

import statistics
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The rule as the page states it.
RULE = _(
    "Sammanvägd rangordning: medianen av deltagarnas rangordningar; vid lika median "
    "avgör medelvärdet. Spridningen är kvartilavståndet (skillnaden mellan den övre "
    "och den undre kvartilen). Förslag med kvartilavstånd 3 eller mer markeras för "
    "diskussion."
)

# Proposals whose interquartile range is at least this are highlighted.
DISAGREEMENT_THRESHOLD = 3.0


@dataclass(frozen=True)
class Combined:
    median: float | None
    mean: float | None
    iqr: float | None
    count: int


def combine(ranks: list[int]) -> Combined:
    """The sammanvägd rangordning of one proposal's ranks."""
    if not ranks:
        return Combined(median=None, mean=None, iqr=None, count=0)
    if len(ranks) == 1:
        iqr = 0.0
    else:
        q1, _q2, q3 = statistics.quantiles(ranks, n=4, method="inclusive")
        iqr = float(q3 - q1)
    return Combined(
        median=float(statistics.median(ranks)),
        mean=float(statistics.fmean(ranks)),
        iqr=iqr,
        count=len(ranks),
    )


def combined(ranks_by_proposal: dict[int, list[int]]) -> dict[int, Combined]:
    """Each proposal's Combined, by proposal id."""
    return {proposal_id: combine(ranks) for proposal_id, ranks in ranks_by_proposal.items()}


def order(combined: dict[int, Combined]) -> list[int]:
    """Proposal ids by the rule: median, then mean (lower first), then id;
    proposals nobody has ranked last (by id)."""

    def key(proposal_id):
        c = combined[proposal_id]
        if c.count == 0:
            return (1, 0.0, 0.0, proposal_id)
        return (0, c.median, c.mean, proposal_id)

    return sorted(combined, key=key)


def disagreement(combined: dict[int, Combined], threshold: float = DISAGREEMENT_THRESHOLD):
    """The ids of proposals whose spread is at least ``threshold``."""
    return {pid for pid, c in combined.items() if c.iqr is not None and c.iqr >= threshold}
