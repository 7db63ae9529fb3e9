"""The nämnd's ranking: the overview of the nämnder, and one nämnd's page where
its ledamöter set rank, order and handling and record the decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prioritering.access import may, require
from ranking import services
from ranking.forms import RankingForm, RecordForm
from ranking.models import Handling, NamndResult
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
    round = get_round(year)
    namnd = get_object_or_404(Namnd, pk=namnd_id, kommun_id=round.kommun_id)
    probe = NamndResult(round=round, namnd=namnd)
    require(request.user, "view_namnd_ranking", probe)
    if may(request.user, "rank_in_namnd", probe):
        # A ledamot at work: the nämnd's rows are made (or completed) now.
        return services.result_for(round, namnd, by=request.user)
    # Readers change nothing: they see what the nämnd has ranked so far.
    existing = NamndResult.objects.filter(round=round, namnd=namnd).first()
    if existing is not None:
        existing.round, existing.namnd = round, namnd
    return existing or probe


def _render(request, result, form=None, record_form=None, moved=None):
    rankings = services.rankings_for_reading(
        result, complete=may(request.user, "rank_in_namnd", result)
    )
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
def namnd_ranking_save(request, year, namnd_id):
    """Save ranks, handling and order; a "Flytta upp/ned" button also moves
    its proposal one place (after saving what was typed)."""
    result = _get_result(request, year, namnd_id)
    require(request.user, "rank_in_namnd", result)
    form = RankingForm(request.POST, rankings=list(services.rankings_of(result)))
    if form.is_valid():
        try:
            services.save_rankings(result, form.row_data(), form.order(), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
    if not form.is_valid():
        return _render(request, result, form=form)
    direction, _sep, proposal_id = request.POST.get("flytta", "").partition(":")
    if proposal_id.isdigit():
        before = [r.proposal_id for r in services.rankings_of(result)]
        place, count = services.move(result, int(proposal_id), direction, by=request.user)
        if before.index(int(proposal_id)) + 1 != place:
            reference = next(
                r.proposal.reference for r in form.rankings if r.proposal_id == int(proposal_id)
            )
            messages.success(
                request,
                _("%(reference)s flyttades till plats %(place)s av %(count)s.")
                % {"reference": reference, "place": place, "count": count},
            )
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
            services.record_result(
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


# --- forum ---
# The forum (phase "Kommunövergripande prioritering"): the compiled list with the
# sammanvägd rangordning, and each forumdeltagare's own sheet.

from django.http import HttpResponseNotAllowed  # noqa: E402
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

from ranking.aggregate import RULE  # noqa: E402

# ?ordning= on the compiled list: value -> label. The first is the default.
FORUM_ORDERS = {
    "sammanvagd": _lazy("Sammanvägd rangordning"),
    "namnd": _lazy("Nämnd"),
    "ar1": _lazy("Kostnad år 1, högst först"),
}


def _forum_sorted(rows, ordering):
    if ordering == "namnd":
        return sorted(
            rows,
            key=lambda row: (
                (row.proposal.analysis.forvaltning.namnd.short_name or "").lower()
                or row.proposal.analysis.forvaltning.namnd.name.lower(),
                row.proposal.number,
            ),
        )
    if ordering == "ar1":
        return sorted(rows, key=lambda row: (-row.proposal.cost_year1, row.proposal.number))
    return rows


@login_required
@require_GET
def forum_list(request, year):
    round = get_round(year)
    require(request.user, "view_forum", round)
    ordering = request.GET.get("ordning", "")
    if ordering not in FORUM_ORDERS:
        ordering = next(iter(FORUM_ORDERS))
    rows = _forum_sorted(services.forum_table(round), ordering)
    context = {
        "round": round,
        "rows": rows,
        "rule": RULE,
        "members": services.forum_member_count(),
        "orders": FORUM_ORDERS.items(),
        "ordering": ordering,
        "flagged": sum(1 for row in rows if row.disagreement),
    }
    return render(request, "ranking/forum/list.html", context)


def _sheet_rows(round, values, errors):
    rows = []
    for proposal in services.forwarded_proposals(round):
        value = values.get(proposal.pk)
        rows.append(
            {
                "proposal": proposal,
                "name": f"rank_{proposal.pk}",
                "value": "" if value is None else value,
                "errors": errors.get(f"rank_{proposal.pk}", []),
            }
        )
    return rows


@login_required
def forum_sheet(request, year):
    round = get_round(year)
    require(request.user, "rank_in_forum", round)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        posted = {
            int(name.removeprefix("rank_")): value.strip()
            for name, value in request.POST.items()
            if name.startswith("rank_") and name.removeprefix("rank_").isdigit()
        }
        try:
            services.save_forum_ranks(round, request.user, posted, by=request.user)
        except ValidationError as error:
            errors = error.message_dict
            values = posted
        else:
            messages.success(request, _("Din rangordning är sparad."))
            return redirect("forum_sheet", year=round.budget_year)
    else:
        values = services.forum_ranks_of(round, request.user)
    context = {
        "round": round,
        "rows": _sheet_rows(round, values, errors),
        "non_field_errors": errors.get("__all__", []),
        "has_errors": bool(errors),
    }
    return render(request, "ranking/forum/sheet.html", context)
