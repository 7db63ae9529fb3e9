"""The forum's sheets (phase "Kommunövergripande prioritering"): each
forumdeltagare's own ranks of the proposals the nämnder sent on, saved from
the sheet or moved a row at a time. The forum's tables are read with
``ranking.selectors``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prioritering.access import forget_forum_membership, require
from prioritering.audit import delete_as, save_as
from prioritering.numbers import parse_id
from ranking import ranks
from ranking.models import ForumRank
from ranking.ranks import DOWN, UP, Moved, RankedRow, in_rank_order, parse_rank, rank_key
from ranking.selectors import forwarded_proposals
from rounds import locks
from rounds.models import Round, User

# The own sheet: the member's order, under the rule of moving rows that the
# nämnd's ranking shares (ranking.ranks). Rows without a rank stand in number
# order (there is no ForumRank row to keep their order in).
SheetRow = RankedRow


def _in_rank_order(rows: list[SheetRow]) -> list[SheetRow]:
    return in_rank_order(rows, unranked_by_number=True)


def place_row(rows: list[SheetRow], index: int, target: int) -> list[SheetRow]:
    """:func:`ranking.ranks.place_row` on a sheet: the unranked by number."""
    return ranks.place_row(rows, index, target, unranked_by_number=True)


def _sheet(round: Round, member: User, *, lock: bool = False):
    """The member's sheet as saved: the rows in the member's order (by rank,
    position, number) and the member's ForumRank rows by proposal id."""
    forwarded = dict(forwarded_proposals(round).values_list("pk", "number"))
    saved = ForumRank.objects.filter(round=round, member=member)
    if lock:
        saved = saved.select_for_update()
    existing = {row.proposal_id: row for row in saved if row.proposal_id in forwarded}
    rows = [
        SheetRow(pk, number, existing[pk].rank if pk in existing else None)
        for pk, number in forwarded.items()
    ]
    rows.sort(
        key=lambda row: (
            rank_key(row.rank),
            existing[row.proposal_id].position if row.rank else 0,
            row.number,
        )
    )
    return rows, existing


def sheet_order(round: Round, member: User) -> list[SheetRow]:
    """The forwarded proposals in the member's order: ranked rows by rank and
    the member's order within a rank, then the unranked by number."""
    return _sheet(round, member)[0]


# Positions within a rank leave gaps, so that a move or a changed rank writes
# the rows that moved instead of renumbering the whole rank (with a history row
# each): with 600 proposals a rank holds dozens of rows.
GAP = 1024


def _longest_increasing(values: list[tuple[int, int]]) -> set[int]:
    """The indices of a longest strictly increasing run (not necessarily
    contiguous) of ``values`` — (index, position) pairs — by position."""
    tails: list[int] = []  # tails[k]: the values-index ending a run of length k+1
    before: list[int | None] = [None] * len(values)
    for i, (_index, position) in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if values[tails[middle]][1] < position:
                low = middle + 1
            else:
                high = middle
        before[i] = tails[low - 1] if low else None
        if low == len(tails):
            tails.append(i)
        else:
            tails[low] = i
    kept: set[int] = set()
    i = tails[-1] if tails else None
    while i is not None:
        kept.add(values[i][0])
        i = before[i]
    return kept


def _positions(group: list[SheetRow], rank: int, existing: dict) -> dict[int, int]:
    """New positions for the rows of one rank that need one: the rows whose
    saved positions already stand in the wanted order (the longest such run)
    keep them; the others get positions spread between their neighbours."""
    saved = [
        (index, existing[row.proposal_id].position)
        for index, row in enumerate(group)
        if row.proposal_id in existing and existing[row.proposal_id].rank == rank
    ]
    kept = _longest_increasing(saved)
    position_of = dict(saved)
    new: dict[int, int] = {}
    last = -1
    index = 0
    while index < len(group):
        if index in kept:
            last = position_of[index]
            index += 1
            continue
        end = index  # the run of rows to place: group[index:end]
        while end < len(group) and end not in kept:
            end += 1
        # Widen the run over kept rows until the gap can hold it.
        while end < len(group) and position_of[end] - last < end - index + 1:
            kept.discard(end)
            end += 1
            while end < len(group) and end not in kept:
                end += 1
        upper = position_of[end] if end < len(group) else None
        step = GAP if upper is None else (upper - last) // (end - index + 1)
        for offset, row in enumerate(group[index:end], start=1):
            new[row.proposal_id] = last + step * offset
        last = last + step * (end - index)
        index = end
    return new


def _write_sheet(round: Round, member: User, rows: list[SheetRow], existing: dict, by: User):
    """Store each rank and its order within the rank, writing only the rows
    whose rank or place changed."""
    groups: dict[int, list[SheetRow]] = {}
    for row in rows:
        saved = existing.get(row.proposal_id)
        if row.rank is None:
            if saved is not None:
                delete_as(saved, by)
            continue
        groups.setdefault(row.rank, []).append(row)
    for rank, group in groups.items():
        for proposal_id, position in _positions(group, rank, existing).items():
            saved = existing.get(proposal_id)
            if saved is None:
                save_as(
                    ForumRank(
                        round=round,
                        member=member,
                        proposal_id=proposal_id,
                        rank=rank,
                        position=position,
                    ),
                    by,
                )
            else:
                saved.rank, saved.position = rank, position
                save_as(saved, by)


def _require_own_sheet(round: Round, member: User, by: User) -> Round:
    """The round read afresh under its lock (shared), the rule asked of it —
    a save never lands on a round published or moved on meanwhile — and then
    the member's sheet locked, in the lock order of ``rounds.locks``: two
    saves of one member's sheet (a second tab, the background save beside
    "Spara") wait for each other instead of both adding the same rank."""
    round = locks.round_to_work_in(round)
    # Membership asked afresh under the round's lock: a member removed a
    # moment before (which locks the round) is seen.
    forget_forum_membership(by)
    require(by, "rank_in_forum", round)
    if member != by:
        raise PermissionDenied
    locks.forum_sheet(member)
    return round


def _parse_order(order, forwarded) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    errors: list[str] = []
    for value in order:
        proposal_id = parse_id(value)
        if proposal_id not in forwarded:
            errors.append(
                _("Ordningen innehåller %(value)s, som inte finns bland förslagen till forumet.")
                % {"value": str(value)[:20] or "–"}
            )
        elif proposal_id in ids:
            errors.append(_("Förslaget %(id)s står två gånger i ordningen.") % {"id": proposal_id})
        else:
            ids.append(proposal_id)
    return ids, errors


@transaction.atomic
def save_forum_ranks(
    round: Round,
    member: User,
    ranks: dict[int, int | str | None],
    *,
    by: User,
    order: list | None = None,
) -> list[SheetRow]:
    """Set the member's rank (1–10) of each forwarded proposal in ``ranks``; an
    empty value removes the member's rank. ``order`` (proposal ids, top first,
    as the sheet showed them — after moves in the browser too) gives the
    order within equal ranks; proposals it leaves out keep their old order
    after it. Nothing is written unless every value is valid. Returns the
    sheet in its new order."""
    round = _require_own_sheet(round, member, by)
    rows, existing = _sheet(round, member, lock=True)
    forwarded = {row.proposal_id: row for row in rows}
    errors: dict[str, list[str]] = {}
    parsed: dict[int, int | None] = {}
    for key, value in ranks.items():
        proposal_id = parse_id(key)
        if proposal_id not in forwarded:
            errors.setdefault("__all__", []).append(
                _("Förslaget %(id)s finns inte bland förslagen till forumet.")
                % {"id": str(key)[:20]}
            )
            continue
        rank, error = parse_rank(value)
        if error:
            errors.setdefault(f"rank_{proposal_id}", []).append(error)
        parsed[proposal_id] = rank
    ordered, order_errors = _parse_order(order or [], forwarded)
    if order_errors:
        errors.setdefault("__all__", []).extend(order_errors)
    if errors:
        raise ValidationError(errors)
    base = [forwarded[pk] for pk in ordered]
    listed = set(ordered)
    base += [row for row in rows if row.proposal_id not in listed]
    new = _in_rank_order(
        [
            SheetRow(row.proposal_id, row.number, parsed.get(row.proposal_id, row.rank))
            if row.proposal_id in parsed
            else row
            for row in base
        ]
    )
    _write_sheet(round, member, new, existing, by)
    return new


@transaction.atomic
def move_forum_rank(
    round: Round, member: User, proposal_id: int, direction: str, *, by: User
) -> Moved:
    """Move a row of the member's sheet one place up or down under the rule of
    :func:`place_row`, and store the ranks and order. At the ends nothing
    moves; a row without a rank stays among the unranked in number order."""
    round = _require_own_sheet(round, member, by)
    if direction not in (UP, DOWN):
        raise ValidationError(_("Okänd riktning."))
    rows, existing = _sheet(round, member, lock=True)
    proposal_id = parse_id(proposal_id)
    index = next((i for i, row in enumerate(rows) if row.proposal_id == proposal_id), None)
    if index is None:
        raise ValidationError(_("Förslaget finns inte bland förslagen till forumet."))
    target = index - 1 if direction == UP else index + 1
    new = place_row(rows, index, target) if 0 <= target < len(rows) else rows
    _write_sheet(round, member, new, existing, by)
    place = next(i for i, row in enumerate(new) if row.proposal_id == proposal_id)
    return Moved(
        place=place + 1,
        count=len(new),
        rank=new[place].rank,
        changed=(place, new[place].rank) != (index, rows[index].rank),
    )
