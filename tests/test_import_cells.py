"""A workbook is refused for its width and its cells before openpyxl builds
it: no value right of column BH (the 60 columns the parse reads), at most
300 000 cells holding a value, and at most 600 000 cells openpyxl would build
at all — blank formatted cells and the cells of merged, hyperlinked and
commented ranges included. The parse makes no cell for the rows and columns a
sheet leaves empty."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook
from openpyxl.comments import Comment

from rounds.importing import UnreadableWorkbook, read_workbook
from rounds.importing import workbook as workbook_module
from rounds.importing.parse import parse_sheet
from rounds.importing.workbook import (
    MAX_ALL_CELLS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS_PER_SHEET,
    check_limits,
    open_workbook,
)
from tests.test_import_limits import write_only
from tests.test_import_parsing import forum_row

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TOO_MANY_CELLS = "Arbetsboken har fler än 300\u00a0000 ifyllda celler. Dela upp den i flera filer."
TOO_MANY_BUILT = (
    "Arbetsboken har fler än 600\u00a0000 celler, tomma formaterade och sammanfogade celler "
    "medräknade (gränsen passerades i bladet ”{sheet}”). Rensa formateringen utanför "
    "tabellerna och försök igen."
)
FORUM_HEADER = [
    "Nämnd",
    "Fokusområde",
    "Verksamhetsområde",
    "Sammanfattande beskrivning",
    "Typ",
    "Orsak till behov",
    "Effekt på längre sikt",
    "Kostnader År 1 tkr",
    "År 2 tkr",
    "År 3 tkr",
    "Svårighetsgrad",
    "Nyttan",
    "Kostnadseffektivitet",
    "Sammanvägd rangordning",
    "Konsekvensanalys",
]


def rewrite(data: bytes, changes: dict[str, object]) -> bytes:
    """``data`` with the named parts changed (each by a function of its text)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.namelist():
            content = source.read(entry)
            if entry in changes:
                content = changes[entry](content.decode()).encode()
            target.writestr(entry, content)
    return out.getvalue()


def book(*sheets: str) -> bytes:
    """A workbook whose sheets are exactly the given XML (what goes inside
    ``<worksheet>``), named Blad1, Blad2 …"""
    template = write_only({f"Blad{n}": [[n]] for n in range(1, len(sheets) + 1)})
    return rewrite(
        template,
        {
            f"xl/worksheets/sheet{n}.xml": lambda _old, xml=xml: (
                f'<worksheet xmlns="{MAIN}">{xml}</worksheet>'
            )
            for n, xml in enumerate(sheets, start=1)
        },
    )


def cells(rows: int, columns: int, first_row: int = 1, value: bool = True) -> str:
    """``<sheetData>`` of ``rows`` × ``columns`` cells, numbers or blank but formatted."""
    letters = [_letter(c) for c in range(1, columns + 1)]
    return (
        "<sheetData>"
        + "".join(
            f'<row r="{r}">'
            + "".join(
                f'<c r="{col}{r}"><v>{r}</v></c>' if value else f'<c r="{col}{r}" s="1"/>'
                for col in letters
            )
            + "</row>"
            for r in range(first_row, first_row + rows)
        )
        + "</sheetData>"
    )


def _letter(column: int) -> str:
    word = ""
    while column:
        column, rest = divmod(column - 1, 26)
        word = chr(65 + rest) + word
    return word


def merged(*refs: str) -> str:
    return "<mergeCells>" + "".join(f'<mergeCell ref="{ref}"/>' for ref in refs) + "</mergeCells>"


@pytest.fixture(scope="module")
def full_sheet() -> str:
    """One sheet filled to both limits: 5 000 rows × 60 columns, the whole
    budget of cells holding a value (made once)."""
    return cells(MAX_ROWS_PER_SHEET, MAX_COLUMNS)


# --- the rule -------------------------------------------------------------------------------


def test_the_limits():
    assert (MAX_COLUMNS, MAX_CELLS, MAX_ALL_CELLS) == (60, 300_000, 600_000)
    assert MAX_CELLS == MAX_ROWS_PER_SHEET * MAX_COLUMNS


# --- columns --------------------------------------------------------------------------------


def test_a_value_in_column_bh_passes():
    check_limits(book('<sheetData><row r="1"><c r="BH1"><v>1</v></c></row></sheetData>'))


def test_a_value_in_column_bi_is_refused_naming_the_cell(rows_read):
    data = book(
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2"><c r="BI2" t="inlineStr"><is><t>anteckning</t></is></c></row></sheetData>'
    )
    with pytest.raises(UnreadableWorkbook) as refused:
        read_workbook(data, "bred.xlsx")
    assert str(refused.value) == (
        "Bladet ”Blad1” har ett värde i cell BI2. Högst 60 kolumner (till och med BH) kan "
        "läsas: radera det som står till höger om dem."
    )
    assert rows_read == [1]  # refused inside row 2


def test_a_sheet_of_200_columns_is_refused_in_its_first_row(rows_read):
    data = write_only({"Blad1": [list(range(200)) for _ in range(100)]})
    with pytest.raises(UnreadableWorkbook, match="värde i cell BI1"):
        check_limits(data)
    assert rows_read == [0]


def test_cells_without_references_are_placed_as_openpyxl_places_them():
    """Cells may leave out ``r``: each is one column right of the one before."""
    row = '<row r="3"><c r="BG3"><v>1</v></c><c><v>2</v></c>{more}</row>'
    check_limits(book(f"<sheetData>{row.format(more='')}</sheetData>"))
    with pytest.raises(UnreadableWorkbook, match="värde i cell BI3"):
        check_limits(book(f"<sheetData>{row.format(more='<c><v>3</v></c>')}</sheetData>"))


def test_blank_formatted_cells_right_of_bh_pass():
    """A row formatted out to column Z or beyond is not a value."""
    check_limits(book(cells(1, 1) + cells(2, 100, first_row=2, value=False)))


def test_a_formula_right_of_bh_is_a_value():
    with pytest.raises(UnreadableWorkbook, match="värde i cell BI1"):
        check_limits(book('<sheetData><row r="1"><c r="BI1"><f>A1</f></c></row></sheetData>'))


def test_the_column_refusal_is_in_english_for_an_english_reader():
    with translation.override("en"), pytest.raises(UnreadableWorkbook) as refused:
        check_limits(book('<sheetData><row r="1"><c r="GR1"><v>1</v></c></row></sheetData>'))
    assert str(refused.value) == (
        "The sheet “Blad1” has a value in cell GR1. At most 60 columns (up to and including BH) "
        "can be read: delete what is to the right of them."
    )


# --- cells holding a value -----------------------------------------------------------------


def test_300000_cells_with_values_pass(full_sheet):
    check_limits(book(full_sheet))


def test_one_more_cell_in_another_sheet_is_refused_at_once(full_sheet, rows_read):
    with pytest.raises(UnreadableWorkbook) as refused:
        check_limits(book(full_sheet, cells(3, 1)))
    assert str(refused.value) == TOO_MANY_CELLS
    assert rows_read == [MAX_ROWS_PER_SHEET, 0]


def test_the_cell_refusals_are_in_english_for_an_english_reader(monkeypatch):
    monkeypatch.setattr(workbook_module, "MAX_CELLS", 3)  # not to stream 300 000 cells again
    with translation.override("en"), pytest.raises(UnreadableWorkbook) as refused:
        check_limits(book(cells(2, 2)))
    assert str(refused.value) == (
        "The workbook has more than 3 filled cells. Split it into several files."
    )
    with translation.override("en"), pytest.raises(UnreadableWorkbook) as refused:
        check_limits(book(cells(1, 1) + merged("A1:XFD1048576")))
    assert str(refused.value) == (
        "The workbook has more than 600,000 cells, counting empty formatted and merged cells "
        "(the limit was passed in the sheet “Blad1”). Clear the formatting outside the tables "
        "and try again."
    )


# --- cells openpyxl would build -----------------------------------------------------------


def test_600000_cells_with_merged_ones_pass():
    """A merge of A1:BH9999 is 599 940 cells openpyxl would make; 60 more fill the budget."""
    check_limits(book(cells(1, 60, first_row=10_000, value=False) + merged("A1:BH9999")))


def test_one_more_blank_cell_is_refused(rows_read):
    with pytest.raises(UnreadableWorkbook) as refused:
        check_limits(book(cells(1, 61, first_row=10_000, value=False) + merged("A1:BH9999")))
    assert str(refused.value) == TOO_MANY_BUILT.format(sheet="Blad1")
    assert rows_read == [1]


def test_a_merge_of_the_whole_sheet_is_refused_without_building_it(rows_read):
    """One line of XML asking openpyxl for 17 billion cells."""
    with pytest.raises(UnreadableWorkbook) as refused:
        read_workbook(book(cells(1, 1) + merged("A1:XFD1048576")), "sammanfogad.xlsx")
    assert str(refused.value) == TOO_MANY_BUILT.format(sheet="Blad1")
    assert rows_read == [1]


def test_a_hyperlink_over_a_range_counts_its_cells():
    link = '<hyperlinks><hyperlink ref="{ref}" location="Blad1!A1"/></hyperlinks>'
    check_limits(book(cells(1, 1) + link.format(ref="A2:BH10000")))  # 1 + 599 940
    with pytest.raises(UnreadableWorkbook, match="fler än 600\u00a0000 celler"):
        check_limits(book(cells(1, 1) + link.format(ref="A1:XFD1048576")))


def test_a_comment_over_a_range_counts_its_cells(rows_read):
    wb = Workbook()
    wb.active.title = "Blad1"
    wb.active["A1"] = "Nämnd"
    wb.active["A1"].comment = Comment("Fyll i nämnden", "Controller")
    out = io.BytesIO()
    wb.save(out)
    check_limits(out.getvalue())
    refs = {"xl/comments/comment1.xml": lambda xml: xml.replace('"A1"', '"A1:XFD1048576"')}
    with pytest.raises(UnreadableWorkbook) as refused:
        read_workbook(rewrite(out.getvalue(), refs), "kommentar.xlsx")
    assert str(refused.value) == TOO_MANY_BUILT.format(sheet="Blad1")


# --- the parse reads only the cells a sheet has ---------------------------------------------


def gap_book() -> bytes:
    """A forum compilation's header, a proposal at row 5 and one at row
    10 000 with a note in column BH: thousands of empty rows between."""
    rows = [FORUM_HEADER, [], [], [], forum_row(title="Tidigt förslag")]
    rows += [[]] * (9_999 - len(rows))
    rows.append(forum_row(title="Sent förslag") + [None] * 44 + ["anteckning"])
    return write_only({"Sammanställning": rows})


def test_proposals_below_empty_rows_keep_their_real_row_numbers():
    parsed = read_workbook(gap_book(), "glest.xlsx")
    assert parsed.all_problems == []
    assert [(row.row, row.title) for row in parsed.proposals] == [
        (5, "Tidigt förslag"),
        (10_000, "Sent förslag"),
    ]


def test_no_cell_is_made_for_empty_rows_and_columns():
    ws = open_workbook(gap_book(), "glest.xlsx").active
    present = len(ws._cells)
    assert parse_sheet(ws).proposals[1].row == 10_000
    assert len(ws._cells) == present == 15 + 15 + 16


@pytest.mark.parametrize("ref", ["²", "٣", "x", "9" * 400, "-1", ""])
def test_a_row_or_cell_reference_that_is_no_number_is_refused_not_a_server_error(ref):
    """A crafted sheet whose row (or cell) reference is no plain number: the
    file is refused as unreadable (or by its reach), never a 500."""
    for xml in (
        f'<sheetData><row r="{ref}"><c r="A1"><v>1</v></c></row></sheetData>',
        f'<sheetData><row r="1"><c r="A{ref}"><v>1</v></c></row></sheetData>',
    ):
        data = book(xml)
        try:
            read_workbook(data, "konstig.xlsx")
        except UnreadableWorkbook:
            continue
