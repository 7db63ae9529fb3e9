"""What an uploaded attachment must be before we store it.

Checked, in this order: the size (at most 10 MB), the file name's extension
(an allow-list), and the content against the extension — the magic bytes for
PDF, PNG and JPEG; for the Office and OpenDocument formats, which are zip
files, the zip itself (not too many entries, not too large unpacked, no path
tricks) and the part that says which format it is; for CSV and text, that it
is text (UTF-8 or Windows-1252, no NUL bytes). Nothing is ever unpacked to
disk: the zip is only read, to count what it holds.

The request itself is limited too: :class:`SizeLimitUploadHandler` stops
reading a file as soon as it passes the limit, so a huge upload never fills
the disk.
"""

import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_SIZE_MB = 10
MAX_SIZE = MAX_SIZE_MB * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_UNZIPPED_SIZE = 100 * 1024 * 1024
CHUNK = 64 * 1024

OOXML = {
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
}
ODF = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
MAGIC = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
TEXT = {".csv": "text/csv", ".txt": "text/plain"}
ZIP_MAGIC = b"PK\x03\x04"

# How a stored file's type is named to readers.
TYPE_LABELS = {
    "application/pdf": "PDF",
    OOXML[".docx"][0]: "Word",
    OOXML[".xlsx"][0]: "Excel",
    OOXML[".pptx"][0]: "PowerPoint",
    ODF[".odt"]: "OpenDocument-text",
    ODF[".ods"]: "OpenDocument-kalkylark",
    "text/csv": "CSV",
    "text/plain": "Text",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}

ALLOWED_EXTENSIONS = (
    ".pdf",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".csv",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
)
# What the file input offers in the browser's file picker (a convenience only).
ACCEPT = ",".join(ALLOWED_EXTENSIONS)


def type_label(content_type: str) -> str:
    return TYPE_LABELS.get(content_type, content_type)


def allowed_list() -> str:
    return ", ".join(ALLOWED_EXTENSIONS)


def validate_upload(uploaded_file) -> str:
    """The content type to store the file with, or a ValidationError in Swedish."""
    size = uploaded_file.size or 0
    if size > MAX_SIZE:
        raise ValidationError(too_large_message(size), code="too_large")
    if size == 0:
        raise ValidationError(_("Filen är tom."), code="empty")
    extension = PurePosixPath(uploaded_file.name or "").suffix.lower()
    if not extension:
        raise ValidationError(
            _("Filen saknar filändelse. Tillåtna: %(allowed)s.") % {"allowed": allowed_list()},
            code="extension",
        )
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Filtypen %(extension)s är inte tillåten. Tillåtna: %(allowed)s.")
            % {"extension": extension, "allowed": allowed_list()},
            code="extension",
        )
    mismatch = ValidationError(
        _("Filens innehåll stämmer inte med filändelsen %(extension)s.") % {"extension": extension},
        code="content",
    )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    try:
        if extension in MAGIC:
            content_type, magic = MAGIC[extension]
            if not head.startswith(magic):
                raise mismatch
            return content_type
        if extension in TEXT:
            _check_text(uploaded_file, mismatch)
            return TEXT[extension]
        if not head.startswith(ZIP_MAGIC):
            raise mismatch
        _check_zip(uploaded_file, extension, mismatch)
        return OOXML[extension][0] if extension in OOXML else ODF[extension]
    finally:
        uploaded_file.seek(0)


def clean_file_name(name: str) -> str:
    """The uploaded file's name as we show it: printable, at most 200
    characters with its extension kept."""
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "bilaga"
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: 199 - len(suffix)]}.{suffix}" if dot and len(suffix) < 20 else name[:200]
    return name


def refused_size(request) -> int | None:
    """The size of a file the request's upload handler stopped receiving
    (:class:`SizeLimitUploadHandler`), or None."""
    for handler in request.upload_handlers:
        if isinstance(handler, SizeLimitUploadHandler) and handler.too_large:
            return handler.too_large
    return None


def too_large_message(size: int) -> str:
    return _("Filen är för stor (%(size)s). Största tillåtna storlek är %(max)s MB.") % {
        "size": filesizeformat(size),
        "max": MAX_SIZE_MB,
    }


def _check_text(uploaded_file, mismatch: ValidationError) -> None:
    data = uploaded_file.read(MAX_SIZE + 1)
    if b"\x00" in data:
        raise mismatch
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return
    raise mismatch


def _unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive:
        return True
    parts = name.replace("\\", "/").split("/")
    return ".." in parts


def _check_zip(uploaded_file, extension: str, mismatch: ValidationError) -> None:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise ValidationError(
                    _("Filen innehåller för många delar (fler än %(count)s) och tas inte emot.")
                    % {"count": MAX_ZIP_ENTRIES},
                    code="zip_entries",
                )
            if any(_unsafe_name(entry.filename) for entry in entries):
                raise ValidationError(
                    _("Filen innehåller otillåtna sökvägar och tas inte emot."), code="zip_path"
                )
            too_big = ValidationError(
                _("Filen blir större än %(max)s MB uppackad och tas inte emot.")
                % {"max": MAX_UNZIPPED_SIZE // (1024 * 1024)},
                code="zip_size",
            )
            if sum(entry.file_size for entry in entries) > MAX_UNZIPPED_SIZE:
                raise too_big
            names = {entry.filename for entry in entries}
            if extension in OOXML:
                part = OOXML[extension][1]
                if "[Content_Types].xml" not in names or not any(
                    name.startswith(part) for name in names
                ):
                    raise mismatch
            else:
                if "mimetype" not in names:
                    raise mismatch
                if archive.read("mimetype").strip() != ODF[extension].encode():
                    raise mismatch
            # The sizes in the headers could lie: read every entry (to nowhere),
            # counting, which also checks each entry's CRC.
            total = 0
            for entry in entries:
                with archive.open(entry) as stream:
                    while chunk := stream.read(CHUNK):
                        total += len(chunk)
                        if total > MAX_UNZIPPED_SIZE:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise mismatch from error
    except RuntimeError as error:  # an encrypted entry
        raise mismatch from error


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops receiving a file once it passes :data:`MAX_SIZE` (the rest of the
    request is read and thrown away), and remembers how large it was said or
    seen to be, so the view can say so. Install it before the request's body is
    read (see the view)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large: int | None = None
        self._received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        self.request_length = content_length

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._received = 0
        if self.content_length is not None and self.content_length > MAX_SIZE:
            self.too_large = self.content_length
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        if self._received > MAX_SIZE:
            # We stop counting here: the message says "more than" the limit.
            self.too_large = max(self._received, getattr(self, "request_length", 0) or 0)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
