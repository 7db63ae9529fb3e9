"""The nämnd's ranking of its proposals (phase "Prioritering i nämnd"): the
result per nämnd, the rank, order and handling of each proposal, and the
recording of the nämnd's decision (date and §). The pages read with
``ranking.selectors``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import delete_as, save_as
from prioritering.numbers import parse_id
from ranking.models import NAMND_OUTCOMES, Decision, Handling, NamndRanking, NamndResult
from ranking.ranks import DOWN, UP, Moved, RankedRow, in_rank_order, parse_rank, place_row
from ranking.selectors import eligible_proposals, rankings_of
from rounds import criteria, locks
from rounds.models import Namnd, Round, User


def _new_result(round: Round, namnd: Namnd, by: User | None) -> NamndResult:
    result = NamndResult(round=round, namnd=namnd)
    save_as(result, by, _("Skapad"))
    return result


@transaction.atomic
def result_for(round: Round, namnd: Namnd, by: User | None = None) -> NamndResult:
    """The nämnd's result in the round, locked (made when missing, once however
    many ask at the same moment), with a row for each of its proposals: new
    proposals join at the end of their rank (the förvaltning's own
    rangordning), and the order follows the ranks (:func:`_keep_rank_order`).
    The round (shared) and then the result, in the lock order of
    ``rounds.locks``. A write: the pages read with :func:`unsaved_result` and
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
    _keep_rank_order(list(rankings_of(result)), by)
    return result


def _store(ordered: list[NamndRanking], was: dict, by: User | None) -> None:
    """Write the rows whose rank, handling or place (their index in
    ``ordered``) differs from ``was`` (proposal id -> (rank, handling,
    position) as read): one history row each, the rest untouched."""
    for position, ranking in enumerate(ordered):
        ranking.position = position
        if (ranking.rank, ranking.handling, position) != was[ranking.proposal_id]:
            ranking.version += 1
            save_as(ranking, by)


def _as_read(rankings: list[NamndRanking]) -> dict:
    return {r.proposal_id: (r.rank, r.handling, r.position) for r in rankings}


def _keep_rank_order(rankings: list[NamndRanking], by: User | None) -> list[NamndRanking]:
    """Store the order in rank order (rank 1 first; within a rank, and among
    the unranked last, as given): the recorded order never contradicts the
    ranks, whatever an older version of the app stored."""
    was = _as_read(rankings)
    ordered = in_rank_order(rankings)
    _store(ordered, was, by)
    return ordered


def _keep_decisions(result: NamndResult, rankings: list[NamndRanking], by: User) -> None:
    """Keep the nämnd's own decisions in step with its recorded result: each
    proposal it keeps within its frame ("Inom nämndens ram") or stops ("Drivs
    inte vidare") has a Decision of the nämnd (date and § are the result's,
    the motivation its comment), followed up and published like the forum's;
    a proposal whose handling changed loses it. The forum's decisions are not
    touched. One query, and a write with its history row only where something
    changed."""
    decisions = {
        decision.proposal_id: decision
        for decision in Decision.objects.filter(proposal__in=[r.proposal_id for r in rankings])
    }
    for ranking in rankings:
        decision = decisions.get(ranking.proposal_id)
        if decision is not None and not decision.is_namnd_decision:
            continue  # the forum's decision
        outcome = ranking.handling if ranking.handling in NAMND_OUTCOMES else None
        if outcome is None:
            if decision is not None:
                delete_as(decision, by, _("Nämndens hantering ändrad"))
            continue
        if decision is None:
            decision = Decision(round=result.round, proposal=ranking.proposal)
        elif (decision.outcome, decision.motivation, decision.namnd_result_id) == (
            outcome,
            result.comment,
            result.pk,
        ):
            continue
        decision.outcome = outcome
        decision.motivation = result.comment
        decision.namnd_result = result
        decision.decided_by = by
        save_as(decision, by, _("Nämndens beslut"))


def _locked(result: NamndResult, by: User) -> NamndResult:
    """The result under its lock (made, with its rows, when the page showed it
    unsaved), after its round's (shared), in the lock order of
    ``rounds.locks``: the rules are asked of the round as it is now, not as
    the request first read it."""
    return result_for(result.round, result.namnd, by)


@transaction.atomic
def save_rankings(result: NamndResult, rows: list[dict], order: list[int], *, by: User):
    """Set rank (1–10 or empty) and handling of each row's proposal, and the
    order, which always follows the ranks: by rank, rank 1 first and the
    unranked last; within a rank the proposals in ``order`` (as the page
    showed them, after moves in the browser too) first, the rest after in
    their old order. Nothing is written unless every row is valid. Returns
    the rows in their new order."""
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
        rank, error = parse_rank(row.get("rank"))
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
    was = _as_read(rankings)
    ordered = [by_proposal[pk] for pk in seen]
    ordered += [ranking for ranking in rankings if ranking.proposal_id not in seen]
    for ranking in ordered:
        ranking.rank, ranking.handling = changes.get(
            ranking.proposal_id, (ranking.rank, ranking.handling)
        )
    ordered = in_rank_order(ordered)
    _store(ordered, was, by)
    if result.is_recorded:
        _keep_decisions(result, ordered, by)
    return ordered


@transaction.atomic
def move(result: NamndResult, proposal_id: int, direction: str, *, by: User) -> Moved:
    """Move a proposal one place up or down in the nämnd's order under the
    rule of :func:`ranking.ranks.place_row`, as on the forum's sheets: within
    its rank, or across to the neighbouring rank's edge, taking that rank.
    At the ends nothing moves."""
    result = _locked(result, by)
    require(by, "rank_in_namnd", result)
    if direction not in (UP, DOWN):
        raise ValidationError(_("Okänd riktning."))
    rankings = list(rankings_of(result))  # in rank order: result_for keeps it
    proposal_id = parse_id(proposal_id)
    index = next((i for i, r in enumerate(rankings) if r.proposal_id == proposal_id), None)
    if index is None:
        raise ValidationError(_("Förslaget finns inte bland nämndens förslag."))
    was = _as_read(rankings)
    rows = [RankedRow(r.proposal_id, r.proposal.number, r.rank) for r in rankings]
    target = index - 1 if direction == UP else index + 1
    if 0 <= target < len(rows):
        rows = place_row(rows, index, target)
    by_proposal = {ranking.proposal_id: ranking for ranking in rankings}
    ordered = []
    for row in rows:
        ranking = by_proposal[row.proposal_id]
        ranking.rank = row.rank
        ordered.append(ranking)
    _store(ordered, was, by)
    place = next(i for i, row in enumerate(rows) if row.proposal_id == proposal_id)
    return Moved(
        place=place + 1,
        count=len(rows),
        rank=rows[place].rank,
        changed=(place, rows[place].rank) != (index, was[proposal_id][0]),
    )


@transaction.atomic
def record_result(result: NamndResult, decision_date, paragraph: str, comment: str = "", *, by):
    """Record the nämnd's decision: its date and paragraph, when every proposal
    has a rank and a handling, and its central criteria and a cost
    (``rounds.criteria``: no proposal reaches the forum without them). What
    the nämnd keeps within its frame or stops becomes its own decision
    (:func:`_keep_decisions`)."""
    result = _locked(result, by)
    require(by, "record_namnd_result", result)
    errors: dict[str, list[str]] = {}
    paragraph = (paragraph or "").strip()
    if not decision_date:
        errors["decision_date"] = [_("Ange sammanträdesdatum.")]
    if not paragraph:
        errors["paragraph"] = [_("Ange paragraf (§).")]
    rankings = list(rankings_of(result))
    incomplete = [r for r in rankings if r.rank is None or not r.handling]
    if incomplete:
        errors.setdefault("__all__", []).append(
            _("Varje förslag behöver rangordning och hantering. Saknas för: %(list)s.")
            % {"list": ", ".join(f"{r.proposal.reference} {r.proposal.title}" for r in incomplete)}
        )
    lacking = criteria.incomplete([r.proposal for r in rankings], result.round.budget_year)
    if lacking:
        errors.setdefault("__all__", []).append(criteria.refusal_text(lacking))
    if errors:
        raise ValidationError(errors)
    comment = (comment or "").strip()
    if result.recorded_at and (result.decision_date, result.paragraph, result.comment) == (
        decision_date,
        paragraph,
        comment,
    ):
        _keep_decisions(result, rankings, by)
        return result  # recorded already, as it stands (a second click)
    result.decision_date = decision_date
    result.paragraph = paragraph
    result.comment = comment
    result.recorded_at = timezone.now()
    result.recorded_by = by
    save_as(result, by, _("Registrerad"))
    _keep_decisions(result, rankings, by)
    return result
