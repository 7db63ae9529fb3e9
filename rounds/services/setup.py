"""The controller's set-up of a round: settings and deadlines, förutsättningar
and their attachments, the round's lists. Each operation runs in a
transaction, checks access again and leaves its trace in the history."""

from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError

from prioritering.access import require
from prioritering.audit import delete_as, save_as
from rounds import locks
from rounds.conflicts import FormConflict
from rounds.models import Attachment, Forutsattning, ListItem, Round, User
from rounds.services.round import set_deadlines
from rounds.uploads import clean_file_name


def _set_up(round: Round, by: User) -> Round:
    """The round read again under its lock — the lock publishing takes too —
    and ``set_up_round`` asked of it: a published round's set-up is final."""
    current = locks.round_to_change(round)
    require(by, "set_up_round", current)
    return current


@transaction.atomic
def save_settings(
    round: Round,
    fields: dict,
    deadlines: dict,
    *,
    by: User,
    expected_version: int | None = None,
) -> Round:
    """The round's settings and the phases' deadlines, together or not at all.
    The round is read again under lock, so a phase moved meanwhile stays moved.

    ``expected_version`` is the ``settings_version`` the form was loaded at:
    when another save came between, a form that would change anything raises
    :class:`~rounds.conflicts.FormConflict` and writes nothing, and one that
    equals what is saved now writes nothing and succeeds. None: no check (the
    budget line's frame, commands). A save that changes a setting or a
    deadline makes the next version."""
    current = _set_up(round, by)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    moved = [phase for phase, day in deadlines.items() if current.deadline(phase) != day]
    if expected_version is not None and current.settings_version != expected_version:
        if changed or moved:
            raise FormConflict(current, current.settings_version)
        return current  # a colleague saved the same a moment before
    for name in changed:
        setattr(current, name, fields[name])
    if changed:
        current.full_clean()
    # The deadlines first, the round (with its version) last: the history row
    # of a version then comes after every row of its save (rounds.conflicts).
    set_deadlines(current, deadlines, by=by)
    if changed or moved:
        current.settings_version += 1
        save_as(current, by, "Inställningar ändrade")
    return current


@transaction.atomic
def save_forutsattning_texts(round: Round, texts: dict[str, str], *, by: User) -> None:
    round = _set_up(round, by)
    existing = {item.kind: item for item in Forutsattning.objects.filter(round=round)}
    for kind, text in texts.items():
        item = existing.get(kind)
        if item is None:
            if text.strip():
                save_as(Forutsattning(round=round, kind=kind, text=text), by)
        elif item.text != text:
            item.text = text
            save_as(item, by)


@transaction.atomic
def add_attachment(round: Round, kind: str, uploaded, content_type: str, *, by: User):
    round = _set_up(round, by)
    forutsattning = Forutsattning.objects.filter(round=round, kind=kind).first()
    if forutsattning is None:
        forutsattning = Forutsattning(round=round, kind=kind)
        save_as(forutsattning, by)
    attachment = Attachment(
        forutsattning=forutsattning,
        file=uploaded,
        name=clean_file_name(uploaded.name),
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=by,
    )
    save_as(attachment, by, "Uppladdad")
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by: User) -> None:
    """The row goes; the file stays on disk, so the history can still name it."""
    _set_up(attachment.forutsattning.round, by)
    delete_as(attachment, by, "Borttagen")


def _locked_list(round: Round, kind: str, by: User) -> list[ListItem]:
    _set_up(round, by)
    return list(ListItem.objects.filter(round=round, kind=kind).order_by("position", "name", "pk"))


def _renumber(items: list[ListItem], by: User) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            save_as(item, by)


@transaction.atomic
def add_list_item(round: Round, kind: str, name: str, *, by: User) -> ListItem:
    _locked_list(round, kind, by)
    last = ListItem.objects.filter(round=round, kind=kind).aggregate(n=Max("position"))["n"]
    item = ListItem(round=round, kind=kind, name=name, position=0 if last is None else last + 1)
    save_as(item, by, "Tillagd")
    return item


@transaction.atomic
def rename_list_item(item: ListItem, name: str, *, by: User) -> None:
    _set_up(item.round, by)
    if item.name != name:
        item.name = name
        save_as(item, by, "Nytt namn")


@transaction.atomic
def move_list_item(item: ListItem, step: int, *, by: User) -> tuple[int, int]:
    """Move the entry one place up (-1) or down (1); returns its new place
    (from 1) and the length of the list. At either end it stays."""
    items = _locked_list(item.round, item.kind, by)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        index = target
    _renumber(items, by)
    return index + 1, len(items)


def remove_list_item(item: ListItem, *, by: User) -> bool:
    """Remove the entry unless a proposal or an analysis uses it; False then."""
    try:
        with transaction.atomic():
            items = _locked_list(item.round, item.kind, by)
            if item.proposals_by_goal.exists():
                return False
            removed = item.pk  # delete() sets item.pk to None
            delete_as(item, by, "Borttagen")
            _renumber([other for other in items if other.pk != removed], by)
    except (ProtectedError, RestrictedError):
        return False
    return True
