"""The decisions of the nämnder, KS and KF on the measures a follow-up period
proposes (the source: "Beslut i nämnder, KS och KF om hantering"): the
controller records and corrects them here; the period's overview and the
follow-up report show them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followup.forms import PeriodDecisionForm
from followup.models import KIND_BY_SLUG, FollowUpPeriod, PeriodDecision
from followup.services import period_decisions, record_period_decision
from prioritering.access import require
from rounds.models import Namnd
from rounds.views.common import get_round


def _period(year, slug) -> FollowUpPeriod:
    round = get_round(year)
    kind = KIND_BY_SLUG.get(slug)
    period = FollowUpPeriod.objects.filter(round=round, kind=kind).first() if kind else None
    if period is None:
        raise Http404
    period.round = round
    return period


@login_required
@require_http_methods(["GET", "POST"])
def period_decisions_page(request, year, period):
    return _page(request, _period(year, period), None)


@login_required
@require_http_methods(["GET", "POST"])
def period_decision_edit(request, year, period, pk):
    period = _period(year, period)
    decision = get_object_or_404(PeriodDecision, pk=pk, period=period)
    return _page(request, period, decision)


def _page(request, period, decision):
    round = period.round
    require(request.user, "record_period_decision", period)
    namnder = list(Namnd.objects.filter(kommun_id=round.kommun_id).order_by("name"))
    if request.method == "POST":
        form = PeriodDecisionForm(request.POST, namnder=namnder)
        if form.is_valid():
            body, namnd = form.body_and_namnd()
            data = form.cleaned_data
            try:
                recorded = record_period_decision(
                    period,
                    body,
                    namnd,
                    data["decision_date"],
                    data["paragraph"],
                    data["text"],
                    by=request.user,
                    decision=decision,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                values = {
                    "body": recorded.body_name,
                    "date": date_format(recorded.decision_date, "j F Y"),
                    "paragraph": recorded.paragraph,
                }
                if decision is None:
                    text = _("Beslutet i %(body)s %(date)s § %(paragraph)s är registrerat.")
                else:
                    text = _("Beslutet i %(body)s %(date)s § %(paragraph)s är rättat.")
                messages.success(request, text % values)
                url = reverse("followup_overview", args=[round.budget_year, period.slug])
                return redirect(f"{url}#beslut-om-atgarder")
    else:
        initial = None
        if decision is not None:
            initial = {
                "body": PeriodDecisionForm.value_of(decision),
                "decision_date": decision.decision_date,
                "paragraph": decision.paragraph,
                "text": decision.text,
            }
        form = PeriodDecisionForm(initial=initial, namnder=namnder)
    context = {
        "round": round,
        "period": period,
        "form": form,
        "editing": decision,
        "decisions": period_decisions(period),
    }
    return render(request, "followup/period_decisions.html", context)
