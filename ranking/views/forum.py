"""The forum (phase "Kommunövergripande prioritering"): the compiled list with
the sammanvägd rangordning, each forumdeltagare's own sheet, and the live
meeting view on the big screen."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import BadRequest, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from prioritering.access import is_final, may, require
from prioritering.history import forum_rank_history
from prioritering.numbers import parse_id
from ranking import selectors
from ranking.aggregate import RULE
from ranking.services import forum as forum_services
from ranking.views import forum_rows
from ranking.views.common import held_back_for, moved_message
from rounds.forms import service_errors
from rounds.models import (
    Proposal,
)
from rounds.models.proposal import reference_for
from rounds.views.common import get_round

MEETING_CACHE_SECONDS = 60

# ?ordning= on the compiled list: value -> label. The first is the default.
FORUM_ORDERS = {
    "sammanvagd": gettext_lazy("Sammanvägd rangordning"),
    "namnd": gettext_lazy("Nämnd"),
    "ar1": gettext_lazy("Kostnad år 1, högst först"),
}


def _forum_sorted(placed, ordering):
    """``placed`` — (place by the rule, row) pairs — in the asked order."""
    if ordering == "namnd":
        return sorted(
            placed, key=lambda item: (item[1].proposal.namnd.lower(), item[1].proposal.number)
        )
    if ordering == "ar1":
        return sorted(
            placed, key=lambda item: (-item[1].proposal.cost_year1, item[1].proposal.number)
        )
    return placed


@login_required
@require_GET
@vary_on_headers("HX-Request")
def forum_list(request, year):
    """The compilation: the columns that serve reading the sammanvägd
    rangordning (place, proposal, nämnd, cost year 1, median, mean, spread,
    how many ranked, the flag), the rest of each proposal per row on demand
    (``?mer=<id>``, the htmx fragment of a row's "Mer"); and the forum's
    members by whom they represent, and whether each has ranked."""
    round = get_round(year)
    require(request.user, "view_forum", round)
    if request.htmx and "mer" in request.GET:
        return _proposal_more(request, round)
    ordering = request.GET.get("ordning", "")
    if ordering not in FORUM_ORDERS:
        ordering = next(iter(FORUM_ORDERS))
    table = selectors.forum_lines(round)
    placed = _forum_sorted(list(enumerate(table, start=1)), ordering)
    forum = selectors.forum_members(round)
    # The "m" of "n av m": as selectors.forum_member_count, from the list in hand.
    members = sum(1 for member in forum if member.user.is_active)
    url = reverse("forum_list", kwargs={"year": round.budget_year})
    context = {
        "round": round,
        "members": forum,
        "members_ranked": sum(1 for member in forum if member.ranked),
        "rows": forum_rows.compilation_rows(placed, members, round.budget_year, url),
        "count": len(table),
        "rule": RULE,
        "orders": FORUM_ORDERS.items(),
        "ordering": ordering,
        "flagged": sum(1 for row in table if row.disagreement),
        "held_back": held_back_for(request, round),
    }
    return render(request, "ranking/forum/list.html", context)


def _proposal_more(request, round):
    """The rest of one forwarded proposal's fields, for its row's "Mer"."""
    pk = parse_id(request.GET.get("mer", ""))
    proposal = selectors.forwarded_proposals(round).filter(pk=pk).first() if pk else None
    if proposal is None:
        raise Http404("not a proposal of the forum")
    return render(request, "ranking/forum/list.html#more", {"proposal": proposal})


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


def _sheet_rows(request, round, *, values=None, order=None, errors=None, moved=None):
    """The rows of the sheet: the saved order and ranks, or — after a refused
    save — what was posted, in the order it was posted, so nothing is lost."""
    errors = errors or {}
    proposals = selectors.forwarded_lines(round)
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
        history = forum_rank_history(round, request.user)
    moved_id, _sep, direction = (moved or "").partition("-")
    rows = []
    for place, pk in enumerate(ids, start=1):
        value = values.get(pk)
        rows.append(
            {
                "proposal": proposals[pk],
                "place": place,
                "name": f"rank_{pk}",
                "value": "" if value is None else value,
                "errors": errors.get(f"rank_{pk}", []),
                "focus": direction if str(pk) == moved_id else None,
                "history": history.get(pk, []),
            }
        )
    return rows


@login_required
@vary_on_headers("HX-Request")
def forum_sheet(request, year):
    """The member's own sheet. A save stores the typed ranks and the order of
    the rows (the ``ordning`` fields); a "Flytta upp/ned" button also moves its
    row under the rule (after saving what was typed). static/js/ranklist.js moves
    rows in the page and saves in the background with HX-Request: then the
    answer is 204, or 422 with the errors as JSON."""
    round = get_round(year)
    if request.method == "GET" and not may(request.user, "rank_in_forum", round):
        # After the forum phase the member reads the sheet as they left it.
        require(request.user, "view_own_forum_sheet", round)
        return _render_sheet(request, round, _sheet_rows(request, round), editable=False)
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
    messages.success(request, moved_message(reference, moved))
    return redirect(f"{url}?flyttad={proposal_id}-{direction}")


def _closed_because(round) -> str:
    """Why a member's sheet can no longer be changed."""
    if is_final(round):
        return _(
            "Forumets arbete är avslutat och omgångens resultat är publicerat. Arket visar "
            "din rangordning och ordning som du lämnade dem; de kan inte längre ändras."
        )
    return _(
        "Forumfasen är avslutad: omgången är i fasen %(phase)s. Arket visar din rangordning "
        "och ordning som du lämnade dem; de kan inte längre ändras."
    ) % {"phase": round.phase_label}


def _render_sheet(request, round, rows, errors=None, editable=True):
    errors = errors or {}
    draw = forum_rows.sheet_rows if editable else forum_rows.closed_sheet_rows
    context = {
        "editable": editable,
        "closed_because": "" if editable else _closed_because(round),
        "round": round,
        "rows": rows,
        "table_rows": draw(rows, round.budget_year),
        "non_field_errors": errors.get("__all__", []),
        "has_errors": bool(errors),
    }
    return render(request, "ranking/forum/sheet.html", context)


# The live meeting view: the compiled list on the big screen. Its table region
# asks every 2 s (htmx) for the fragment with the stamp it shows; the answer is
# 204 while nothing changed (one query), else the new table. Only the database
# is compared, so it works with any number of app processes.


def _meeting_table(round, stamp: str) -> tuple[str, str]:
    """The meeting's table region and its digest for ``stamp``. Every screen
    of the meeting asks for the same table after a change: it is rendered once
    per process and change (the key is the database's stamp, so a process that
    has not seen the change renders it itself)."""
    # The stamp holds spaces and colons, which not every cache takes in a key.
    digest_of_stamp = hashlib.sha256(stamp.encode()).hexdigest()[:32]
    key = f"forum-meeting:{round.pk}:{digest_of_stamp}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        rows = selectors.forum_lines(round)
        members = selectors.forum_member_count(round)
        digest = selectors.forum_table_digest(rows, members)
        context = {
            "round": round,
            "has_rows": bool(rows),
            "rows": forum_rows.meeting_rows(rows, members),
            "flagged": sum(1 for row in rows if row.disagreement),
            "stamp": stamp,
            "digest": digest,
        }
        cached = (str(render_to_string("ranking/forum/meeting.html#table", context)), digest)
        cache.set(key, cached, MEETING_CACHE_SECONDS)
    return cached


@login_required
@require_GET
@vary_on_headers("HX-Request")
def forum_meeting(request, year):
    round = get_round(year)
    require(request.user, "view_forum", round)
    # The stamp before the table: a change in between shows at the next poll.
    table, _digest = _meeting_table(round, selectors.forum_stamp(round))
    context = {"round": round, "rule": RULE, "table": mark_safe(table)}  # noqa: S308 (ours)
    return render(request, "ranking/forum/meeting.html", context)


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
    table, digest = _meeting_table(round, stamp)
    updated = None
    if request.GET.get("digest") not in (None, digest):
        updated = render_to_string(
            "ranking/forum/meeting.html#updated", {"updated_at": timezone.localtime()}
        )
    return HttpResponse(table + (updated or ""))
