"""One förvaltning's verksamhetsanalys as a document: the PDF (a title block
with the perspektiv × column grid, the list of its proposals, then each
proposal's page) and the Excel in the source's grid (one item per line inside
a cell, as the importer reads it back).
"""

import re
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.markup import (
    Column,
    Header,
    colgroup_of,
    document,
    escape,
    fragment,
    labels,
    long_date,
    sliced,
    table_row,
    thead_of,
)
from documents.pdf import Layout, Part
from documents.spreadsheet import LABEL, WRAP, Book, Counter, Progress, neutralise
from documents.spreadsheet import Column as SheetColumn
from prioritering.history import EMPTY
from prioritering.templatetags.formatting import tkr
from rounds.documents.pages import (
    LIST_ROWS_PER_PART,
    PROPOSALS_PER_PART,
    Assessment,
    Field,
    page_parts,
    proposal_cell,
)
from rounds.models import (
    Analysis,
    AnalysisColumn,
    AnalysisItem,
    Grad,
    Kostnadseffektivitet,
    ListItem,
    ListKind,
    Proposal,
    ProposalType,
    Svarighetsgrad,
)
from rounds.models.proposal import types_text

# --- the PDF ----------------------------------------------------------------------------


def analysis_document(analysis: Analysis, *, per_part: int = PROPOSALS_PER_PART) -> Layout:
    """One förvaltning's verksamhetsanalys: a title block and the perspektiv ×
    column grid, the list of its proposals, then each proposal's page."""
    round = analysis.round
    kommun = round.kommun.name
    forvaltning = analysis.forvaltning
    perspektiv = list(ListItem.objects.filter(round_id=round.pk, kind=ListKind.PERSPEKTIV))
    by_cell: dict[tuple[int, int], list[str]] = {}
    for perspektiv_id, column, text in (
        AnalysisItem.objects.filter(analysis=analysis)
        .order_by("position", "pk")
        .values_list("perspektiv_id", "column", "text")
    ):
        by_cell.setdefault((perspektiv_id, column), []).append(text)
    grid = [
        {
            "perspektiv": item.name,
            "cells": [by_cell.get((item.pk, column), []) for column in AnalysisColumn.values],
        }
        for item in perspektiv
    ]
    proposals = list(
        Proposal.objects.filter(analysis=analysis)
        .select_related("round", "analysis__forvaltning__namnd")
        .prefetch_related("mal")
        .order_by("number")
    )
    header = Header(
        kommun,
        _("Verksamhetsanalys %(year)s, %(forvaltning)s")
        % {"year": round.budget_year, "forvaltning": forvaltning.name},
    )
    part = {"title": header.right, "header": header}
    first = fragment(
        "rounds/documents/analysis.html",
        {
            "round_name": str(round),
            "forvaltning": forvaltning,
            "namnd": forvaltning.namnd,
            "today": long_date(timezone.localdate()),
            "status": analysis.get_status_display(),
            "submitted": long_date(analysis.submitted_at),
            "columns": [str(name) for name in AnalysisColumn.labels],
            "grid": grid,
            "count": len(proposals),
        },
    )
    parts = [Part(document(first, sheet="tables", **part))]
    parts += _analysis_list_parts(proposals, **part)
    assessment = Assessment(round)
    pages = []
    for proposal in proposals:
        page = assessment.page(proposal)
        if proposal.is_withdrawn:
            page.ranking = [
                Field(_("Återkallat"), long_date(proposal.withdrawn_at)),
                Field(_("Skäl"), proposal.withdrawn_reason or EMPTY, True),
            ]
        pages.append(page)
    parts += page_parts(pages, per_part, **part)
    return Layout(parts=parts)


def _analysis_list_parts(proposals, *, title, header) -> list[Part]:
    typ = labels(ProposalType.choices)
    svarighetsgrad, grad = labels(Svarighetsgrad.choices), labels(Grad.choices)
    kostnadseffektivitet = labels(Kostnadseffektivitet.choices)
    columns = [
        Column(_("Förslag")),
        Column(_("Typ"), "c-word"),
        Column(_("Svårighetsgrad"), "c-scale"),
        Column(_("Nytta"), "c-scale"),
        Column(_("Kostnadseffektivitet"), "c-scale"),
        Column(_("Förvaltningens rangordning"), "c-median", True),
        Column(_("År 1"), "c-cost", True),
    ]
    withdrawn = _("återkallat")
    rows = [
        table_row(
            [
                proposal_cell(p) + (f" <i>({escape(withdrawn)})</i>" if p.is_withdrawn else ""),
                escape(types_text(p.typ, p.also_types, typ)),
                escape(svarighetsgrad.get(p.svarighetsgrad, EMPTY)),
                escape(grad.get(p.nytta, EMPTY)),
                escape(kostnadseffektivitet.get(p.kostnadseffektivitet, EMPTY)),
                str(p.rangordning) if p.rangordning else EMPTY,
                tkr(p.cost_year1),
            ],
            columns,
        )
        for p in proposals
    ]
    total = sum(p.cost_year1 for p in proposals if not p.is_withdrawn)
    foot = (
        f'<tfoot><tr><td colspan="6">{escape(_("Totalt år 1 (utom återkallade)"))}</td>'
        f'<td class="n">{tkr(total)}</td></tr></tfoot>'
    )
    lead = f'<h2 id="forslagslista">{escape(_("Förvaltningens förslag"))}</h2>'
    if rows:
        note = _(
            "Varje förslag står med hela sin bedömning på en egen sida på de följande sidorna."
        )
        lead += f'<p class="note">{escape(note)}</p>'
    parts = sliced(
        rows,
        LIST_ROWS_PER_PART,
        table=(colgroup_of(columns), thead_of(columns)),
        lead=lead,
        empty=f"<p>{escape(_('Förvaltningen har inga förslag i omgången.'))}</p>",
        title=title,
        header=header,
    )
    if rows:  # the total under the last slice
        last = parts[-1]
        last.html = last.html.replace("</tbody></table>", f"</tbody>{foot}</table>")
    return parts


# --- the Excel --------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def write_analysis(analysis: Analysis, out: IO[bytes], progress: Progress = None) -> int:
    """One förvaltning's verksamhetsanalys as in the source's grid: a title
    row, then a row per perspektiv with the four columns, one item per line
    inside a cell. Returns the number of items written."""
    round, forvaltning = analysis.round, analysis.forvaltning
    perspektiv = list(ListItem.objects.filter(round_id=round.pk, kind=ListKind.PERSPEKTIV))
    cells: dict[tuple[int, int], list[str]] = {}
    items = (
        AnalysisItem.objects.filter(analysis_id=analysis.pk)
        .order_by("position", "pk")
        .values_list("perspektiv_id", "column", "text")
    )
    count = 0
    for perspektiv_id, column, text in items:
        # Each item is a value of its own (neutralised as one), on one line: a
        # line break inside an item would split it in two.
        line = _LINE_BREAK.sub(" ", neutralise(text))
        cells.setdefault((perspektiv_id, column), []).append(line)
        count += 1
    counter = Counter(progress, count)

    book = Book(
        _("Verksamhetsanalys %(year)s – %(forvaltning)s")
        % {"year": round.budget_year, "forvaltning": forvaltning.name}
    )
    columns = [SheetColumn(_("Perspektiv"), 24, WRAP)] + [
        SheetColumn(str(label), 42, WRAP) for _value, label in AnalysisColumn.choices
    ]
    sheet = book.sheet(forvaltning.name, [c.width for c in columns])
    sheet.freeze_below(1, 2)
    sheet.append([_("Förvaltning: %(name)s") % {"name": forvaltning.name}], [LABEL])
    header = sheet.table_header(columns)
    styles = [c.style for c in columns]
    for item in perspektiv:
        lines = [cells.get((item.pk, column), []) for column in AnalysisColumn.values]
        sheet.append([item.name] + ["\n".join(cell) or None for cell in lines], styles)
        for cell in lines:
            for _line in cell:
                counter.step()
    sheet.filter(header, len(columns))
    book.save(out)
    counter.finish()
    return count
