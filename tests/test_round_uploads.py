"""What an attachment must be before it is stored: size, extension and the
content behind the extension — including the zip files inside Office and
OpenDocument formats (too many entries, too large unpacked, path tricks)."""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from rounds.uploads import MAX_SIZE, validate_upload

MB = 1024 * 1024

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".pptx": "ppt/presentation.xml"}
ODF_TYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def zip_bytes(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def office_bytes(extension: str = ".xlsx", **extra: bytes) -> bytes:
    """The smallest zip that says it is an Office Open XML file of that kind."""
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            PARTS[extension]: b'<?xml version="1.0"?><root/>',
            **extra,
        }
    )


def odf_bytes(extension: str = ".ods") -> bytes:
    return zip_bytes({"mimetype": ODF_TYPES[extension].encode(), "content.xml": b"<x/>"})


def zip_bomb_bytes(unpacked: int = 200 * MB) -> bytes:
    """An xlsx whose one entry unpacks to ``unpacked`` bytes of zeros: written
    in chunks, so building it takes little memory (it packs to ~200 kB)."""
    buffer = io.BytesIO()
    chunk = bytes(MB)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(unpacked // MB):
                entry.write(chunk)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        validate_upload(upload(name, content))
    return " ".join(raised.value.messages)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("budget.pdf", PDF, "application/pdf"),
        ("Befolkning.PDF", PDF, "application/pdf"),
        ("karta.png", PNG, "image/png"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("prognos.xlsx", office_bytes(".xlsx"), XLSX_TYPE),
        ("pm.docx", office_bytes(".docx"), DOCX_TYPE),
        (
            "bilder.pptx",
            office_bytes(".pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("text.odt", odf_bytes(".odt"), ODF_TYPES[".odt"]),
        ("tabell.ods", odf_bytes(".ods"), ODF_TYPES[".ods"]),
        ("data.csv", "år;antal\n2027;1 500\nMalmö;3\n".encode(), "text/csv"),
        ("data.csv", "år;antal\nMalmö;3\n".encode("cp1252"), "text/csv"),
        ("läsmig.txt", "\ufeffHej världen\n".encode(), "text/plain"),
    ],
)
def test_accepted_files_get_their_content_type(name, content, content_type):
    assert validate_upload(upload(name, content)) == content_type


def test_the_file_is_rewound_for_storing():
    file = upload("budget.pdf", PDF)
    validate_upload(file)
    assert file.read() == PDF


def test_too_large_file_is_refused_with_its_size():
    message = refusal("stor.pdf", PDF + bytes(int(12.3 * MB) - len(PDF)))
    assert message == "Filen är för stor (12,3\xa0MB). Största tillåtna storlek är 10 MB."


def test_exactly_ten_megabytes_is_allowed():
    assert validate_upload(upload("max.pdf", PDF + bytes(MAX_SIZE - len(PDF))))


def test_empty_file_is_refused():
    assert refusal("tom.pdf", b"") == "Filen är tom."


@pytest.mark.parametrize("name", ["program.exe", "skript.js", "sida.html", "bild.svg", "a.zip"])
def test_other_file_types_are_refused(name):
    extension = name[name.rindex(".") :]
    message = refusal(name, PDF)
    assert message.startswith(f"Filtypen {extension} är inte tillåten. Tillåtna: .pdf, .docx")


def test_file_without_extension_is_refused():
    assert refusal("README", b"text").startswith("Filen saknar filändelse. Tillåtna: .pdf")


def test_double_extension_counts_the_last():
    assert refusal("budget.pdf.exe", PDF).startswith("Filtypen .exe är inte tillåten.")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("budget.pdf", b"MZ\x90\x00 a windows program"),
        ("budget.pdf", PNG),
        ("karta.png", JPEG),
        ("foto.jpg", b"<html><script>alert(1)</script></html>"),
        ("prognos.xlsx", PDF),
        ("prognos.xlsx", b"PK\x03\x04 but not a zip at all"),
        ("prognos.xlsx", office_bytes(".docx")),  # a Word file renamed
        ("prognos.xlsx", zip_bytes({"xl/workbook.xml": b"<x/>"})),  # no [Content_Types].xml
        ("text.odt", odf_bytes(".ods")),  # a spreadsheet renamed
        ("text.odt", zip_bytes({"content.xml": b"<x/>"})),  # no mimetype
        ("data.csv", b"a;b\n1;\x00\n"),
        ("data.txt", b"\x81\x8d\x8f\x90\x9d"),  # neither UTF-8 nor Windows-1252
        ("data.txt", PNG),
    ],
)
def test_content_must_match_the_extension(name, content):
    extension = name[name.rindex(".") :]
    assert refusal(name, content) == f"Filens innehåll stämmer inte med filändelsen {extension}."


def test_zip_bomb_is_refused_without_unpacking_it():
    bomb = zip_bomb_bytes()
    assert len(bomb) < MAX_SIZE
    message = refusal("prognos.xlsx", bomb)
    assert message == "Filen blir större än 100 MB uppackad och tas inte emot."


def test_zip_that_lies_about_its_unpacked_size_is_refused():
    data = bytearray(office_bytes(".xlsx", **{"xl/big.bin": bytes(2 * MB)}))
    # Make the central directory claim the big entry unpacks to 10 bytes.
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/big.bin"))
    struct.pack_into("<I", data, at + 24, 10)
    assert refusal("prognos.xlsx", bytes(data)).startswith("Filens innehåll stämmer inte")


def test_zip_with_too_many_entries_is_refused():
    entries = {f"xl/part{i}.xml": b"" for i in range(1001)}
    message = refusal("prognos.xlsx", office_bytes(".xlsx", **entries))
    assert message == "Filen innehåller för många delar (fler än 1000) och tas inte emot."


@pytest.mark.parametrize("path", ["../../etc/passwd", "xl/../../evil.xml", "/etc/cron.d/x", "C:/x"])
def test_zip_with_path_tricks_is_refused(path):
    message = refusal("prognos.xlsx", office_bytes(".xlsx", **{path: b"x"}))
    assert message == "Filen innehåller otillåtna sökvägar och tas inte emot."
