"""The verksamhetsanalys grid: perspektiv × column, edited in place.

The grid reads as a document: each item's actions sit in one menu (a
``<details>`` per item), and each cell's new item in a "Lägg till punkt"
disclosure; a move an item cannot make is not offered. Every action is an
ordinary form (GET to open an editor or a confirmation, POST to change), so
the grid works without JavaScript: the view then answers with the whole page,
or redirects back to the grid at the cell. With htmx the same views answer
with just the cell (``grid.html#cell``), a stable live region
(``#grid-status``) is updated out of band with what happened, and the focus
goes where the user left off (``autofocus`` in the swapped cell).

Nothing typed is lost: a stale edit shows both texts (see
:func:`rounds.services.analysis_items.update_item`), and an edit of an item
someone removed meanwhile comes back as a new item's text in the same cell.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from prioritering.access import may, require
from prioritering.numbers import parse_id
from rounds.forms.analysis import AddItemForm, CellChoiceForm, EditItemForm
from rounds.guidance import COLUMN_QUESTIONS
from rounds.models import (
    Analysis,
    AnalysisColumn,
    AnalysisItem,
    ListItem,
    ListKind,
    Proposal,
)
from rounds.models.analysis import PROPOSAL_COLUMNS
from rounds.services import analysis_items
from rounds.services.analysis_items import DOWN, UP, ItemConflict
from rounds.views.common import cell_anchor, get_analysis, new_proposal_from_item_url

TEMPLATE = "rounds/analysis/grid.html"


@dataclass
class Cell:
    """One cell of the grid, with what one response shows in it."""

    analysis: Analysis
    perspektiv: ListItem
    column: AnalysisColumn
    items: list[AnalysisItem]
    add_form: AddItemForm | None = None
    editing: int | None = None  # the item whose text is being changed
    edit_form: EditItemForm | None = None
    conflict: AnalysisItem | None = None  # the other person's saved item
    confirming: int | None = None  # the item whose removal is being confirmed
    gone: bool = False  # the edited item was removed: its text is in the add form
    focus_item: int | None = None  # after an htmx swap, the focus goes to this item's…
    # …"menu", "text" (its editor), "confirm", or its "upp"/"ned" button in
    # its open menu; without an item, to the cell's "add" field or its "new"
    # ("Lägg till punkt") toggle.
    focus_on: str = ""
    swapped: bool = False  # rendered alone, for htmx to swap in
    keep_add_text: bool = False  # the add field keeps what the user typed (hx-preserve)

    @property
    def key(self) -> str:
        return f"{self.perspektiv.pk}-{int(self.column)}"

    @property
    def anchor(self) -> str:
        return cell_anchor(self.perspektiv.pk, self.column)

    @property
    def can_propose(self) -> bool:
        return self.column in PROPOSAL_COLUMNS

    @property
    def url(self) -> str:
        return reverse(
            "analysis_cell",
            kwargs={
                "year": self.analysis.round.budget_year,
                "forvaltning_id": self.analysis.forvaltning_id,
                "perspektiv_id": self.perspektiv.pk,
                "column": int(self.column),
            },
        )

    @property
    def preserve_add_text(self) -> bool:
        return self.swapped and self.keep_add_text

    @property
    def add_open(self) -> bool:
        """The add field is shown open when it has something to say: an
        error, or the text of an item someone removed while it was edited."""
        form = self.add_form
        return self.gone or (form is not None and form.is_bound and bool(form.errors))

    def mark_focus(self) -> None:
        """Set ``item.focus`` on each item: which of its controls takes the
        focus after a swap. A move button is there only while the item can
        still move that way; at the end of the cell the menu's toggle takes it."""
        last = len(self.items) - 1
        for index, item in enumerate(self.items):
            focus = self.focus_on if item.pk == self.focus_item else ""
            if (focus == UP and index == 0) or (focus == DOWN and index == last):
                focus = "menu"
            item.focus = focus

    def ensure_add_form(self) -> None:
        """An empty add form, unless the view gave one. When the cell is
        swapped after another action, the browser keeps the add field as it
        is (hx-preserve): a half-written new item survives a move or an edit."""
        if self.add_form is None:
            self.add_form = AddItemForm(cell_key=self.key)
            self.keep_add_text = True


def proposal_url(proposal: Proposal, name: str = "proposal_detail") -> str:
    """The proposal's page, or (``proposal_edit``) its edit page."""
    return reverse(name, kwargs={"year": proposal.round.budget_year, "number": proposal.number})


def _with_proposals(items) -> list[AnalysisItem]:
    """Items with ``made_proposal`` (the proposal made from it, or None) and
    its ``proposal_url``, read from a select_related("proposal__round"), and
    no ``focus`` (see :meth:`Cell.mark_focus`)."""
    items = list(items)
    for item in items:
        item.focus = ""
        item.made_proposal = getattr(item, "proposal", None)
        item.proposal_url = proposal_url(item.made_proposal) if item.made_proposal else ""
    return items


def _items(analysis: Analysis):
    return (
        AnalysisItem.objects.filter(analysis=analysis)
        .select_related("proposal__round")
        .annotate(fakta_count=Count("faktaunderlag"))
        .order_by("position", "pk")
    )


def _perspektiv(analysis: Analysis):
    return ListItem.objects.filter(round_id=analysis.round_id, kind=ListKind.PERSPEKTIV)


def _cell(analysis: Analysis, perspektiv: ListItem, column: int) -> Cell:
    items = _items(analysis).filter(perspektiv=perspektiv, column=column)
    return Cell(analysis, perspektiv, AnalysisColumn(column), _with_proposals(items))


def _grid_url(analysis: Analysis, cell: Cell | None = None) -> str:
    url = reverse(
        "analysis_grid",
        kwargs={"year": analysis.round.budget_year, "forvaltning_id": analysis.forvaltning_id},
    )
    return f"{url}#{cell.anchor}" if cell else url


def _render(request, analysis: Analysis, cell: Cell | None = None, status: str = ""):
    """The cell alone for htmx, else the whole grid (with ``cell`` as given)."""
    can_edit = may(request.user, "edit_analysis", analysis)
    if cell is not None and can_edit:
        cell.ensure_add_form()
    context = {"analysis": analysis, "can_edit": can_edit, "status": status}
    if request.htmx and not request.htmx.history_restore_request and cell is not None:
        cell.swapped = True
        cell.mark_focus()
        return render(request, f"{TEMPLATE}#cell", {**context, "cell": cell, "cell_only": True})
    if cell is not None:
        # Focus moves only after a swap (htmx honours autofocus in new content);
        # a whole page takes the reader to the cell by its anchor instead.
        cell.focus_item, cell.focus_on = None, ""
    by_cell: dict[tuple[int, int], list[AnalysisItem]] = {}
    for item in _with_proposals(_items(analysis)):
        by_cell.setdefault((item.perspektiv_id, item.column), []).append(item)
    rows = []
    for perspektiv in _perspektiv(analysis):
        cells = []
        for column in AnalysisColumn:
            if cell is not None and (cell.perspektiv.pk, cell.column) == (perspektiv.pk, column):
                cells.append(cell)
                continue
            other = Cell(analysis, perspektiv, column, by_cell.get((perspektiv.pk, column), []))
            if can_edit:
                other.ensure_add_form()
            cells.append(other)
        rows.append({"perspektiv": perspektiv, "cells": cells})
    context |= {"rows": rows, "columns": AnalysisColumn.choices, "questions": COLUMN_QUESTIONS}
    return render(request, TEMPLATE, context)


def _done(request, analysis: Analysis, cell: Cell, status: str):
    """After a change: the fresh cell for htmx; else back to the grid, at the cell."""
    if request.htmx:
        return _render(request, analysis, cell, status)
    messages.success(request, status)
    return redirect(_grid_url(analysis, cell))


def _editable(request, year: int, forvaltning_id: int) -> Analysis:
    """The analysis, 404 if the user may not know of it, 403 if they may not edit."""
    analysis = get_analysis(request, year, forvaltning_id)
    require(request.user, "edit_analysis", analysis)
    return analysis


def _item_or_gone(analysis: Analysis, item_id: int):
    """(item, None), or (None, last history record) for an item of this
    analysis that someone removed; 404 for an id this analysis never had."""
    item = AnalysisItem.objects.filter(pk=item_id, analysis=analysis).first()
    if item is not None:
        return item, None
    record = (
        AnalysisItem.history.filter(id=item_id, analysis_id=analysis.pk)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        raise Http404
    return None, record


def _perspektiv_of(analysis: Analysis, perspektiv_id: int) -> ListItem:
    return get_object_or_404(_perspektiv(analysis), pk=perspektiv_id)


def _gone_response(request, analysis: Analysis, perspektiv_id: int, column: int):
    cell = _cell(analysis, _perspektiv_of(analysis, perspektiv_id), column)
    return _render(
        request, analysis, cell, _("Punkten finns inte längre: någon annan har tagit bort den.")
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def analysis_grid(request, year, forvaltning_id):
    analysis = get_analysis(request, year, forvaltning_id)
    return _render(request, analysis)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def analysis_cell(request, year, forvaltning_id, perspektiv_id, column):
    """One cell as it is saved (an editor's "Avbryt"); without htmx, the grid."""
    analysis = get_analysis(request, year, forvaltning_id)
    if column not in AnalysisColumn.values:
        raise Http404
    cell = _cell(analysis, _perspektiv_of(analysis, perspektiv_id), column)
    if not request.htmx:
        return redirect(_grid_url(analysis, cell))
    focus = parse_id(request.GET.get("fokus", ""))
    if focus is not None and any(item.pk == focus for item in cell.items):
        cell.focus_item, cell.focus_on = focus, "menu"
    return _render(request, analysis, cell)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def analysis_item_add(request, year, forvaltning_id):
    analysis = _editable(request, year, forvaltning_id)
    choice = CellChoiceForm(request.POST, round=analysis.round)
    if not choice.is_valid():
        return HttpResponseBadRequest(_("Okänd ruta i analysen."))
    perspektiv, column = choice.cleaned_data["perspektiv"], choice.cleaned_data["column"]
    cell = _cell(analysis, perspektiv, column)
    form = AddItemForm(request.POST, cell_key=cell.key)
    if form.is_valid():
        try:
            analysis_items.add_item(
                analysis,
                perspektiv=perspektiv,
                column=column,
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            cell = _cell(analysis, perspektiv, column)
            # The field closes; the focus goes back to "Lägg till punkt".
            cell.add_form, cell.focus_on = AddItemForm(cell_key=cell.key), "new"
            return _done(request, analysis, cell, _("Punkten lades till."))
    cell.add_form, cell.focus_on = form, "add"
    return _render(request, analysis, cell)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def analysis_item_edit(request, year, forvaltning_id, item_id):
    analysis = _editable(request, year, forvaltning_id)
    item, gone = _item_or_gone(analysis, item_id)
    if request.method == "GET":
        if gone:
            return _gone_response(request, analysis, gone.perspektiv_id, gone.column)
        cell = _cell(analysis, item.perspektiv, item.column)
        cell.editing, cell.focus_item, cell.focus_on = item.pk, item.pk, "text"
        cell.edit_form = EditItemForm(
            initial={"text": item.text, "version": item.version}, item_id=item.pk
        )
        return _render(request, analysis, cell)

    form = EditItemForm(request.POST, item_id=item_id)
    if gone:
        return _edit_of_removed_item(request, analysis, gone, form)
    cell = _cell(analysis, item.perspektiv, item.column)
    cell.editing, cell.focus_item, cell.focus_on = item.pk, item.pk, "text"
    if form.is_valid():
        try:
            analysis_items.update_item(
                item,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except ItemConflict as conflict:
            # Keep the user's text; the next save, at the new version, is a
            # deliberate overwrite.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = EditItemForm(data, item_id=item.pk)
            form.is_valid()
            cell = _cell(analysis, item.perspektiv, item.column)
            cell.editing, cell.focus_item, cell.focus_on = item.pk, item.pk, "text"
            cell.conflict = conflict.current
        except AnalysisItem.DoesNotExist:
            return _edit_of_removed_item(request, analysis, item, form)
        else:
            cell = _cell(analysis, item.perspektiv, item.column)
            cell.focus_item, cell.focus_on = item.pk, "menu"
            return _done(request, analysis, cell, _("Punkten sparades."))
    cell.edit_form = form
    return _render(request, analysis, cell)


def _edit_of_removed_item(request, analysis: Analysis, removed, form: EditItemForm):
    """Someone removed the item while this user changed it: offer the text
    as a new item of the same cell."""
    cell = _cell(analysis, _perspektiv_of(analysis, removed.perspektiv_id), removed.column)
    cell.gone, cell.focus_on = True, "add"
    cell.add_form = AddItemForm(initial={"text": form.data.get("text", "")}, cell_key=cell.key)
    return _render(request, analysis, cell)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def analysis_item_move(request, year, forvaltning_id, item_id):
    analysis = _editable(request, year, forvaltning_id)
    direction = request.POST.get("riktning")
    if direction not in (UP, DOWN):
        return HttpResponseBadRequest(_("Ange om punkten ska flyttas upp eller ned."))
    item, gone = _item_or_gone(analysis, item_id)
    if gone:
        return _gone_response(request, analysis, gone.perspektiv_id, gone.column)
    try:
        move = analysis_items.move_item(item, direction, by=request.user)
    except AnalysisItem.DoesNotExist:
        return _gone_response(request, analysis, item.perspektiv_id, item.column)
    # The grid offers only possible moves; a crafted (or stale) impossible
    # one changes nothing and says so.
    if move.moved:
        status = _("Punkten flyttades till plats %(position)d av %(count)d.")
    elif direction == UP:
        status = _("Punkten är redan först (plats %(position)d av %(count)d).")
    else:
        status = _("Punkten är redan sist (plats %(position)d av %(count)d).")
    cell = _cell(analysis, item.perspektiv, item.column)
    cell.focus_item, cell.focus_on = item.pk, direction
    return _done(request, analysis, cell, status % {"position": move.position, "count": move.count})


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def analysis_item_delete(request, year, forvaltning_id, item_id):
    """GET asks "Ta bort punkten?" in place; POST removes the item."""
    analysis = _editable(request, year, forvaltning_id)
    item, gone = _item_or_gone(analysis, item_id)
    if gone:
        return _gone_response(request, analysis, gone.perspektiv_id, gone.column)
    if request.method == "GET":
        cell = _cell(analysis, item.perspektiv, item.column)
        cell.confirming, cell.focus_item, cell.focus_on = item.pk, item.pk, "confirm"
        return _render(request, analysis, cell)
    index = [other.pk for other in _cell(analysis, item.perspektiv, item.column).items].index(
        item.pk
    )
    analysis_items.delete_item(item, by=request.user)
    cell = _cell(analysis, item.perspektiv, item.column)
    # The focus goes to the menu of the item that took its place (or of the
    # one before it), or to "Lägg till punkt" in a cell left empty.
    if cell.items:
        cell.focus_item, cell.focus_on = cell.items[min(index, len(cell.items) - 1)].pk, "menu"
    else:
        cell.focus_on = "new"
    return _done(request, analysis, cell, _("Punkten togs bort."))


@login_required
@require_POST
def analysis_item_proposal(request, year, forvaltning_id, item_id):
    """Open the proposal form pre-filled from the item. Nothing is created
    here: the proposal, with its number, exists once the form is saved, so
    "Avbryt" leaves nothing behind. An item that became a proposal already
    opens that proposal."""
    analysis = _editable(request, year, forvaltning_id)
    item, gone = _item_or_gone(analysis, item_id)
    if gone:
        return _gone_response(request, analysis, gone.perspektiv_id, gone.column)
    if not item.can_become_proposal:
        raise Http404
    made = Proposal.objects.filter(analysis_item=item).select_related("round").first()
    if made is not None:
        url = proposal_url(made, "proposal_edit")
    else:
        url = new_proposal_from_item_url(analysis, item.pk)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
