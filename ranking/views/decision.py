"""The forum's outcome, page by page: the agreed order, the budget line, the
review, the decisions, the publication, the rättelser after it and the
history. Every signed-in user reads the first four (``view_forum``); the
controller records (``decide_in_forum``, ``publish_round``)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from prioritering import history
from prioritering.access import may, require
from prioritering.history import EMPTY
from prioritering.numbers import parse_id, parse_int, parse_tkr
from prioritering.templatetags.formatting import tkr
from ranking import budget, conflicts, review, selectors
from ranking.aggregate import RULE
from ranking.forms import CorrectionForm
from ranking.matrix import matrix_for
from ranking.models import AgreedPlace, Decision, ForumResult, Outcome
from ranking.review import RULES as REVIEW_RULES
from ranking.services import decision as decision_services
from ranking.views import outcome_tables
from ranking.views.common import (
    forum_context,
    get_forum_round,
    percent_from,
    review_questions,
    robustness_context,
    shown_texts,
)
from rounds.conflicts import (
    RELOAD,
    FormConflict,
    chosen_theirs,
    last_saves,
    merge,
    with_their_values,
)
from rounds.forms import service_errors, text_errors
from rounds.guidance import LINE_ALTERNATIVKOSTNAD
from rounds.models import Phase, Purpose
from rounds.services.setup import save_settings
from rounds.views.common import confirmed
from rounds.views.conflicts import ChangeGroup, changes_of, conflict_context


def _frame_from(request, round) -> tuple[int, str | None, str]:
    """The frame to draw the line against: ?ram= when valid (trying another
    frame saves nothing), else the round's. For a reduction the frame is the
    required reduction; when reallocating there is no frame to try (0)."""
    if round.purpose == Purpose.OMFORDELA:
        return 0, None, ""
    raw = request.GET.get("ram", "").strip()
    reduction = round.purpose == Purpose.MINSKADE
    try:
        value = parse_tkr(raw, minimum=0)
    except ValidationError as error:
        if error.code == "invalid":
            if reduction:
                return round.frame_tkr, _("Ange kravet på minskning som ett heltal i tkr."), raw
            return round.frame_tkr, _("Ange ramen som ett heltal i tkr."), raw
        if error.code == "min_value":
            if reduction:
                message = _("Ange kravet på minskning som ett positivt tal, t.ex. 5000.")
                return round.frame_tkr, message, raw
            return round.frame_tkr, _("Ramen kan inte vara negativ."), raw
        return round.frame_tkr, error.messages[0], raw
    if value is None:
        return round.frame_tkr, None, ""
    return value, None, raw


def _posted_id(text: str) -> int:
    """The proposal id in a posted field's name (``place_12``); a name with
    no id is no request of our pages (400)."""
    proposal_id = parse_id(text)
    if proposal_id is None:
        raise BadRequest("a field names no proposal id")
    return proposal_id


# --- the agreed order ---


@login_required
def forum_order(request, year):
    """The form carries the order's version; a save from an older one writes
    nothing and shows what the colleague changed (409)."""
    round = get_forum_round(year)
    require(request.user, "view_forum", round)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    errors: dict[str, list[str]] = {}
    posted_places: dict[int, str] = {}
    posted_motivations: dict[int, str] = {}
    version = _version_of(round, "order_version")
    if request.method == "POST":
        require(request.user, "decide_in_forum", round)
        post = _with_theirs(request.POST, round, _order_at)
        for name, value in post.items():
            kind, _sep, pk = name.partition("_")
            if kind in ("place", "motivation"):
                posted = posted_places if kind == "place" else posted_motivations
                posted[_posted_id(pk)] = value
        errors = text_errors({f"motivation_{pk}": v for pk, v in posted_motivations.items()})
        version = _posted_version(post, errors)
        if not errors:
            try:
                decision_services.record_order(
                    round,
                    posted_places,
                    posted_motivations,
                    by=request.user,
                    expected_version=version,
                )
            except FormConflict:
                return _order_conflict(request, year, posted_places, posted_motivations, version)
            except ValidationError as error:
                errors = service_errors(error)
            else:
                messages.success(request, _("Forumets ordning är registrerad."))
                return redirect("forum_order", year=round.budget_year)
    rows = selectors.outcome_page_rows(round)
    for row in rows:
        pk = row.proposal.pk
        if request.method == "POST":
            row.place_value = posted_places.get(pk, "")
            row.motivation_value = posted_motivations.get(pk, "")
        else:
            row.place_value = row.position
            row.motivation_value = row.place.motivation if row.place else ""
    return _render_order(request, round, rows, errors, version)


def _render_order(request, round, rows, errors, version, conflict=None, status=200):
    texts = shown_texts(round)
    for row in rows:
        pk = row.proposal.pk
        row.shown = texts(row.proposal)
        row.place_errors = errors.get(f"place_{pk}", [])
        row.motivation_errors = errors.get(f"motivation_{pk}", [])
    can_decide = may(request.user, "decide_in_forum", round)
    context = forum_context(
        round,
        request,
        rows=rows,
        table_rows=outcome_tables.order_rows(rows, can_decide=can_decide),
        rule=RULE,
        has_errors=bool(errors),
        non_field_errors=errors.get("__all__", []),
        can_decide=can_decide,
        version=version or "",
        conflict=conflict,
    )
    return render(request, "ranking/decision/order.html", context, status=status)


def _order_at(round, version: int):
    rows = selectors.outcome_rows(round)
    return conflicts.order_at_version(round, selectors.result_of(round), version, rows)


def _order_text(name: str, value) -> str:
    if value is None or value == "":
        return EMPTY
    return str(value)


def _order_conflict(request, year, places, motivations, loaded: int):
    """Nothing was written. The order page again, merged: the colleague's
    place and motivation where the user changed nothing, the user's where
    they did, a choice where both did — with the rows the colleague changed,
    who saved each last and when; at the current version."""
    round = get_forum_round(year)
    result = selectors.result_of(round)
    rows = selectors.outcome_rows(round)
    merged = merge(
        conflicts.order_at_version(round, result, loaded, rows),
        conflicts.current_order(rows),
        conflicts.posted_order(places, motivations, rows),
    )
    since = conflicts.order_time(round, result, loaded) or None
    saves = last_saves(AgreedPlace.history.filter(result_id=result.pk), "proposal_id", since)
    groups = []
    for row in rows:
        pk = row.proposal.pk
        save = saves.get(pk)
        groups.append(
            ChangeGroup(
                f"{row.proposal.reference} {row.proposal.title}",
                save.history_user if save else result.order_recorded_by,
                save.history_date if save else result.order_recorded_at,
                anchor=f"forslag-{pk}",
                changes=changes_of(
                    merged,
                    label=lambda name: _("Plats") if name.startswith("place_") else _("Motivering"),
                    anchor=lambda name: f"id_{name}",
                    text=_order_text,
                    names={f"place_{pk}", f"motivation_{pk}"},
                ),
            )
        )
        row.place_value = merged.values.get(f"place_{pk}", row.position)
        row.motivation_value = merged.values.get(f"motivation_{pk}", "")
    conflict = conflict_context(
        _("Någon annan har sparat forumets ordning medan du redigerade."), groups
    )
    return _render_order(
        request, round, rows, {}, result.order_version, conflict=conflict, status=409
    )


# --- versions of the forms ---


def _version_of(round, version_field: str) -> int:
    """The version of one of the result's forms now (1 before anything is recorded)."""
    result = selectors.result_of(round)
    return getattr(result, version_field) if result is not None else 1


def _posted_version(post, errors: dict) -> int | None:
    """The version the posted form was loaded at; without one (a form from
    before versions, or a broken one) the page asks for a reload."""
    try:
        return parse_int(post.get("version", ""), minimum=1)
    except ValidationError:
        errors.setdefault("__all__", []).append(str(RELOAD))
        return None


def _with_theirs(post, round, at_version):
    """The posted form with the colleague's values where the user chose
    "Använd deras" after a conflict (``rounds.conflicts.with_their_values``):
    ``at_version(round, version)`` gives them."""
    if not chosen_theirs(post):
        return post

    def values(version: int):
        return at_version(round, version)

    return with_their_values(post, list(chosen_theirs(post)), values)


# --- the budget line ---


@login_required
def forum_budget(request, year):
    round = get_forum_round(year)
    require(request.user, "view_forum", round)
    if request.method == "POST":
        return _save_frame(request, round)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    frame, frame_error, frame_value = _frame_from(request, round)
    percent, percent_error, percent_value = percent_from(request)
    rows = selectors.outcome_page_rows(round)
    line = selectors.with_line(rows, frame, round.purpose)
    analysis = selectors.robustness_of(round, rows, line, percent)
    by_key = {row.proposal.pk: row for row in rows}
    on_line = [row for row in rows if row.step is not None]
    savings = [by_key[key] for key in line.saving_keys]
    refused_savings = [by_key[key] for key in line.refused_saving_keys]
    off_line = [by_key[key] for key in line.off_line_keys]
    texts = shown_texts(round)
    for row in on_line + savings + refused_savings + off_line:
        row.shown = texts(row.proposal)
    context = forum_context(
        round,
        request,
        rows=rows,
        line=line,
        table_rows=outcome_tables.budget_rows(on_line, line),
        saving_rows=outcome_tables.saving_rows(savings, line) if line.reduction else "",
        chart=budget.chart(line),
        figures=budget.figures(line),
        # The matrix chart: from the rows in hand, no queries
        matrix=matrix_for(rows),
        rule=budget.rule(round.purpose),
        alternativkostnad=LINE_ALTERNATIVKOSTNAD,
        frame=frame,
        trying=round.purpose != Purpose.OMFORDELA and frame != round.frame_tkr,
        frame_error=frame_error,
        frame_value=frame_value or frame,
        savings=savings,
        refused_savings=refused_savings,
        off_line=off_line,
        on_line=on_line,
        can_save_frame=may(request.user, "set_up_round", round),
        **robustness_context(rows, analysis, percent_error, percent_value),
    )
    return render(request, "ranking/decision/budget.html", context)


def _save_frame(request, round):
    require(request.user, "set_up_round", round)
    if round.purpose == Purpose.OMFORDELA:
        messages.error(
            request, _("Ramen sparades inte: vid omfördelning av befintliga resurser är ramen 0.")
        )
        return redirect("forum_budget", year=round.budget_year)
    raw = request.POST.get("ram", "").strip()
    try:
        value = parse_tkr(raw, minimum=0)
    except ValidationError:
        value = None
    if value is None:
        messages.error(request, _("Ramen sparades inte: ange ett heltal 0 eller större, i tkr."))
        return redirect(f"{request.path}?{urlencode({'ram': raw})}")
    save_settings(round, {"frame_tkr": value}, {}, by=request.user)
    if round.purpose == Purpose.MINSKADE:
        messages.success(request, _("Omgångens krav på minskning är sparat."))
    else:
        messages.success(request, _("Omgångens ram är sparad."))
    return redirect("forum_budget", year=round.budget_year)


# --- the review ---


@login_required
def forum_review(request, year):
    """The form carries the review's version; a save from an older one
    writes nothing and shows what the colleague changed (409)."""
    round = get_forum_round(year)
    require(request.user, "view_forum", round)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    errors: dict[str, list[str]] = {}
    result = selectors.result_of(round)
    answers = conflicts.review_values(result)
    version = _version_of(round, "review_version")
    if request.method == "POST":
        require(request.user, "decide_in_forum", round)
        post = _with_theirs(request.POST, round, _review_at)
        answers = {name: post.get(name, "") for name in ForumResult.REVIEW_FIELDS}
        errors = text_errors(answers)
        version = _posted_version(post, errors)
        if not errors:
            try:
                decision_services.record_review(
                    round, answers, by=request.user, expected_version=version
                )
            except FormConflict:
                return _review_conflict(request, year, answers, version)
            except ValidationError as error:
                errors = service_errors(error)
            else:
                messages.success(request, _("Granskningen är registrerad."))
                return redirect("forum_review", year=round.budget_year)
    return _render_review(request, round, answers, errors, version)


def _render_review(request, round, answers, errors, version, conflict=None, status=200):
    rows = selectors.with_flags(selectors.outcome_page_rows(round), round)
    flagged = [row for row in rows if row.flags]
    texts = shown_texts(round)
    for row in flagged:
        row.shown = texts(row.proposal)
    questions = [
        {
            "name": name,
            "question": question,
            "hint": hint,
            "value": answers.get(name, ""),
            "errors": errors.get(name, []),
            "required": name in review.REQUIRED_REVIEW,
        }
        for name, question, hint in review_questions()
    ]
    context = forum_context(
        round,
        request,
        rows=rows,
        flagged=flagged,
        flagged_rows=outcome_tables.review_rows(flagged),
        questions=questions,
        flag_rules=REVIEW_RULES,
        has_errors=bool(errors),
        non_field_errors=errors.get("__all__", []),
        can_decide=may(request.user, "decide_in_forum", round),
        version=version or "",
        conflict=conflict,
    )
    return render(request, "ranking/decision/review.html", context, status=status)


def _review_at(round, version: int):
    return conflicts.review_at_version(round, selectors.result_of(round), version)


def _review_conflict(request, year, answers, loaded: int):
    """Nothing was written. The review again, merged, at the current version."""
    round = get_forum_round(year)
    result = selectors.result_of(round)
    merged = merge(
        conflicts.review_at_version(round, result, loaded),
        conflicts.review_values(result),
        conflicts.posted_review(answers),
    )
    questions = {name: question for name, question, _hint in review_questions()}
    group = ChangeGroup(
        "",
        result.review_recorded_by,
        result.review_recorded_at,
        changes=changes_of(
            merged,
            label=questions.get,
            anchor=lambda name: f"id_{name}",
            text=_order_text,
        ),
    )
    conflict = conflict_context(
        _("Någon annan har sparat granskningen medan du redigerade."), [group]
    )
    return _render_review(
        request, round, merged.values, {}, result.review_version, conflict=conflict, status=409
    )


# --- the decisions ---


@login_required
def forum_decisions(request, year):
    """The form carries the decisions' version; a save from an older one
    writes nothing and shows what the colleague changed (409)."""
    round = get_forum_round(year)
    require(request.user, "view_forum", round)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    errors: dict[str, list[str]] = {}
    posted: dict[int, dict] = {}
    version = _version_of(round, "decisions_version")
    if request.method == "POST":
        require(request.user, "decide_in_forum", round)
        post = _with_theirs(request.POST, round, _decisions_at)
        for name, value in post.items():
            kind, _sep, pk = name.partition("_")
            if kind in ("outcome", "amount", "motivation"):
                posted.setdefault(_posted_id(pk), {})[kind] = value
        errors = text_errors(
            {f"motivation_{pk}": data.get("motivation", "") for pk, data in posted.items()}
        )
        version = _posted_version(post, errors)
        if not errors:
            try:
                changed = decision_services.save_decisions(
                    round, posted, by=request.user, expected_version=version
                )
            except FormConflict:
                return _decisions_conflict(request, year, posted, version)
            except ValidationError as error:
                errors = service_errors(error)
            else:
                messages.success(
                    request, _("Besluten är sparade (%(count)s ändrade).") % {"count": changed}
                )
                return redirect("forum_decisions", year=round.budget_year)
    rows = selectors.outcome_page_rows(round)
    for row in rows:
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
    return _render_decisions(request, round, rows, errors, version)


def _render_decisions(request, round, rows, errors, version, conflict=None, status=200):
    line = selectors.with_line(rows, round.frame_tkr, round.purpose)
    texts = shown_texts(round)
    for row in rows:
        row.shown = texts(row.proposal)
        pk = row.proposal.pk
        row.outcome_errors = errors.get(f"outcome_{pk}", [])
        row.amount_errors = errors.get(f"amount_{pk}", [])
        row.motivation_errors = errors.get(f"motivation_{pk}", [])
    can_decide = may(request.user, "decide_in_forum", round)
    can_correct = may(request.user, "correct_decision", round)
    table_rows = outcome_tables.decision_rows(
        rows, round.budget_year, can_decide=can_decide, can_correct=can_correct
    )
    context = forum_context(
        round,
        request,
        rows=rows,
        line=line,
        table_rows=table_rows,
        has_errors=bool(errors),
        non_field_errors=errors.get("__all__", []),
        can_decide=can_decide,
        can_publish=may(request.user, "publish_round", round),
        can_correct=can_correct,
        can_move_phase=may(request.user, "manage_round", round) and round.phase == Phase.FORUM,
        decided=sum(1 for row in rows if row.decision),
        version=version or "",
        conflict=conflict,
        namnd_decisions=selectors.namnd_decisions(round),
    )
    if context["can_publish"]:  # what stops it, with what the page already holds
        context["publish_problems"] = decision_services.publish_problems(
            round, rows, held=context["held_back"]
        )
    return render(request, "ranking/decision/decisions.html", context, status=status)


def _decisions_at(round, version: int):
    rows = selectors.outcome_rows(round)
    return conflicts.decisions_at_version(round, selectors.result_of(round), version, rows)


def _decision_text(name: str, value) -> str:
    if value is None or value == "":
        return _("Inget beslut") if name.startswith("outcome_") else EMPTY
    if name.startswith("outcome_"):
        return str(dict(Outcome.choices).get(value, value))
    if name.startswith("amount_"):
        return tkr(value)
    return str(value)


DECISION_LABELS = {
    "outcome": gettext_lazy("Beslut"),
    "amount": gettext_lazy("Belopp år 1"),
    "motivation": gettext_lazy("Motivering"),
}


def _decisions_conflict(request, year, posted, loaded: int):
    """Nothing was written. The decisions page again, merged: the
    colleague's decision where the user changed nothing, the user's where
    they did, a choice where both did — with the rows the colleague changed,
    who saved each last and when; at the current version."""
    round = get_forum_round(year)
    result = selectors.result_of(round)
    rows = selectors.outcome_rows(round)
    merged = merge(
        conflicts.decisions_at_version(round, result, loaded, rows),
        conflicts.current_decisions(rows),
        conflicts.posted_decisions(posted, rows),
    )
    since = conflicts.decisions_time(round, result, loaded) or None
    saves = last_saves(Decision.history.filter(round_id=round.pk), "proposal_id", since)
    groups = []
    for row in rows:
        pk = row.proposal.pk
        save = saves.get(pk)
        decision = row.decision
        groups.append(
            ChangeGroup(
                f"{row.proposal.reference} {row.proposal.title}",
                save.history_user if save else (decision.decided_by if decision else None),
                save.history_date if save else (decision.decided_at if decision else None),
                anchor=f"forslag-{pk}",
                changes=changes_of(
                    merged,
                    label=lambda name: str(DECISION_LABELS[name.partition("_")[0]]),
                    anchor=lambda name: f"id_{name}",
                    text=_decision_text,
                    names={f"outcome_{pk}", f"amount_{pk}", f"motivation_{pk}"},
                ),
            )
        )
        amount = merged.values.get(f"amount_{pk}")
        row.outcome_value = merged.values.get(f"outcome_{pk}", "")
        row.amount_value = "" if amount is None else amount
        row.motivation_value = merged.values.get(f"motivation_{pk}", "")
    conflict = conflict_context(_("Någon annan har sparat besluten medan du redigerade."), groups)
    return _render_decisions(
        request, round, rows, {}, result.decisions_version, conflict=conflict, status=409
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_publish(request, year):
    """GET: the confirmation page, which says what becomes public and final
    and what stops or is missing; only its POST (with ``confirm``) publishes."""
    round = get_forum_round(year)
    require(request.user, "publish_round", round)
    if confirmed(request):
        try:
            decision_services.publish(round, by=request.user)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect("forum_decisions", year=round.budget_year)
        messages.success(
            request, _("Omgången är publicerad. Resultatet kan nu läsas utan inloggning.")
        )
        return redirect("public_round", year=round.budget_year)
    rows = selectors.outcome_page_rows(round)
    context = forum_context(round, request, rows=rows)
    context["problems"] = decision_services.publish_problems(round, rows, held=context["held_back"])
    context["unanswered"] = review.unanswered(context["result"])
    context["decided"] = sum(1 for row in rows if row.decision)
    return render(request, "ranking/decision/publish.html", context)


# --- rättelse after publication ---


@login_required
@require_http_methods(["GET", "POST"])
def forum_correction(request, year, number):
    """Record a rättelse of one published decision (``correct_decision``): the
    published decision and its earlier rättelser stay, and are shown here. A
    valid form is first shown back as what will be recorded; only the POST
    from that page (with ``confirm``) records it, and "Ändra" goes back to
    the form."""
    round = get_forum_round(year)
    require(request.user, "correct_decision", round)
    rows = [row for row in selectors.outcome_rows(round) if row.proposal.number == number]
    if not rows or rows[0].decision is None:
        raise Http404
    row = rows[0]
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = (round, row.proposal.pk, data["outcome"], data["amount"], data["reason"])
        record = confirmed(request)
        try:
            if record:
                decision_services.correct_decision(*arguments, by=request.user)
            else:  # checked before the user is asked to confirm it
                decision_services.check_correction(*arguments, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if record:
                messages.success(
                    request,
                    _("Rättelsen av beslutet om %(reference)s är införd och visas öppet.")
                    % {"reference": row.proposal.reference},
                )
                decisions_url = reverse("forum_decisions", args=[round.budget_year])
                return redirect(f"{decisions_url}#forslag-{row.proposal.pk}")
            if "andra" not in request.POST:  # what will be recorded, to confirm
                context = forum_context(round, request, row=row, form=form)
                context["outcome_label"] = dict(Outcome.choices)[data["outcome"]]
                return render(request, "ranking/decision/correction_confirm.html", context)
    context = forum_context(round, request, row=row, form=form)
    return render(request, "ranking/decision/correction.html", context)


# --- the history ---


@login_required
@require_GET
def forum_history(request, year):
    """Who recorded which place, decision, review and publication, and when."""
    round = get_forum_round(year)
    require(request.user, "view_forum", round)
    context = forum_context(round, history=history.outcome_history(round))
    return render(request, "ranking/decision/history.html", context)
