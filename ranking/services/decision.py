"""The forum's outcome: the agreed order, the review (granskning), the decision
per proposal, the publication and the rättelser after it. The controller
records them (action ``decide_in_forum``; ``publish_round`` to publish); every
write names who. The pages read the outcome with ``ranking.selectors``."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import delete_as, save_as
from prioritering.numbers import parse_id, parse_int, parse_tkr
from ranking import notices
from ranking.models import (
    FORUM_OUTCOMES,
    AgreedPlace,
    Decision,
    DecisionCorrection,
    ForumResult,
    Outcome,
)
from ranking.review import REQUIRED_REVIEW
from ranking.selectors import OutcomeRow, held_back, outcome_rows, result_of
from rounds import locks
from rounds.conflicts import FormConflict
from rounds.models import ProposalType, Round, User

# What each way of carrying out a saving needs among the proposal's types.
SAVING_OUTCOME_TYPES = {
    Outcome.RANSONERAS: {ProposalType.RANSONERING, ProposalType.MINSKADE},
    Outcome.EFFEKTIVISERAS: {ProposalType.EFFEKTIVISERING},
}


def _new_result(round: Round, by: User) -> ForumResult:
    result = ForumResult(round=round)
    save_as(result, by, _("Skapad"))
    return result


def _result_for(
    round: Round, by: User, action: str = "decide_in_forum", *, exclusive: bool = False
) -> ForumResult:
    """The round's ForumResult, locked (made when missing), with its round
    read afresh under the round's lock (shared; ``exclusive`` to change the
    round, as publishing does) and ``action`` asked of that round — in the lock
    order of ``rounds.locks``. Publishing takes the round exclusively, so
    nothing is written after the round was published."""
    round = locks.round_to_change(round) if exclusive else locks.round_to_work_in(round)
    require(by, action, round)
    result, _created = locks.get_or_create_locked(
        ForumResult, {"round": round}, lambda: _new_result(round, by)
    )
    result.round = round
    Round.forum_result.related.set_cached_value(round, result)
    return result


# --- the agreed order ---


@transaction.atomic
def record_order(
    round: Round,
    places: dict[int, object],
    motivations: dict[int, str],
    *,
    by: User,
    expected_version: int | None = None,
) -> ForumResult:
    """Record the forum's agreed order: ``places`` gives each forwarded
    proposal its place 1…n (each place once); a proposal whose place differs
    from its place in the sammanvägd rangordning needs a motivation. Nothing
    is written unless everything is valid.

    ``expected_version``: the ``order_version`` the form was loaded at (None:
    no check). Another save since then makes a form that would change a place
    or a motivation a :class:`~rounds.conflicts.FormConflict`, and nothing is
    written; the same order as stored writes nothing and succeeds."""
    result = _result_for(round, by)
    round = result.round
    behind = expected_version is not None and result.order_version != expected_version
    rows = outcome_rows(round)
    by_id = {row.proposal.pk: row for row in rows}
    errors: dict[str, list[str]] = {}
    parsed: dict[int, int] = {}
    count = len(rows)
    for proposal_id, row in by_id.items():
        reference = row.proposal.reference
        value = places.get(proposal_id)
        try:
            place = parse_int(value, minimum=1, maximum=count)
        except ValidationError as error:
            message = (
                _("%(reference)s: Ange platsen som ett heltal 1–%(count)s.")
                if error.code == "invalid"
                else _("%(reference)s: Platsen ska vara ett heltal 1–%(count)s.")
            )
            errors.setdefault(f"place_{proposal_id}", []).append(
                message % {"reference": reference, "count": count}
            )
            continue
        parsed[proposal_id] = place
    taken: dict[int, list[int]] = {}
    for proposal_id, place in parsed.items():
        taken.setdefault(place, []).append(proposal_id)
    for place, ids in sorted(taken.items()):
        if len(ids) > 1:
            for proposal_id in ids:
                errors.setdefault(f"place_{proposal_id}", []).append(
                    _("Plats %(place)s är angiven för flera förslag: %(list)s.")
                    % {
                        "place": place,
                        "list": ", ".join(by_id[i].proposal.reference for i in sorted(ids)),
                    }
                )
    for proposal_id, place in parsed.items():
        row = by_id[proposal_id]
        motivation = (motivations.get(proposal_id) or "").strip()
        if place != row.computed_position and not motivation:
            errors.setdefault(f"motivation_{proposal_id}", []).append(
                _(
                    "%(reference)s: Motivera varför förslaget får plats %(place)s i stället "
                    "för plats %(computed)s enligt den sammanvägda rangordningen."
                )
                % {
                    "reference": row.proposal.reference,
                    "place": place,
                    "computed": row.computed_position,
                }
            )
    if errors:
        if behind:  # the form is from an older order: the conflict first
            raise FormConflict(result, result.order_version)
        raise ValidationError(errors)
    planned = []
    moved = False  # a place or a motivation changes (not only the computed place)
    for proposal_id, place in parsed.items():
        row = by_id[proposal_id]
        motivation = (motivations.get(proposal_id) or "").strip()
        agreed = row.place or AgreedPlace(result=result, proposal=row.proposal)
        new = (place, row.computed_position, motivation)
        old = (agreed.position, agreed.computed_position, agreed.motivation)
        if agreed.pk is None or old != new:
            planned.append((agreed, new))
            moved = moved or agreed.pk is None or old[::2] != new[::2]
    stale = list(AgreedPlace.objects.filter(result=result).exclude(proposal_id__in=list(by_id)))
    if behind:
        if moved or stale or not result.has_order:
            raise FormConflict(result, result.order_version)
        return result  # a colleague recorded this very order a moment before
    if result.has_order and not (planned or stale):
        return result  # recorded already, as it stands (a second click)
    for agreed, new in planned:
        agreed.result = result
        agreed.position, agreed.computed_position, agreed.motivation = new
        save_as(agreed, by)
    for agreed in stale:
        delete_as(agreed, by, _("Förslaget skickas inte längre till forumet"))
    result.order_recorded_at = timezone.now()
    result.order_recorded_by = by
    result.order_version += 1
    save_as(result, by, _("Ordningen registrerad"))
    return result


# --- the review ---


@transaction.atomic
def record_review(
    round: Round, answers: dict[str, str], *, by: User, expected_version: int | None = None
) -> ForumResult:
    """Record the forum's answers to the review questions; särbehandling,
    undanträngning and rimlighet must be answered. ``expected_version``: the
    ``review_version`` the form was loaded at (None: no check); other answers
    saved since then make a :class:`~rounds.conflicts.FormConflict`, and
    nothing is written."""
    result = _result_for(round, by)
    behind = expected_version is not None and result.review_version != expected_version
    cleaned = {name: (answers.get(name) or "").strip() for name in ForumResult.REVIEW_FIELDS}
    errors = {name: [_("Besvara frågan.")] for name in REQUIRED_REVIEW if not cleaned[name]}
    same = result.has_review and all(getattr(result, n) == v for n, v in cleaned.items())
    if behind and not same:
        raise FormConflict(result, result.review_version)
    if errors:
        raise ValidationError(errors)
    if same:
        return result  # recorded already, as it stands (a second click, or a colleague's)
    for name, value in cleaned.items():
        setattr(result, name, value)
    result.review_recorded_at = timezone.now()
    result.review_recorded_by = by
    result.review_version += 1
    save_as(result, by, _("Granskningen registrerad"))
    return result


# --- the decisions ---


def _parse_amount(value) -> tuple[int | None, str | None]:
    try:
        amount = parse_tkr(value)
    except ValidationError as error:
        if error.code == "invalid":
            return None, _("Ange beloppet som ett heltal i tkr.")
        return None, error.messages[0]
    if amount is None:
        return None, _("Ange beviljat belopp år 1 i tkr.")
    return amount, None


def _outcome_problems(proposal, outcome: str, amount_value) -> tuple[int | None, dict[str, str]]:
    """The amount granted (partial financing only) and what is wrong with
    deciding ``outcome`` on ``proposal``, by field ("outcome", "amount"): the
    rules a decision and a rättelse share. Partial financing is of something
    that costs år 1, for more than 0 and less than its cost; Genomförs
    (ransonering) is for a ransonering or minskade behov, Genomförs
    (effektivisering) for an effektivisering (among the proposal's types)."""
    problems: dict[str, str] = {}
    amount = None
    if outcome == Outcome.DELVIS:
        amount, error = _parse_amount(amount_value)
        if error is None and proposal.cost_year1 <= 0:
            error = _("Delvis finansiering gäller förslag som kostar något år 1.")
        elif error is None and not 0 < amount < proposal.cost_year1:
            error = _(
                "Beloppet ska vara större än 0 och mindre än förslagets kostnad år 1 "
                "(%(cost)s tkr)."
            ) % {"cost": proposal.cost_year1}
        if error:
            problems["amount"] = error
    needed = SAVING_OUTCOME_TYPES.get(outcome)
    if needed and not needed & set(proposal.types):
        if outcome == Outcome.RANSONERAS:
            message = _(
                "Genomförs (ransonering) gäller förslag av typen ransonering eller minskade "
                "behov och utmönstrade åtgärder; förslaget är av typen %(typ)s."
            )
        else:
            message = _(
                "Genomförs (effektivisering) gäller förslag av typen effektivisering; "
                "förslaget är av typen %(typ)s."
            )
        problems["outcome"] = message % {"typ": proposal.get_typ_display().lower()}
    return amount, problems


@transaction.atomic
def save_decisions(
    round: Round, rows: dict[int, dict], *, by: User, expected_version: int | None = None
) -> int:
    """Record the decisions in ``rows`` (proposal id → outcome, amount,
    motivation). An empty outcome leaves a proposal undecided (and removes an
    earlier decision). Nothing is written unless every row is valid. Returns
    how many decisions changed.

    ``expected_version``: the ``decisions_version`` the form was loaded at
    (None: no check). Another save since then makes a form that would change a
    decision a :class:`~rounds.conflicts.FormConflict`, and nothing is
    written; one that equals the stored decisions writes nothing."""
    round = _result_for(round, by).round
    result = result_of(round)  # the locked one, kept on the round
    behind = expected_version is not None and result.decisions_version != expected_version
    current = {row.proposal.pk: row for row in outcome_rows(round)}
    errors: dict[str, list[str]] = {}
    planned = []
    for key, data in rows.items():
        proposal_id = parse_id(key)
        row = current.get(proposal_id)
        if row is None:
            errors.setdefault("__all__", []).append(
                _("Förslaget %(id)s finns inte bland förslagen till forumet.")
                % {"id": str(key)[:20]}
            )
            continue
        proposal = row.proposal
        reference = proposal.reference
        outcome = (data.get("outcome") or "").strip()
        motivation = (data.get("motivation") or "").strip()
        amount = None
        if not outcome:
            planned.append((row, None, None, ""))
            continue
        if outcome not in FORUM_OUTCOMES:
            errors.setdefault(f"outcome_{proposal_id}", []).append(
                _("%(reference)s: Välj ett beslut bland alternativen.") % {"reference": reference}
            )
            continue
        amount, problems = _outcome_problems(proposal, outcome, data.get("amount"))
        for name, problem in problems.items():
            errors.setdefault(f"{name}_{proposal_id}", []).append(f"{reference}: {problem}")
        if not motivation:
            errors.setdefault(f"motivation_{proposal_id}", []).append(
                _("%(reference)s: Motivera beslutet.") % {"reference": reference}
            )
        planned.append((row, outcome, amount, motivation))
    if errors:
        if behind:  # the form is from older decisions: the conflict first
            raise FormConflict(result, result.decisions_version)
        raise ValidationError(errors)
    writes = []
    for row, outcome, amount, motivation in planned:
        decision = row.decision
        if outcome is None:
            if decision is not None:
                writes.append((decision, None))
            continue
        if decision is None:
            decision = Decision(round=round, proposal=row.proposal)
        elif (decision.outcome, decision.amount_tkr, decision.motivation) == (
            outcome,
            amount,
            motivation,
        ):
            continue
        writes.append((decision, (outcome, amount, motivation)))
    if behind and writes:
        raise FormConflict(result, result.decisions_version)
    for decision, new in writes:
        if new is None:
            delete_as(decision, by, _("Beslutet togs bort"))
            continue
        decision.outcome, decision.amount_tkr, decision.motivation = new
        decision.decided_by = by
        save_as(decision, by)
    if writes:
        # After the decisions: the version's history row comes after them.
        result.decisions_version += 1
        save_as(result, by, _("Besluten sparade"))
    return len(writes)


# --- publication ---


def publish_problems(
    round: Round, rows: list[OutcomeRow] | None = None, held: list | None = None
) -> list[str]:
    """What stops the round's result from being published, in Swedish.
    ``rows`` and ``held`` (``held_back``) when the caller has them."""
    rows = outcome_rows(round) if rows is None else rows
    held = held_back(round) if held is None else held
    result = result_of(round)
    problems = []
    if not rows:
        problems.append(_("Inga förslag har skickats vidare till forumet."))
    if result is None or not result.has_order:
        problems.append(_("Forumets ordning är inte registrerad."))
    if result is None or not result.has_review:
        problems.append(_("Granskningen är inte registrerad."))
    held = [proposal.reference for _name, group in held for proposal in group]
    if held:
        problems.append(
            _(
                "%(count)s förslag som nämnderna skickat vidare ligger i återlämnade analyser "
                "och är inte med: %(list)s. Analyserna behöver lämnas in igen."
            )
            % {"count": len(held), "list": ", ".join(held)}
        )
    undecided = [row.proposal.reference for row in rows if row.decision is None]
    if undecided:
        problems.append(
            _("Beslut saknas för %(count)s förslag: %(list)s.")
            % {"count": len(undecided), "list": ", ".join(undecided)}
        )
    return problems


@transaction.atomic
def publish(round: Round, *, by: User) -> ForumResult:
    """Publish the round's result: from then on anyone can read it, and the
    record it rests on is final (``prioritering.access.FINAL_ONCE_PUBLISHED``).
    The round's row is locked exclusively first — every write in the round
    holds it shared until COMMIT — then the result's, the lock of every
    decision, order and review; the rules and the problems are asked under
    both. Publishing a round already published (a second click) changes
    nothing: the controller gets the result as published."""
    locked = locks.round_to_change(round)
    existing = result_of(locked)
    if existing is not None and existing.is_published:
        require(by, "correct_decision", locked)  # the controller, once published
        return existing
    result = _result_for(locked, by, "publish_round", exclusive=True)
    round = result.round
    problems = publish_problems(round)
    if problems:
        raise ValidationError(problems)
    result.published_at = timezone.now()
    result.published_by = by
    # The published ballots' order (ranking.open_data), fixed now.
    result.ballot_seed = secrets.randbits(63)
    save_as(result, by, _("Publicerad"))
    notices.round_published(round)
    return result


# --- rättelse after publication ---


def _correction(
    round: Round, proposal_id: int, outcome: str, amount, reason: str, *, by: User
) -> DecisionCorrection:
    """The rättelse as it would be recorded, unsaved; a ValidationError when
    it may not be (``correct_decision`` says the rules)."""
    result = _result_for(round, by, "correct_decision")
    round = result.round
    decision = (
        Decision.objects.select_related("proposal__round")
        .filter(round=round, proposal_id=proposal_id, namnd_result__isnull=True)
        .first()
    )
    if decision is None:
        raise ValidationError(_("Förslaget har inget publicerat beslut att rätta."))
    proposal = decision.proposal
    latest = decision.corrections.order_by("-corrected_at", "-pk").first()
    holding = latest or decision
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    amount_tkr = None
    if outcome not in FORUM_OUTCOMES:
        errors["outcome"] = [_("Välj vad som gäller efter rättelsen.")]
    else:
        amount_tkr, problems = _outcome_problems(proposal, outcome, amount)
        errors.update({name: [problem] for name, problem in problems.items()})
    if not reason:
        errors["reason"] = [
            _("Skriv skälet till rättelsen, t.ex. vilket organ som beslutade och när.")
        ]
    if not errors and (holding.outcome, holding.amount_tkr) == (outcome, amount_tkr):
        errors["outcome"] = [_("Rättelsen ändrar inget: det beslutet gäller redan.")]
    if errors:
        raise ValidationError(errors)
    return DecisionCorrection(
        decision=decision,
        outcome=outcome,
        amount_tkr=amount_tkr,
        reason=reason,
        corrected_by=by,
    )


@transaction.atomic
def check_correction(
    round: Round, proposal_id: int, outcome: str, amount, reason: str, *, by: User
) -> None:
    """Whether ``correct_decision`` would record this rättelse: a
    ValidationError saying why not, before the user is asked to confirm it.
    Nothing is written."""
    _correction(round, proposal_id, outcome, amount, reason, by=by)


@transaction.atomic
def correct_decision(
    round: Round, proposal_id: int, outcome: str, amount, reason: str, *, by: User
) -> DecisionCorrection:
    """Record a rättelse of a published decision: the outcome that holds
    instead (with the amount for partial financing) and the reason, which is
    required. Nothing is overwritten — the published decision stays beside
    its corrections, and the latest one holds. The same rules as a decision:
    partial financing of something that costs år 1, Genomförs only for a
    saving; and it must change something."""
    correction = _correction(round, proposal_id, outcome, amount, reason, by=by)
    save_as(correction, by, _("Rättelse efter publicering"))
    return correction
