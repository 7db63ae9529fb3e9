"""Proposals: the list, the assessment form (new and edit), the detail page
with its history, and withdrawal.

Two people may edit one proposal at the same time. The form carries the
version it was loaded at; a save against an older version writes nothing and
shows the merge: what the other person changed, their values taken where the
user had not touched the field, and a choice where both changed it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from prioritering.access import STAFF, RoundIsFinal, may, require, roles_of, visible_analyses
from prioritering.history import (
    LONG_TEXT_FIELDS,
    current_values,
    display,
    list_item_names,
    proposal_history,
    shown,
    shown_label,
    values_at_version,
)
from prioritering.numbers import parse_id, parse_int
from rounds import selectors
from rounds.assessment import flags, suggested_ranks
from rounds.conflicts import CHOICE_PREFIX, CONFLICT, SAME, TAKEN, USE_THEIRS, merge
from rounds.faktaunderlag import faktaunderlag_of
from rounds.forms import add_service_errors
from rounds.forms.proposal import (
    RANK_SUGGESTION,
    ProposalFilterForm,
    ProposalForm,
    WithdrawForm,
    as_form_data,
    field_anchor,
)
from rounds.models import (
    Analysis,
    AnalysisItem,
    AnalysisStatus,
    Phase,
    Proposal,
    ProposalType,
    Round,
    Svarighetsgrad,
)
from rounds.proposal_fields import SECTIONS, fields_for_round
from rounds.services.proposal import (
    ItemHasProposal,
    ProposalConflict,
    create_proposal,
    create_proposal_from_item,
    fields_from_item,
    save_proposal,
    withdraw_proposal,
)
from rounds.views.common import (
    ITEM_PARAMETER,
    get_analysis,
    get_proposal,
    get_round,
    grid_cell_url,
)
from rounds.views.refused import refused_while_typing

PER_PAGE = 50
RANSONERING_FIELDS = {"ransonering_kind", "ransonering_detail"}


# --- The list ------------------------------------------------------------------


@login_required
@require_GET
@vary_on_headers("HX-Request")
def proposal_list(request, year):
    """Filtering, sorting and paging swap only the results (htmx); the same
    URL gives the whole page, so Back and a reload show the same thing."""
    round = get_round(year)
    require(request.user, "view_round", round)
    filter_form = ProposalFilterForm(request.GET or None, round=round)
    proposals, order = selectors.proposal_list(
        request.user, round, filter_form.filters(), request.GET.get("ordning")
    )
    totals = selectors.cost_totals(proposals)
    page = CountedPaginator(proposals, PER_PAGE, totals.pop("count")).get_page(
        request.GET.get("sida")
    )
    partial = request.htmx and not request.htmx.history_restore_request
    shown = _column_set(request)
    context = {
        "round": round,
        "filter_form": filter_form,
        "page": page,
        "order": order,
        "totals": totals,
        "shown": shown,
        "column_choices": _column_choices(request, shown),
        "headers": _headers(request, order, shown),
        # The cells before the first cost column, which the totals' label spans.
        "label_span": shown.keys.index("ar1"),
        "page_query": _query(request, drop=("sida",)),
        "creatable": [] if partial else _creatable(request.user, round),
    }
    template = "rounds/proposal/list.html"
    if partial:
        template += "#results"
    return render(request, template, context)


class CountedPaginator(Paginator):
    """A paginator told the count (the totals' query counts too)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _query(request, drop=(), **values) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    for name, value in values.items():
        params[name] = value
    return params.urlencode()


# The column choice is remembered for the session: the list opens as it was left.
COLUMNS_PARAMETER = "kolumner"
COLUMNS_SESSION_KEY = "proposal_list_columns"


def _column_set(request) -> selectors.ColumnSet:
    asked = request.GET.get(COLUMNS_PARAMETER)
    if asked not in {choice.key for choice in selectors.column_sets()}:
        asked = request.session.get(COLUMNS_SESSION_KEY)
    shown = selectors.column_set(asked)
    request.session[COLUMNS_SESSION_KEY] = shown.key
    return shown


def _column_choices(request, shown: selectors.ColumnSet) -> list[dict]:
    return [
        {
            "label": choice.label,
            "current": choice.key == shown.key,
            "url": "?" + _query(request, **{COLUMNS_PARAMETER: choice.key}),
        }
        for choice in selectors.column_sets()
    ]


def _headers(request, order: str, shown: selectors.ColumnSet) -> list[dict]:
    key, descending = selectors.parse_order(order, {c.key for c in selectors.columns()})
    headers = []
    for column in selectors.columns():
        if column.key not in shown.keys:
            continue
        current = column.key == key
        next_order = f"-{column.key}" if current and not descending else column.key
        headers.append(
            {
                "key": column.key,
                "label": column.label,
                "numeric": column.numeric,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "url": "?" + _query(request, drop=("sida",), ordning=next_order),
            }
        )
    return headers


def _creatable(user, round: Round) -> list[Analysis]:
    """The analyses the user may add proposals to now (their förvaltning's)."""
    # round__forum_result: the write rules ask whether the round is final, which
    # would otherwise read the ForumResult once per analysis the user can see.
    analyses = visible_analyses(user, round.analyses.all()).select_related(
        "round__forum_result", "forvaltning__namnd"
    )
    analyses = analyses.prefetch_related("round__deadlines")
    return [analysis for analysis in analyses if may(user, "edit_analysis", analysis)]


# --- The form ------------------------------------------------------------------


def _item_to_propose(request, analysis: Analysis) -> AnalysisItem | None:
    """The analysis item the new proposal is made from ("Gör till förslag"
    in the grid), named by the form's URL and then its hidden field; None
    for a proposal of its own, or (when saving) for an item removed while
    the user wrote. 404 for an id the analysis's items of the last two
    columns do not have."""
    source = request.POST if request.method == "POST" else request.GET
    value = source.get(ITEM_PARAMETER)
    if value is None:
        return None
    item_id = parse_id(value)
    if item_id is None:
        raise Http404
    item = (
        AnalysisItem.objects.filter(pk=item_id, analysis=analysis)
        .select_related("perspektiv", "proposal__round")
        .first()
    )
    if item is None and request.method == "POST":
        return None
    if item is None or not item.can_become_proposal:
        raise Http404
    item.analysis = analysis
    return item


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, year, forvaltning_id):
    """A new proposal; from an analysis item (``?punkt=``), the form starts
    with what the item says and the proposal is linked to it. Nothing exists
    until the form is saved."""
    analysis = get_analysis(request, year, forvaltning_id)
    require(request.user, "edit_analysis", analysis)
    round = analysis.round
    item = _item_to_propose(request, analysis)
    made = getattr(item, "proposal", None) if item is not None else None
    if made is not None and request.method == "GET":
        messages.info(
            request,
            _("Punkten är redan förslaget %(reference)s.") % {"reference": made.reference},
        )
        return redirect("proposal_edit", year=year, number=made.number)
    start = fields_from_item(item) if item is not None else {}
    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        instance=Proposal(round=round, analysis=analysis, **start),
        round=round,
    )
    if form.is_bound and form.is_valid():
        try:
            if item is not None:
                proposal = create_proposal_from_item(item, by=request.user, **form.model_values())
            else:
                proposal = create_proposal(analysis, by=request.user, **form.model_values())
        except ItemHasProposal as taken:
            form.add_error(
                None,
                _(
                    "Punkten blev förslaget %(reference)s medan du skrev, och det du skrev "
                    "är inte sparat. Öppna %(reference)s och för över det du vill behålla."
                )
                % {"reference": taken.proposal.reference},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Förslaget %(reference)s är sparat.") % {"reference": proposal.reference},
            )
            return redirect("proposal_detail", year=year, number=proposal.number)
    return _render_form(request, form, analysis, proposal=None, item=item)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, year, number):
    proposal = get_proposal(request, year, number)
    if request.method == "POST" and not may(request.user, "edit_proposal", proposal):
        return _refused(request, year, number)  # the door closed while the user typed
    require(request.user, "edit_proposal", proposal)
    round = proposal.round
    if request.method == "GET":
        form = ProposalForm(instance=proposal, round=round)
        return _render_form(request, form, proposal.analysis, proposal)
    form = ProposalForm(_with_their_values(request.POST, proposal), instance=proposal, round=round)
    if form.is_valid():
        loaded = form.cleaned_data["version"]
        try:
            save_proposal(
                proposal,
                by=request.user,
                expected_version=loaded,
                goals=form.cleaned_data.get("mal"),
            )
        except ProposalConflict:
            return _render_merge(request, form, loaded, year, number)
        except PermissionDenied:  # the door closed between the check and the save
            return _refused(request, year, number)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Förslaget %(reference)s är sparat.") % {"reference": proposal.reference},
            )
            return redirect("proposal_detail", year=year, number=number)
    return _render_form(request, form, proposal.analysis, proposal)


def _render_form(request, form, analysis, proposal, conflict=None, item=None):
    riktvarden = analysis.round.riktvarden
    shown_flags = flags(form.instance, riktvarden) if proposal is not None or form.is_bound else []
    context = {
        "item": item,
        "item_parameter": ITEM_PARAMETER,
        "cancel_url": (
            grid_cell_url(analysis, item.perspektiv_id, item.column) if item is not None else ""
        ),
        "form": form,
        "analysis": analysis,
        "round": analysis.round,
        "proposal": proposal,
        "flags": shown_flags,
        "rank_suggestion": _rank_suggestion(form.instance, riktvarden),
        "rank_suggestions": form.rank_suggestions(riktvarden),
        "conflict": conflict,
    }
    return render(request, "rounds/proposal/form.html", context)


def _rank_suggestion(proposal, riktvarden) -> str:
    ranks = suggested_ranks(proposal, riktvarden)
    if not ranks:
        return ""
    return RANK_SUGGESTION % {
        "grad": Svarighetsgrad(proposal.svarighetsgrad).label,
        "low": ranks[0],
        "high": ranks[1],
    }


# --- Concurrent edits ---------------------------------------------------------------


def _with_their_values(post: QueryDict, proposal: Proposal) -> QueryDict:
    """The posted form, with the other person's value for each field where the
    user chose "Använd deras" after a conflict. Their value is the one the user
    was shown: the proposal at the version the merged form carries."""
    chosen = {
        key.removeprefix(CHOICE_PREFIX)
        for key, value in post.items()
        if key.startswith(CHOICE_PREFIX) and value == USE_THEIRS
    }
    names = [name for name in fields_for_round(proposal.round) if name in chosen]
    if not names:
        return post
    try:
        version = parse_int(post.get("version", ""), minimum=1)
    except ValidationError:
        return post
    values = values_at_version(proposal, version, names)
    if values is None and version == proposal.version:
        values = current_values(proposal, names)
    if values is None:
        return post
    data = post.copy()
    for name in names:
        data.setlist(name, as_form_data(values[name]))
    return data


OUTCOMES = {
    TAKEN: gettext_lazy("Deras värde används: du hade inte ändrat fältet."),
    SAME: gettext_lazy("Ni ändrade till samma värde."),
    CONFLICT: gettext_lazy("Ni har båda ändrat: välj vid fältet."),
}


def _render_merge(request, form, loaded_version: int, year: int, number: int):
    """Nothing was written. Show what the other person changed since the user
    loaded the form, with the merge as the new form: their value where the
    user changed nothing, the user's where they did, and a choice where both
    did. The form now carries the current version, so the next save is a
    deliberate one."""
    current = get_proposal(request, year, number)
    names = [name for name in form.fields if name != "version"]
    result = merge(
        values_at_version(current, loaded_version, names),
        current_values(current, names),
        form.comparable_values(),
    )
    merged = ProposalForm(
        initial={**result.values, "version": current.version}, instance=current, round=form.round
    )
    item_names = list_item_names(current.round_id)
    merged.conflicts = {
        name: {"theirs": shown(name, change.theirs, item_names)}
        for name, change in result.conflicts.items()
    }
    changes = [
        {
            "label": shown_label(change.name),
            "anchor": field_anchor(merged[change.name]),
            "base": shown(change.name, change.base, item_names),
            "theirs": shown(change.name, change.theirs, item_names),
            "mine": shown(change.name, change.mine, item_names),
            "outcome": change.outcome,
            "outcome_text": OUTCOMES[change.outcome],
        }
        for change in result.changes
    ]
    conflict = {"changes": changes, "conflicts": len(result.conflicts)}
    return _render_form(request, merged, current.analysis, current, conflict=conflict)


# --- A save the door closed on ---------------------------------------------------


def _refused(request, year: int, number: int):
    """The proposal may not be saved (any more): the analysis was handed in
    while the user typed, the round moved on or was published, the proposal
    was withdrawn. Staff of its förvaltning get the page that says why and
    keeps what they typed; anyone else the plain refusal."""
    current = get_proposal(request, year, number)
    try:
        require(request.user, "edit_proposal", current)
    except PermissionDenied as refusal:
        staff = roles_of(request.user).in_forvaltning(current.analysis.forvaltning_id, *STAFF)
        if not staff:
            raise
        title, reason = _why_closed(refusal, current)
    else:  # open again: the form as it was posted
        form = ProposalForm(request.POST, instance=current, round=current.round)
        form.is_valid()
        return _render_form(request, form, current.analysis, current)
    return refused_while_typing(
        request,
        title=title,
        reason=reason,
        form=ProposalForm(request.POST, instance=current, round=current.round),
        back_url=reverse("proposal_detail", kwargs={"year": year, "number": number}),
        back_label=_("Till förslaget %(reference)s") % {"reference": current.reference},
        round=current.round,
    )


def _why_closed(refusal, proposal: Proposal) -> tuple[str, str]:
    """Why the proposal cannot be saved now, in Swedish: a title and a sentence."""
    analysis, round = proposal.analysis, proposal.round
    if isinstance(refusal, RoundIsFinal):
        return _("Omgången är publicerad och kan inte ändras"), _(
            "Omgången %(year)s publicerades medan du skrev. Det publicerade resultatet och "
            "allt det vilar på är låst, förslagen också."
        ) % {"year": round.budget_year}
    if proposal.is_withdrawn:
        return _("Förslaget återkallades medan du skrev"), _(
            "Förslaget %(reference)s är återkallat och kan inte längre ändras."
        ) % {"reference": proposal.reference}
    if analysis.status == AnalysisStatus.SUBMITTED:
        return _("Förslaget lämnades in medan du skrev"), _(
            "%(forvaltning)s verksamhetsanalys, med förslaget %(reference)s, lämnades in till "
            "nämnden medan du skrev. Förslaget kan inte ändras förrän analysen återlämnas."
        ) % {"forvaltning": analysis.forvaltning.name, "reference": proposal.reference}
    if round.phase != Phase.VERKSAMHETSANALYS and not (
        analysis.status == AnalysisStatus.RETURNED and round.phase == Phase.NAMND
    ):
        return _("Omgången har gått vidare till nästa fas"), _(
            "Omgången är nu i fasen %(phase)s, och förslagen kan inte längre ändras."
        ) % {"phase": round.phase_label}
    if analysis.deadline_passed():
        return _("Sista dagen har passerat"), _(
            "Sista dagen för verksamhetsanalysen har passerat, och förslagen kan inte längre "
            "ändras. Controllern kan ge en ny sista dag."
        )
    return _("Förslaget kan inte ändras nu"), _(
        "Du har inte längre behörighet att ändra förslaget."
    )


# --- The detail page -------------------------------------------------------------


@login_required
@require_GET
def proposal_detail(request, year, number):
    proposal = get_proposal(request, year, number)
    item_names = list_item_names(proposal.round_id)
    names = fields_for_round(proposal.round)
    values = current_values(proposal, names)
    ransonering = proposal.typ == ProposalType.RANSONERING
    sections = []
    for section in SECTIONS:
        rows = [
            {
                "name": name,
                "label": shown_label(name),
                "value": display(name, values[name], item_names),
                "long": name in LONG_TEXT_FIELDS,
            }
            for name in section.fields
            if name in values and not (name in RANSONERING_FIELDS and not ransonering)
        ]
        if rows:
            sections.append({"key": section.key, "legend": section.read_heading, "rows": rows})
    context = {
        "proposal": proposal,
        "round": proposal.round,
        "analysis": proposal.analysis,
        "sections": sections,
        "flags": flags(proposal, proposal.round.riktvarden),
        "rank_suggestion": _rank_suggestion(proposal, proposal.round.riktvarden),
        "history": proposal_history(proposal, item_names),
        "faktaunderlag": faktaunderlag_of(proposal),
        "can_add_faktaunderlag": may(request.user, "edit_proposal", proposal),
    }
    # The follow-up's part (the life across years, carrying over) is the
    # template's {% proposal_follow_up %}: rounds does not import the follow-up.
    return render(request, "rounds/proposal/detail.html", context)


# --- Withdrawal ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, year, number):
    """A withdrawn proposal stays, marked withdrawn; nothing is deleted."""
    proposal = get_proposal(request, year, number)
    require(request.user, "withdraw_proposal", proposal)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        withdraw_proposal(proposal, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Förslaget %(reference)s är återkallat. Det finns kvar, markerat som återkallat.")
            % {"reference": proposal.reference},
        )
        return redirect("proposal_detail", year=year, number=number)
    return render(
        request,
        "rounds/proposal/withdraw.html",
        {"proposal": proposal, "round": proposal.round, "form": form},
    )
