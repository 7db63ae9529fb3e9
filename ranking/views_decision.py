"""The forum's outcome, page by page: the agreed order, the budget line, the
review, the decisions and the publication — and the public page of a
published round. Every signed-in user reads the first four (``view_forum``);
the controller records (``decide_in_forum``, ``publish_round``)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from prioritering.access import may, require
from ranking import budget, decisions
from ranking.aggregate import RULE
from ranking.matrix import matrix_for  # matrix chart (issue 5)
from ranking.models import ForumResult, Outcome
from ranking.review import RULES as REVIEW_RULES
from ranking.views import shown_texts
from ranking.views_documents import published_document
from rounds.forms import service_errors
from rounds.models import Phase, Round
from rounds.services.setup import save_settings
from rounds.views.common import get_round

# The review questions as the page asks them: (field, question, help).
REVIEW_QUESTIONS = [
    (
        "review_sarbehandling",
        gettext_lazy("Finns det risk för särbehandling?"),
        gettext_lazy(
            "Behandlas människor olika utifrån t.ex. ålder, kön, ursprung eller ekonomi, "
            "utan att behovet motiverar det (människovärdesprincipen)?"
        ),
    ),
    (
        "review_undantrangning",
        gettext_lazy("Vad trängs undan?"),
        gettext_lazy(
            "Vad ger kommunen avkall på när dessa förslag finansieras (alternativkostnaden)?"
        ),
    ),
    (
        "review_rimlighet",
        gettext_lazy("Är prioriteringen rimlig?"),
        gettext_lazy(
            "Står kostnaderna i rimlig relation till nyttan, jämfört med annat som nu inte går?"
        ),
    ),
    (
        "review_lagkrav",
        gettext_lazy("Uppfylls lagkraven?"),
        gettext_lazy("Påverkar prioriteringen verksamhet som lagen kräver?"),
    ),
    (
        "review_genomforbarhet",
        gettext_lazy("Går förslagen att genomföra?"),
        gettext_lazy("Finns kompetens, lokaler och tid för det som finansieras?"),
    ),
]


def _questions():
    return [(name, str(question), str(hint)) for name, question, hint in REVIEW_QUESTIONS]


def _get_round(year) -> Round:
    """The round, with its ForumResult loaded once for the page and the rules."""
    round = get_round(year)
    decisions.result_of(round)
    return round


def _context(round, **extra):
    result = decisions.result_of(round)
    return {"round": round, "result": result, **extra}


def _frame_from(request, round) -> tuple[int, str | None, str]:
    """The frame to draw the line against: ?ram= when valid (trying another
    frame saves nothing), else the round's."""
    raw = request.GET.get("ram", "").replace(" ", "").replace("\xa0", "")
    if not raw:
        return round.frame_tkr, None, ""
    try:
        value = int(raw)
    except ValueError:
        return round.frame_tkr, _("Ange ramen som ett heltal i tkr."), raw
    if value < 0:
        return round.frame_tkr, _("Ramen kan inte vara negativ."), raw
    return value, None, raw


# --- the agreed order ---


@login_required
def forum_order(request, year):
    round = _get_round(year)
    require(request.user, "view_forum", round)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    errors: dict[str, list[str]] = {}
    posted_places: dict[int, str] = {}
    posted_motivations: dict[int, str] = {}
    if request.method == "POST":
        require(request.user, "decide_in_forum", round)
        for name, value in request.POST.items():
            kind, _sep, pk = name.partition("_")
            if pk.isdigit() and kind == "place":
                posted_places[int(pk)] = value
            elif pk.isdigit() and kind == "motivation":
                posted_motivations[int(pk)] = value
        try:
            decisions.record_order(round, posted_places, posted_motivations, by=request.user)
        except ValidationError as error:
            errors = service_errors(error)
        else:
            messages.success(request, _("Forumets ordning är registrerad."))
            return redirect("forum_order", year=round.budget_year)
    rows = decisions.outcome_rows(round)
    for row in rows:
        pk = row.proposal.pk
        if request.method == "POST":
            row.place_value = posted_places.get(pk, "")
            row.motivation_value = posted_motivations.get(pk, "")
        else:
            row.place_value = row.position
            row.motivation_value = row.place.motivation if row.place else ""
        row.place_errors = errors.get(f"place_{pk}", [])
        row.motivation_errors = errors.get(f"motivation_{pk}", [])
    context = _context(
        round,
        rows=rows,
        rule=RULE,
        has_errors=bool(errors),
        non_field_errors=errors.get("__all__", []),
        can_decide=may(request.user, "decide_in_forum", round),
    )
    return render(request, "ranking/decision/order.html", context)


# --- the budget line ---


@login_required
def forum_budget(request, year):
    round = _get_round(year)
    require(request.user, "view_forum", round)
    if request.method == "POST":
        return _save_frame(request, round)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    frame, frame_error, frame_value = _frame_from(request, round)
    rows = decisions.outcome_rows(round)
    line = decisions.with_line(rows, frame)
    by_key = {row.proposal.pk: row for row in rows}
    context = _context(
        round,
        rows=rows,
        line=line,
        chart=budget.chart(line),
        # --- matrix chart (issue 5): from the rows in hand, no queries ---
        matrix=matrix_for(rows),
        # --- end matrix chart ---
        rule=budget.RULE,
        frame=frame,
        trying=frame != round.frame_tkr,
        frame_error=frame_error,
        frame_value=frame_value or frame,
        savings=[by_key[key] for key in line.saving_keys],
        refused_savings=[by_key[key] for key in line.refused_saving_keys],
        off_line=[by_key[key] for key in line.off_line_keys],
        on_line=[row for row in rows if row.step is not None],
        can_save_frame=may(request.user, "manage_round", round),
    )
    return render(request, "ranking/decision/budget.html", context)


def _save_frame(request, round):
    require(request.user, "manage_round", round)
    raw = request.POST.get("ram", "").replace(" ", "").replace("\xa0", "")
    try:
        value = int(raw)
        if value < 0:
            raise ValueError
    except ValueError:
        messages.error(request, _("Ramen sparades inte: ange ett heltal 0 eller större, i tkr."))
        return redirect(f"{request.path}?{urlencode({'ram': raw})}")
    save_settings(round, {"frame_tkr": value}, {}, by=request.user)
    messages.success(request, _("Omgångens ram är sparad."))
    return redirect("forum_budget", year=round.budget_year)


# --- the review ---


@login_required
def forum_review(request, year):
    round = _get_round(year)
    require(request.user, "view_forum", round)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    errors: dict[str, list[str]] = {}
    result = decisions.result_of(round)
    answers = {
        name: getattr(result, name, "") if result else "" for name in ForumResult.REVIEW_FIELDS
    }
    if request.method == "POST":
        require(request.user, "decide_in_forum", round)
        answers = {name: request.POST.get(name, "") for name in ForumResult.REVIEW_FIELDS}
        try:
            decisions.record_review(round, answers, by=request.user)
        except ValidationError as error:
            errors = service_errors(error)
        else:
            messages.success(request, _("Granskningen är registrerad."))
            return redirect("forum_review", year=round.budget_year)
    rows = decisions.with_flags(decisions.outcome_rows(round))
    questions = [
        {
            "name": name,
            "question": question,
            "hint": hint,
            "value": answers.get(name, ""),
            "errors": errors.get(name, []),
            "required": name in decisions.REQUIRED_REVIEW,
        }
        for name, question, hint in _questions()
    ]
    context = _context(
        round,
        rows=rows,
        flagged=[row for row in rows if row.flags],
        questions=questions,
        flag_rules=REVIEW_RULES,
        has_errors=bool(errors),
        can_decide=may(request.user, "decide_in_forum", round),
    )
    return render(request, "ranking/decision/review.html", context)


# --- the decisions ---


@login_required
def forum_decisions(request, year):
    round = _get_round(year)
    require(request.user, "view_forum", round)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    errors: dict[str, list[str]] = {}
    posted: dict[int, dict] = {}
    if request.method == "POST":
        require(request.user, "decide_in_forum", round)
        for name, value in request.POST.items():
            kind, _sep, pk = name.partition("_")
            if pk.isdigit() and kind in ("outcome", "amount", "motivation"):
                posted.setdefault(int(pk), {})[kind] = value
        try:
            changed = decisions.save_decisions(round, posted, by=request.user)
        except ValidationError as error:
            errors = service_errors(error)
        else:
            messages.success(
                request, _("Besluten är sparade (%(count)s ändrade).") % {"count": changed}
            )
            return redirect("forum_decisions", year=round.budget_year)
    rows = decisions.outcome_rows(round)
    line = decisions.with_line(rows, round.frame_tkr)
    texts = shown_texts(round)
    for row in rows:
        row.shown = texts(row.proposal)
        pk, decision = row.proposal.pk, row.decision
        data = posted.get(pk) if request.method == "POST" else None
        if data is not None:
            row.outcome_value = data.get("outcome", "")
            row.amount_value = data.get("amount", "")
            row.motivation_value = data.get("motivation", "")
        else:
            row.outcome_value = decision.outcome if decision else ""
            row.amount_value = decision.amount_tkr if decision and decision.amount_tkr else ""
            row.motivation_value = decision.motivation if decision else ""
        row.outcome_errors = errors.get(f"outcome_{pk}", [])
        row.amount_errors = errors.get(f"amount_{pk}", [])
        row.motivation_errors = errors.get(f"motivation_{pk}", [])
    problems = decisions.publish_problems(round, rows)
    context = _context(
        round,
        rows=rows,
        line=line,
        outcomes=[(value, str(label)) for value, label in Outcome.choices],
        has_errors=bool(errors),
        non_field_errors=errors.get("__all__", []),
        can_decide=may(request.user, "decide_in_forum", round),
        can_publish=may(request.user, "publish_round", round),
        can_move_phase=may(request.user, "manage_round", round) and round.phase == Phase.FORUM,
        publish_problems=problems,
        decided=sum(1 for row in rows if row.decision),
    )
    return render(request, "ranking/decision/decisions.html", context)


@login_required
@require_POST
def forum_publish(request, year):
    round = _get_round(year)
    require(request.user, "publish_round", round)
    try:
        decisions.publish(round, by=request.user)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect("forum_decisions", year=round.budget_year)
    messages.success(request, _("Omgången är publicerad. Resultatet kan nu läsas utan inloggning."))
    return redirect("public_round", year=round.budget_year)


# --- the history ---


@login_required
@require_GET
def forum_history(request, year):
    """Who recorded which place, decision, review and publication, and when."""
    round = _get_round(year)
    require(request.user, "view_forum", round)
    context = _context(round, history=decisions.outcome_history(round))
    return render(request, "ranking/decision/history.html", context)


# --- the public page ---


def _published_round(year) -> Round:
    round = _get_round(year)
    if not may(None, "view_published", round):
        # Unpublished rounds do not exist for the public.
        raise Http404
    return round


@require_GET
def public_list(request):
    rounds = (
        Round.objects.filter(forum_result__published_at__isnull=False)
        .select_related("kommun", "forum_result")
        .order_by("-budget_year")
    )
    return render(request, "ranking/public/list.html", {"rounds": rounds})


@require_GET
def public_round(request, year):
    round = _published_round(year)
    rows = decisions.with_flags(decisions.outcome_rows(round))
    line = decisions.with_line(rows, round.frame_tkr)
    by_key = {row.proposal.pk: row for row in rows}
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.decision.outcome] = counts.get(row.decision.outcome, 0) + 1
    context = {
        "round": round,
        "result": round.forum_result,
        "rows": rows,
        "line": line,
        "chart": budget.chart(line),
        # --- matrix chart (issue 5): from the rows in hand, no queries ---
        "matrix": matrix_for(rows),
        # --- end matrix chart ---
        "budget_rule": budget.RULE,
        "rule": RULE,
        "questions": [
            (question, getattr(round.forum_result, name)) for name, question, _hint in _questions()
        ],
        "savings": [by_key[key] for key in line.saving_keys],
        "outcome_counts": [
            (label, counts[value]) for value, label in Outcome.choices if value in counts
        ],
        # --- documents ---
        "decision_document": published_document(round),
        # --- end documents ---
    }
    return render(request, "ranking/public/round.html", context)
