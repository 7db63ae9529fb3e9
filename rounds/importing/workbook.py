"""Opening an uploaded workbook without trusting it.

The file passes the same checks as every upload (``rounds.uploads``: at most
10 MB, an .xlsx name, zip magic, not too many parts, not too large unpacked,
no path tricks, every part's CRC read). Then its size in sheets, rows, columns
and cells is checked (:func:`check_limits`) by streaming each sheet, and only
then does openpyxl build the workbook. It is opened with ``data_only=False``
so that a formula is seen as a formula — the importer refuses formulas where a
value belongs, rather than trusting a cached result that may be stale or
absent.

Why the rows are counted: a few megabytes of zip can hold hundreds of
thousands of rows, and openpyxl keeps every cell in memory (a 5 MB file of
180,000 rows took 72 s and 1 GB to preview). The count streams the sheet's
XML rather than using openpyxl's read-only worksheets, because those read the
whole sheet on opening when it has no ``<dimension>`` (and trust it when it
has one, which may lie): the count stops at the first row past a limit.

Why the columns and cells are counted too: rows alone do not bound memory. A
2 MB file of 5 000 rows × 200 columns took 360 MB and up to 48 s to open;
openpyxl spends roughly 300–400 bytes on every cell it builds, and it builds one
for every cell element in the XML, blank ones included, and for every cell a
merged range, a hyperlink's range or a comment's reference covers (one line of
XML merging A1:XFD1048576 asks for 17 billion).
"""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import COMMENTS_NS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from prioritering.templatetags.formatting import signed_number
from rounds.importing.parse import MAX_COLUMNS
from rounds.uploads import MAX_SIZE, too_large_message, validate_upload

MAX_SHEETS = 20
"""Worksheets a workbook may have (chart sheets hold no rows and are not counted)."""

MAX_ROWS_PER_SHEET = 5_000
"""Rows a sheet may have that hold a value — title and header rows included,
blank rows not, so an honest sheet is not refused for the empty rows below its
table. Far above any municipality's list, far below what exhausts the server."""

MAX_SHEET_ROWS = 10_000
"""How far down a sheet may reach at all, blank rows included — twice
:data:`MAX_ROWS_PER_SHEET`, room for blank or formatted rows below a full
table. A million empty but formatted rows are thus refused after 10 000,
rather than streamed to the end and each made an object by openpyxl."""

# MAX_COLUMNS (from the parse): a sheet may have a value in at most its first 60
# columns, A–BH, the columns the parse reads; a value further right would be
# silently ignored, and a sheet of hundreds of filled columns is refused at its
# first row.

MAX_CELLS = 300_000
"""Cells holding a value in the whole workbook. The widest layout, the forum
compilation, has 15 columns (A–O), so a sheet of 5 000 rows is 75 000 cells: the
budget takes four such sheets, or one sheet filled to both limits (5 000 rows ×
60 columns). Twenty full sheets would be 1.5 million cells, over half a gigabyte
in openpyxl; 300 000 stays near 100 MB."""

MAX_ALL_CELLS = 2 * MAX_CELLS
"""Cells openpyxl would build in the whole workbook, blank ones included: every
cell element of the sheets (formatted but empty cells are written as such) and
every cell a merged range, a hyperlink or a comment covers. Twice
:data:`MAX_CELLS`, room for formatting around full tables, as
:data:`MAX_SHEET_ROWS` is for rows. The largest workbook admitted, 300 000
values and 300 000 blank formatted cells, was read (checked, opened, parsed)
in 12 s and 320 MB."""

_ROW = f"{{{SHEET_MAIN_NS}}}row"
# A cell holds a value when one of these has text other than spaces (a number,
# a shared string's index, inline text — spaces alone are blank to the parse
# too); a formula counts even without text (a shared formula).
_VALUE = {f"{{{SHEET_MAIN_NS}}}v", f"{{{SHEET_MAIN_NS}}}t"}
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
# Elements whose ``ref`` range openpyxl fills with a cell for each position.
_RANGES = {f"{{{SHEET_MAIN_NS}}}mergeCell", f"{{{SHEET_MAIN_NS}}}hyperlink"}
_COMMENT = f"{{{SHEET_MAIN_NS}}}comment"
_EXCEL_ROWS, _EXCEL_COLUMNS = 1_048_576, 16_384


class UnreadableWorkbook(ValueError):  # noqa: N818 (the file's problem, not a bug)
    """The file is not a workbook we will read; ``str()`` says why, in Swedish."""


def check_file(data: bytes, name: str) -> None:
    """Raise :class:`UnreadableWorkbook` unless ``data`` passes the upload checks
    as an .xlsx file."""
    if len(data) > MAX_SIZE:
        raise UnreadableWorkbook(too_large_message(len(data)))
    if PurePosixPath(name or "").suffix.lower() != ".xlsx":
        raise UnreadableWorkbook(
            _("Bara Excel-filer (.xlsx) kan importeras, inte ”%(name)s”.") % {"name": name}
        )
    try:
        validate_upload(SimpleUploadedFile(name, data))
    except ValidationError as error:
        raise UnreadableWorkbook(" ".join(error.messages)) from None


def check_limits(data: bytes) -> None:
    """Raise :class:`UnreadableWorkbook` if the workbook has more than
    :data:`MAX_SHEETS` worksheets, a sheet more than :data:`MAX_ROWS_PER_SHEET`
    rows holding a value, rows past :data:`MAX_SHEET_ROWS` or a value right of
    column :data:`MAX_COLUMNS`, or the workbook more than :data:`MAX_CELLS`
    cells holding a value or :data:`MAX_ALL_CELLS` cells at all. Reads only the
    workbook's list of sheets, each sheet's XML and its comments, one at a
    time, and stops at the first cell or row past a limit; ``data`` must have
    passed :func:`check_file`."""
    with _openpyxl():
        reader = ExcelReader(io.BytesIO(data), keep_links=False)
        try:
            reader.read_manifest()
            reader.read_workbook()
            # The worksheets openpyxl will load, found as its loader finds them.
            sheets = [
                (sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
            if len(sheets) > MAX_SHEETS:
                raise UnreadableWorkbook(
                    _("Arbetsboken har %(count)s blad. Högst %(max)s blad kan importeras.")
                    % {"count": signed_number(len(sheets)), "max": signed_number(MAX_SHEETS)}
                )
            cells = _Cells()
            for title, part in sheets:
                cells.sheet = title
                with reader.archive.open(part) as source:
                    _check_rows(title, _rows(source, cells))
                for comments in _comment_parts(reader, part):
                    with reader.archive.open(comments) as source:
                        for ref in _comment_refs(source):
                            cells.build(_area(ref))
        finally:
            reader.archive.close()


class _Cells:
    """The workbook's cells, counted as its sheets stream past; raises
    :class:`UnreadableWorkbook` at the first one past a limit."""

    def __init__(self) -> None:
        self.sheet = ""
        self.holding = 0  # cells holding a value
        self.built = 0  # cells openpyxl would build

    def value(self, row: int, column: int) -> None:
        if column > MAX_COLUMNS:
            raise UnreadableWorkbook(
                _(
                    "Bladet ”%(sheet)s” har ett värde i cell %(cell)s. Högst %(max)s kolumner "
                    "(till och med %(last)s) kan läsas: radera det som står till höger om dem."
                )
                % {
                    "sheet": self.sheet,
                    "cell": f"{get_column_letter(column)}{row}",
                    "max": signed_number(MAX_COLUMNS),
                    "last": get_column_letter(MAX_COLUMNS),
                }
            )
        self.holding += 1
        if self.holding > MAX_CELLS:
            raise UnreadableWorkbook(
                _("Arbetsboken har fler än %(max)s ifyllda celler. Dela upp den i flera filer.")
                % {"max": signed_number(MAX_CELLS)}
            )

    def build(self, count: int) -> None:
        self.built += count
        if self.built > MAX_ALL_CELLS:
            raise UnreadableWorkbook(
                _(
                    "Arbetsboken har fler än %(max)s celler, tomma formaterade och sammanfogade "
                    "celler medräknade (gränsen passerades i bladet ”%(sheet)s”). Rensa "
                    "formateringen utanför tabellerna och försök igen."
                )
                % {"max": signed_number(MAX_ALL_CELLS), "sheet": self.sheet}
            )


def _area(ref: str) -> int:
    """The cells in a range as openpyxl reads it ("B2", "A1:C3"; a whole row or
    column as far as Excel reaches)."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    columns = abs((max_col or _EXCEL_COLUMNS) - (min_col or 1)) + 1
    return columns * (abs((max_row or _EXCEL_ROWS) - (min_row or 1)) + 1)


def _check_rows(title: str, rows: Iterator[tuple[int, bool]]) -> None:
    holding = 0
    for count, (number, holds_value) in enumerate(rows, start=1):
        holding += holds_value
        if holding > MAX_ROWS_PER_SHEET:
            raise UnreadableWorkbook(
                _(
                    "Bladet ”%(sheet)s” har fler än %(max)s rader. Dela upp filen: högst "
                    "%(max)s rader per blad."
                )
                % {"sheet": title, "max": signed_number(MAX_ROWS_PER_SHEET)}
            )
        if max(count, number) > MAX_SHEET_ROWS:
            raise UnreadableWorkbook(
                _(
                    "Bladet ”%(sheet)s” går längre än till rad %(max)s, tomma rader "
                    "medräknade. Radera raderna under tabellen och försök igen."
                )
                % {"sheet": title, "max": signed_number(MAX_SHEET_ROWS)}
            )


def _rows(source: IO[bytes], cells: _Cells) -> Iterator[tuple[int, bool]]:
    """``(row number, holds a value)`` for each row of a sheet's XML, as
    openpyxl numbers rows and cells (``r``, or one more than the one before).
    Each cell, and each range openpyxl fills with cells (merged, hyperlinked),
    is counted in ``cells``. Every element is dropped as soon as it ends, so
    memory stays flat however long a row or a sheet is."""
    open_elements = []
    number = 0
    holds_value = False
    row = column = 0
    cell_holds_value = False
    for event, element in iterparse(source, events=("start", "end")):
        tag = element.tag
        if event == "start":
            open_elements.append(element)
            if tag == _CELL:
                ref = element.get("r")
                row, column = coordinate_to_tuple(ref) if ref else (number, column + 1)
                cell_holds_value = False
            elif tag == _ROW:
                number = int(element.get("r") or number + 1)
                holds_value = False
                column = 0
            continue
        open_elements.pop()
        if tag == _FORMULA or (tag in _VALUE and (element.text or "").strip()):
            holds_value = cell_holds_value = True
        elif tag == _CELL:
            cells.build(1)
            if cell_holds_value:
                cells.value(row, column)
        elif tag == _ROW:
            yield number, holds_value
        elif tag in _RANGES:
            cells.build(_area(element.get("ref", "")))
        if open_elements:
            del open_elements[-1][:]  # the element just ended: its parent's only child


def _comment_parts(reader: ExcelReader, sheet: str) -> list[str]:
    """The comments of a sheet, found as openpyxl's loader finds them."""
    rels = get_rels_path(sheet)
    if rels not in reader.valid_files:
        return []
    return [rel.target for rel in get_dependents(reader.archive, rels).find(COMMENTS_NS)]


def _comment_refs(source: IO[bytes]) -> Iterator[str]:
    """The cell or range each comment is on, elements dropped as in :func:`_rows`."""
    open_elements = []
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            continue
        open_elements.pop()
        if element.tag == _COMMENT:
            yield element.get("ref", "")
        if open_elements:
            del open_elements[-1][:]


def open_workbook(data: bytes, name: str) -> Workbook:
    """The checked file opened by openpyxl (formulas kept as formulas)."""
    check_file(data, name)
    check_limits(data)
    with _openpyxl():
        return load_workbook(io.BytesIO(data), data_only=False, read_only=False)


@contextmanager
def _openpyxl() -> Iterator[None]:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation and styles it cannot read; harmless.
            # defusedxml (installed) guards openpyxl's XML parsing against entity bombs.
            warnings.simplefilter("ignore")
            yield
    except UnreadableWorkbook:
        raise
    except Exception as error:  # openpyxl's parser can raise almost anything on a hostile file
        raise UnreadableWorkbook(
            _("Filen går inte att läsa som en Excel-arbetsbok (%(reason)s).")
            % {"reason": type(error).__name__}
        ) from None
