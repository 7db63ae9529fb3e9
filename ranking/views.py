"""The nämnd's ranking: the overview of the nämnder, and one nämnd's page where
its ledamöter set rank, order and handling and record the decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prioritering.access import may, require
from ranking import selectors
from ranking.forms import RankingForm, RecordForm
from ranking.models import Handling, NamndResult
from ranking.services import forum as forum_services
from ranking.services import namnd as namnd_services
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
    form = RankingForm(request.POST, rankings=selectors.rankings_for_reading(result))
    moved = None
    if form.is_valid():
        try:
            # All or nothing: a refused save or move leaves the typed ranks
            # unsaved, and a result made by this save is not made either.
            with transaction.atomic():
                saved = namnd_services.save_rankings(
                    result, form.row_data(), form.order(), by=request.user
                )
                if form.move() is not None:
                    direction, proposal_id = form.move()
                    before = [r.proposal_id for r in saved]
                    place, count = namnd_services.move(
                        result, proposal_id, direction, by=request.user
                    )
                    if before.index(proposal_id) + 1 != place:
                        moved = (direction, proposal_id, place, count)
        except ValidationError as error:
            form.add_service_errors(error)
    if not form.is_valid():
        return _render(request, result, form=form)
    if moved is not None:
        direction, proposal_id, place, count = moved
        reference = next(
            r.proposal.reference for r in form.rankings if r.proposal_id == proposal_id
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


# --- forum ---
# The forum (phase "Kommunövergripande prioritering"): the compiled list with the
# sammanvägd rangordning, and each forumdeltagare's own sheet.

from collections.abc import Callable  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import get_language, gettext_lazy  # noqa: E402
from django.views.decorators.vary import vary_on_headers  # noqa: E402

from prioritering.numbers import parse_id  # noqa: E402
from prioritering.templatetags.formatting import tkr  # noqa: E402
from ranking.aggregate import RULE  # noqa: E402
from rounds.forms import service_errors  # noqa: E402
from rounds.models import (  # noqa: E402
    Grad,
    Kostnadseffektivitet,
    Proposal,
    ProposalType,
    Svarighetsgrad,
)
from rounds.models.proposal import reference_for  # noqa: E402

MEETING_CACHE_SECONDS = 60

# ?ordning= on the compiled list: value -> label. The first is the default.
FORUM_ORDERS = {
    "sammanvagd": gettext_lazy("Sammanvägd rangordning"),
    "namnd": gettext_lazy("Nämnd"),
    "ar1": gettext_lazy("Kostnad år 1, högst först"),
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
    rows = _forum_sorted(selectors.forum_table(round), ordering)
    context = {
        "round": round,
        "rows": rows,
        "rule": RULE,
        "members": selectors.forum_member_count(),
        "orders": FORUM_ORDERS.items(),
        "ordering": ordering,
        "flagged": sum(1 for row in rows if row.disagreement),
        "held_back": held_back_for(request, round),
    }
    return render(request, "ranking/forum/list.html", context)


def held_back_for(request, round) -> list:
    """What the nämnder sent on that is out of the forum because its analysis
    was returned (``selectors.held_back``) — for the controller, who is told
    so on the forum's pages."""
    if not may(request.user, "manage_round", round):
        return []
    return selectors.held_back(round)


def _posted_ranks(post) -> dict[int, str]:
    """The typed ranks by proposal id; a ``rank_`` field that names no id is
    no request of our page (400)."""
    ranks = {}
    for name, value in post.items():
        if name.startswith("rank_"):
            proposal_id = parse_id(name.removeprefix("rank_"))
            if proposal_id is None:
                raise BadRequest("rank_ names no proposal id")
            ranks[proposal_id] = value.strip()
    return ranks


def shown_texts(round) -> Callable:
    """A function giving, per proposal, the texts a long table shows: labels
    and amounts computed in Python from choice tables made once per request,
    instead of a template lookup and a translation per cell (600+ rows)."""
    labels = {
        "typ": {value: str(label) for value, label in ProposalType.choices},
        "svarighetsgrad": {value: str(label) for value, label in Svarighetsgrad.choices},
        "nytta": {value: str(label) for value, label in Grad.choices},
        "kostnadseffektivitet": {
            value: str(label) for value, label in Kostnadseffektivitet.choices
        },
    }
    detail = reverse("proposal_detail", kwargs={"year": round.budget_year, "number": 1})
    prefix = detail.removesuffix("1/")

    def texts(proposal) -> dict:
        namnd = proposal.analysis.forvaltning.namnd
        return {
            "reference": reference_for(round.budget_year, proposal.number),
            "url": f"{prefix}{proposal.number}/",
            "namnd": namnd.short_name or namnd.name,
            "typ": labels["typ"].get(proposal.typ, ""),
            "cost_year1": tkr(proposal.cost_year1),
            **{
                name: labels[name].get(getattr(proposal, name), "–")
                for name in ("svarighetsgrad", "nytta", "kostnadseffektivitet")
            },
        }

    return texts


def _sheet_rows(request, round, *, values=None, order=None, errors=None, moved=None):
    """The rows of the sheet: the saved order and ranks, or — after a refused
    save — what was posted, in the order it was posted, so nothing is lost."""
    errors = errors or {}
    proposals = {proposal.pk: proposal for proposal in selectors.forwarded_proposals(round)}
    if values is None:
        sheet = forum_services.sheet_order(round, request.user)
        ids = [row.proposal_id for row in sheet]
        values = {row.proposal_id: row.rank for row in sheet}
    else:
        listed = [pk for pk in map(parse_id, order or []) if pk in proposals]
        ids = list(dict.fromkeys(listed))
        seen = set(ids)
        ids += [pk for pk in proposals if pk not in seen]
    history = {}
    if may(request.user, "view_forum_history", round):
        history = forum_services.forum_history_of(round, request.user)
    moved_id, _sep, direction = (moved or "").partition("-")
    texts = shown_texts(round)
    rows = []
    for place, pk in enumerate(ids, start=1):
        value = values.get(pk)
        rows.append(
            {
                "proposal": proposals[pk],
                "shown": texts(proposals[pk]),
                "place": place,
                "name": f"rank_{pk}",
                "value": "" if value is None else value,
                "errors": errors.get(f"rank_{pk}", []),
                "focus": direction if str(pk) == moved_id else None,
                "history": history.get(pk, []),
            }
        )
    return rows


def _moved_message(reference, moved) -> str:
    values = {"reference": reference, "place": moved.place, "count": moved.count}
    if not moved.changed:
        return _("%(reference)s står kvar på plats %(place)s av %(count)s.") % values
    if moved.rank is None:
        return (
            _("%(reference)s flyttades till plats %(place)s av %(count)s (utan rangordning).")
            % values
        )
    return _(
        "%(reference)s flyttades till plats %(place)s av %(count)s (rangordning %(rank)s)."
    ) % {**values, "rank": moved.rank}


@login_required
@vary_on_headers("HX-Request")
def forum_sheet(request, year):
    """The member's own sheet. A save stores the typed ranks and the order of
    the rows (the ``ordning`` fields); a "Flytta upp/ned" button also moves its
    row under the rule (after saving what was typed). static/js/forum.js moves
    rows in the page and saves in the background with HX-Request: then the
    answer is 204, or 422 with the errors as JSON."""
    round = get_round(year)
    require(request.user, "rank_in_forum", round)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "GET":
        rows = _sheet_rows(request, round, moved=request.GET.get("flyttad"))
        return _render_sheet(request, round, rows)
    posted = _posted_ranks(request.POST)
    order = request.POST.getlist("ordning")
    direction, _sep, proposal_id = request.POST.get("flytta", "").partition(":")
    moving = not request.htmx and bool(request.POST.get("flytta"))
    proposal_id = parse_id(proposal_id)  # None: the service refuses the move
    try:
        with transaction.atomic():
            forum_services.save_forum_ranks(
                round, request.user, posted, order=order, by=request.user
            )
            if moving:
                moved = forum_services.move_forum_rank(
                    round, request.user, proposal_id, direction, by=request.user
                )
    except ValidationError as error:
        errors = service_errors(error)
        if request.htmx:
            messages_ = [message for field in errors.values() for message in field]
            return JsonResponse({"errors": messages_}, status=422)
        rows = _sheet_rows(request, round, values=posted, order=order, errors=errors)
        return _render_sheet(request, round, rows, errors=errors)
    if request.htmx:
        return HttpResponse(status=204)
    url = reverse("forum_sheet", kwargs={"year": round.budget_year})
    if not moving:
        messages.success(request, _("Din rangordning är sparad."))
        return redirect(url)
    number = Proposal.objects.values_list("number", flat=True).get(pk=proposal_id)
    reference = reference_for(round.budget_year, number)
    messages.success(request, _moved_message(reference, moved))
    return redirect(f"{url}?flyttad={proposal_id}-{direction}")


def _render_sheet(request, round, rows, errors=None):
    errors = errors or {}
    context = {
        "round": round,
        "rows": rows,
        "non_field_errors": errors.get("__all__", []),
        "has_errors": bool(errors),
    }
    return render(request, "ranking/forum/sheet.html", context)


# The live meeting view: the compiled list on the big screen. Its table region
# asks every 2 s (htmx) for the fragment with the stamp it shows; the answer is
# 204 while nothing changed (one query), else the new table. Only the database
# is compared, so it works with any number of app processes.


def _meeting_context(round, stamp=None):
    if stamp is None:  # before the table: a change in between shows at the next poll
        stamp = selectors.forum_stamp(round)
    rows = selectors.forum_table(round)
    members = selectors.forum_member_count()
    return {
        "round": round,
        "rows": rows,
        "members": members,
        "rule": RULE,
        "flagged": sum(1 for row in rows if row.disagreement),
        "stamp": stamp,
        "digest": selectors.forum_table_digest(rows, members),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def forum_meeting(request, year):
    round = get_round(year)
    require(request.user, "view_forum", round)
    return render(request, "ranking/forum/meeting.html", _meeting_context(round))


@login_required
@require_GET
@vary_on_headers("HX-Request")
def forum_meeting_table(request, year):
    """The meeting view's table region: 204 while the stamp is unchanged."""
    round = get_round(year)
    require(request.user, "view_forum", round)
    stamp = selectors.forum_stamp(round)
    if request.GET.get("stamp") == stamp:
        return HttpResponse(status=204)
    # Every screen of the meeting asks for the same table after a change: it
    # is rendered once per process and change (the key is the database's
    # stamp, so a process that has not seen the change renders it itself).
    key = f"forum-meeting:{round.pk}:{stamp}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        context = _meeting_context(round, stamp)
        table = render_to_string("ranking/forum/meeting.html#table", context)
        cached = (table, context["digest"])
        cache.set(key, cached, MEETING_CACHE_SECONDS)
    table, digest = cached
    updated = None
    if request.GET.get("digest") not in (None, digest):
        updated = render_to_string(
            "ranking/forum/meeting.html#updated", {"updated_at": timezone.localtime()}
        )
    return HttpResponse(table + (updated or ""))
