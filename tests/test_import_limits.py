"""A workbook is refused for its size in sheets and rows before anything is
built from it: at most 5 000 rows holding a value per sheet, no sheet reaching
past row 10 000 (blank rows included), at most 20 sheets — on the page beside
the upload field and by the command, with nothing stored."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from rounds.importing import UnreadableWorkbook, plan_import, read_workbook
from rounds.importing.workbook import (
    MAX_ROWS_PER_SHEET,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    check_limits,
)
from rounds.models import Proposal
from tests.factories import make_round
from tests.test_import_parsing import forum_book, forum_row

URL = "/omgangar/2027/importera/"
TOO_MANY_ROWS = (
    "Bladet ”Blad1” har fler än 5\u00a0000 rader. Dela upp filen: högst 5\u00a0000 rader per blad."
)


def write_only(sheets: dict[str, list]) -> bytes:
    """A workbook written as openpyxl streams it (no ``<dimension>`` in the sheets)."""
    wb = Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_sheet_xml(sheet_data: str, dimension: str = "") -> bytes:
    """A one-sheet workbook whose sheet is exactly ``sheet_data`` (the rows'
    XML), optionally with a ``<dimension ref>`` — which may lie."""
    template = write_only({"Blad1": [[1]]})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.namelist():
            content = source.read(entry)
            if entry == "xl/worksheets/sheet1.xml":
                content = (
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    + (f'<dimension ref="{dimension}"/>' if dimension else "")
                    + f"<sheetData>{sheet_data}</sheetData></worksheet>"
                ).encode()
            target.writestr(entry, content)
    return out.getvalue()


def value_rows(first: int, last: int) -> str:
    return "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(first, last + 1))


def formatted_empty_rows(first: int, last: int) -> str:
    return "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(first, last + 1))


@pytest.fixture(scope="module")
def rows_100000() -> bytes:
    """A plain sheet of 100 000 rows (made once: it takes a few seconds)."""
    rows = [["Namn", "År 1", "År 2", "Anteckning"]]
    rows += [[f"Förslag {i}", i, 2 * i, "text"] for i in range(100_000)]
    return write_only({"Blad1": rows})


@pytest.fixture
def round(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_round(year=2027)


# --- the rule -------------------------------------------------------------------------------


def test_the_limits():
    assert (MAX_ROWS_PER_SHEET, MAX_SHEET_ROWS, MAX_SHEETS) == (5_000, 10_000, 20)


def test_100000_rows_are_refused_after_reading_just_past_the_limit(rows_100000, rows_read):
    with pytest.raises(UnreadableWorkbook) as refused:
        read_workbook(rows_100000, "stor.xlsx")
    assert str(refused.value) == TOO_MANY_ROWS
    assert rows_read == [MAX_ROWS_PER_SHEET + 1]


def test_5000_rows_with_values_pass_and_5001_are_refused():
    check_limits(with_sheet_xml(value_rows(1, 5_000)))
    with pytest.raises(UnreadableWorkbook, match="fler än 5\u00a0000 rader"):
        check_limits(with_sheet_xml(value_rows(1, 5_001)))


def test_blank_rows_do_not_count(rows_read):
    """Blank and formatted-but-empty rows between and below the table are not
    rows of the table: an honest sheet is not refused for them."""
    blank = "".join(f'<row r="{n}"/>' for n in range(5_001, 7_001))
    check_limits(with_sheet_xml(value_rows(1, 5_000) + blank + formatted_empty_rows(7_001, 10_000)))
    assert rows_read == [10_000]


def test_a_million_formatted_empty_rows_are_refused_after_10000(rows_read):
    with pytest.raises(UnreadableWorkbook) as refused:
        check_limits(with_sheet_xml(formatted_empty_rows(1, 1_000_000)))
    assert str(refused.value) == (
        "Bladet ”Blad1” går längre än till rad 10\u00a0000, tomma rader medräknade. "
        "Radera raderna under tabellen och försök igen."
    )
    assert rows_read == [MAX_SHEET_ROWS + 1]


def test_a_row_far_below_the_table_is_refused(rows_read):
    """openpyxl would make every cell of the rows in between."""
    with pytest.raises(UnreadableWorkbook, match="längre än till rad 10\u00a0000"):
        check_limits(with_sheet_xml(value_rows(1, 3) + value_rows(1_048_576, 1_048_576)))
    assert rows_read == [4]


def test_the_sheets_dimension_is_not_trusted(rows_read):
    with pytest.raises(UnreadableWorkbook, match="fler än 5\u00a0000 rader"):
        read_workbook(with_sheet_xml(value_rows(1, 6_000), dimension="A1:A2"), "a.xlsx")
    assert rows_read == [MAX_ROWS_PER_SHEET + 1]


def test_21_sheets_are_refused_before_any_row_is_read(rows_read):
    with pytest.raises(UnreadableWorkbook) as refused:
        read_workbook(write_only({f"Blad{i}": [[i]] for i in range(1, 22)}), "blad.xlsx")
    assert str(refused.value) == "Arbetsboken har 21 blad. Högst 20 blad kan importeras."
    assert rows_read == []


def test_20_sheets_pass():
    check_limits(write_only({f"Blad{i}": [[i]] for i in range(1, 21)}))


def test_a_sheet_with_more_than_5000_rows_is_named_among_small_ones():
    data = write_only({"Liten": [[1]], "Stor": [[i] for i in range(5_001)], "Sist": [[2]]})
    with pytest.raises(UnreadableWorkbook, match="Bladet ”Stor” har fler än"):
        check_limits(data)


def test_the_refusal_is_in_english_for_an_english_reader(rows_100000):
    with translation.override("en"), pytest.raises(UnreadableWorkbook) as refused:
        check_limits(rows_100000)
    assert str(refused.value) == (
        "The sheet “Blad1” has more than 5,000 rows. Split the file: at most 5,000 rows per sheet."
    )


# --- a real layout on both sides of the limit ----------------------------------------------


def forum_rows(count: int) -> list[list]:
    return [forum_row(title=f"Förslag {i}", rank=1 + i % 10) for i in range(count)]


def test_a_forum_compilation_of_5000_rows_is_previewed_whole(round):
    """Its two header rows count: 4 998 proposals fill the 5 000 rows."""
    parsed = read_workbook(forum_book(*forum_rows(4_998)), "forum.xlsx")
    plan = plan_import(round, parsed)
    assert plan.ok, plan.problems[:3]
    assert plan.proposal_count == 4_998


def test_a_forum_compilation_of_5001_rows_is_refused(demo):
    with pytest.raises(UnreadableWorkbook, match="Bladet ”Sammanställning” har fler än 5"):
        read_workbook(forum_book(*forum_rows(4_999)), "forum.xlsx")


# --- where the refusal is shown --------------------------------------------------------------


def test_the_page_shows_the_refusal_beside_the_upload_field(
    round, signed_in, tmp_path, rows_100000
):
    response = signed_in("controller").post(
        URL, {"file": SimpleUploadedFile("stor.xlsx", rows_100000)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert TOO_MANY_ROWS in page
    assert 'type="file"' in page and 'name="token"' not in page
    assert Proposal.objects.count() == 0
    assert not list((tmp_path / "imports").glob("*"))  # nothing stashed for a confirmation


def test_the_command_fails_with_the_refusal(round, tmp_path, rows_100000):
    path = tmp_path / "stor.xlsx"
    path.write_bytes(rows_100000)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Ingenting importerades"):
        call_command("import_proposals", str(path), "--round", "2027", stdout=out)
    assert out.getvalue().splitlines() == [f"stor.xlsx: {TOO_MANY_ROWS}"]
    assert Proposal.objects.count() == 0
