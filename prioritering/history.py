"""The history as people read it, in one place: ``prioritering.audit`` writes
the audited models' django-simple-history rows (who, when, what), and this
module reads them back for every page and document that shows them.

- A proposal's history: who changed which field, from what to what, and
  when — in words (scale words, list items by name, tkr), not in the
  integers and ids simple-history stores. One save is one entry: a save
  writes a history row, and changing the politiska mål writes another one
  with the same version (simple-history records many-to-many changes as rows
  of their own); both are read as one change. Also the snapshots the merge
  of two people's edits compares: a proposal's values now, and at the
  version someone loaded.
- A follow-up report's history: every save with what changed.
- A proposal's genomförande (verksamhetsplan, budget, internkontrollplan):
  every save with what changed.
- A forumdeltagare's earlier ranks, shown beside their sheet.
- The forum's outcome: the agreed order, the decisions, the review, the
  publication and the rättelser after it.
- A round's forum members: who was named, changed and removed.

Queries are bounded whatever the history's length (each reader says how many).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import get_m2m_reverse_field_name

from followup.models import FollowUpReport, Implementation
from prioritering.templatetags.formatting import tkr
from ranking.models import (
    AgreedPlace,
    Decision,
    DecisionCorrection,
    ForumMember,
    ForumRank,
    ForumResult,
    Outcome,
)
from ranking.models.forum_member import represents
from rounds.models import ListItem, Proposal, ProposalType, Round, User
from rounds.models.proposal import reference_for, split_types
from rounds.proposal_fields import COST_FIELDS, PROPOSAL_FIELDS, RANGE_FIELDS

LIST_ITEM_FIELDS = {"verksamhetsomrade", "fokusomrade", "perspektiv", "orsak", "effekt_pa_sikt"}
MONEY_FIELDS = {*COST_FIELDS, *RANGE_FIELDS}
LONG_TEXT_FIELDS = {
    "situation",
    "atgard",
    "jamforelsealternativ",
    "konsekvensanalys",
    "kommentar",
    "etik_kommentar",
    "withdrawn_reason",
}
# What the history shows: the proposal's own fields and its withdrawal. The
# version, numbers and links are bookkeeping, and who withdrew is the entry's "who".
HISTORY_FIELDS = (*PROPOSAL_FIELDS, "withdrawn_at", "withdrawn_reason")
SHORT_TEXT = 120
EMPTY = "–"


def label(name: str) -> str:
    """The field's name as the form asks for it ("Kostnad år 1 (tkr)")."""
    return capfirst(Proposal._meta.get_field(name).verbose_name)


def shown_label(name: str) -> str:
    """The field's name beside a value shown with its unit: "Kostnad år 1"
    beside "1 200 tkr", not "Kostnad år 1 (tkr): 1 200 tkr"."""
    text = str(label(name))
    return re.sub(r"\s*\([^()]*\)$", "", text) if name in MONEY_FIELDS else text


# --- Snapshots -----------------------------------------------------------------


def _plain_values(obj, names) -> dict[str, Any]:
    """Field values of a proposal or of one of its history rows, ids for list items."""
    return {
        name: getattr(obj, Proposal._meta.get_field(name).attname)
        for name in names
        if name != "mal"
    }


def current_values(proposal: Proposal, names) -> dict[str, Any]:
    """The proposal's values as saved now (reads the goals)."""
    values = _plain_values(proposal, names)
    if "mal" in names:
        values["mal"] = frozenset(item.pk for item in proposal.mal.all())
    return values


def _goals_of_records(history_ids) -> dict[int, frozenset]:
    through = Proposal.history.model.mal.model
    target = get_m2m_reverse_field_name(Proposal._meta.get_field("mal"))
    goals: dict[int, set] = {history_id: set() for history_id in history_ids}
    for history_id, item_id in through.objects.filter(history_id__in=history_ids).values_list(
        "history_id", f"{target}_id"
    ):
        goals[history_id].add(item_id)
    return {history_id: frozenset(ids) for history_id, ids in goals.items()}


def values_at_version(proposal: Proposal, version: int, names) -> dict[str, Any] | None:
    """The proposal's values when it was at ``version`` (its last history row
    with that version), or None when the history does not have it."""
    record = (
        Proposal.history.filter(id=proposal.pk, version=version)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return None
    values = _plain_values(record, names)
    if "mal" in names:
        values["mal"] = _goals_of_records([record.history_id])[record.history_id]
    return values


# --- Words for values ----------------------------------------------------------


def list_item_names(round_id: int) -> dict[int, str]:
    """The names of the round's list items: one query, lists are short."""
    return dict(ListItem.objects.filter(round_id=round_id).values_list("pk", "name"))


def display(name: str, value: Any, names: dict[int, str]) -> str:
    """``value`` of field ``name`` as the page shows it."""
    if name == "mal":
        shown = sorted(names.get(pk, f"#{pk}") for pk in value or ())
        return ", ".join(shown) if shown else EMPTY
    if value is None or value == "":
        return EMPTY
    if name == "also_types":
        return " / ".join(str(ProposalType(typ).label) for typ in split_types(value)) or EMPTY
    if name in LIST_ITEM_FIELDS:
        return names.get(value, f"#{value}")
    if name in MONEY_FIELDS:
        return tkr(value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    model_field = Proposal._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


@dataclass
class Shown:
    """A value in words; a long text also in short."""

    text: str

    @property
    def short(self) -> str:
        return Truncator(self.text).chars(SHORT_TEXT)

    @property
    def is_long(self) -> bool:
        return self.short != self.text


def shown(name: str, value: Any, names: dict[int, str]) -> Shown:
    return Shown(display(name, value, names))


# --- A proposal's history ---------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    label: str
    old: Shown
    new: Shown


@dataclass
class HistoryEntry:
    when: datetime
    who: User | None
    created: bool
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _groups(records):
    """Rows of one save: a row that only records changed goals (same version,
    no other user) belongs to the save before it."""
    groups: list[list] = []
    for record in records:
        if groups:
            previous = groups[-1]
            same_save = (
                record.version == previous[-1].version
                and record.history_type == "~"
                and record.history_user_id in (None, previous[0].history_user_id)
            )
            if same_save:
                previous.append(record)
                continue
        groups.append([record])
    return groups


def proposal_history(proposal: Proposal, names: dict[int, str] | None = None) -> list[HistoryEntry]:
    """Every change of the proposal, newest first. ``names``: the round's list
    items (:func:`list_item_names`), if the caller has them already."""
    records = list(
        Proposal.history.filter(id=proposal.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    goals = _goals_of_records([record.history_id for record in records])
    if names is None:
        names = list_item_names(proposal.round_id)
    plain_fields = [name for name in HISTORY_FIELDS if name != "mal"]
    order = {name: position for position, name in enumerate(HISTORY_FIELDS)}
    entries: list[HistoryEntry] = []
    previous = None
    for group in _groups(records):
        first, last = group[0], group[-1]
        changes: list[FieldChange] = []
        if previous is not None:
            delta = last.diff_against(previous, included_fields=plain_fields)
            pairs = [(change.field, change.old, change.new) for change in delta.changes]
            if goals[last.history_id] != goals[previous.history_id]:
                pairs.append(("mal", goals[previous.history_id], goals[last.history_id]))
            pairs.sort(key=lambda pair: order[pair[0]])
            changes = [
                FieldChange(
                    name, shown_label(name), shown(name, old, names), shown(name, new, names)
                )
                for name, old, new in pairs
            ]
        created = previous is None and first.history_type == "+"
        previous = last
        if not changes and not created:
            continue
        who = next((r.history_user for r in group if r.history_user_id), None)
        reasons = [r.history_change_reason for r in group if r.history_change_reason]
        entries.append(
            HistoryEntry(
                when=first.history_date,
                who=who,
                created=created,
                reason=reasons[0] if reasons else "",
                changes=changes,
            )
        )
    entries.reverse()
    return entries


# --- A follow-up report's history --------------------------------------------

# What the history shows: the author's fields and the workflow's state and comment.
REPORT_HISTORY_FIELDS = (
    "state",
    "progress",
    "cost_outcome_tkr",
    "effect_achieved",
    "effect_text",
    "deviation",
    "measures",
    "return_comment",
)
REPORT_REASONS = {
    "Skapad": gettext_lazy("Skapade rapporten."),
    "Inlämnad": gettext_lazy("Lämnade in rapporten."),
    "Återlämnad": gettext_lazy("Återlämnade rapporten."),
}


def report_label(name: str) -> str:
    return capfirst(FollowUpReport._meta.get_field(name).verbose_name)


def report_display(name: str, value) -> str:
    """A report field's value as the page shows it."""
    if value is None or value == "":
        return EMPTY
    if name == "cost_outcome_tkr":
        return tkr(value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    model_field = FollowUpReport._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def report_history(report: FollowUpReport) -> list[HistoryEntry]:
    """Every save of the report, newest first, with what changed (one query)."""
    records = list(
        report.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=list(REPORT_HISTORY_FIELDS))
            order = {name: position for position, name in enumerate(REPORT_HISTORY_FIELDS)}
            changes = [
                FieldChange(
                    change.field,
                    report_label(change.field),
                    Shown(report_display(change.field, change.old)),
                    Shown(report_display(change.field, change.new)),
                )
                for change in sorted(delta.changes, key=lambda c: order[c.field])
            ]
        created = previous is None and record.history_type == "+"
        previous = record
        reason = record.history_change_reason or ""
        if not changes and not created and not reason:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                created=created,
                reason=str(REPORT_REASONS.get(reason, reason)),
                changes=changes,
            )
        )
    entries.reverse()
    return entries


# --- A proposal's genomförande ---------------------------------------------------

IMPLEMENTATION_HISTORY_FIELDS = (
    "vp_date",
    "vp_reference",
    "budget_date",
    "budget_reference",
    "ikp_date",
    "ikp_reference",
    "comment",
)
IMPLEMENTATION_REASONS = {
    "Registrerat": gettext_lazy("Registrerade genomförandet."),
    "Ändrat": gettext_lazy("Ändrade genomförandet."),
}


def implementation_display(value) -> str:
    """A genomförande field's value as the page shows it: dates in words."""
    if value is None or value == "":
        return EMPTY
    if hasattr(value, "isoformat") and not isinstance(value, datetime):
        return date_format(value, "j F Y")
    return str(value)


def implementation_history(implementation: Implementation) -> list[HistoryEntry]:
    """Every save of the genomförande, newest first, with what changed (one
    query)."""
    records = list(
        implementation.history.select_related("history_user").order_by("history_date", "history_id")
    )
    order = {name: position for position, name in enumerate(IMPLEMENTATION_HISTORY_FIELDS)}
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(
                previous, included_fields=list(IMPLEMENTATION_HISTORY_FIELDS)
            )
            changes = [
                FieldChange(
                    change.field,
                    capfirst(Implementation._meta.get_field(change.field).verbose_name),
                    Shown(implementation_display(change.old)),
                    Shown(implementation_display(change.new)),
                )
                for change in sorted(delta.changes, key=lambda c: order[c.field])
            ]
        created = previous is None and record.history_type == "+"
        previous = record
        reason = record.history_change_reason or ""
        if not changes and not created:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                created=created,
                reason=str(IMPLEMENTATION_REASONS.get(reason, reason)),
                changes=changes,
            )
        )
    entries.reverse()
    return entries


# --- A forumdeltagare's earlier ranks ----------------------------------------


@dataclass(frozen=True)
class RankEntry:
    """One of the member's earlier ranks of a proposal (None: removed)."""

    rank: int | None
    at: object  # datetime


def forum_rank_history(round: Round, member: User) -> dict[int, list[RankEntry]]:
    """The member's own earlier ranks in the round, newest first, by proposal
    id: every change of rank and every removal (a change of order only is
    left out). One query, whatever the number of proposals."""
    history: dict[int, list[RankEntry]] = {}
    for proposal_id, rank, kind, at in (
        ForumRank.history.filter(round_id=round.pk, member_id=member.pk)
        .order_by("history_date", "history_id")
        .values_list("proposal_id", "rank", "history_type", "history_date")
    ):
        entries = history.setdefault(proposal_id, [])
        rank = None if kind == "-" else rank
        if not entries or entries[-1].rank != rank:
            entries.append(RankEntry(rank, at))
    for entries in history.values():
        entries.reverse()
    return history


# --- The forum's outcome -----------------------------------------------------


@dataclass(frozen=True)
class OutcomeEntry:
    when: object
    who: object
    what: str


def outcome_history(round: Round, limit: int = 200) -> list[OutcomeEntry]:
    """The latest changes to the agreed order, the decisions, the review, the
    publication and the rättelser after it, newest first (four queries)."""

    def reference(h):
        # The proposal's reference without a query per row (Proposal.reference).
        return reference_for(round.budget_year, h.proposal.number)

    outcomes = dict(Outcome.choices)
    entries: list[OutcomeEntry] = []
    for h in (
        Decision.history.filter(round_id=round.pk, namnd_result__isnull=True)
        .select_related("history_user", "proposal")
        .order_by("-history_date")[:limit]
    ):
        if h.history_type == "-":
            what = _("Beslutet om %(reference)s togs bort.") % {"reference": reference(h)}
        else:
            what = _(
                "Beslut om %(reference)s: %(outcome)s%(amount)s. Motivering: %(motivation)s"
            ) % {
                "reference": reference(h),
                "outcome": outcomes.get(h.outcome, h.outcome),
                "amount": f" ({h.amount_tkr} tkr)" if h.amount_tkr is not None else "",
                "motivation": h.motivation,
            }
        entries.append(OutcomeEntry(h.history_date, h.history_user, what))
    for h in (
        AgreedPlace.history.filter(proposal__round_id=round.pk)
        .select_related("history_user", "proposal")
        .order_by("-history_date")[:limit]
    ):
        if h.history_type == "-":
            what = _("%(reference)s togs bort ur forumets ordning.") % {"reference": reference(h)}
        else:
            what = _("%(reference)s fick plats %(place)s (sammanvägd: %(computed)s).") % {
                "reference": reference(h),
                "place": h.position,
                "computed": h.computed_position,
            }
            if h.motivation:
                what += " " + _("Motivering: %(motivation)s") % {"motivation": h.motivation}
        entries.append(OutcomeEntry(h.history_date, h.history_user, what))
    for h in (
        DecisionCorrection.history.filter(decision__round_id=round.pk, history_type="+")
        .select_related("history_user", "decision__proposal")
        .order_by("-history_date")[:limit]
    ):
        what = _(
            "Rättelse av beslutet om %(reference)s: nu %(outcome)s%(amount)s. Skäl: %(reason)s"
        ) % {
            "reference": reference_for(round.budget_year, h.decision.proposal.number),
            "outcome": outcomes.get(h.outcome, h.outcome),
            "amount": f" ({tkr(h.amount_tkr)})" if h.amount_tkr is not None else "",
            "reason": h.reason,
        }
        entries.append(OutcomeEntry(h.history_date, h.history_user, what))
    for h in (
        ForumResult.history.filter(round_id=round.pk, history_type="~")
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    ):
        entries.append(OutcomeEntry(h.history_date, h.history_user, h.history_change_reason or ""))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


# --- The round's forum members ---------------------------------------------


def forum_member_history(round: Round, limit: int = 100) -> list[OutcomeEntry]:
    """Who named, changed and removed the round's forum members, newest first
    (one query)."""
    entries: list[OutcomeEntry] = []
    for h in (
        ForumMember.history.filter(round_id=round.pk)
        .select_related("history_user", "user", "namnd", "forvaltning")
        .order_by("-history_date", "-history_id")[:limit]
    ):
        values = {
            "name": (h.user.get_full_name() or h.user.username) if h.user else "–",
            "represents": represents(h),
        }
        if h.history_type == "+":
            what = _("%(name)s utsågs till forumet och representerar %(represents)s.") % values
        elif h.history_type == "-":
            what = _("%(name)s togs bort ur forumet.") % values
        else:
            what = _("%(name)s representerar nu %(represents)s.") % values
        if h.history_change_reason and h.history_type == "+" and not h.history_user:
            what += f" ({h.history_change_reason})"
        entries.append(OutcomeEntry(h.history_date, h.history_user, what))
    return entries
