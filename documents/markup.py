"""The HTML toolkit the apps write their PDF documents with: parts that are
each a complete HTML document (``document``), the running header, and tables
written row by row in Python and sliced into parts (``sliced``) — what the
renderer (``documents.pdf``) lays out in parallel and joins in order.

Why plain markup written in Python: WeasyPrint's time and memory grow with
the pages of one layout, and every box, text run, font and selector on a page
costs; Django's template engine spent seconds on 1 500 proposal pages. So the
HTML of what repeats (table rows, proposal pages) is written in Python, the
long tables come in slices of a few hundred rows (fixed layout, short cells),
and each part inlines the base style sheet and the one sheet it needs.
Templates keep the one-off parts and their long texts (``fragment``).

Every part is self-contained: the CSS is inlined, charts are inline SVG, the
fonts are the system's DejaVu; the renderer fetches no URL.
"""

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from documents.pdf import Part

HERE = Path(__file__).parent
# The style sheets: the base one goes into every part, with one of the others.
SHEETS = {
    "base": "print.css",
    "front": "print_front.css",
    "tables": "print_tables.css",
    "pages": "print_pages.css",
}
# An empty value, as the documents (and the proposal's history) show it.
EMPTY = "–"
# A section whose first part is smaller than this (its HTML, in characters:
# some hundred table rows) follows the section before it in that section's
# last part, on the same page, instead of opening a part — and so a page —
# of its own. Larger parts stay apart, to be laid out in parallel.
FLOW_LIMIT = 120_000


@cache
def style(name: str) -> str:
    """One style sheet, read once per process (each part inlines it)."""
    return (HERE / SHEETS[name]).read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the
    ``<style>`` element it stands in (names come from users)."""
    escaped = (
        str(text)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("<", "\\3C ")
        .replace(">", "\\3E ")
        .replace("\n", " ")
        .replace("\r", " ")
    )
    return f'"{escaped}"'


def long_date(value) -> str:
    """A date as "24 november 2026" (in the active language's words)."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


def chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    size = max(1, int(size))
    for start in range(0, len(items), size):
        yield items[start : start + size]


def escape(text) -> str:
    """Escaped for HTML text and attributes."""
    return html.escape(str(text), quote=True)


def escape_text(text) -> str:
    """A user's text, escaped, its line breaks kept as they are: paragraphs
    and cells keep them (white-space: pre-line), cheaper than a <br> each."""
    value = str(text).strip()
    if not value:
        return EMPTY
    return escape(value).replace("\r\n", "\n").replace("\r", "\n")


def labels(choices) -> dict:
    """A choice field's words, looked up once per document (not per value)."""
    return {value: str(name) for value, name in choices}


# --- parts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The running header in the top margin: kommun left, the document right."""

    left: str
    right: str

    def css(self) -> str:
        return (
            f"@page {{ @top-left {{ content: {css_string(self.left)}; }} "
            f"@top-right {{ content: {css_string(self.right)}; }} }}"
        )


def document(body: str, *, title: str, header: Header, sheet: str) -> str:
    """A complete HTML document: the base style sheet and ``sheet`` inlined,
    the running header, ``body`` (already HTML)."""
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{style('base')}{style(sheet)}"
        f"{header.css()}</style></head><body>{body}</body></html>"
    )


def fragment(template: str, context: dict) -> str:
    """A template's HTML, for the body of a part."""
    return render_to_string(template, context)


def _split(html: str) -> tuple[str, str]:
    """A part's head (all up to and with ``<body>``) and its body."""
    start = html.index("<body>") + len("<body>")
    return html[:start], html[start : html.rindex("</body>")]


def flow(sections: Iterable[Sequence[Part]], limit: int = FLOW_LIMIT) -> list[Part]:
    """The parts of ``sections`` in order, each section's first part joined
    to the part before it when both are written alike (the same style sheets
    and running header) and together stay under ``limit`` characters: short
    sections then follow one another on the page, as in a report, rather
    than each beginning a page (a page of its own per part is what WeasyPrint
    gives). A section's further slices, and a part in another sheet, are
    never joined. Where a part changes the page's orientation (``.wide``), the
    named page begins a new page all the same."""
    parts: list[Part] = []
    for section in sections:
        for index, part in enumerate(section):
            if index == 0 and parts:
                head, body = _split(parts[-1].html)
                next_head, next_body = _split(part.html)
                if head == next_head and len(parts[-1].html) + len(next_body) < limit:
                    joined = f"{head}{body}{next_body}</body></html>"
                    parts[-1] = Part(joined, reuse=parts[-1].reuse and part.reuse)
                    continue
            parts.append(part)
    return parts


# --- tables ----------------------------------------------------------------------------


@dataclass
class Column:
    label: str
    width: str = ""  # a col class of print_tables.css; none: the rest of the width
    num: bool = False


def colgroup_of(columns: Sequence[Column]) -> str:
    cols = "".join(f'<col class="{c.width}">' if c.width else "<col>" for c in columns)
    return f"<colgroup>{cols}</colgroup>"


def head_cells(columns: Sequence[Column], attributes: str = "") -> str:
    return "".join(
        f'<th{attributes} class="n">{escape(c.label)}</th>'
        if c.num
        else f"<th{attributes}>{escape(c.label)}</th>"
        for c in columns
    )


def thead_of(columns: Sequence[Column]) -> str:
    return f"<thead><tr>{head_cells(columns)}</tr></thead>"


def table_row(cells: Sequence[str], columns: Sequence[Column]) -> str:
    """One row; ``cells`` are HTML already."""
    return (
        "<tr>"
        + "".join(
            f'<td class="n">{cell}</td>' if column.num else f"<td>{cell}</td>"
            for cell, column in zip(cells, columns, strict=True)
        )
        + "</tr>"
    )


def table_of(colgroup: str, thead: str, rows: Iterable[str], foot: str = "") -> str:
    return f"<table>{colgroup}{thead}<tbody>{''.join(rows)}</tbody>{foot}</table>"


def joined(*values: str) -> str:
    """Values that share a cell, in one run of text: "Liten · Stor · Hög"."""
    return " · ".join(" ".join(str(value).split()) or EMPTY for value in values)


def sliced(
    rows: Sequence[str],
    rows_per_part: int,
    *,
    table: tuple[str, str],
    lead: str = "",
    empty: str = "",
    wide: bool = False,
    title: str,
    header: Header,
) -> list[Part]:
    """A long table in parts of ``rows_per_part`` rows; the first part opens
    with ``lead`` (the chapter's heading and text), and each repeats the
    table's head (``table``: its colgroup and thead). No rows: the lead and
    ``empty``."""
    colgroup, thead = table
    wrap = ('<div class="wide">', "</div>") if wide else ("", "")
    slices = list(chunks(rows, rows_per_part)) or [None]
    parts = []
    for index, chunk in enumerate(slices):
        body = lead if index == 0 else ""
        body += table_of(colgroup, thead, chunk) if chunk else empty
        # Its HTML holds nothing but its rows: an unchanged slice is reused.
        part = document(f"{wrap[0]}{body}{wrap[1]}", title=title, header=header, sheet="tables")
        parts.append(Part(part, reuse=True))
    return parts
