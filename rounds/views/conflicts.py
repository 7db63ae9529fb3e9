"""A whole form saved from an older version, as its page shows it: the
changes the colleague made since the form was loaded, grouped (one group per
row of a table: a proposal's place, its decision), with who saved last and
when, and a "keep mine / use theirs" choice where both changed a field
(``templates/includes/form_conflict.html``). The merge itself is
:func:`rounds.conflicts.merge`; the pages answer 409, write nothing and put
the merged values and the current version in the form."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from prioritering.history import Shown
from rounds.conflicts import CHOICE_PREFIX, CONFLICT, SAME, TAKEN, Merge

OUTCOMES = {
    TAKEN: gettext_lazy("Deras värde används: du hade inte ändrat fältet."),
    SAME: gettext_lazy("Ni ändrade till samma värde."),
    CONFLICT: gettext_lazy("Ni har båda ändrat: välj nedan vilket värde som ska sparas."),
}


@dataclass
class Change:
    name: str  # the form field's name
    label: str
    anchor: str  # the id of its input
    base: Shown  # when the user loaded the form
    theirs: Shown  # saved now
    mine: Shown  # what the user sent
    outcome: str

    @property
    def outcome_text(self) -> str:
        return str(OUTCOMES[self.outcome])

    @property
    def is_conflict(self) -> bool:
        return self.outcome == CONFLICT

    @property
    def choice_name(self) -> str:
        return f"{CHOICE_PREFIX}{self.name}"


@dataclass
class ChangeGroup:
    """The changes of one row (or of the whole form: no title)."""

    title: str
    who: Any = None
    when: datetime | None = None
    anchor: str = ""
    changes: list[Change] = field(default_factory=list)


def changes_of(
    result: Merge,
    *,
    label: Callable[[str], str],
    anchor: Callable[[str], str],
    text: Callable[[str, Any], str],
    names=None,
) -> list[Change]:
    """The merge's changes (of the fields ``names``, all by default) as the
    page shows them; ``text(name, value)`` words a value."""
    return [
        Change(
            name=change.name,
            label=label(change.name),
            anchor=anchor(change.name),
            base=Shown(text(change.name, change.base)),
            theirs=Shown(text(change.name, change.theirs)),
            mine=Shown(text(change.name, change.mine)),
            outcome=change.outcome,
        )
        for change in result.changes
        if names is None or change.name in names
    ]


def conflict_context(heading: str, groups: list[ChangeGroup]) -> dict:
    """What the conflict's part of a page shows: the groups that have changes."""
    groups = [group for group in groups if group.changes]
    conflicts = sum(1 for group in groups for change in group.changes if change.is_conflict)
    return {"heading": heading, "groups": groups, "conflicts": conflicts}
