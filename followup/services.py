"""Follow-up: the controller's periods, the förvaltningar's reports (draft →
submitted, returned by the controller), and carrying a proposal over into the
next round."""

import datetime
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followup import notices
from followup.models import (
    DEVIATING,
    NEEDS_MEASURES,
    REFERENCE_MAX,
    UNFINISHED,
    DecidingBody,
    FollowUpPeriod,
    FollowUpReport,
    Implementation,
    ImplementationPart,
    PeriodDecision,
    PeriodKind,
    Progress,
)
from followup.rules import CARRIABLE, followed_up_proposals, latest_reports, next_round
from prioritering.access import require
from prioritering.audit import delete_as, save_as, set_m2m_as
from ranking.models import Outcome
from ranking.services.bodies import clean_paragraph, meeting_problems
from rounds import locks
from rounds.models import Analysis, AnalysisStatus, ListItem, Namnd, Proposal, Round, User
from rounds.services.proposal import next_number

# What a report's author writes; the rest is the workflow's.
REPORT_FIELDS = (
    "progress",
    "cost_outcome_tkr",
    "effect_achieved",
    "effect_text",
    "deviation",
    "measures",
)


class ReportConflict(Exception):  # noqa: N818 (a situation, not a bug)
    """Someone saved the report after the editor loaded it."""

    def __init__(self, current: FollowUpReport):
        super().__init__(f"report {current.pk} is at version {current.version}")
        self.current = current


# --- periods ---


def default_deadlines(budget_year: int) -> dict[int, datetime.date]:
    """The usual last days: the source's 30 April, 31 August and 31 December
    of the budget year, as a start the controller can change."""
    return {
        PeriodKind.TERTIAL_1: datetime.date(budget_year, 4, 30),
        PeriodKind.DELAR: datetime.date(budget_year, 8, 31),
        PeriodKind.ARSBOKSLUT: datetime.date(budget_year, 12, 31),
    }


@transaction.atomic
def set_periods(round: Round, deadlines: dict[int, datetime.date | None], *, by: User) -> None:
    """Set, move or remove the round's follow-up periods. The last days must
    follow the periods' order; a period that has reports cannot be removed."""
    round = locks.round_to_change(round)
    require(by, "manage_round", round)
    existing = {period.kind: period for period in round.follow_up_periods.all()}
    after = {kind: period.deadline for kind, period in existing.items()} | deadlines
    dated = sorted((kind, day) for kind, day in after.items() if day)
    for (kind_a, day_a), (kind_b, day_b) in pairwise(dated):
        if day_b <= day_a:
            raise ValidationError(
                _("Sista dag för %(later)s måste ligga efter sista dag för %(earlier)s.")
                % {"later": PeriodKind(kind_b).label, "earlier": PeriodKind(kind_a).label}
            )
    for kind, day in deadlines.items():
        period = existing.get(kind)
        if day is None:
            if period is None:
                continue
            if period.reports.exists():
                raise ValidationError(
                    _("%(period)s har redan rapporter och kan inte tas bort.")
                    % {"period": PeriodKind(kind).label}
                )
            delete_as(period, by)
        elif period is None:
            save_as(FollowUpPeriod(round=round, kind=kind, deadline=day), by)
        elif period.deadline != day:
            period.deadline = day
            save_as(period, by)


# --- reports ---


def report_for(period: FollowUpPeriod, proposal: Proposal) -> FollowUpReport:
    """The proposal's report for the period; a new, unsaved draft when there is none."""
    report = FollowUpReport.objects.filter(period=period, proposal=proposal).first()
    if report is None:
        report = FollowUpReport(period=period, proposal=proposal)
    return report


def _locked_report(report: FollowUpReport) -> FollowUpReport:
    """The report, after its round (shared), in the lock order of
    ``rounds.locks``: the phase the rules ask about holds until COMMIT."""
    round_id = FollowUpReport.objects.values_list("period__round_id", flat=True).get(pk=report.pk)
    locks.round_to_work_in(round_id)
    return (
        FollowUpReport.objects.select_for_update(of=("self",), no_key=True)
        .select_related("period__round", "proposal__analysis__round", "proposal__round")
        .get(pk=report.pk)
    )


def _check_followed_up(period: FollowUpPeriod, proposal: Proposal) -> None:
    if proposal.round_id != period.round_id or not (
        followed_up_proposals(period.round).filter(pk=proposal.pk).exists()
    ):
        raise ValidationError(_("Förslaget följs inte upp i den här omgången."))


@transaction.atomic
def save_report(
    report: FollowUpReport, fields: dict, *, by: User, expected_version: int | None
) -> FollowUpReport:
    """Save the author's fields of a draft (creating it on the first save)
    unless someone saved it since ``expected_version`` was read; then raise
    :class:`ReportConflict` and write nothing. Drafts may be incomplete."""
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"not a report field: {sorted(unknown)}")
    if report.pk is None:
        # Two first saves at once: the second waits for the round's lock and
        # then finds the first one's row.
        locks.round_to_change(report.period.round_id)
        # Asked of the proposal and period as they are now, not as the caller read them.
        report = FollowUpReport(
            period=FollowUpPeriod.objects.select_related("round").get(pk=report.period_id),
            proposal=Proposal.objects.select_related("analysis__round", "round").get(
                pk=report.proposal_id
            ),
        )
        require(by, "report_follow_up", report)
        existing = FollowUpReport.objects.filter(
            period=report.period, proposal=report.proposal
        ).first()
        if existing is not None:
            raise ReportConflict(existing)
        _check_followed_up(report.period, report.proposal)
        report.created_by = by
        reason = "Skapad"
    else:
        current = _locked_report(report)
        # Versions first: a report handed in (or saved) by a colleague since
        # the form was loaded is a conflict that keeps the text, not a refusal.
        if current.version != expected_version:
            raise ReportConflict(current)
        require(by, "report_follow_up", current)
        report = current
        report.version += 1
        reason = None
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    save_as(report, by, reason)
    return report


def submit_problems(report: FollowUpReport) -> dict[str, str]:
    """What a report needs before it can be submitted, per field."""
    errors = {}
    if not report.progress:
        errors["progress"] = _("Välj genomförandestatus.")
    if report.cost_outcome_tkr is None:
        errors["cost_outcome_tkr"] = _(
            "Ange kostnadsutfallet hittills i år i tkr (0 om inget har kostat ännu)."
        )
    needs_effect = report.progress and report.progress != Progress.EJ_PABORJAD
    if needs_effect and report.effect_achieved is None:
        errors["effect_achieved"] = _("Bedöm den uppnådda effekten.")
    if report.progress in DEVIATING and not report.deviation.strip():
        errors["deviation"] = _("Beskriv avvikelsen: vad skiljer sig från beslutet, och varför.")
    if report.progress in NEEDS_MEASURES and not report.measures.strip():
        errors["measures"] = _("Beskriv vilka åtgärder förvaltningen föreslår.")
    return errors


@transaction.atomic
def submit_report(
    report: FollowUpReport, *, by: User, now: datetime.datetime | None = None
) -> FollowUpReport:
    """Hand in a saved report; refused, with what is missing per field, when
    it is incomplete. ``now`` is when it counts as handed in (default: now)."""
    report = _locked_report(report)
    require(by, "report_follow_up", report)
    errors = submit_problems(report)
    if errors:
        raise ValidationError(errors)
    report.state = AnalysisStatus.SUBMITTED
    report.submitted_at = now or timezone.now()
    report.submitted_by = by
    report.version += 1
    save_as(report, by, "Inlämnad")
    return report


@transaction.atomic
def return_report(report: FollowUpReport, *, by: User, comment: str) -> FollowUpReport:
    """Send a submitted report back to the förvaltning with a comment."""
    report = _locked_report(report)
    require(by, "return_follow_up_report", report)
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Skriv vad förvaltningen behöver komplettera eller ändra.")}
        )
    report.state = AnalysisStatus.RETURNED
    report.returned_at = timezone.now()
    report.returned_by = by
    report.return_comment = comment.strip()
    report.version += 1
    save_as(report, by, "Återlämnad")
    notices.report_returned(report)
    return report


# --- carrying over into the next round ---

# The fields a carried-over proposal takes from its origin: what it is and why
# (identity, texts, type, costs and assessment). Not its number, rank,
# recommendation, history, withdrawal or decisions: the new round judges it anew.
CARRIED_FIELDS = (
    "title",
    "malomrade",
    "situation",
    "atgard",
    "jamforelsealternativ",
    "konsekvensanalys",
    "typ",
    "ransonering_kind",
    "ransonering_detail",
    "cost_year1",
    "cost_year2",
    "cost_year3",
    "cost_years4_10",
    "cost_per_year_min",
    "cost_per_year_max",
    "svarighetsgrad",
    "effekt",
    "nytta",
    "kostnadseffektivitet",
    "kunskapsunderlag",
    "maluppfyllelse",
    "effekt_framst_for",
    "etik_manniskovarde",
    "etik_behov",
    "etik_kostnadseffektivitet",
    "etik_kommentar",
)
# List fields: the new round has its own lists; the item of the same name is used.
CARRIED_LISTS = ("verksamhetsomrade", "fokusomrade", "perspektiv", "orsak", "effekt_pa_sikt")


_UNKNOWN = object()


def latest_progress(proposal: Proposal) -> str:
    """The status of the proposal's latest submitted report ("" when none)."""
    latest = latest_reports([proposal.pk]).get(proposal.pk)
    return latest.progress if latest is not None else ""


def may_be_carried(proposal: Proposal, progress=_UNKNOWN) -> bool:
    """A proposal to carry on, and not carried already: decided Utreds
    vidare, or decided to be carried out and unfinished by its latest submitted
    report (a deviation, not begun, cancelled). The access rule says who and
    when. ``progress``: that latest status, when the caller has it."""
    decision = getattr(proposal, "decision", None)
    if decision is None or decision.outcome not in CARRIABLE:
        return False
    try:
        proposal.carried_into  # noqa: B018 (no query when read with select_related)
    except Proposal.carried_into.RelatedObjectDoesNotExist:
        pass
    else:
        return False
    if decision.outcome == Outcome.UTREDS:
        return True
    if progress is _UNKNOWN:
        progress = latest_progress(proposal)
    return progress in UNFINISHED


@transaction.atomic
def carry_over(proposal: Proposal, *, by: User, reason: str) -> Proposal:
    """A new proposal in the next round, in the same förvaltning's analysis,
    pre-filled from ``proposal``, linked to it and marked as carried over.
    Nothing of the old round changes."""
    # The lock order of rounds.locks: the proposal's round (shared), the next
    # round (exclusive: it numbers the new proposal; two carry-overs of one
    # proposal wait for each other there, and the second finds it carried),
    # the förvaltning's analysis there (shared: it is not submitted
    # meanwhile); the rule and the preconditions asked of them.
    origin = Proposal.objects.values_list("round_id", "analysis__forvaltning_id").get(
        pk=proposal.pk
    )
    round = locks.round_to_work_in(origin[0])
    following = next_round(round)
    target = locks.round_to_change(following) if following is not None else None
    analysis = (
        Analysis.objects.filter(round=target, forvaltning_id=origin[1]).first()
        if target is not None
        else None
    )
    if analysis is not None:
        analysis = locks.analysis_to_work_in(analysis, target)
    proposal = Proposal.objects.select_related("round", "analysis__round", "decision").get(
        pk=proposal.pk
    )
    require(by, "carry_over_proposal", proposal)
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför förslaget förs över till nästa omgång.")})
    if not may_be_carried(proposal):
        raise ValidationError(
            _(
                "Förslaget kan inte föras över: det ska varken utredas vidare eller visar "
                "avvikelse eller ofullbordat genomförande i sin senaste uppföljning, eller så "
                "är det redan överfört."
            )
        )
    if target is None or analysis is None:
        raise ValidationError(_("Det finns ingen verksamhetsanalys att föra över förslaget till."))
    if analysis.status == AnalysisStatus.SUBMITTED:
        raise ValidationError(
            _(
                "%(forvaltning)s har redan lämnat in sin verksamhetsanalys för %(year)s: den "
                "behöver återlämnas innan förslaget kan föras över."
            )
            % {"forvaltning": analysis.forvaltning.name, "year": target.budget_year}
        )
    items = {(item.kind, item.name): item for item in ListItem.objects.filter(round=target)}
    carried = Proposal(
        round=target,
        analysis=analysis,
        number=next_number(target),
        created_by=by,
        carried_from=proposal,
        carry_over_reason=reason.strip(),
        kommentar=_("Överfört från förslag %(reference)s i omgången %(year)s.")
        % {"reference": proposal.reference, "year": proposal.round.budget_year},
        **{name: getattr(proposal, name) for name in CARRIED_FIELDS},
    )
    for name in CARRIED_LISTS:
        old = getattr(proposal, name)
        setattr(carried, name, items.get((old.kind, old.name)) if old else None)
    carried.full_clean(exclude=["mal"])
    save_as(carried, by, f"Överfört från {proposal.reference}")
    goals = [
        items[(goal.kind, goal.name)]
        for goal in proposal.mal.all()
        if (goal.kind, goal.name) in items
    ]
    if goals:
        set_m2m_as(carried, "mal", goals, by)
    return carried


@transaction.atomic
def record_period_decision(
    period: FollowUpPeriod,
    body: str,
    namnd: Namnd | None,
    decision_date,
    paragraph: str,
    text: str,
    *,
    by: User,
    decision: PeriodDecision | None = None,
) -> PeriodDecision:
    """Record a decision of a nämnd (``namnd``), KS or KF on the measures
    ``period``'s reports propose — or, given ``decision``, correct that one
    (the history keeps the earlier version)."""
    round = locks.round_to_work_in(period.round)
    period = FollowUpPeriod.objects.select_related("round").get(pk=period.pk)
    period.round = round
    require(by, "record_period_decision", period)
    paragraph = clean_paragraph(paragraph)
    text = (text or "").strip()
    errors = meeting_problems(decision_date, paragraph, text)
    if body not in DecidingBody.values:
        errors["body"] = [_("Välj vilket organ som beslutade.")]
    elif body == DecidingBody.NAMND and (namnd is None or namnd.kommun_id != round.kommun_id):
        errors["body"] = [_("Välj vilken nämnd som beslutade.")]
    if errors:
        raise ValidationError(errors)
    if decision is None:
        decision = PeriodDecision(period=period)
        reason = _("Registrerat")
    else:
        decision = PeriodDecision.objects.get(pk=decision.pk, period=period)
        reason = _("Rättat")
    decision.body = body
    decision.namnd = namnd if body == DecidingBody.NAMND else None
    decision.decision_date = decision_date
    decision.paragraph = paragraph
    decision.text = text
    decision.recorded_at = timezone.now()
    decision.recorded_by = by
    save_as(decision, by, reason)
    return decision


def period_decisions(period: FollowUpPeriod) -> list[PeriodDecision]:
    """The decisions on ``period``'s measures in date order (one query)."""
    return list(
        PeriodDecision.objects.filter(period=period)
        .select_related("namnd", "recorded_by")
        .order_by("decision_date", "pk")
    )


# --- genomförande: into the nämnd's verksamhetsplan, budget and internkontrollplan ---

IMPLEMENTATION_PARTS = tuple(part.value for part in ImplementationPart)
IMPLEMENTATION_FIELDS = (
    *(f"{part}_{name}" for part in IMPLEMENTATION_PARTS for name in ("date", "reference")),
    "comment",
)
IMPLEMENTATION_TEXT_MAX = 10_000
# The Swedish names of the parts in the messages: "i verksamhetsplanen".
PART_IN = {
    ImplementationPart.VERKSAMHETSPLAN: gettext_lazy("i verksamhetsplanen"),
    ImplementationPart.BUDGET: gettext_lazy("i budgeten"),
    ImplementationPart.INTERNKONTROLLPLAN: gettext_lazy("i internkontrollplanen"),
}


class ImplementationConflict(Exception):  # noqa: N818 (a situation, not a bug)
    """Someone saved the genomförande after the editor loaded it."""

    def __init__(self, current: Implementation):
        super().__init__(f"implementation {current.pk} is at version {current.version}")
        self.current = current


def implementation_of(proposal: Proposal) -> Implementation | None:
    """The proposal's genomförande, or None while nothing is recorded."""
    return Implementation.objects.filter(proposal=proposal).select_related("updated_by").first()


def implementation_problems(fields: dict, today: datetime.date) -> dict[str, list[str]]:
    """What is wrong with a genomförande, per field: a part has both its date
    and its reference or neither, no date lies ahead (it is recorded as it
    happens), no text is too long."""
    errors: dict[str, list[str]] = {}
    for part in ImplementationPart:
        day = fields.get(f"{part.value}_date")
        reference = fields.get(f"{part.value}_reference") or ""
        where = PART_IN[part]
        if day is not None and not reference:
            errors[f"{part.value}_reference"] = [
                _("Ange referensen %(where)s, t.ex. avsnitt eller paragraf.") % {"where": where}
            ]
        if reference and day is None:
            errors[f"{part.value}_date"] = [
                _("Ange datumet då förslaget togs in %(where)s.") % {"where": where}
            ]
        if day is not None and day > today:
            errors[f"{part.value}_date"] = [
                _(
                    "Datumet %(date)s har inte kommit än: registrera delen när förslaget "
                    "har tagits in %(where)s."
                )
                % {"date": date_format(day, "j F Y"), "where": where}
            ]
        if len(reference) > REFERENCE_MAX:
            errors[f"{part.value}_reference"] = [
                _("Referensen kan vara högst %(max)s tecken (nu %(count)s).")
                % {"max": REFERENCE_MAX, "count": len(reference)}
            ]
    if len(fields.get("comment") or "") > IMPLEMENTATION_TEXT_MAX:
        errors["comment"] = [
            _("Kommentaren kan vara högst %(max)s tecken (nu %(count)s).")
            % {"max": IMPLEMENTATION_TEXT_MAX, "count": len(fields["comment"])}
        ]
    return errors


@transaction.atomic
def record_implementation(
    proposal: Proposal,
    fields: dict,
    *,
    by: User,
    expected_version: int | None,
    today: datetime.date | None = None,
) -> Implementation:
    """Record (or correct) where ``proposal`` was taken into its nämnd's
    verksamhetsplan, budget and internkontrollplan, and the comment —
    unless someone saved it since ``expected_version`` was read (None: the
    editor saw nothing recorded); then raise :class:`ImplementationConflict`
    and write nothing. The history keeps every earlier version."""
    unknown = set(fields) - set(IMPLEMENTATION_FIELDS)
    if unknown:
        raise ValueError(f"not an implementation field: {sorted(unknown)}")
    # The lock order of rounds.locks: the round (shared: its publication
    # holds), then the proposal, whose row two first saves wait for.
    round_id = Proposal.objects.values_list("round_id", flat=True).get(pk=proposal.pk)
    round = locks.round_to_work_in(round_id)
    proposal = (
        Proposal.objects.select_for_update(of=("self",), no_key=True)
        .select_related("analysis__forvaltning", "decision")
        .get(pk=proposal.pk)
    )
    proposal.round = round
    require(by, "record_implementation", proposal)
    current = Implementation.objects.filter(proposal=proposal).first()
    if (current.version if current is not None else None) != expected_version:
        if current is None:
            raise ValidationError(_("Formuläret är ofullständigt. Ladda om sidan och försök igen."))
        raise ImplementationConflict(current)
    cleaned = {
        name: (value or "").strip() if not name.endswith("_date") else value
        for name, value in fields.items()
    }
    errors = implementation_problems(cleaned, today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    if current is None:
        implementation = Implementation(proposal=proposal)
        reason = "Registrerat"  # worded by prioritering.history
    else:
        implementation = current
        implementation.version += 1
        reason = "Ändrat"
    for name, value in cleaned.items():
        setattr(implementation, name, value)
    implementation.updated_by = by
    implementation.full_clean()
    save_as(implementation, by, reason)
    return implementation
