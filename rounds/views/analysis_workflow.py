"""The analysis overview and its workflow: submit to the nämnd, return to the
förvaltning. The grid itself is in analysis_grid.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from prioritering.access import require, visible_analyses
from rounds.criteria import IncompleteProposals
from rounds.forms.workflow import ReturnForm
from rounds.models import Phase
from rounds.readiness import analysis_check
from rounds.services.analysis import return_analysis, submit_analysis
from rounds.views.common import confirmed, get_analysis, get_round


@login_required
@require_GET
def analysis_list(request, year):
    round = get_round(year, "deadlines")
    require(request.user, "view_round", round)
    analyses = (
        visible_analyses(request.user, round.analyses.all())
        .select_related("forvaltning__namnd", "submitted_by", "returned_by")
        .annotate(proposal_count=Count("proposals", filter=Q(proposals__withdrawn_at__isnull=True)))
        .order_by("forvaltning__namnd__name", "forvaltning__name")
    )
    hidden = round.analyses.count() - len(analyses)
    return render(
        request,
        "rounds/analysis/list.html",
        {"round": round, "analyses": analyses, "hidden_count": hidden},
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis_submit(request, year, forvaltning_id):
    """GET: the confirmation page, which names the proposals that lack
    central criteria, a cost or another scale; only its POST (with
    ``confirm``) submits, and not while a proposal lacks central criteria or
    a cost: then the page again, saying which (409)."""
    analysis = get_analysis(request, year, forvaltning_id)
    require(request.user, "submit_analysis", analysis)
    status = 200
    if confirmed(request):
        try:
            submit_analysis(analysis, by=request.user)
        except IncompleteProposals:
            status = 409  # the page below names them, as they are now
        else:
            messages.success(
                request,
                _("Verksamhetsanalysen och dess förslag är inlämnade till %(namnd)s.")
                % {"namnd": analysis.forvaltning.namnd.name},
            )
            return redirect("analysis_grid", year=year, forvaltning_id=forvaltning_id)
    context = {
        "analysis": analysis,
        "proposals": analysis_check(analysis),
        "refused": status == 409,
    }
    return render(request, "rounds/analysis/submit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def analysis_return(request, year, forvaltning_id):
    """The return page is its own confirmation: it says what goes back, and
    only its POST (with ``confirm``) returns the analysis."""
    analysis = get_analysis(request, year, forvaltning_id)
    require(request.user, "return_analysis", analysis)
    if confirmed(request):
        form = ReturnForm(request.POST, analysis=analysis)
    else:  # shown, or an unconfirmed post shown again with what it held
        initial = {name: request.POST.get(name) for name in ("comment", "extended_until")}
        form = ReturnForm(initial=initial if request.method == "POST" else None, analysis=analysis)
    if form.is_bound and form.is_valid():
        try:
            return_analysis(
                analysis,
                by=request.user,
                comment=form.cleaned_data["comment"],
                extended_until=form.cleaned_data["extended_until"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Analysen är återlämnad till %(forvaltning)s.")
                % {"forvaltning": analysis.forvaltning.name},
            )
            return redirect("analysis_grid", year=year, forvaltning_id=forvaltning_id)
    context = {
        "analysis": analysis,
        "form": form,
        "proposals": analysis_check(analysis),
        "past_analysis_phase": analysis.round.phase > Phase.VERKSAMHETSANALYS,
    }
    return render(request, "rounds/analysis/return.html", context)
