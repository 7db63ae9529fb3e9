"""The forum's outcome: the agreed order, the review (granskning), the decision
per proposal and the publication. The controller records them (action
``decide_in_forum``; ``publish_round`` to publish); every write names who.

``outcome_rows`` is the one selector the pages of the outcome share (order,
budget line, review, decisions, the public page): the forwarded proposals with
their sammanvägd rangordning, agreed place and decision, in the agreed order
once it is recorded and in the computed order before — in four queries,
whatever the number of proposals or members."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import delete_as, save_as
from ranking import aggregate, budget, services
from ranking.models import AgreedPlace, Decision, ForumResult, Outcome
from ranking.review import ReviewFlag, review_flags
from rounds.models import ProposalType, Round, User
from rounds.models.proposal import reference_for

# Savings the decision stops from widening the frame.
REFUSED = {Outcome.AVSLAS, Outcome.UTREDS}
SAVING_TYPES = {ProposalType.RANSONERING, ProposalType.EFFEKTIVISERING}
# The review questions the forum must answer before publishing.
REQUIRED_REVIEW = ("review_sarbehandling", "review_undantrangning", "review_rimlighet")


@dataclass
class OutcomeRow:
    proposal: object
    combined: aggregate.Combined
    disagreement: bool
    computed_position: int
    place: AgreedPlace | None
    decision: Decision | None
    position: int = 0
    step: budget.Step | None = None
    flags: list[ReviewFlag] | None = None
    shown: dict | None = None  # texts for long tables (ranking.views.shown_texts)

    @property
    def departs(self) -> bool:
        return self.position != self.computed_position


def result_of(round: Round) -> ForumResult | None:
    """The round's ForumResult (with who recorded what), or None; kept on the
    round, so the access rules asking ``round.forum_result`` ask no more."""
    if Round.forum_result.is_cached(round):
        return getattr(round, "forum_result", None)
    result = (
        ForumResult.objects.filter(round=round)
        .select_related("order_recorded_by", "review_recorded_by", "published_by")
        .first()
    )
    Round.forum_result.related.set_cached_value(round, result)
    if result is not None:
        result.round = round
    return result


def _result_for(round: Round, by: User) -> ForumResult:
    """The round's ForumResult, locked; made when missing."""
    result = ForumResult.objects.select_for_update().filter(round=round).first()
    if result is None:
        result = ForumResult(round=round)
        save_as(result, by, _("Skapad"))
    result.round = round
    return result


def outcome_rows(round: Round) -> list[OutcomeRow]:
    table = services.forum_table(round)
    ids = [row.proposal.pk for row in table]
    places = {p.proposal_id: p for p in AgreedPlace.objects.filter(proposal_id__in=ids)}
    decisions = {
        d.proposal_id: d
        for d in Decision.objects.filter(round=round, proposal_id__in=ids).select_related(
            "decided_by"
        )
    }
    rows = [
        OutcomeRow(
            proposal=row.proposal,
            combined=row.combined,
            disagreement=row.disagreement,
            computed_position=i,
            place=places.get(row.proposal.pk),
            decision=decisions.get(row.proposal.pk),
        )
        for i, row in enumerate(table, start=1)
    ]
    # The agreed order first; proposals without a place (sent on after the
    # order was recorded) follow in the computed order.
    rows.sort(key=lambda r: (r.place is None, r.place.position if r.place else r.computed_position))
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows


def entries(rows: list[OutcomeRow]) -> list[budget.Entry]:
    out = []
    for row in rows:
        proposal, decision = row.proposal, row.decision
        outcome = decision.outcome if decision else None
        out.append(
            budget.Entry(
                key=proposal.pk,
                cost_year1=proposal.cost_year1,
                cost_years1_3=proposal.cost_years1_3,
                partial_tkr=decision.amount_tkr if outcome == Outcome.DELVIS else None,
                off_line=outcome == Outcome.INOM_RAM,
                saving_refused=outcome in REFUSED,
            )
        )
    return out


def with_line(rows: list[OutcomeRow], frame: int) -> budget.Line:
    """The budget line for ``rows``; each row gets its step (None off the line)."""
    line = budget.budget_line(entries(rows), frame)
    steps = {step.key: step for step in line.steps}
    for row in rows:
        row.step = steps.get(row.proposal.pk)
    return line


def with_flags(rows: list[OutcomeRow]) -> list[OutcomeRow]:
    for row in rows:
        row.flags = review_flags(row.proposal, row.combined.median)
    return rows


# --- the agreed order ---


@transaction.atomic
def record_order(
    round: Round, places: dict[int, object], motivations: dict[int, str], *, by: User
) -> ForumResult:
    """Record the forum's agreed order: ``places`` gives each forwarded
    proposal its place 1…n (each place once); a proposal whose place differs
    from its place in the sammanvägd rangordning needs a motivation. Nothing
    is written unless everything is valid."""
    require(by, "decide_in_forum", round)
    result = _result_for(round, by)
    rows = outcome_rows(round)
    by_id = {row.proposal.pk: row for row in rows}
    errors: dict[str, list[str]] = {}
    parsed: dict[int, int] = {}
    count = len(rows)
    for proposal_id, row in by_id.items():
        reference = row.proposal.reference
        value = places.get(proposal_id)
        try:
            place = int(str(value).strip())
        except (TypeError, ValueError):
            errors.setdefault(f"place_{proposal_id}", []).append(
                _("%(reference)s: Ange platsen som ett heltal 1–%(count)s.")
                % {"reference": reference, "count": count}
            )
            continue
        if not 1 <= place <= count:
            errors.setdefault(f"place_{proposal_id}", []).append(
                _("%(reference)s: Platsen ska vara ett heltal 1–%(count)s.")
                % {"reference": reference, "count": count}
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
        raise ValidationError(errors)
    for proposal_id, place in parsed.items():
        row = by_id[proposal_id]
        motivation = (motivations.get(proposal_id) or "").strip()
        agreed = row.place or AgreedPlace(result=result, proposal=row.proposal)
        new = (place, row.computed_position, motivation)
        if (
            agreed.pk is None
            or (
                agreed.position,
                agreed.computed_position,
                agreed.motivation,
            )
            != new
        ):
            agreed.result = result
            agreed.position, agreed.computed_position, agreed.motivation = new
            save_as(agreed, by)
    stale = AgreedPlace.objects.filter(result=result).exclude(proposal_id__in=list(by_id))
    for agreed in stale:
        delete_as(agreed, by, _("Förslaget skickas inte längre till forumet"))
    result.order_recorded_at = timezone.now()
    result.order_recorded_by = by
    save_as(result, by, _("Ordningen registrerad"))
    return result


# --- the review ---


@transaction.atomic
def record_review(round: Round, answers: dict[str, str], *, by: User) -> ForumResult:
    """Record the forum's answers to the review questions; särbehandling,
    undanträngning and rimlighet must be answered."""
    require(by, "decide_in_forum", round)
    result = _result_for(round, by)
    cleaned = {name: (answers.get(name) or "").strip() for name in ForumResult.REVIEW_FIELDS}
    errors = {name: [_("Besvara frågan.")] for name in REQUIRED_REVIEW if not cleaned[name]}
    if errors:
        raise ValidationError(errors)
    for name, value in cleaned.items():
        setattr(result, name, value)
    result.review_recorded_at = timezone.now()
    result.review_recorded_by = by
    save_as(result, by, _("Granskningen registrerad"))
    return result


# --- the decisions ---


def _parse_amount(value) -> tuple[int | None, str | None]:
    text = str(value if value is not None else "").replace(" ", "").replace("\xa0", "")
    if not text:
        return None, _("Ange beviljat belopp år 1 i tkr.")
    try:
        return int(text), None
    except ValueError:
        return None, _("Ange beloppet som ett heltal i tkr.")


@transaction.atomic
def save_decisions(round: Round, rows: dict[int, dict], *, by: User) -> int:
    """Record the decisions in ``rows`` (proposal id → outcome, amount,
    motivation). An empty outcome leaves a proposal undecided (and removes an
    earlier decision). Nothing is written unless every row is valid. Returns
    how many decisions changed."""
    require(by, "decide_in_forum", round)
    _result_for(round, by)
    current = {row.proposal.pk: row for row in outcome_rows(round)}
    errors: dict[str, list[str]] = {}
    planned = []
    for proposal_id, data in rows.items():
        proposal_id = int(proposal_id)
        row = current.get(proposal_id)
        if row is None:
            errors.setdefault("__all__", []).append(
                _("Förslaget %(id)s finns inte bland förslagen till forumet.") % {"id": proposal_id}
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
        if outcome not in Outcome.values:
            errors.setdefault(f"outcome_{proposal_id}", []).append(
                _("%(reference)s: Välj ett beslut bland alternativen.") % {"reference": reference}
            )
            continue
        if outcome == Outcome.DELVIS:
            amount, error = _parse_amount(data.get("amount"))
            if error is None and proposal.cost_year1 <= 0:
                error = _("Delvis finansiering gäller förslag som kostar något år 1.")
            elif error is None and not 0 < amount < proposal.cost_year1:
                error = _(
                    "Beloppet ska vara större än 0 och mindre än förslagets kostnad år 1 "
                    "(%(cost)s tkr)."
                ) % {"cost": proposal.cost_year1}
            if error:
                errors.setdefault(f"amount_{proposal_id}", []).append(f"{reference}: {error}")
        if outcome == Outcome.GENOMFORS and proposal.typ not in SAVING_TYPES:
            errors.setdefault(f"outcome_{proposal_id}", []).append(
                _(
                    "%(reference)s: Genomförs gäller ransonering och effektivisering; "
                    "förslaget är av typen %(typ)s."
                )
                % {"reference": reference, "typ": proposal.get_typ_display().lower()}
            )
        if not motivation:
            errors.setdefault(f"motivation_{proposal_id}", []).append(
                _("%(reference)s: Motivera beslutet.") % {"reference": reference}
            )
        planned.append((row, outcome, amount, motivation))
    if errors:
        raise ValidationError(errors)
    changed = 0
    for row, outcome, amount, motivation in planned:
        decision = row.decision
        if outcome is None:
            if decision is not None:
                delete_as(decision, by, _("Beslutet togs bort"))
                changed += 1
            continue
        if decision is None:
            decision = Decision(round=round, proposal=row.proposal)
        elif (decision.outcome, decision.amount_tkr, decision.motivation) == (
            outcome,
            amount,
            motivation,
        ):
            continue
        decision.outcome, decision.amount_tkr, decision.motivation = outcome, amount, motivation
        decision.decided_by = by
        save_as(decision, by)
        changed += 1
    return changed


# --- publication ---


def publish_problems(round: Round, rows: list[OutcomeRow] | None = None) -> list[str]:
    """What stops the round's result from being published, in Swedish."""
    rows = outcome_rows(round) if rows is None else rows
    result = result_of(round)
    problems = []
    if not rows:
        problems.append(_("Inga förslag har skickats vidare till forumet."))
    if result is None or not result.has_order:
        problems.append(_("Forumets ordning är inte registrerad."))
    if result is None or not result.has_review:
        problems.append(_("Granskningen är inte registrerad."))
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
    order, review and decisions are locked."""
    require(by, "publish_round", round)
    problems = publish_problems(round)
    if problems:
        raise ValidationError(problems)
    result = _result_for(round, by)
    result.published_at = timezone.now()
    result.published_by = by
    save_as(result, by, _("Publicerad"))
    return result


# --- the history ---


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: object
    what: str


def outcome_history(round: Round, limit: int = 200) -> list[HistoryEntry]:
    """The latest changes to the agreed order, the decisions, the review and
    the publication, newest first (three queries)."""

    def reference(h):
        # The proposal's reference without a query per row (Proposal.reference).
        return reference_for(round.budget_year, h.proposal.number)

    outcomes = dict(Outcome.choices)
    entries: list[HistoryEntry] = []
    for h in (
        Decision.history.filter(round_id=round.pk)
        .select_related("history_user", "proposal")
        .order_by("-history_date")[:limit]
    ):
        if h.history_type == "-":
            what = _("Beslutet om %(reference)s togs bort.") % {"reference": reference(h)}
        else:
            what = _(
                "Beslut om %(reference)s: %(outcome)s%(amount)s. Motivering: %(motivation)s"
            ) % {
                "reference": reference(h),
                "outcome": outcomes.get(h.outcome, h.outcome),
                "amount": f" ({h.amount_tkr} tkr)" if h.amount_tkr is not None else "",
                "motivation": h.motivation,
            }
        entries.append(HistoryEntry(h.history_date, h.history_user, what))
    for h in (
        AgreedPlace.history.filter(proposal__round_id=round.pk)
        .select_related("history_user", "proposal")
        .order_by("-history_date")[:limit]
    ):
        if h.history_type == "-":
            what = _("%(reference)s togs bort ur forumets ordning.") % {"reference": reference(h)}
        else:
            what = _("%(reference)s fick plats %(place)s (sammanvägd: %(computed)s).") % {
                "reference": reference(h),
                "place": h.position,
                "computed": h.computed_position,
            }
            if h.motivation:
                what += " " + _("Motivering: %(motivation)s") % {"motivation": h.motivation}
        entries.append(HistoryEntry(h.history_date, h.history_user, what))
    for h in (
        ForumResult.history.filter(round_id=round.pk, history_type="~")
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    ):
        entries.append(HistoryEntry(h.history_date, h.history_user, h.history_change_reason or ""))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
