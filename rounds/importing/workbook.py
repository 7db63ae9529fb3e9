"""Opening an uploaded workbook without trusting it.

The file passes the same checks as every upload (``rounds.uploads``: at most
10 MB, an .xlsx name, zip magic, not too many parts, not too large unpacked,
no path tricks, every part's CRC read) and only then reaches openpyxl. It is
opened with ``data_only=False`` so that a formula is seen as a formula — the
importer refuses formulas where a value belongs, rather than trusting a cached
result that may be stale or absent.
"""

import io
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from rounds.uploads import MAX_SIZE, too_large_message, validate_upload


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


def open_workbook(data: bytes, name: str) -> Workbook:
    """The checked file opened by openpyxl (formulas kept as formulas)."""
    check_file(data, name)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation and styles it cannot read; harmless.
            # defusedxml (installed) guards openpyxl's XML parsing against entity bombs.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as error:  # openpyxl's parser can raise almost anything on a hostile file
        raise UnreadableWorkbook(
            _("Filen går inte att läsa som en Excel-arbetsbok (%(reason)s).")
            % {"reason": type(error).__name__}
        ) from None
