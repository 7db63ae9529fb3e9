"""The nämnd's ranking of its proposals (phase "Prioritering i nämnd"): the
result per nämnd, the rank, order and handling of each proposal, and the
recording of the nämnd's decision (date and §)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from prioritering.access import require, shared_proposals
from prioritering.audit import save_as
from prioritering.numbers import parse_id, parse_int
from ranking.models import Handling, NamndRanking, NamndResult
from rounds import locks
from rounds.models import AnalysisStatus, Namnd, Proposal, Round, User

UP = "upp"
DOWN = "ned"


def eligible_proposals(round: Round, namnd: Namnd):
    """The proposals the nämnd ranks: not withdrawn, shared (in submitted
    analyses) by the förvaltningar under the nämnd."""
    return shared_proposals().filter(
        round=round,
        analysis__forvaltning__namnd=namnd,
        withdrawn_at__isnull=True,
    )


def rankings_of(result: NamndResult):
    """The result's rows for the proposals it ranks now, in the nämnd's order."""
    return (
        result.rankings.filter(
            proposal__in=eligible_proposals(result.round, result.namnd).values("pk")
        )
        .select_related("proposal__round", "proposal__analysis__forvaltning")
        .order_by("position", "pk")
    )


def rankings_for_reading(result: NamndResult, *, complete: bool = False) -> list[NamndRanking]:
    """What the page shows: the saved rows, and — for proposals no ledamot has
    had in front of them yet — the förvaltning's own ranks as unsaved rows
    (reading changes nothing). ``complete``: result_for has just made every row."""
    rankings = list(rankings_of(result)) if result.pk else []
    if complete:
        return rankings
    ranked = {ranking.proposal_id for ranking in rankings}
    missing = (
        eligible_proposals(result.round, result.namnd)
        .exclude(pk__in=ranked)
        .select_related("round", "analysis__forvaltning")
        .order_by(F("rangordning").asc(nulls_last=True), "number")
    )
    start = len(rankings)
    rankings += [
        NamndRanking(
            result=result, proposal=proposal, rank=proposal.rangordning, position=start + i
        )
        for i, proposal in enumerate(missing)
    ]
    return rankings


def _new_result(round: Round, namnd: Namnd, by: User | None) -> NamndResult:
    result = NamndResult(round=round, namnd=namnd)
    save_as(result, by, _("Skapad"))
    return result


@transaction.atomic
def result_for(round: Round, namnd: Namnd, by: User | None = None) -> NamndResult:
    """The nämnd's result in the round, locked (made when missing, once however
    many ask at the same moment), with a row for each of its proposals: new
    proposals join at the end, in the förvaltning's own rangordning. The
    round (shared) and then the result, in the lock order of ``rounds.locks``.
    A write: the pages read with :func:`unsaved_result` and
    :func:`rankings_for_reading` instead."""
    round = locks.round_to_work_in(round)
    if by is not None:
        require(by, "view_namnd_ranking", NamndResult(round=round, namnd=namnd))
    result, _created = locks.get_or_create_locked(
        NamndResult, {"round": round, "namnd": namnd}, lambda: _new_result(round, namnd, by)
    )
    result.round, result.namnd = round, namnd
    missing = list(
        eligible_proposals(round, namnd)
        .filter(namnd_ranking__isnull=True)
        .order_by(F("rangordning").asc(nulls_last=True), "number")
    )
    if missing:
        last = result.rankings.aggregate(n=Max("position"))["n"]
        position = 0 if last is None else last + 1
        for proposal in missing:
            save_as(
                NamndRanking(
                    result=result, proposal=proposal, rank=proposal.rangordning, position=position
                ),
                by,
            )
            position += 1
    return result


def unsaved_result(round: Round, namnd: Namnd) -> NamndResult:
    """The nämnd's result to read: the saved one, or a new one not yet saved
    (reading a page writes nothing; the first save makes it)."""
    result = NamndResult.objects.filter(round=round, namnd=namnd).first()
    if result is None:
        result = NamndResult(round=round, namnd=namnd)
    result.round, result.namnd = round, namnd
    return result


def _locked(result: NamndResult, by: User) -> NamndResult:
    """The result under its lock (made, with its rows, when the page showed it
    unsaved), after its round's (shared), in the lock order of
    ``rounds.locks``: the rules are asked of the round as it is now, not as
    the request first read it."""
    return result_for(result.round, result.namnd, by)


def _parse_rank(value):
    if value is None or value == "":
        return None, None
    try:
        return parse_int(value, minimum=1, maximum=10), None
    except ValidationError as error:
        if error.code == "invalid":
            return None, _("Ange rangordningen som ett heltal 1–10.")
        return None, _("Rangordningen ska vara ett heltal 1–10.")


@transaction.atomic
def save_rankings(result: NamndResult, rows: list[dict], order: list[int], *, by: User):
    """Set rank (1–10 or empty) and handling of each row's proposal, and the
    order: the proposals in ``order`` first, the rest after in their old order.
    Nothing is written unless every row is valid."""
    result = _locked(result, by)
    require(by, "rank_in_namnd", result)
    rankings = list(rankings_of(result))
    by_proposal = {ranking.proposal_id: ranking for ranking in rankings}
    errors: dict[str, list[str]] = {}
    changes = {}
    for row in rows:
        proposal_id = parse_id(row["proposal_id"])
        ranking = by_proposal.get(proposal_id)
        if ranking is None:
            errors.setdefault("__all__", []).append(
                _("Förslaget %(id)s finns inte bland nämndens förslag.")
                % {"id": str(row["proposal_id"])[:20]}
            )
            continue
        reference = ranking.proposal.reference
        rank, error = _parse_rank(row.get("rank"))
        if error:
            errors.setdefault(f"rank_{proposal_id}", []).append(f"{reference}: {error}")
        handling = row.get("handling") or ""
        if handling not in Handling.values and handling != "":
            errors.setdefault(f"handling_{proposal_id}", []).append(
                _("%(reference)s: Välj en hantering bland alternativen.") % {"reference": reference}
            )
        changes[proposal_id] = (rank, handling)
    seen = []
    for value in order:
        proposal_id = parse_id(value)
        if proposal_id not in by_proposal:
            errors.setdefault("__all__", []).append(
                _("Förslaget %(id)s finns inte bland nämndens förslag.") % {"id": str(value)[:20]}
            )
        elif proposal_id not in seen:
            seen.append(proposal_id)
    if errors:
        raise ValidationError(errors)
    ordered = [by_proposal[pk] for pk in seen]
    ordered += [ranking for ranking in rankings if ranking.proposal_id not in seen]
    for position, ranking in enumerate(ordered):
        rank, handling = changes.get(ranking.proposal_id, (ranking.rank, ranking.handling))
        if (ranking.rank, ranking.handling, ranking.position) != (rank, handling, position):
            ranking.rank, ranking.handling, ranking.position = rank, handling, position
            ranking.version += 1
            save_as(ranking, by)
    return ordered


@transaction.atomic
def move(result: NamndResult, proposal_id: int, direction: str, *, by: User) -> tuple[int, int]:
    """Move a proposal one place up or down in the nämnd's order (at the ends
    nothing happens). Returns its place (1-based) and the number of places."""
    result = _locked(result, by)
    require(by, "rank_in_namnd", result)
    if direction not in (UP, DOWN):
        raise ValidationError(_("Okänd riktning."))
    rankings = list(rankings_of(result))
    proposal_id = parse_id(proposal_id)
    index = next((i for i, r in enumerate(rankings) if r.proposal_id == proposal_id), None)
    if index is None:
        raise ValidationError(_("Förslaget finns inte bland nämndens förslag."))
    other = index - 1 if direction == UP else index + 1
    if 0 <= other < len(rankings):
        rankings[index], rankings[other] = rankings[other], rankings[index]
        index = other
    for position, ranking in enumerate(rankings):
        if ranking.position != position:
            ranking.position = position
            ranking.version += 1
            save_as(ranking, by)
    return index + 1, len(rankings)


@transaction.atomic
def record_result(result: NamndResult, decision_date, paragraph: str, comment: str = "", *, by):
    """Record the nämnd's decision: its date and paragraph, when every proposal
    has a rank and a handling."""
    result = _locked(result, by)
    require(by, "record_namnd_result", result)
    errors: dict[str, list[str]] = {}
    paragraph = (paragraph or "").strip()
    if not decision_date:
        errors["decision_date"] = [_("Ange sammanträdesdatum.")]
    if not paragraph:
        errors["paragraph"] = [_("Ange paragraf (§).")]
    incomplete = [r for r in rankings_of(result) if r.rank is None or not r.handling]
    if incomplete:
        errors["__all__"] = [
            _("Varje förslag behöver rangordning och hantering. Saknas för: %(list)s.")
            % {"list": ", ".join(f"{r.proposal.reference} {r.proposal.title}" for r in incomplete)}
        ]
    if errors:
        raise ValidationError(errors)
    comment = (comment or "").strip()
    if result.recorded_at and (result.decision_date, result.paragraph, result.comment) == (
        decision_date,
        paragraph,
        comment,
    ):
        return result  # recorded already, as it stands (a second click)
    result.decision_date = decision_date
    result.paragraph = paragraph
    result.comment = comment
    result.recorded_at = timezone.now()
    result.recorded_by = by
    save_as(result, by, _("Registrerad"))
    return result


# --- forum ---
# The forum (phase "Kommunövergripande prioritering"): the proposals the nämnder
# sent on, each forumdeltagare's own ranks, and the sammanvägd rangordning.

import hashlib  # noqa: E402
from dataclasses import dataclass as _dataclass  # noqa: E402

from django.core.exceptions import PermissionDenied  # noqa: E402
from django.db.models import Count, Subquery, Sum  # noqa: E402

from prioritering.audit import delete_as  # noqa: E402
from ranking import aggregate  # noqa: E402
from ranking.models import ForumRank  # noqa: E402
from rounds.models import Role  # noqa: E402


def _sent_on(round: Round):
    """What the nämnder sent on, whether it is shared now or not."""
    return Proposal.objects.filter(
        round=round,
        namnd_ranking__result__round=round,
        namnd_ranking__handling=Handling.KOMMUNGEMENSAM,
        withdrawn_at__isnull=True,
    )


def forwarded_proposals(round: Round):
    """The proposals a nämnd has sent on to kommungemensam prioritering (in a
    result of the round, recorded or not), not withdrawn, with what the
    forum's tables show. Only shared material (``shared_proposals``): a
    proposal whose analysis went back to draft is not in the forum, its
    outcome, the public page or their documents until it is submitted again."""
    return (
        shared_proposals(_sent_on(round))
        .select_related(
            "round",
            "analysis__forvaltning__namnd",
            "fokusomrade",
            "verksamhetsomrade",
            "orsak",
            "effekt_pa_sikt",
        )
        .order_by("number")
    )


def held_back(round: Round) -> list[tuple[str, list[Proposal]]]:
    """The proposals a nämnd sent on whose analysis is not submitted now (it
    was returned): by förvaltning, for the controller's notice on the forum
    pages. They are back in the forum when the analysis is submitted again."""
    by_forvaltning: dict[str, list[Proposal]] = {}
    for proposal in (
        _sent_on(round)
        .exclude(analysis__status=AnalysisStatus.SUBMITTED)
        .select_related("round", "analysis__forvaltning")
        .order_by("analysis__forvaltning__name", "number")
    ):
        by_forvaltning.setdefault(proposal.analysis.forvaltning.name, []).append(proposal)
    return list(by_forvaltning.items())


def forum_ranks_of(round: Round, member: User) -> dict[int, int]:
    """The member's own ranks in the round, by proposal id."""
    return dict(
        ForumRank.objects.filter(round=round, member=member).values_list("proposal_id", "rank")
    )


# The own sheet: the member's order and the rule of moving rows. A row without
# a rank counts as "after 10"; rows without a rank stand in number order (there
# is no ForumRank row to keep their order in).
UNRANKED = 11


@_dataclass(frozen=True)
class SheetRow:
    """One forwarded proposal on a member's sheet: its id, number and rank."""

    proposal_id: int
    number: int
    rank: int | None


def _key(rank: int | None) -> int:
    return UNRANKED if rank is None else rank


def _in_rank_order(rows: list[SheetRow]) -> list[SheetRow]:
    """The rows by rank, keeping the given order within a rank (a stable sort);
    rows without a rank last, by number."""
    return sorted(rows, key=lambda row: (_key(row.rank), 0 if row.rank else row.number))


def place_row(rows: list[SheetRow], index: int, target: int) -> list[SheetRow]:
    """The rows after moving ``rows[index]`` to ``target`` under the rule: if
    its rank is now lower priority (a larger number) than the row below, it
    takes that row's rank; if higher priority than the row above, that row's.
    static/js/forum.js applies the same rule in the browser."""
    rows = list(rows)
    row = rows.pop(index)
    rows.insert(target, row)
    below = rows[target + 1] if target + 1 < len(rows) else None
    above = rows[target - 1] if target > 0 else None
    if below is not None and _key(row.rank) > _key(below.rank):
        rows[target] = SheetRow(row.proposal_id, row.number, below.rank)
    elif above is not None and _key(row.rank) < _key(above.rank):
        rows[target] = SheetRow(row.proposal_id, row.number, above.rank)
    return _in_rank_order(rows)


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
            _key(row.rank),
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
        rank, error = _parse_rank(value)
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


@_dataclass(frozen=True)
class Moved:
    """Where a moved row ended: its place (1-based) of ``count``, its rank
    (None: no rank), and whether anything changed."""

    place: int
    count: int
    rank: int | None
    changed: bool


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


@_dataclass(frozen=True)
class HistoryEntry:
    """One of the member's earlier ranks of a proposal (None: removed)."""

    rank: int | None
    at: object  # datetime


def forum_history_of(round: Round, member: User) -> dict[int, list[HistoryEntry]]:
    """The member's own earlier ranks in the round, newest first, by proposal
    id: every change of rank and every removal (a change of order only is
    left out). One query, whatever the number of proposals."""
    history: dict[int, list[HistoryEntry]] = {}
    for proposal_id, rank, kind, at in (
        ForumRank.history.filter(round_id=round.pk, member_id=member.pk)
        .order_by("history_date", "history_id")
        .values_list("proposal_id", "rank", "history_type", "history_date")
    ):
        entries = history.setdefault(proposal_id, [])
        rank = None if kind == "-" else rank
        if not entries or entries[-1].rank != rank:
            entries.append(HistoryEntry(rank, at))
    for entries in history.values():
        entries.reverse()
    return history


def forum_stamp(round: Round) -> str:
    """What the live meeting view compares to see whether anything changed
    (one query): the count, the latest change and the sum of the round's
    ranks — a new or changed rank moves the latest change, a removal lowers
    the count — and the count and latest change of the proposals the forum
    shows, so a proposal leaving it (its analysis returned) or edited before
    it comes back changes the stamp too."""

    def of(queryset, value):
        grouped = queryset.order_by().values("round").annotate(value=value).values("value")
        return Subquery(grouped[:1])

    ranks = ForumRank.objects.filter(round=round)
    shown = forwarded_proposals(round)
    seen = (
        Round.objects.filter(pk=round.pk)
        .annotate(
            n=of(ranks, Count("pk")),
            last=of(ranks, Max("updated_at")),
            total=of(ranks, Sum("rank")),
            shown=of(shown, Count("pk", distinct=True)),
            edited=of(shown, Max("updated_at")),
        )
        .values("n", "last", "total", "shown", "edited")
        .get()
    )
    moments = [f"{at.timestamp():.6f}" if at else "0" for at in (seen["last"], seen["edited"])]
    return f"{seen['n'] or 0}-{moments[0]}-{seen['total'] or 0}-{seen['shown'] or 0}-{moments[1]}"


@_dataclass(frozen=True)
class ForumRow:
    proposal: Proposal
    combined: aggregate.Combined
    disagreement: bool


def forum_table(round: Round) -> list[ForumRow]:
    """The forwarded proposals with their sammanvägd rangordning, in the
    rule's order (two queries, whatever the number of proposals or members)."""
    proposals = {proposal.pk: proposal for proposal in forwarded_proposals(round)}
    ranks: dict[int, list[int]] = {pk: [] for pk in proposals}
    for proposal_id, rank in ForumRank.objects.filter(round=round).values_list(
        "proposal_id", "rank"
    ):
        if proposal_id in ranks:
            ranks[proposal_id].append(rank)
    combined = aggregate.combined(ranks)
    flagged = aggregate.disagreement(combined)
    return [
        ForumRow(proposals[pk], combined[pk], pk in flagged) for pk in aggregate.order(combined)
    ]


def forum_member_count() -> int:
    """How many forumdeltagare there are (the "m" of "n av m")."""
    return (
        User.objects.filter(is_active=True, memberships__role=Role.FORUMDELTAGARE)
        .distinct()
        .count()
    )


def forum_table_digest(rows: list[ForumRow], members: int) -> str:
    """A short fingerprint of what the meeting view's table shows, so the view
    announces an update only when something visible changed (a change of a
    member's order within a rank moves the stamp but not the table)."""
    shown = [(members,)] + [
        (row.proposal.pk, row.proposal.cost_year1, row.combined, row.disagreement) for row in rows
    ]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]
