"""The decisions of the kommunstyrelse and the kommunfullmäktige on a round's
result: the controller's page to record and correct them, and the protocol's
download (public once the round is published)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from prioritering.access import may, require
from ranking import selectors
from ranking.forms import BodyDecisionForm
from ranking.models import BodyDecision
from ranking.services.bodies import record_body_decision
from ranking.views.common import forum_context, get_forum_round
from rounds.uploads import refused_size, validate_upload
from rounds.views.common import file_download


@login_required
@require_http_methods(["GET", "POST"])
def body_decisions(request, year):
    """The round's KS and KF decisions, and a form for a new one."""
    round = get_forum_round(year)
    require(request.user, "record_body_decision", round)
    form, response = _handled(request, round, None)
    if response:
        return response
    context = forum_context(
        round, request, form=form, decisions=selectors.body_decisions(round), editing=None
    )
    return render(request, "ranking/decision/bodies.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def body_decision_edit(request, year, pk):
    """Correct one recorded decision; the earlier version stays in the history."""
    round = get_forum_round(year)
    require(request.user, "record_body_decision", round)
    decision = get_object_or_404(BodyDecision, pk=pk, round=round)
    form, response = _handled(request, round, decision)
    if response:
        return response
    context = forum_context(
        round, request, form=form, decisions=selectors.body_decisions(round), editing=decision
    )
    return render(request, "ranking/decision/bodies.html", context)


def _handled(request, round, decision):
    """The form, and the redirect once the decision is recorded."""
    initial = None
    if decision is not None:
        initial = {
            "body": decision.body,
            "decision_date": decision.decision_date,
            "paragraph": decision.paragraph,
            "text": decision.text,
        }
    has_protocol = bool(decision and decision.protocol)
    if request.method != "POST":
        return BodyDecisionForm(initial=initial, has_protocol=has_protocol), None
    form = BodyDecisionForm(
        request.POST,
        request.FILES,
        too_large=refused_size(request),
        has_protocol=has_protocol,
    )
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    protocol, content_type = data.get("protocol"), ""
    if protocol:
        try:
            content_type = validate_upload(protocol)
        except ValidationError as error:
            form.add_error("protocol", error)
            return form, None
    try:
        recorded = record_body_decision(
            round,
            data["body"],
            data["decision_date"],
            data["paragraph"],
            data["text"],
            by=request.user,
            protocol=protocol or None,
            content_type=content_type,
            decision=decision,
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return form, None
    values = {
        "body": recorded.get_body_display(),
        "date": date_format(recorded.decision_date, "j F Y"),
        "paragraph": recorded.paragraph,
    }
    if decision is None:
        message = _("Beslutet i %(body)s %(date)s § %(paragraph)s är registrerat.") % values
    else:
        message = _("Beslutet i %(body)s %(date)s § %(paragraph)s är rättat.") % values
    messages.success(request, message)
    url = reverse("body_decisions", args=[round.budget_year])
    return form, redirect(f"{url}#organbeslut-{recorded.pk}")


@require_GET
def body_protocol(request, year, pk):
    """A decision's protocol: for anyone once the round is published; before
    that for who records them, and for no one else (404: it does not exist
    for them)."""
    decision = get_object_or_404(
        BodyDecision.objects.select_related("round__forum_result"),
        pk=pk,
        round__budget_year=year,
    )
    if not decision.protocol or not may(request.user, "download_body_protocol", decision.round):
        raise Http404
    return file_download(
        decision.protocol,
        filename=decision.protocol_name,
        content_type=decision.protocol_content_type,
    )
