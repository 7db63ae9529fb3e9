"""The sammanställning av verksamhetsanalyser: every förvaltning's items of a
round, perspektiv × column, filtered by förvaltning and perspektiv; and the
same as Excel.

The filters are a GET form: without JavaScript it reloads the page; with htmx
the same URL answers with just the results (``#results``), and the URL is
pushed, so Back and a reload show the same thing."""

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from documents.registry import CONTENT_TYPES, XLSX
from prioritering.access import require
from rounds.forms.synthesis import SynthesisFilterForm
from rounds.models import AnalysisColumn
from rounds.synthesis import Synthesis, readable_analyses, round_perspektiv, synthesis
from rounds.views.common import get_round

TEMPLATE = "rounds/analysis/synthesis.html"


def _synthesis(request, year: int) -> tuple[Synthesis, SynthesisFilterForm, bool]:
    """The reader's sammanställning, its filter form, and whether it is filtered."""
    round = get_round(year)
    require(request.user, "view_analysis_synthesis", round)
    analyses = readable_analyses(request.user, round)
    perspektiv = round_perspektiv(round)
    form = SynthesisFilterForm(request.GET or None, analyses=analyses[0], perspektiv=perspektiv)
    filters = form.filters()
    result = synthesis(request.user, round, analyses=analyses, perspektiv=perspektiv, **filters)
    return result, form, any(filters.values())


@login_required
@require_GET
@vary_on_headers("HX-Request")
def analysis_synthesis(request, year):
    result, form, filtered = _synthesis(request, year)
    context = {
        "round": result.round,
        "synthesis": result,
        "filter_form": form,
        "filtered": filtered,
        "columns": AnalysisColumn.labels,
        "query": request.GET.urlencode(),
    }
    template = TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def analysis_synthesis_xlsx(request, year):
    """The same items as the page, under the same filters, as a workbook made
    now (``rounds.documents.synthesis`` says why it is not queued)."""
    from rounds.documents.synthesis import write_synthesis

    result, _form, _filtered = _synthesis(request, year)
    out = io.BytesIO()
    write_synthesis(result, out)
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[XLSX])
    filename = f"sammanstallning-verksamhetsanalyser-{result.round.budget_year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    # The reader's own selection, drafts of their förvaltning included.
    response["Cache-Control"] = "private, no-store"
    return response
