"""The sammanställning av verksamhetsanalyser as Excel: one row per analysis
item, with the förvaltning, nämnd, perspektiv, column and the proposal made
from it, under the filters and for the reader of the page
(``rounds.synthesis``).

Unlike the round's other documents it is made in the request, not queued: its
content is the reader's own (a förvaltning sees its own draft, no one else
does) and their filters, so it cannot be one stored file that every reader of
the round downloads; and it is a sheet of short texts, written in a
write-only workbook (a few thousand items take well under a second).
"""

from typing import IO

from django.utils.translation import gettext as _

from documents.spreadsheet import LABEL, TEXT, WRAP, Book, Column
from rounds.models import AnalysisColumn
from rounds.synthesis import Synthesis


def title(synthesis: Synthesis) -> str:
    return _("Sammanställning av verksamhetsanalyser %(year)s") % {
        "year": synthesis.round.budget_year
    }


def write_synthesis(synthesis: Synthesis, out: IO[bytes]) -> int:
    """A title row, the header, then one row per item in the page's order.
    Returns the number of items written."""
    withdrawn = _("återkallat")
    columns = [
        Column(_("Förvaltning"), 28, WRAP),
        Column(_("Nämnd"), 28, WRAP),
        Column(_("Perspektiv"), 24, WRAP),
        Column(_("Kolumn"), 36, WRAP),
        Column(_("Punkt"), 70, WRAP),
        Column(_("Förslag"), 20, TEXT),
    ]
    book = Book(title(synthesis))
    sheet = book.sheet(_("Sammanställning"), [column.width for column in columns])
    sheet.freeze_below(1, 2)
    sheet.append([title(synthesis)], [LABEL])
    header = sheet.table_header(columns)
    styles = [column.style for column in columns]
    perspektiv = {item.pk: item.name for item in synthesis.perspektiv}
    labels = {value: str(label) for value, label in AnalysisColumn.choices}
    for item in synthesis.items:
        forvaltning = item.analysis.forvaltning
        proposal = getattr(item, "proposal", None)
        reference = item.proposal_reference
        if proposal is not None and proposal.is_withdrawn:
            reference = f"{reference} ({withdrawn})"
        sheet.append(
            [
                forvaltning.name,
                forvaltning.namnd.name,
                perspektiv[item.perspektiv_id],
                labels[item.column],
                item.text,
                reference or None,
            ],
            styles,
        )
    sheet.filter(header, len(columns))
    book.save(out)
    return len(synthesis.items)
