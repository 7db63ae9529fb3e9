"""Untidy but valid workbooks are understood; invalid ones are refused as a
whole, every problem reported; hostile files never reach openpyxl."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from rounds.importing import (
    ImportRefused,
    UnreadableWorkbook,
    import_workbook,
    plan_import,
    read_workbook,
)
from rounds.importing.service import loose_key
from rounds.models import (
    AnalysisItem,
    AnalysisStatus,
    Grad,
    Kostnadseffektivitet,
    Proposal,
    ProposalType,
    Rekommendation,
    Svarighetsgrad,
)
from rounds.uploads import MAX_SIZE
from tests.factories import make_round

FORUM_HEADER = [
    "Nämnd",
    "Fokusområde",
    "Verksamhetsområde",
    "Sammanfattande beskrivning",
    "Typ",
    "Orsak till behov",
    "Effekt på längre sikt",
    "Kostnader",
    None,
    None,
    "Svårighetsgrad",
    "Nyttan",
    "Kostnadseffektivitet",
    "Sammanvägd rangordning",
    "Konsekvensanalys",
]


def forum_row(**overrides):
    row = {
        "namnd": "Bildning",
        "fokus": "Grunduppdrag",
        "verksamhet": "Fritid",
        "title": "Fritidsgård NN",
        "typ": "Nya behov",
        "orsak": "Integration",
        "effekt": "Ambitionsökning",
        "y1": 1200,
        "y2": 1200,
        "y3": 1250,
        "svarighet": "Stor",
        "nytta": "Stor",
        "kostnadseff": "Hög",
        "rank": 2,
        "konsekvens": "Fler unga saknar en trygg mötesplats.",
    }
    row.update(overrides)
    return list(row.values())


def xlsx(build) -> bytes:
    wb = Workbook()
    build(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def forum_book(*rows, title_rows=(), three_row_header=False):
    def build(ws):
        ws.title = "Sammanställning"
        for title in title_rows:
            ws.append([title])
        first = len(title_rows) + 1
        ws.append(FORUM_HEADER)
        if three_row_header:
            ws.append([None] * 7 + ["tkr", "tkr", "tkr"])
            ws.append([None] * 7 + ["År 1", "År 2", "År 3"])
        else:
            ws.append([None] * 7 + ["tkr År 1", "tkr År 2", "tkr År 3"])
        ws.merge_cells(start_row=first, start_column=8, end_row=first, end_column=10)
        for row in rows:
            ws.append(row)

    return xlsx(build)


@pytest.fixture
def round(demo):
    return make_round(year=2027)


def parse(data, name="fil.xlsx"):
    return read_workbook(data, name)


def messages(plan):
    return [str(problem) for problem in plan.problems]


# --- untidy but valid ----------------------------------------------------------------------


def test_title_rows_three_row_header_and_blank_rows_are_understood(round, demo):
    data = forum_book(
        forum_row(),
        [None] * 15,
        forum_row(title="Förstelärartjänster", rank=3),
        title_rows=["Verktyg för rangordning", "Sammanställning 2027"],
        three_row_header=True,
    )
    plan = plan_import(round, parse(data))
    assert plan.ok, messages(plan)
    rows = plan.parsed.proposals
    assert [(r.row, r.title, r.cost_year3) for r in rows] == [
        (6, "Fritidsgård NN", 1250),
        (8, "Förstelärartjänster", 1250),
    ]


def test_scale_words_in_any_case_with_stray_spaces(round, demo):
    data = forum_book(
        forum_row(svarighet="  MYCKET   stor ", nytta="måttlig\u00a0", kostnadseff=" mycket HÖG")
    )
    row = parse(data).proposals[0]
    assert row.problems == []
    assert row.svarighetsgrad == Svarighetsgrad.MYCKET_STOR
    assert row.nytta == Grad.MATTLIG
    assert row.kostnadseffektivitet == Kostnadseffektivitet.MYCKET_HOG


def test_numbers_typed_as_text_with_thousands_spaces(round, demo):
    data = forum_book(forum_row(y1="1 500", y2="12\u00a0000", y3="−300", rank="4"))
    row = parse(data).proposals[0]
    assert row.problems == []
    assert (row.cost_year1, row.cost_year2, row.cost_year3, row.rangordning) == (
        1500,
        12000,
        -300,
        4,
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2000-2500", (2000, 2500)),
        ("2 000 – 2 500", (2000, 2500)),
        ("2\u00a0000–2\u00a0500", (2000, 2500)),
        ("700", (700, 700)),
        (900, (900, 900)),
    ],
)
def test_cost_ranges_with_a_hyphen_or_an_en_dash(demo, written, expected):
    def build(ws):
        ws.append(
            [
                "Situation + åtgärdsförslag / investeringsförslag",
                "År 1 tkr",
                "År 2 tkr",
                "År 3 tkr",
                "År 4-10 tkr",
                "Situationens svårighetsgrad",
                "Kostnad/år tkr",
            ]
        )
        ws.append(["Sporthall + ny hall", 10, 10, 10, 10, "Stor", written])

    row = parse(xlsx(build)).proposals[0]
    assert row.problems == []
    assert (row.cost_per_year_min, row.cost_per_year_max) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Effektivisering/Ransonering", [ProposalType.EFFEKTIVISERING]),
        ("Ransonering / effektivisering", [ProposalType.RANSONERING]),
        ("Förbisedda behov (höjd kvalitet)", [ProposalType.FORBISEDDA]),
        ("Förbisedda behov och åtgärder – öka kvaliteten", [ProposalType.FORBISEDDA]),
        ("förbisedda behov och åtgärder - öka kvaliteten", [ProposalType.FORBISEDDA]),
        ("investering", [ProposalType.INVESTERING]),
    ],
)
def test_types_as_the_source_writes_them(demo, written, expected):
    row = parse(forum_book(forum_row(typ=written))).proposals[0]
    assert row.problems == []
    assert [row.typ] == expected


def test_not_ranked_words_and_a_median_half(demo):
    rows = parse(
        forum_book(forum_row(rank="Icke-göra"), forum_row(rank="fou"), forum_row(rank=2.5))
    ).proposals
    assert (rows[0].rangordning, rows[0].rekommendation) == (None, Rekommendation.ICKE_GORA)
    assert (rows[1].rangordning, rows[1].rekommendation) == (None, Rekommendation.FOU)
    assert rows[2].rangordning == 3 and rows[2].notes


def test_our_exports_neutralised_texts_are_read_back(demo):
    row = parse(forum_book(forum_row(title="'=Fritidsgård", konsekvens="'-minskad"))).proposals[0]
    assert (row.title, row.konsekvensanalys) == ("=Fritidsgård", "-minskad")


def test_headers_without_title_rows_and_with_hyphenated_words(demo):
    def build(ws):
        ws.append(
            [
                "Situation",
                "Målområde Samhälle Invånare Organisation",
                "Åtgärd/Insats",
                "Svårighetsgrad* Skala: Mycket stor, Stor, Måttlig, Liten",
                "Effekt av åtgärden",
                "Nytta* för målområdet",
                "Kostnad",
                "Kostnads-effektivitet*",
                "Rangordning Skala: 1–10",
            ]
        )
        ws.append(
            [
                "Kö till bygglov",
                "Samhällets livskraft",
                "E-tjänst",
                "stor",
                "Stor",
                "Stor",
                "650",
                "hög",
                2,
            ]
        )

    sheet = parse(xlsx(build)).sheets[0]
    row = sheet.proposals[0]
    assert row.problems == []
    assert (row.malomrade, row.kostnadseffektivitet, row.cost_year1) == ("samhalle", 3, 650)


def test_list_names_match_without_case_punctuation_or_och():
    assert loose_key("Processer Arbetsmetoder") == loose_key("Processer och arbetsmetoder")
    assert loose_key("Adm. enheten") == loose_key("adm enheten")


# --- invalid: refused as a whole ---------------------------------------------------------


def test_every_problem_is_reported_with_sheet_row_and_column_and_nothing_stored(round, demo):
    data = forum_book(
        forum_row(),  # fine
        forum_row(svarighet="Jättestor"),
        forum_row(title=""),
        forum_row(rank=12),
        forum_row(namnd="Kulturnämnden"),
        forum_row(y1="=A1*2"),
        forum_row(typ="Önskemål"),
        forum_row(y2="12,5"),
    )
    parsed = parse(data)
    with pytest.raises(ImportRefused) as refused:
        import_workbook(round, parsed, by=demo["controller"])
    found = [str(problem) for problem in refused.value.problems]
    assert len(found) == 7, found
    assert any(
        m.startswith(
            "Blad ”Sammanställning”, rad 4, kolumn K (Svårighetsgrad): Okänt ord ”Jättestor”"
        )
        and "Mycket stor, Stor, Måttlig, Liten" in m
        for m in found
    )
    assert any("rad 5, kolumn D (Sammanfattande beskrivning)" in m and "saknas" in m for m in found)
    assert any("rad 6" in m and "från 1 (högst) till 10" in m for m in found)
    assert any(
        "rad 7, kolumn A (Nämnd): Okänd nämnd ”Kulturnämnden”" in m
        and "Bildning" in m
        and "Kommunstyrelse" in m
        for m in found
    )
    assert any("rad 8, kolumn H" in m and "formel (=A1*2)" in m for m in found)
    assert any("rad 9, kolumn E (Typ): Okänd typ ”Önskemål”" in m for m in found)
    assert any("rad 10, kolumn I" in m and "heltal i tkr" in m for m in found)
    assert Proposal.objects.filter(round=round).count() == 0
    assert Proposal.history.count() == 0


def test_a_submitted_analysis_takes_the_controllers_import_with_a_note(round, demo):
    analysis = round.analyses.get(forvaltning__name="Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    plan = plan_import(round, parse(forum_book(forum_row())))
    assert plan.problems == []
    notes = [note for row in plan.parsed.proposals for note in row.place_notes]
    assert any("redan lämnat in" in note for note in notes)
    result = import_workbook(round, parse(forum_book(forum_row())), by=demo["controller"])
    assert result.proposals == 1
    assert analysis.proposals.count() == 1


def test_a_returned_analysis_takes_imports(round, demo):
    analysis = round.analyses.get(forvaltning__name="Bildningsförvaltningen")
    analysis.status = AnalysisStatus.RETURNED
    analysis.save()
    result = import_workbook(round, parse(forum_book(forum_row())), by=demo["controller"])
    assert result.proposals == 1


def test_a_missing_analysis_is_created_as_a_draft(round, demo):
    round.analyses.get(forvaltning__name="Bildningsförvaltningen").delete()
    import_workbook(round, parse(forum_book(forum_row())), by=demo["controller"])
    analysis = round.analyses.get(forvaltning__name="Bildningsförvaltningen")
    assert analysis.status == AnalysisStatus.DRAFT
    assert analysis.proposals.count() == 1


def test_a_workbook_without_a_known_table_is_one_problem(demo):
    parsed = parse(xlsx(lambda ws: ws.append(["Namn", "Adress"])))
    assert len(parsed.all_problems) == 1
    assert "Hittade ingen känd tabell" in str(parsed.all_problems[0])


def test_grid_item_formula_and_missing_perspektiv_are_problems(round, demo):
    def build(ws):
        ws.append(["Förvaltning: Bildning"])
        ws.append(
            [
                "Perspektiv",
                "Nuläge",
                "Framtid och omvärld",
                "Situationer och åtgärder som behöver nya resurser",
                "Situationer och åtgärder som kan ransoneras eller effektiviseras",
            ]
        )
        ws.append(["Invånare", "=B1", None, None, None])
        ws.append([None, "Lång kö", None, None, None])

    parsed = parse(xlsx(build))
    with pytest.raises(ImportRefused) as refused:
        import_workbook(round, parsed, by=demo["controller"])
    found = [str(p) for p in refused.value.problems]
    assert any("rad 3, kolumn B (Nuläge)" in m and "formel" in m for m in found)
    assert any("rad 4, kolumn A (Perspektiv)" in m for m in found)
    assert AnalysisItem.objects.count() == 0


# --- files that are not workbooks, or hostile ones -----------------------------------------


def test_more_than_10_mb_is_refused(demo):
    with pytest.raises(UnreadableWorkbook, match="för stor"):
        read_workbook(b"PK\x03\x04" + b"0" * MAX_SIZE, "stor.xlsx")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Namn;Adress\nA;B\n", "lista.csv"),
        (b"%PDF-1.7 ...", "forslag.xlsx"),
        (b"PK\x03\x04 not really a zip", "trasig.xlsx"),
    ],
)
def test_non_xlsx_files_are_refused(demo, data, name):
    with pytest.raises(UnreadableWorkbook):
        read_workbook(data, name)


def _zip(entries) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_bomb_is_refused_without_unpacking_it(demo):
    bomb = _zip([("[Content_Types].xml", "<x/>"), ("xl/bomb.xml", b"\0" * (120 * 1024 * 1024))])
    assert len(bomb) < MAX_SIZE
    with pytest.raises(UnreadableWorkbook, match="uppackad"):
        read_workbook(bomb, "bomb.xlsx")


def test_path_tricks_and_too_many_parts_are_refused(demo):
    with pytest.raises(UnreadableWorkbook, match="sökvägar"):
        read_workbook(_zip([("[Content_Types].xml", "<x/>"), ("../../evil.xml", "x")]), "a.xlsx")
    many = _zip([("[Content_Types].xml", "<x/>")] + [(f"xl/{i}.xml", "") for i in range(1001)])
    with pytest.raises(UnreadableWorkbook, match="för många"):
        read_workbook(many, "b.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused(demo):
    with pytest.raises(UnreadableWorkbook):
        read_workbook(
            _zip([("[Content_Types].xml", "<x/>"), ("xl/workbook.xml", "<nej")]), "c.xlsx"
        )


# --- a large file (its speed is measured by bench/documents.py, not here) ---------------------


def test_1500_rows_import_whole(round, demo):
    rows = [
        forum_row(
            title=f"Förslag {i}",
            namnd=["Bildning", "Social", "Teknisk"][i % 3],
            rank=1 + i % 10,
            y1=f"{i} 000",
        )
        for i in range(1500)
    ]
    data = forum_book(*rows)
    result = import_workbook(round, parse(data), by=demo["controller"])
    assert result.proposals == 1500
    assert Proposal.history.filter(round=round).count() == 1500
    assert Proposal.objects.get(round=round, title="Förslag 1499").cost_year1 == 1499000
