"""Forms saved whole, from a version that is no longer the stored one.

A page that saves a whole form — the round's settings, the forum's agreed
order, its review and its decisions (and, with their own exceptions, a
proposal and a follow-up report) — carries the version it was loaded at. The
service compares it under its lock: a form from an older version that would
change anything raises :class:`FormConflict` and writes nothing; one whose
values equal what is stored now (a colleague made the same change, a second
click) writes nothing either, and succeeds.

The page then shows the merge (:func:`merge`): the values when the form was
loaded (its version's, from the history), the colleague's (now) and the
user's (posted). Where the user changed nothing the colleague's value is
taken, where only the user changed theirs is kept, and where both changed the
user chooses with a pair of radios named ``los_<field>``; choosing "deras"
saves the value the user was shown (:func:`chosen_theirs`).

Also here: the history lookups the merges share (:func:`version_record`,
:func:`rows_as_of`) and the round's settings as values (the settings page's
own merge)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from prioritering.numbers import parse_int
from rounds.models import PhaseDeadline, Round

# A form without its version (or a broken one) is refused with this.
RELOAD = gettext_lazy("Formuläret är ofullständigt. Ladda om sidan och försök igen.")
# The merge's "keep mine / use theirs" radios: los_<field> = min | deras.
CHOICE_PREFIX = "los_"
USE_THEIRS = "deras"
KEEP_MINE = "min"


class FormConflict(Exception):  # noqa: N818 (a situation, not a bug)
    """A whole form saved from an older version, with other values than the
    stored ones: nothing was written. ``current`` is the locked object the
    version belongs to (a Round, a ForumResult), ``version`` its version now."""

    def __init__(self, current, version: int):
        super().__init__(f"{type(current).__name__} {current.pk} is at version {version}")
        self.current = current
        self.version = version


# --- Merging two people's edits ------------------------------------------------

TAKEN = "taken"  # only they changed it: their value is taken
SAME = "same"  # both changed it to the same value
CONFLICT = "conflict"  # both changed it differently: the user chooses
MISSING = object()


@dataclass
class FieldMerge:
    name: str
    base: Any
    theirs: Any
    mine: Any
    outcome: str


@dataclass
class Merge:
    values: dict[str, Any]
    changes: list[FieldMerge] = field(default_factory=list)

    @property
    def conflicts(self) -> dict[str, FieldMerge]:
        return {change.name: change for change in self.changes if change.outcome == CONFLICT}


def merge(base: dict | None, theirs: dict, mine: dict) -> Merge:
    """Merge the user's edit (``mine``) with what someone else saved
    (``theirs``) since the user loaded ``base``. Pure: values in, values out.

    A field the user did not change takes their value; a field they did not
    change keeps the user's; a field both changed keeps the user's value and is
    a conflict to decide. Without a base (no history), every difference is a
    conflict. ``changes`` lists every field the other person changed."""
    values: dict[str, Any] = {}
    changes: list[FieldMerge] = []
    for name, my_value in mine.items():
        their_value = theirs.get(name, my_value)
        base_value = MISSING if base is None else base.get(name, MISSING)
        they_changed = base_value is MISSING or their_value != base_value
        if not they_changed:
            values[name] = my_value
            continue
        if my_value == their_value:
            values[name] = my_value
            if base_value is not MISSING:
                changes.append(FieldMerge(name, base_value, their_value, my_value, SAME))
        elif base_value is not MISSING and my_value == base_value:
            values[name] = their_value
            changes.append(FieldMerge(name, base_value, their_value, my_value, TAKEN))
        else:
            values[name] = my_value
            shown_base = None if base_value is MISSING else base_value
            changes.append(FieldMerge(name, shown_base, their_value, my_value, CONFLICT))
    return Merge(values, changes)


def chosen_theirs(post) -> set[str]:
    """The fields where the user chose "Använd deras" after a conflict."""
    return {
        key.removeprefix(CHOICE_PREFIX)
        for key, value in post.items()
        if key.startswith(CHOICE_PREFIX) and value == USE_THEIRS
    }


# --- The history at a version ------------------------------------------------------


def version_record(history, version_field: str, version: int):
    """The last history row (of the ``history`` queryset: one object's rows)
    that has ``version``: the object as it stood at that version, and when it
    stood so. None when the history does not have it."""
    return (
        history.filter(**{version_field: version}).order_by("-history_date", "-history_id").first()
    )


def rows_as_of(history, key: str, when: datetime) -> dict[Any, Any]:
    """The rows of ``history`` (a history queryset, filtered to the rows of
    interest) as they stood at ``when``, by their ``key`` field: the last
    history row of each at or before ``when``, the deleted ones left out. One
    query. A form's rows (AgreedPlace, Decision, PhaseDeadline) are written
    before the row that carries their version, so the version's row's time
    sees them all."""
    latest: dict[Any, Any] = {}
    for record in history.filter(history_date__lte=when).order_by("history_date", "history_id"):
        latest[getattr(record, key)] = record
    return {k: record for k, record in latest.items() if record.history_type != "-"}


def saved_by(history, version_field: str, version: int) -> tuple[Any, datetime | None]:
    """Who saved ``version`` and when: its first history row (the save that
    made it), with its user."""
    record = (
        history.filter(**{version_field: version})
        .select_related("history_user")
        .order_by("history_date", "history_id")
        .first()
    )
    if record is None:
        return None, None
    return record.history_user, record.history_date


# --- The round's settings ---------------------------------------------------------


def deadline_name(phase: int) -> str:
    """A phase's deadline field in the settings form."""
    return f"deadline_{int(phase)}"


def settings_values(round: Round, names, deadlines: dict[int, Any]) -> dict[str, Any]:
    """The settings form's values: the round's (or a history row's) fields
    ``names`` and the deadlines (phase → date)."""
    values = {name: getattr(round, name) for name in names if not name.startswith("deadline_")}
    for name in names:
        if name.startswith("deadline_"):
            values[name] = deadlines.get(int(name.removeprefix("deadline_")))
    return values


def current_settings(round: Round, names) -> dict[str, Any]:
    deadlines = {item.phase: item.deadline for item in PhaseDeadline.objects.filter(round=round)}
    return settings_values(round, names, deadlines)


def settings_at_version(round: Round, version: int, names) -> dict[str, Any] | None:
    """The settings and deadlines when the round's settings were at
    ``version``, or None when the history does not have it."""
    record = version_record(Round.history.filter(id=round.pk), "settings_version", version)
    if record is None:
        return None
    rows = rows_as_of(PhaseDeadline.history.filter(round_id=round.pk), "phase", record.history_date)
    return settings_values(record, names, {phase: row.deadline for phase, row in rows.items()})


def last_saves(history, key: str, after: datetime | None) -> dict[Any, Any]:
    """The last history row (with its user) of each ``key`` saved after
    ``after`` (all, when None): who saved each row of a table since a form
    was loaded, and when. One query."""
    if after is not None:
        history = history.filter(history_date__gt=after)
    latest: dict[Any, Any] = {}
    for record in history.select_related("history_user").order_by("history_date", "history_id"):
        latest[getattr(record, key)] = record
    return latest


def with_their_values(post, names, at_version, as_data=None):
    """The posted form, with the colleague's value for each field of ``names``
    where the user chose "Använd deras" after a conflict: the value the user
    was shown, ``at_version(version)`` of the version the merged form carries
    (None when unknown: the post as it is). ``as_data(value)`` writes a value
    as the browser posts it (None: not posted at all, an unticked box)."""
    chosen = [name for name in names if name in chosen_theirs(post)]
    if not chosen:
        return post
    try:
        version = parse_int(post.get("version", ""), minimum=1)
    except ValidationError:
        return post
    values = at_version(version)
    if values is None:
        return post
    as_data = as_data or _as_data
    data = post.copy()
    for name in chosen:
        if name not in values:
            continue
        value = as_data(values[name])
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _as_data(value) -> str:
    return "" if value is None else str(value)
