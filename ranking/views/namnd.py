"""The nämnd's ranking: the overview of the nämnder, and one nämnd's page where
its ledamöter set rank, order and handling and record the decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from prioritering.access import require
from ranking import selectors
from ranking.forms import RankingForm, RecordForm
from ranking.models import Handling, NamndResult
from ranking.services import namnd as namnd_services
from ranking.views.common import moved_message
from rounds import criteria
from rounds.models import AnalysisStatus, Namnd
from rounds.views.common import get_round


@login_required
@require_GET
def namnd_ranking_list(request, year):
    round = get_round(year)
    require(request.user, "view_round", round)
    counted = Q(
        forvaltningar__analyses__round=round,
        forvaltningar__analyses__status=AnalysisStatus.SUBMITTED,
        forvaltningar__analyses__proposals__withdrawn_at__isnull=True,
    )
    namnder = (
        Namnd.objects.filter(kommun_id=round.kommun_id)
        .annotate(proposal_count=Count("forvaltningar__analyses__proposals", filter=counted))
        .prefetch_related(
            Prefetch(
                "results",
                queryset=NamndResult.objects.filter(round=round).select_related("recorded_by"),
                to_attr="round_results",
            )
        )
    )
    return render(request, "ranking/namnd/list.html", {"round": round, "namnder": namnder})


def _get_result(request, year, namnd_id) -> NamndResult:
    """The nämnd's result as saved, or a new one not yet saved. Reading writes
    nothing: the page shows the rows not yet saved as they will be
    (selectors.rankings_for_reading); a ledamot's first save makes the result
    and its rows, under the locks (namnd_services.result_for)."""
    round = get_round(year)
    namnd = get_object_or_404(Namnd, pk=namnd_id, kommun_id=round.kommun_id)
    require(request.user, "view_namnd_ranking", NamndResult(round=round, namnd=namnd))
    return selectors.unsaved_result(round, namnd)


def _render(request, result, form=None, record_form=None, moved=None):
    rankings = selectors.rankings_for_reading(result)
    form = form or RankingForm(rankings=rankings)
    if record_form is None:
        record_form = RecordForm(
            initial={
                "decision_date": result.decision_date,
                "paragraph": result.paragraph,
                "comment": result.comment,
            }
        )
    moved_id, _sep, direction = (moved or "").partition("-")
    for ranking in rankings:
        ranking.focus = direction if str(ranking.proposal_id) == moved_id else None
    totals = {value: 0 for value in Handling.values}
    unset = 0
    for ranking in rankings:
        if ranking.handling in totals:
            totals[ranking.handling] += ranking.proposal.cost_year1
        else:
            unset += ranking.proposal.cost_year1
    context = {
        "round": result.round,
        "namnd": result.namnd,
        "result": result,
        "rankings": rankings,
        "rows": form.bound_rows(),
        "form": form,
        "record_form": record_form,
        "totals": [(label, totals[value]) for value, label in Handling.choices],
        "unset_total": unset,
        "total": sum(ranking.proposal.cost_year1 for ranking in rankings),
        # What stops the record: the page names these with links, the
        # service refuses them (rounds.criteria).
        "criteria_check": {
            "incomplete": criteria.incomplete(
                [ranking.proposal for ranking in rankings], result.round.budget_year
            )
        },
    }
    return render(request, "ranking/namnd/ranking.html", context)


@login_required
@require_GET
def namnd_ranking(request, year, namnd_id):
    result = _get_result(request, year, namnd_id)
    return _render(request, result, moved=request.GET.get("flyttad"))


def _page(result, **query) -> str:
    url = reverse(
        "namnd_ranking", kwargs={"year": result.round.budget_year, "namnd_id": result.namnd_id}
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def namnd_ranking_save(request, year, namnd_id):
    """Save ranks, handling and order (the list then follows the ranks); a
    "Flytta upp/ned" button also moves its proposal under the rule of
    ranking.ranks.place_row (after saving what was typed). static/js/ranklist.js
    moves rows in the page and saves in the background with HX-Request: then
    the answer is 204, or 422 with the errors as JSON."""
    result = _get_result(request, year, namnd_id)
    require(request.user, "rank_in_namnd", result)
    form = RankingForm(request.POST, rankings=selectors.rankings_for_reading(result))
    moved = None
    if form.is_valid():
        try:
            # All or nothing: a refused save or move leaves the typed ranks
            # unsaved, and a result made by this save is not made either.
            with transaction.atomic():
                namnd_services.save_rankings(result, form.row_data(), form.order(), by=request.user)
                if form.move() is not None and not request.htmx:
                    direction, proposal_id = form.move()
                    moved = namnd_services.move(result, proposal_id, direction, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
    if not form.is_valid():
        if request.htmx:
            errors = [error for field in form.errors.values() for error in field]
            return JsonResponse({"errors": errors}, status=422)
        return _render(request, result, form=form)
    if request.htmx:
        return HttpResponse(status=204)
    if moved is not None:
        direction, proposal_id = form.move()
        reference = next(
            r.proposal.reference for r in form.rankings if r.proposal_id == proposal_id
        )
        messages.success(request, moved_message(reference, moved))
        return redirect(_page(result, flyttad=f"{proposal_id}-{direction}"))
    messages.success(request, _("Nämndens rangordning är sparad."))
    return redirect(_page(result))


@login_required
@require_POST
def namnd_ranking_record(request, year, namnd_id):
    result = _get_result(request, year, namnd_id)
    require(request.user, "record_namnd_result", result)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            namnd_services.record_result(
                result,
                form.cleaned_data["decision_date"],
                form.cleaned_data["paragraph"],
                form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Nämndens beslut är registrerat."))
            return redirect(_page(result))
    return _render(request, result, record_form=form)
