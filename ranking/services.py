"""The nämnd's ranking of its proposals (phase "Prioritering i nämnd"): the
result per nämnd, the rank, order and handling of each proposal, and the
recording of the nämnd's decision (date and §)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import save_as
from ranking.models import Handling, NamndRanking, NamndResult
from rounds.models import AnalysisStatus, Namnd, Proposal, Round, User

UP = "upp"
DOWN = "ned"


def eligible_proposals(round: Round, namnd: Namnd):
    """The proposals the nämnd ranks: not withdrawn, in submitted analyses of
    the förvaltningar under the nämnd."""
    return Proposal.objects.filter(
        round=round,
        analysis__forvaltning__namnd=namnd,
        analysis__status=AnalysisStatus.SUBMITTED,
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


@transaction.atomic
def result_for(round: Round, namnd: Namnd, by: User | None = None) -> NamndResult:
    """The nämnd's result in the round, with a row for each of its proposals:
    new proposals join at the end, in the förvaltning's own rangordning."""
    result = NamndResult.objects.filter(round=round, namnd=namnd).first()
    if result is None:
        result = NamndResult(round=round, namnd=namnd)
        if by is not None:
            require(by, "view_namnd_ranking", result)
        save_as(result, by, _("Skapad"))
    elif by is not None:
        require(by, "view_namnd_ranking", result)
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


def _locked(result: NamndResult) -> NamndResult:
    locked = NamndResult.objects.select_for_update().get(pk=result.pk)
    locked.round, locked.namnd = result.round, result.namnd
    return locked


def _parse_rank(value):
    if value is None or value == "":
        return None, None
    try:
        rank = int(value)
    except (TypeError, ValueError):
        return None, _("Ange rangordningen som ett heltal 1–10.")
    if not 1 <= rank <= 10:
        return None, _("Rangordningen ska vara ett heltal 1–10.")
    return rank, None


@transaction.atomic
def save_rankings(result: NamndResult, rows: list[dict], order: list[int], *, by: User):
    """Set rank (1–10 or empty) and handling of each row's proposal, and the
    order: the proposals in ``order`` first, the rest after in their old order.
    Nothing is written unless every row is valid."""
    result = _locked(result)
    require(by, "rank_in_namnd", result)
    rankings = list(rankings_of(result))
    by_proposal = {ranking.proposal_id: ranking for ranking in rankings}
    errors: dict[str, list[str]] = {}
    changes = {}
    for row in rows:
        proposal_id = int(row["proposal_id"])
        ranking = by_proposal.get(proposal_id)
        if ranking is None:
            errors.setdefault("__all__", []).append(
                _("Förslaget %(id)s finns inte bland nämndens förslag.") % {"id": proposal_id}
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
    for proposal_id in order:
        proposal_id = int(proposal_id)
        if proposal_id not in by_proposal:
            errors.setdefault("__all__", []).append(
                _("Förslaget %(id)s finns inte bland nämndens förslag.") % {"id": proposal_id}
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
    result = _locked(result)
    require(by, "rank_in_namnd", result)
    if direction not in (UP, DOWN):
        raise ValidationError(_("Okänd riktning."))
    rankings = list(rankings_of(result))
    index = next((i for i, r in enumerate(rankings) if r.proposal_id == int(proposal_id)), None)
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
    result = _locked(result)
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
    result.decision_date = decision_date
    result.paragraph = paragraph
    result.comment = (comment or "").strip()
    result.recorded_at = timezone.now()
    result.recorded_by = by
    save_as(result, by, _("Registrerad"))
    return result


# --- forum ---
# The forum (phase "Kommunövergripande prioritering"): the proposals the nämnder
# sent on, each forumdeltagare's own ranks, and the sammanvägd rangordning.

from dataclasses import dataclass as _dataclass  # noqa: E402

from django.core.exceptions import PermissionDenied  # noqa: E402

from prioritering.audit import delete_as  # noqa: E402
from ranking import aggregate  # noqa: E402
from ranking.models import ForumRank  # noqa: E402
from rounds.models import Role  # noqa: E402


def forwarded_proposals(round: Round):
    """The proposals a nämnd has sent on to kommungemensam prioritering (in a
    result of the round, recorded or not), not withdrawn, with what the
    forum's tables show."""
    return (
        Proposal.objects.filter(
            round=round,
            namnd_ranking__result__round=round,
            namnd_ranking__handling=Handling.KOMMUNGEMENSAM,
            withdrawn_at__isnull=True,
        )
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


def forum_ranks_of(round: Round, member: User) -> dict[int, int]:
    """The member's own ranks in the round, by proposal id."""
    return dict(
        ForumRank.objects.filter(round=round, member=member).values_list("proposal_id", "rank")
    )


@transaction.atomic
def save_forum_ranks(round: Round, member: User, ranks: dict[int, int | str | None], *, by: User):
    """Set the member's rank (1–10) of each forwarded proposal in ``ranks``; an
    empty value removes the member's rank. Nothing is written unless every
    value is valid."""
    require(by, "rank_in_forum", round)
    if member != by:
        raise PermissionDenied
    forwarded = set(forwarded_proposals(round).values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    parsed: dict[int, int | None] = {}
    for proposal_id, value in ranks.items():
        proposal_id = int(proposal_id)
        if proposal_id not in forwarded:
            errors.setdefault("__all__", []).append(
                _("Förslaget %(id)s finns inte bland förslagen till forumet.") % {"id": proposal_id}
            )
            continue
        rank, error = _parse_rank(value)
        if error:
            errors.setdefault(f"rank_{proposal_id}", []).append(error)
        parsed[proposal_id] = rank
    if errors:
        raise ValidationError(errors)
    existing = {
        row.proposal_id: row
        for row in ForumRank.objects.select_for_update().filter(
            round=round, member=member, proposal_id__in=list(parsed)
        )
    }
    for proposal_id, rank in parsed.items():
        row = existing.get(proposal_id)
        if rank is None:
            if row is not None:
                delete_as(row, by)
        elif row is None:
            save_as(ForumRank(round=round, member=member, proposal_id=proposal_id, rank=rank), by)
        elif row.rank != rank:
            row.rank = rank
            save_as(row, by)


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
