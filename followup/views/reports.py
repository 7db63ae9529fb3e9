"""The förvaltningar's follow-up reports and the controller's periods.

- The index of a round's follow-up: its periods and their last days; for the
  controller the way to each period's overview and to the periods' form; for a
  förvaltning's staff a table per period of their decided proposals and how
  far each report has come.
- The periods: the controller sets the last day of Tertial 1, Delår and
  Årsbokslut (``set_periods``).
- One report (a decided proposal in one period): the decision, the budget up
  to the period and the expected effect beside the report; the staff of the
  responsible förvaltning save it as a draft and hand it in; the controller
  may return a handed-in report with a comment. Its history is shown below.

Two people may work on one report. The form carries the version it was
loaded at; a save against an older version writes nothing and shows what the
other person saved beside what the user wrote, which stays in the form.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from followup.forms import PeriodsForm, ReportForm, ReturnReportForm
from followup.models import KIND_BY_SLUG, FollowUpPeriod, FollowUpReport
from followup.rules import (
    decided_amount,
    followed_up_proposals,
    overviews,
    proposal_budget,
    timing,
)
from followup.services import (
    ReportConflict,
    default_deadlines,
    report_for,
    return_report,
    save_report,
    set_periods,
    submit_report,
)
from prioritering.access import STAFF, may, require, roles_of
from prioritering.history import Shown, report_display, report_history, report_label
from rounds.forms.proposal import field_anchor
from rounds.models import Analysis, AnalysisStatus, Grad, Phase, Proposal, Round
from rounds.views.common import get_round
from rounds.views.refused import refused_while_typing

SUBMIT = "lamna_in"  # the name of the "Lämna in" button


def _own_analyses(user, analyses) -> list[Analysis]:
    """The analyses of the user's own förvaltningar (not all those the
    controller may read: the controller has the overview)."""
    roles = roles_of(user)
    return [
        analysis
        for analysis in analyses
        if roles.in_forvaltning(analysis.forvaltning_id, *STAFF)
        and may(user, "view_follow_up", analysis)
    ]


def _overview_url(round: Round, period: FollowUpPeriod) -> str:
    return reverse("followup_overview", kwargs={"year": round.budget_year, "period": period.slug})


def _report_url(year: int, slug: str, number: int) -> str:
    return reverse("followup_report", kwargs={"year": year, "period": slug, "number": number})


# --- the index ---------------------------------------------------------------------


@dataclass
class PeriodTable:
    period: FollowUpPeriod
    rows: list = field(default_factory=list)


@dataclass
class ForvaltningFollowUp:
    analysis: Analysis
    tables: list[PeriodTable] = field(default_factory=list)


STATE_LABELS = {
    "": gettext_lazy("Ingen rapport ännu"),
    AnalysisStatus.DRAFT: gettext_lazy("Utkast"),
    AnalysisStatus.SUBMITTED: gettext_lazy("Inlämnad"),
    AnalysisStatus.RETURNED: gettext_lazy("Återlämnad"),
}


@login_required
@require_GET
def followup_index(request, year):
    round = get_round(year)
    analyses = list(
        round.analyses.select_related("forvaltning__namnd").order_by(
            "forvaltning__namnd__name", "forvaltning__name"
        )
    )
    for analysis in analyses:
        analysis.round = round
    require(request.user, "view_follow_up_index", round)
    is_controller = may(request.user, "view_follow_up_overview", round)
    periods = list(round.follow_up_periods.order_by("kind"))
    today = timezone.localdate()
    for period in periods:
        period.round = round
        period.passed = today > period.deadline
        period.overview_url = _overview_url(round, period) if is_controller else ""

    own = _own_analyses(request.user, analyses)
    sections = [ForvaltningFollowUp(analysis) for analysis in own]
    if own and periods:
        by_forvaltning = {section.analysis.forvaltning_id: section for section in sections}
        for period, rows in _rows_per_period(round, periods, own, today):
            tables = {forvaltning_id: PeriodTable(period) for forvaltning_id in by_forvaltning}
            for row in rows:
                row.state = row.report.state if row.report is not None else ""
                row.state_label = STATE_LABELS[row.state]
                row.url = _report_url(year, period.slug, row.number)
                tables[row.forvaltning_id].rows.append(row)
            for forvaltning_id, table in tables.items():
                by_forvaltning[forvaltning_id].tables.append(table)
    context = {
        "round": round,
        "periods": periods,
        "is_controller": is_controller,
        "can_set_periods": may(request.user, "manage_round", round),
        "sections": sections,
        "in_follow_up": round.phase == Phase.UPPFOLJNING,
    }
    return render(request, "followup/index.html", context)


def _rows_per_period(round, periods, analyses, today):
    """Each period's rows of the analyses' proposals (the overview's own), from
    two queries however many periods and proposals."""
    proposals = followed_up_proposals(round).filter(analysis__in=[a.pk for a in analyses])
    for result in overviews(round, periods, today=today, proposals=proposals):
        yield result.period, result.rows


# --- the periods -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def followup_periods(request, year):
    round = get_round(year)
    require(request.user, "manage_round", round)
    existing = {period.kind: period.deadline for period in round.follow_up_periods.all()}
    initial = existing or default_deadlines(round.budget_year)
    form = PeriodsForm(
        request.POST if request.method == "POST" else None, initial_deadlines=initial
    )
    if form.is_bound and form.is_valid():
        try:
            set_periods(round, form.deadlines(), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Uppföljningsperioderna är sparade."))
            return redirect("followup_index", year=year)
    return render(
        request,
        "followup/periods.html",
        {"round": round, "form": form, "has_periods": bool(existing)},
    )


# --- one report ---------------------------------------------------------------------


def _report_objects(year: int, slug: str, number: int):
    """The period and the followed-up proposal of a report's URL, both with
    their round; 404 for an unknown period, a period the round does not have,
    or a proposal that is not followed up."""
    kind = KIND_BY_SLUG.get(slug)
    if kind is None:
        raise Http404
    round = get_round(year)
    period = get_object_or_404(FollowUpPeriod, round=round, kind=kind)
    period.round = round
    proposal = get_object_or_404(
        followed_up_proposals(round).select_related(
            "analysis__forvaltning__namnd", "decision__decided_by"
        ),
        number=number,
    )
    proposal.round = round
    proposal.analysis.round = round
    return period, proposal


def _report(period: FollowUpPeriod, proposal: Proposal) -> FollowUpReport:
    report = report_for(period, proposal)
    report.period = period
    report.proposal = proposal
    return report


def _fresh_report(period, proposal) -> FollowUpReport:
    """The report as saved now, with the users the page names."""
    report = (
        FollowUpReport.objects.select_related("submitted_by", "returned_by")
        .filter(period=period, proposal=proposal)
        .first()
    )
    if report is None:
        return _report(period, proposal)
    report.period = period
    report.proposal = proposal
    return report


@login_required
@require_http_methods(["GET", "POST"])
def followup_report(request, year, period, number):
    period, proposal = _report_objects(year, period, number)
    require(request.user, "view_follow_up", proposal.analysis)
    if request.method == "GET":
        return _render_report(request, period, proposal, _fresh_report(period, proposal))

    report = _report(period, proposal)
    form = ReportForm(request.POST)
    if not may(request.user, "report_follow_up", report):
        # A colleague may have handed the report in while this user wrote:
        # say so and show what they wrote. Anyone else is refused.
        could_report = may(
            request.user, "report_follow_up", FollowUpReport(period=period, proposal=proposal)
        )
        stale = report.pk and form.is_valid() and form.cleaned_data["version"] != report.version
        if could_report and stale:
            return _render_conflict(request, period, proposal, form, status=409)
        return _refused(request, year, period.slug, number)
    if not form.is_valid():
        return _render_report(request, period, proposal, report, form=form)
    loaded = form.cleaned_data["version"]
    try:
        if report.pk is not None and loaded is None:
            # Someone wrote the first draft while this user wrote theirs.
            raise ReportConflict(report)
        report = save_report(report, form.report_fields(), by=request.user, expected_version=loaded)
    except ReportConflict:
        return _render_conflict(request, period, proposal, form)
    except PermissionDenied:  # the door closed between the check and the save
        return _refused(request, year, period.slug, number)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_report(request, period, proposal, report, form=form)

    if SUBMIT in request.POST:
        try:
            submit_report(report, by=request.user)
        except ValidationError as error:
            # The draft is saved; the form keeps what was written, at the new version.
            form = _rebound(request.POST, report.version)
            form.add_service_errors(error)
            messages.warning(
                request,
                _(
                    "Utkastet är sparat, men rapporten är inte inlämnad. Komplettera det som "
                    "saknas och lämna in igen."
                ),
            )
            return _render_report(
                request, period, proposal, _fresh_report(period, proposal), form=form
            )
        messages.success(
            request,
            _("Rapporten för %(reference)s är inlämnad.") % {"reference": proposal.reference},
        )
    else:
        messages.success(request, _("Utkastet är sparat."))
    return redirect(_report_url(year, period.slug, number))


def _refused(request, year: int, slug: str, number: int):
    """The report may not be saved (any more): the round moved on while the
    user typed, or the report was handed in. Staff of its förvaltning get the
    page that says why and keeps what they typed; anyone else the plain
    refusal."""
    period, proposal = _report_objects(year, slug, number)  # read afresh
    current = _fresh_report(period, proposal)
    form = ReportForm(request.POST)
    try:
        require(request.user, "report_follow_up", current)
    except PermissionDenied:
        if not roles_of(request.user).in_forvaltning(proposal.analysis.forvaltning_id, *STAFF):
            raise
    else:  # open again: the form as it was posted
        form.is_valid()
        return _render_report(request, period, proposal, current, form=form)
    round = period.round
    if current.is_submitted:
        title = _("Rapporten lämnades in medan du skrev")
        reason = _(
            "Rapporten för %(reference)s lämnades in av %(who)s och kan inte längre ändras. "
            "Controllern kan återlämna den."
        ) % {"reference": proposal.reference, "who": current.submitted_by}
    elif round.phase != Phase.UPPFOLJNING:
        title = _("Uppföljningen är stängd")
        reason = _(
            "Omgången flyttades till fasen %(phase)s medan du skrev, och rapporterna kan inte "
            "längre ändras."
        ) % {"phase": round.phase_label}
    else:
        title = _("Rapporten kan inte ändras nu")
        reason = _("Du har inte längre behörighet att ändra rapporten.")
    return refused_while_typing(
        request,
        title=title,
        reason=reason,
        form=form,
        back_url=_report_url(year, slug, number),
        back_label=_("Till rapporten för %(reference)s") % {"reference": proposal.reference},
        round=round,
    )


def _rebound(post, version: int) -> ReportForm:
    data = post.copy()
    data["version"] = str(version)
    form = ReportForm(data)
    form.is_valid()
    return form


@login_required
@require_POST
def followup_report_return(request, year, period, number):
    period, proposal = _report_objects(year, period, number)
    require(request.user, "view_follow_up", proposal.analysis)
    report = _fresh_report(period, proposal)
    require(request.user, "return_follow_up_report", report)
    form = ReturnReportForm(request.POST)
    if form.is_valid():
        try:
            return_report(report, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Rapporten är återlämnad till %(forvaltning)s.")
                % {"forvaltning": proposal.analysis.forvaltning.name},
            )
            return redirect(_report_url(year, period.slug, number))
    return _render_report(request, period, proposal, report, return_form=form)


# --- showing a report ----------------------------------------------------------------


def _render_report(
    request, period, proposal, report, *, form=None, return_form=None, conflict=None, status=200
):
    round = period.round
    user = request.user
    decision = proposal.decision
    decided = decided_amount(decision.outcome, decision.amount_tkr, proposal.cost_year1)
    today = timezone.localdate()
    can_report = may(user, "report_follow_up", report)
    can_return = may(user, "return_follow_up_report", report)
    if can_report and form is None:
        form = ReportForm.for_report(report)
    if can_return and return_form is None:
        return_form = ReturnReportForm()
    earlier = list(
        FollowUpReport.objects.filter(
            proposal=proposal,
            period__round=round,
            period__kind__lt=period.kind,
            state=AnalysisStatus.SUBMITTED,
        )
        .select_related("period", "submitted_by")
        .order_by("period__kind")
    )
    submitted_at = report.submitted_at if report.is_submitted else None
    context = {
        "round": round,
        "period": period,
        "proposal": proposal,
        "analysis": proposal.analysis,
        "decision": decision,
        "decided_tkr": decided,
        "budget_tkr": proposal_budget(round, proposal.pk, decided, period.kind),
        "months": period.months,
        "expected_effect": Grad(proposal.effekt).label if proposal.effekt is not None else "",
        "report": report,
        "state_label": STATE_LABELS[report.state if report.pk else ""],
        "timing": timing(submitted_at, period.deadline, today),
        "deadline_passed": today > period.deadline,
        "earlier": earlier,
        "form": form if can_report else None,
        "can_report": can_report,
        "return_form": return_form if can_return else None,
        "is_author": roles_of(user).in_forvaltning(proposal.analysis.forvaltning_id, *STAFF),
        "conflict": conflict,
        "history": report_history(report) if report.pk else [],
        "is_controller": may(user, "view_follow_up_overview", round),
    }
    return render(request, "followup/report.html", context, status=status)


def _render_conflict(request, period, proposal, form, *, status=200):
    """Nothing was written. Show what the report holds now beside what the
    user wrote; the form keeps the user's values and carries the current
    version, so the next save is a deliberate one."""
    current = _fresh_report(period, proposal)
    mine = form.cleaned_data
    changes = []
    for name in ReportForm.REPORT_FIELDS:
        theirs = getattr(current, name)
        if _comparable(theirs) != _comparable(mine.get(name)):
            changes.append(
                {
                    "label": report_label(name),
                    "anchor": field_anchor(form[name]),
                    "theirs": Shown(report_display(name, theirs)),
                    "mine": Shown(report_display(name, mine.get(name))),
                }
            )
    editable = may(request.user, "report_follow_up", current)
    if not editable:  # handed in meanwhile: nothing more to merge into
        status = 409
    who = current.submitted_by if current.is_submitted else None
    conflict = {"changes": changes, "editable": editable, "submitted_by": who}
    form = _rebound(request.POST, current.version) if editable else form
    return _render_report(
        request, period, proposal, current, form=form, conflict=conflict, status=status
    )


def _comparable(value):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    return value
