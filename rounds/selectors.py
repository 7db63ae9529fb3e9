"""Queries of the rounds app that outgrew their views.

The proposal list: what the user may read, filtered, sorted by any column,
with the cost totals of everything that matches (not only the page shown). A
fixed number of queries whatever the number of proposals: the rows come with
what they show (select_related), the totals in one aggregate.
"""

import re
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext

from prioritering.access import visible_proposals
from rounds.models import AnalysisStatus, Proposal, ProposalType, Round

# The list's status filter: an analysis status, or this for the withdrawn proposals.
STATUS_WITHDRAWN = "aterkallat"
REFERENCE = re.compile(r"^(?:([0-9]{4})-)?0*([0-9]{1,6})$")


# Sorting by typ or status sorts by the words shown, in the current language.
def _typ_label():
    return Case(
        *(When(typ=value, then=Value(str(label))) for value, label in ProposalType.choices),
        default=Value(""),
        output_field=CharField(),
    )


def _status_label():
    return Case(
        When(withdrawn_at__isnull=False, then=Value(gettext("Återkallat"))),
        *(
            When(analysis__status=value, then=Value(str(label)))
            for value, label in AnalysisStatus.choices
        ),
        default=Value(""),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sort: object  # a field name or an expression
    numeric: bool = False


# Where a long Swedish column title may break (soft hyphen), so the table fits.
SOFT_BREAKS = {
    "Svårighetsgrad": "Svårighets\u00adgrad",
    "Kostnadseffektivitet": "Kostnads\u00adeffektivitet",
    "Rangordning": "Rang\u00adordning",
}


def _title(text: str) -> str:
    return SOFT_BREAKS.get(text, text)


def columns() -> list[Column]:
    """The list's columns, in order; ``key`` is the value of ``?ordning=``."""
    return [
        Column("nummer", gettext("Nr"), "number"),
        Column("rubrik", gettext("Rubrik"), "title"),
        Column("forvaltning", gettext("Förvaltning"), "analysis__forvaltning__name"),
        Column("typ", gettext("Typ"), _typ_label()),
        Column("svarighetsgrad", _title(gettext("Svårighetsgrad")), "svarighetsgrad"),
        Column("nytta", gettext("Nytta"), "nytta"),
        Column(
            "kostnadseffektivitet",
            _title(gettext("Kostnadseffektivitet")),
            "kostnadseffektivitet",
        ),
        Column("rangordning", _title(gettext("Rangordning")), "rangordning", numeric=True),
        Column("ar1", gettext("År 1"), "cost_year1", numeric=True),
        Column("ar2", gettext("År 2"), "cost_year2", numeric=True),
        Column("ar3", gettext("År 3"), "cost_year3", numeric=True),
        Column("ar4_10", gettext("År 4–10"), "cost_years4_10", numeric=True),
        Column("status", gettext("Status"), _status_label()),
    ]


DEFAULT_ORDER = "nummer"


@dataclass(frozen=True)
class ColumnSet:
    """A choice of the list's columns (``?kolumner=``): all thirteen do not fit
    a 1280 px window, so the list shows those of one task at a time."""

    key: str
    label: str
    keys: tuple[str, ...]
    wide: bool = False  # wider than the window: scrolls in its own box

    @property
    def forvaltning_under_title(self) -> bool:
        """Without a column of its own the förvaltning stands under the title."""
        return "forvaltning" not in self.keys


def column_sets() -> list[ColumnSet]:
    """The column choices, the default first. "Alla kolumner" is the wide
    table (it scrolls in its own box) for those who compare everything."""
    every = tuple(column.key for column in columns())
    return [
        ColumnSet(
            "bedomning",
            gettext("Bedömning"),
            (
                "nummer",
                "rubrik",
                "typ",
                "svarighetsgrad",
                "nytta",
                "kostnadseffektivitet",
                "rangordning",
                "ar1",
                "status",
            ),
        ),
        ColumnSet(
            "kostnader",
            gettext("Kostnader per år"),
            ("nummer", "rubrik", "typ", "ar1", "ar2", "ar3", "ar4_10", "status"),
        ),
        ColumnSet("alla", gettext("Alla kolumner"), every, wide=True),
    ]


def column_set(key: str | None) -> ColumnSet:
    """The column choice named ``key``; the default for anything else."""
    sets = column_sets()
    return next((choice for choice in sets if choice.key == key), sets[0])


def parse_order(value: str | None, known: set[str]) -> tuple[str, bool]:
    """``"-ar1"`` → ("ar1", True). Unknown columns sort by number."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in known:
        return DEFAULT_ORDER, False
    return key, descending


def proposal_list(user, round: Round, filters: dict, order: str | None) -> tuple[QuerySet, str]:
    """The proposals of ``round`` the user may read, filtered and sorted.
    Returns the queryset and the ordering used (``"col"`` or ``"-col"``)."""
    proposals = visible_proposals(user, Proposal.objects.filter(round=round)).select_related(
        "round", "analysis__forvaltning"
    )
    proposals = filter_proposals(proposals, filters)
    by_key = {column.key: column for column in columns()}
    key, descending = parse_order(order, set(by_key))
    sort = by_key[key].sort
    expression = F(sort) if isinstance(sort, str) else sort
    expression = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    tie_break = "-number" if descending and key == DEFAULT_ORDER else "number"
    proposals = proposals.order_by(expression, tie_break)
    return proposals, ("-" if descending else "") + key


def filter_proposals(proposals: QuerySet, filters: dict) -> QuerySet:
    if namnd := filters.get("namnd"):
        proposals = proposals.filter(analysis__forvaltning__namnd=namnd)
    if forvaltning := filters.get("forvaltning"):
        proposals = proposals.filter(analysis__forvaltning=forvaltning)
    if typ := filters.get("typ"):
        # The main type or one it combines (codes are no part of one another)
        proposals = proposals.filter(Q(typ=typ) | Q(also_types__contains=typ))
    if malomrade := filters.get("malomrade"):
        proposals = proposals.filter(malomrade=malomrade)
    status = filters.get("status")
    if status == STATUS_WITHDRAWN:
        proposals = proposals.filter(withdrawn_at__isnull=False)
    elif status:
        proposals = proposals.filter(withdrawn_at__isnull=True, analysis__status=status)
    if query := (filters.get("q") or "").strip():
        matches = (
            Q(title__icontains=query) | Q(situation__icontains=query) | Q(atgard__icontains=query)
        )
        reference = REFERENCE.match(query)
        if reference:
            year, number = reference.groups()
            by_number = Q(number=int(number))
            if year:
                by_number &= Q(round__budget_year=int(year))
            matches |= by_number
        proposals = proposals.filter(matches)
    return proposals


COST_TOTALS = {
    "ar1": "cost_year1",
    "ar2": "cost_year2",
    "ar3": "cost_year3",
    "ar4_10": "cost_years4_10",
}


def cost_totals(proposals: QuerySet) -> dict[str, int]:
    """The sum of each cost year over every proposal in ``proposals``, and
    their ``count``: one query."""
    sums = proposals.order_by().aggregate(
        count=Count("pk"), **{key: Sum(field) for key, field in COST_TOTALS.items()}
    )
    return {key: value or 0 for key, value in sums.items()}
