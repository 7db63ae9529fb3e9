"""The items of a verksamhetsanalys grid: add, change, move and remove them.

Each operation locks the round (shared) and then the analysis, in the lock
order of ``rounds.locks`` (as the workflow services do), so an item cannot
change while the analysis is being submitted or the phase moves on, and asks
``edit_analysis`` again of what it locked. Positions are renumbered by saving each item that
moved: QuerySet.update() would bypass the history.

Nothing typed is lost when two people edit the same item: a change carries the
item's version as the editor read it, and a stale version raises
:class:`ItemConflict` with the saved item, so the view can show both texts.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import delete_as, save_as
from rounds import locks
from rounds.models import Analysis, AnalysisColumn, AnalysisItem, ListItem, ListKind, User

MAX_TEXT_LENGTH = 2000
UP, DOWN = "upp", "ned"


class ItemConflict(Exception):  # noqa: N818 (a situation, not a bug)
    """Someone changed the item after the editor read it."""

    def __init__(self, current: AnalysisItem):
        super().__init__(f"analysis item {current.pk} is at version {current.version}")
        self.current = current


@dataclass(frozen=True)
class Move:
    """Where a moved item ended up: ``position`` of ``count``, counted from 1."""

    item: AnalysisItem
    position: int
    count: int
    moved: bool


def clean_text(text: str) -> str:
    """The item's text, trimmed; raises ValidationError (on ``text``) when it
    is empty or too long."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv något i punkten.")})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            {
                "text": _("Punkten får vara högst %(limit)d tecken (den har %(length)d).")
                % {"limit": MAX_TEXT_LENGTH, "length": len(text)}
            }
        )
    return text


def _locked(analysis_id: int) -> Analysis:
    """The analysis re-read under its lock, after its round's (shared): the
    lock order of ``rounds.locks``."""
    return locks.analysis_and_round(analysis_id, change=True)


def _locked_item(item: AnalysisItem, by: User) -> tuple[AnalysisItem, Analysis]:
    """The item and its analysis, locked and checked. Raises
    AnalysisItem.DoesNotExist when the item was removed meanwhile."""
    analysis = _locked(item.analysis_id)
    require(by, "edit_analysis", analysis)
    current = AnalysisItem.objects.select_for_update(no_key=True).get(pk=item.pk, analysis=analysis)
    current.analysis = analysis
    return current, analysis


def cell_items(analysis: Analysis, perspektiv_id: int, column: int) -> list[AnalysisItem]:
    return list(
        AnalysisItem.objects.filter(
            analysis=analysis, perspektiv_id=perspektiv_id, column=column
        ).order_by("position", "pk")
    )


@transaction.atomic
def add_item(
    analysis: Analysis, *, perspektiv: ListItem, column: int, text: str, by: User
) -> AnalysisItem:
    """A new item at the end of the cell ``perspektiv`` × ``column``."""
    analysis = _locked(analysis.pk)
    require(by, "edit_analysis", analysis)
    if perspektiv.round_id != analysis.round_id or perspektiv.kind != ListKind.PERSPEKTIV:
        raise ValueError("the perspektiv is not one of the round's")
    if column not in AnalysisColumn.values:
        raise ValueError(f"no column {column}")
    text = clean_text(text)
    last = AnalysisItem.objects.filter(
        analysis=analysis, perspektiv=perspektiv, column=column
    ).aggregate(last=Max("position"))["last"]
    item = AnalysisItem(
        analysis=analysis,
        perspektiv=perspektiv,
        column=column,
        text=text,
        position=0 if last is None else last + 1,
    )
    save_as(item, by, "Tillagd")
    return item


@transaction.atomic
def update_item(item: AnalysisItem, *, text: str, expected_version: int, by: User) -> AnalysisItem:
    """Change the item's text, unless someone changed it since
    ``expected_version`` was read: then :class:`ItemConflict`, nothing written.
    Raises AnalysisItem.DoesNotExist when the item was removed meanwhile."""
    text = clean_text(text)
    current, _analysis = _locked_item(item, by)
    if current.version != expected_version:
        raise ItemConflict(current)
    if current.text != text:
        current.text = text
        current.version += 1
        save_as(current, by, "Ändrad")
    return current


@transaction.atomic
def move_item(item: AnalysisItem, direction: str, *, by: User) -> Move:
    """Move the item one place up or down in its cell. At the end it stays
    (``moved`` is False). Every item of the cell is renumbered 0, 1, 2…"""
    if direction not in (UP, DOWN):
        raise ValueError(f"no direction {direction!r}")
    current, analysis = _locked_item(item, by)
    items = cell_items(analysis, current.perspektiv_id, current.column)
    index = next(i for i, other in enumerate(items) if other.pk == current.pk)
    target = index - 1 if direction == UP else index + 1
    moved = 0 <= target < len(items)
    if moved:
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            save_as(other, by, "Flyttad")
    new_index = target if moved else index
    return Move(item=items[new_index], position=new_index + 1, count=len(items), moved=moved)


@transaction.atomic
def delete_item(item: AnalysisItem, *, by: User) -> None:
    """Remove the item; its history stays. A proposal made from it stays too
    (it only loses the link). Removing an item that is already gone is fine."""
    try:
        current, _analysis = _locked_item(item, by)
    except AnalysisItem.DoesNotExist:
        return
    delete_as(current, by, "Borttagen")
