"""The sammanställning av verksamhetsanalyser: every förvaltning's analysis
items of a round side by side, perspektiv × column, as one reader may see them.

The page and its Excel export read the same :class:`Synthesis`, so both show
the same items under the same filters. Only the analyses the reader may read
are in it — decided per analysis by the ``view_analysis`` rule itself, so a
förvaltning's draft stays within that förvaltning (and the controller), and a
returned analysis reaches its nämnd's ledamöter too, exactly as the grid.

Three queries whatever the number of items or förvaltningar: the round's
analyses (with förvaltning and nämnd), its perspektiv, and the items with
their proposal joined in.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from prioritering.access import may
from rounds.models import Analysis, AnalysisColumn, AnalysisItem, ListItem, ListKind, Round
from rounds.models.proposal import reference_for


@dataclass
class Group:
    """One förvaltning's items in one cell, in the grid's order."""

    analysis: Analysis
    items: list[AnalysisItem]


@dataclass
class Cell:
    column: AnalysisColumn
    groups: list[Group]


@dataclass
class Row:
    perspektiv: ListItem
    cells: list[Cell]


@dataclass
class Synthesis:
    round: Round
    analyses: list[Analysis]  # those the reader may read, by nämnd and förvaltning
    perspektiv: list[ListItem]  # the round's, in the grid's order
    rows: list[Row]  # the perspektiv chosen, each with its four cells
    items: list[AnalysisItem]  # every item shown, in the order of the rows
    hidden_count: int  # analyses of the round the reader may not read

    @property
    def forvaltning_count(self) -> int:
        return len({item.analysis_id for item in self.items})


def readable_analyses(user, round: Round) -> tuple[list[Analysis], int]:
    """The round's analyses ``user`` may read (by nämnd, then förvaltning),
    and how many others there are."""
    analyses = list(
        Analysis.objects.filter(round=round)
        .select_related("forvaltning__namnd")
        .order_by("forvaltning__namnd__name", "forvaltning__name")
    )
    readable = [analysis for analysis in analyses if may(user, "view_analysis", analysis)]
    return readable, len(analyses) - len(readable)


def round_perspektiv(round: Round) -> list[ListItem]:
    return list(ListItem.objects.filter(round_id=round.pk, kind=ListKind.PERSPEKTIV))


def synthesis(
    user,
    round: Round,
    *,
    forvaltning_ids: Iterable[int] = (),
    perspektiv_id: int | None = None,
    analyses: tuple[list[Analysis], int] | None = None,
    perspektiv: list[ListItem] | None = None,
) -> Synthesis:
    """The sammanställning for ``user``: the items of the analyses they may
    read, of the förvaltningar in ``forvaltning_ids`` (all when empty) and
    the perspektiv ``perspektiv_id`` (all when None). ``analyses`` and
    ``perspektiv`` may be given when the caller has read them already
    (:func:`readable_analyses`, :func:`round_perspektiv`)."""
    readable, hidden = analyses if analyses is not None else readable_analyses(user, round)
    perspektiv = perspektiv if perspektiv is not None else round_perspektiv(round)
    wanted = set(forvaltning_ids)
    chosen = [a for a in readable if not wanted or a.forvaltning_id in wanted]
    rows_of = [p for p in perspektiv if perspektiv_id is None or p.pk == perspektiv_id]
    by_pk = {analysis.pk: analysis for analysis in chosen}
    order = {analysis.pk: index for index, analysis in enumerate(chosen)}
    items = []
    if chosen and rows_of:
        items = list(
            AnalysisItem.objects.filter(
                analysis_id__in=list(by_pk), perspektiv_id__in=[p.pk for p in rows_of]
            )
            .select_related("proposal")
            .order_by("column", "position", "pk")
        )
    cells: dict[tuple[int, int], dict[int, list[AnalysisItem]]] = {}
    for item in items:
        item.analysis = by_pk[item.analysis_id]  # read once above, not per item
        proposal = getattr(item, "proposal", None)
        item.proposal_reference = (
            reference_for(round.budget_year, proposal.number) if proposal else ""
        )
        cell = cells.setdefault((item.perspektiv_id, item.column), {})
        cell.setdefault(item.analysis_id, []).append(item)
    rows = []
    shown = []
    for row_perspektiv in rows_of:
        row_cells = []
        for column in AnalysisColumn:
            groups_of = cells.get((row_perspektiv.pk, int(column)), {})
            groups = [
                Group(by_pk[pk], groups_of[pk]) for pk in sorted(groups_of, key=order.__getitem__)
            ]
            for group in groups:
                shown.extend(group.items)
            row_cells.append(Cell(column, groups))
        rows.append(Row(row_perspektiv, row_cells))
    return Synthesis(
        round=round,
        analyses=readable,
        perspektiv=perspektiv,
        rows=rows,
        items=shown,
        hidden_count=hidden,
    )
