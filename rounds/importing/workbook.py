"""Opening an uploaded workbook without trusting it.

The file passes the same checks as every upload (``rounds.uploads``: at most
10 MB, an .xlsx name, zip magic, not too many parts, not too large unpacked,
no path tricks, every part's CRC read). Then its size in sheets and rows is
checked (:func:`check_limits`) by streaming each sheet, and only then does
openpyxl build the workbook. It is opened with ``data_only=False`` so that a
formula is seen as a formula — the importer refuses formulas where a value
belongs, rather than trusting a cached result that may be stale or absent.

Why the rows are counted: a few megabytes of zip can hold hundreds of
thousands of rows, and openpyxl keeps every cell in memory (a 5 MB file of
180,000 rows took 72 s and 1 GB to preview). The count streams the sheet's
XML rather than using openpyxl's read-only worksheets, because those read the
whole sheet on opening when it has no ``<dimension>`` (and trust it when it
has one, which may lie): the count stops at the first row past a limit.
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
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from prioritering.templatetags.formatting import signed_number
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
table. A million empty but formatted rows are thus refused after 10 000, and
the parse, which makes a cell for every column of every row down to the last
one (gaps included), is bounded too."""

_ROW = f"{{{SHEET_MAIN_NS}}}row"
# A cell holds a value when one of these has text other than spaces (a number,
# a shared string's index, inline text — spaces alone are blank to the parse
# too); a formula counts even without text (a shared formula).
_VALUE = {f"{{{SHEET_MAIN_NS}}}v", f"{{{SHEET_MAIN_NS}}}t"}
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"


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
    :data:`MAX_SHEETS` worksheets, or a sheet more than :data:`MAX_ROWS_PER_SHEET`
    rows holding a value or rows past :data:`MAX_SHEET_ROWS`. Reads only the
    workbook's list of sheets and each sheet's rows, one at a time; ``data``
    must have passed :func:`check_file`."""
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
            for title, part in sheets:
                with reader.archive.open(part) as source:
                    _check_rows(title, source)
        finally:
            reader.archive.close()


def _check_rows(title: str, source: IO[bytes]) -> None:
    holding = 0
    for count, (number, holds_value) in enumerate(_rows(source), start=1):
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


def _rows(source: IO[bytes]) -> Iterator[tuple[int, bool]]:
    """``(row number, holds a value)`` for each row of a sheet's XML, as
    openpyxl numbers them (``r``, or one more than the row before). Every
    element is dropped as soon as it ends, so memory stays flat however long
    a row or a sheet is."""
    open_elements = []
    number = 0
    holds_value = False
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            if element.tag == _ROW:
                number = int(element.get("r") or number + 1)
                holds_value = False
            continue
        open_elements.pop()
        if element.tag == _FORMULA or (element.tag in _VALUE and (element.text or "").strip()):
            holds_value = True
        elif element.tag == _ROW:
            yield number, holds_value
        if open_elements:
            del open_elements[-1][:]  # the element just ended: its parent's only child


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
