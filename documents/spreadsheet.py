"""The workbook toolkit the apps write their Excel exports with (openpyxl).

- **Formula injection.** openpyxl stores any text starting with ``=`` as a
  formula, and Excel runs ``+``, ``-`` and ``@`` too; every text cell goes
  through :func:`neutralise` (titles and header words included), so no cell an
  export writes is ever a formula. Numbers stay numbers.
- **Speed and memory.** Workbooks are write-only (rows stream to a temporary
  file), and each style is made once and shared by its cells, so 1 500
  proposals take well under a second and memory does not grow with them.
"""

import re
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

Progress = Callable[[int, int], None] | None

CREATOR = "Prioritering"
# Whole tkr with a thousands separator: a Swedish Excel shows 1 500.
TKR = "#,##0"
# The sammanvägd rangordning is a median: a whole rank or a half.
RANK = "0.0"
PROGRESS_EVERY = 50

# The first characters that make a spreadsheet read a text as a formula (or
# that hide one behind a control character); OWASP / ASVS V1.2.10.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def neutralise(value):
    """``value`` made inert for a spreadsheet: a text whose first character
    would start a formula (``=``, ``+``, ``-``, ``@``, tab, CR, NUL) gets a
    leading ``'``; everything else — other texts, numbers, None — is returned
    unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_value(value):
    """What a cell holds: texts without the control characters an xlsx file
    cannot carry (openpyxl refuses them) — dropped first, so that none can
    hide a formula behind it — and then neutralised."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


# --- styles -------------------------------------------------------------------

_THIN = Side(style="thin", color="808080")
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_PLAIN = Font()
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True, eq=False)
class Style:
    font: Font = _PLAIN
    alignment: Alignment = _TOP
    number_format: str = "General"
    fill: PatternFill | None = None
    border: Border | None = None


HEADER = Style(
    font=Font(bold=True),
    alignment=Alignment(vertical="bottom", wrap_text=True),
    fill=_HEADER_FILL,
    border=Border(bottom=_THIN),
)
GROUP_HEADER = Style(
    font=Font(bold=True),
    alignment=Alignment(horizontal="center", vertical="bottom", wrap_text=True),
    fill=_HEADER_FILL,
)
TITLE = Style(font=Font(bold=True, size=14), alignment=Alignment(vertical="top"))
LABEL = Style(font=Font(bold=True))
TEXT = Style()
WRAP = Style(alignment=_WRAP)
NUMBER = Style()
AMOUNT = Style(number_format=TKR)
RANK_STYLE = Style(number_format=RANK)


@dataclass(frozen=True)
class Column:
    """One column of a table: its header words, width (characters) and the
    style of its data cells."""

    header: str
    width: float
    style: Style = TEXT


class Sheet:
    """A write-only worksheet whose cells copy one registered style array per
    style (far cheaper than assigning font, fill and format to every cell),
    with the conveniences every export wants."""

    def __init__(self, book: "Book", title: str, widths: Iterable[float]):
        self.book = book
        self.ws = book.wb.create_sheet(title=book.sheet_title(title))
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.rows = 0
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True

    def cell(self, value, style: Style) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, cell_value(value))
        cell._style = copy(self.book.prepared(style, self.ws))
        return cell

    def append(self, values: Iterable, styles: Iterable[Style]) -> int:
        self.ws.append([self.cell(v, s) for v, s in zip(values, styles, strict=True)])
        self.rows += 1
        return self.rows

    def table_header(self, columns: list[Column]) -> int:
        return self.append([c.header for c in columns], [HEADER] * len(columns))

    def freeze_below(self, first: int, last: int) -> None:
        """Freeze the panes below the header rows ``first``…``last`` and repeat
        them on every printed page. A write-only sheet needs this before its
        first row."""
        self.ws.freeze_panes = f"A{last + 1}"
        self.ws.print_title_rows = f"{first}:{last}"

    def filter(self, header_row: int, columns: int) -> None:
        """An autofilter over the table from ``header_row`` to the last row."""
        last = max(self.rows, header_row)
        self.ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{last}"


class Book:
    def __init__(self, title: str):
        self.wb = Workbook(write_only=True)
        self.wb.properties.title = title
        self.wb.properties.creator = CREATOR
        self.wb.properties.lastModifiedBy = CREATOR
        self._titles: set[str] = set()
        # id(style) → (style, its registered StyleArray): styles are registered
        # with the workbook once, not hashed again for every cell.
        self._prepared: dict[int, tuple[Style, object]] = {}

    def prepared(self, style: Style, ws):
        """The workbook's style array for ``style`` (registered through a cell
        of ``ws``; the array is the same for every sheet of the workbook)."""
        found = self._prepared.get(id(style))
        if found is None:
            cell = WriteOnlyCell(ws)
            cell.font = style.font
            cell.alignment = style.alignment
            cell.number_format = style.number_format
            if style.fill is not None:
                cell.fill = style.fill
            if style.border is not None:
                cell.border = style.border
            found = self._prepared[id(style)] = (style, cell._style)
        return found[1]

    def sheet(self, title: str, widths: Iterable[float]) -> Sheet:
        return Sheet(self, title, widths)

    def sheet_title(self, name: str) -> str:
        return sheet_title(name, self._titles)

    def save(self, out: IO[bytes]) -> None:
        self.wb.save(out)


_INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts — at most 31 characters, none of ``[]:*?/\\``,
    not starting or ending with ``'`` — unique (ignoring case) among ``taken``,
    which it joins."""
    title = _INVALID_TITLE.sub(" ", str(name))
    title = ILLEGAL_CHARACTERS_RE.sub("", title)
    title = re.sub(r"\s+", " ", title).strip().strip("'").strip()[:MAX_TITLE].strip()
    title = title or _("Blad")
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = title[: MAX_TITLE - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


class Counter:
    """Calls ``progress(done, total)`` every PROGRESS_EVERY rows and at the end."""

    def __init__(self, progress: Progress, total: int):
        self.progress = progress
        self.total = total
        self.done = 0
        if progress:
            progress(0, total)

    def step(self) -> None:
        self.done += 1
        if self.progress and self.done % PROGRESS_EVERY == 0 and self.done < self.total:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress:
            self.progress(self.total, self.total)


def round_title(kind: str, round) -> str:
    """A workbook's title: what it is, of which round."""
    return f"{kind} – {round}"
