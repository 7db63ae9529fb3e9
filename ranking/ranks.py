"""What the nämnd's ranking and the forumdeltagare's sheets share: the rank
(an integer 1–10, empty for none) read from a form, the two directions a
row moves in, the rank order and the rule of moving a row."""

from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from prioritering.numbers import parse_int

UP = "upp"
DOWN = "ned"


def parse_rank(value) -> tuple[int | None, str | None]:
    """(rank, None), or (None, the error in Swedish); empty is (None, None)."""
    if value is None or value == "":
        return None, None
    try:
        return parse_int(value, minimum=1, maximum=10), None
    except ValidationError as error:
        if error.code == "invalid":
            return None, _("Ange rangordningen som ett heltal 1–10.")
        return None, _("Rangordningen ska vara ett heltal 1–10.")


# The order of a ranked list and the rule of moving its rows, shared by the
# nämnd's ranking and the forumdeltagare's sheets (static/js/ranklist.js
# applies the same rule in the browser). A row without a rank counts as
# "after 10".
UNRANKED = 11


@dataclass(frozen=True)
class RankedRow:
    """One proposal in a ranked list: its id, number and rank (None: none)."""

    proposal_id: int
    number: int
    rank: int | None


@dataclass(frozen=True)
class Moved:
    """Where a moved row ended: its place (1-based) of ``count``, its rank
    (None: no rank), and whether anything changed."""

    place: int
    count: int
    rank: int | None
    changed: bool


def rank_key(rank: int | None) -> int:
    return UNRANKED if rank is None else rank


def in_rank_order(rows: list, *, unranked_by_number: bool = False) -> list:
    """The rows by rank, rank 1 first, keeping the given order within a rank (a
    stable sort); rows without a rank last, in the given order or — where
    nothing keeps their order (the forum's sheet) — by number."""
    if unranked_by_number:
        return sorted(rows, key=lambda row: (rank_key(row.rank), 0 if row.rank else row.number))
    return sorted(rows, key=lambda row: rank_key(row.rank))


def place_row(
    rows: list[RankedRow], index: int, target: int, *, unranked_by_number: bool = False
) -> list[RankedRow]:
    """The rows after moving ``rows[index]`` to ``target`` under the rule: if
    its rank is now lower priority (a larger number) than the row below, it
    takes that row's rank; if higher priority than the row above, that row's.
    So a row moves within its rank, or across into the neighbouring rank's
    edge, and the list stays in rank order."""
    rows = list(rows)
    row = rows.pop(index)
    rows.insert(target, row)
    below = rows[target + 1] if target + 1 < len(rows) else None
    above = rows[target - 1] if target > 0 else None
    if below is not None and rank_key(row.rank) > rank_key(below.rank):
        rows[target] = replace(row, rank=below.rank)
    elif above is not None and rank_key(row.rank) < rank_key(above.rank):
        rows[target] = replace(row, rank=above.rank)
    return in_rank_order(rows, unranked_by_number=unranked_by_number)
