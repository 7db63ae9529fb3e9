"""The Excel exports (ranking.documents.excel, rounds.documents.analysis,
with documents.spreadsheet): each in the layout of its sample
in shared/data, with the sample's header words; real spreadsheets (frozen
header, filter, formats); no cell ever a formula; only what every reader of
the round may read; queries and time that do not grow with the proposals."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo.loading import load_demo
from documents.spreadsheet import PROGRESS_EVERY, neutralise, sheet_title
from ranking import selectors
from ranking.documents import excel
from ranking.models import Decision, ForumRank, Handling, NamndRanking, NamndResult, Outcome
from ranking.services import decision as decision_services
from rounds.documents.analysis import write_analysis
from rounds.models import (
    Analysis,
    AnalysisColumn,
    AnalysisItem,
    AnalysisStatus,
    Grad,
    Kostnadseffektivitet,
    ListItem,
    ListKind,
    Proposal,
    ProposalType,
    Round,
    Svarighetsgrad,
    User,
)
from tests.factories import make_proposal
from tests.forum_setup import send_on

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data"
PAYLOADS = ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx"]
ROUND_WRITERS = [
    excel.write_base_ranking,
    excel.write_investments,
    excel.write_forum_compilation,
    excel.write_decisions,
]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo with both rounds, loaded once for the module and rolled back
    after it; each test runs in a savepoint within. Round 2027 in the
    verksamhetsanalys phase: drafts and a returned analysis besides the
    submitted ones."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True, phase="analys")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def round_2026(loaded, db):
    return Round.objects.select_related("kommun").get(budget_year=2026)


@pytest.fixture
def round_2027(loaded, db):
    return Round.objects.select_related("kommun").get(budget_year=2027)


def export(writer, obj, **kwargs):
    """Run ``writer`` into a BytesIO; the workbook reopened, and the row count."""
    out = io.BytesIO()
    rows = writer(obj, out, **kwargs)
    out.seek(0)
    return openpyxl.load_workbook(out), rows


def values(ws, first=1):
    return [list(row) for row in ws.iter_rows(min_row=first, values_only=True)]


def sample(name):
    return openpyxl.load_workbook(SAMPLES / name).worksheets[0]


def cells(wb):
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def texts(wb) -> list[str]:
    return [cell.value for cell in cells(wb) if isinstance(cell.value, str)]


def analysis_of(round, name) -> Analysis:
    return Analysis.objects.select_related("round", "forvaltning").get(
        round=round, forvaltning__name=name
    )


# --- neutralise and sheet names -------------------------------------------------


@pytest.mark.parametrize("value", [*PAYLOADS, "\x00x", "=", "-"])
def test_neutralise_prefixes_a_text_that_would_start_a_formula(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Text", "", " =1", "a=b", "'=1", 12, -5, 1.5, None])
def test_neutralise_leaves_other_values_unchanged(value):
    assert neutralise(value) == value


def test_sheet_titles_are_what_excel_accepts_and_unique():
    taken: set[str] = set()
    assert sheet_title("Bygg/Miljö: [a]*b?c\\d", taken) == "Bygg Miljö a b c d"
    long = "Kultur- och fritidsnämnden i Exempelkommun"
    first = sheet_title(long, taken)
    second = sheet_title(long, taken)
    assert len(first) <= 31 and len(second) <= 31
    assert first == long[:31].strip()
    assert second.endswith(" (2)") and second != first
    assert sheet_title("'Citat'", taken) == "Citat"
    assert sheet_title("???", taken) == "Blad"


# --- verksamhetsanalys ---------------------------------------------------------


def test_analysis_is_the_sample_grid(round_2027):
    """Samhällsbyggnad's grid in the demo is the source's grid: the export
    reads as the sample does, row for row."""
    analysis = analysis_of(round_2027, "Samhällsbyggnadsförvaltningen")
    wb, count = export(write_analysis, analysis)
    ws = wb.worksheets[0]
    source = sample("verksamhetsanalys-samhallsbyggnad.xlsx")
    assert ws.title == "Samhällsbyggnadsförvaltningen"
    assert ws["A1"].value == "Förvaltning: Samhällsbyggnadsförvaltningen"
    assert source["A1"].value.startswith("Förvaltning: ")
    assert values(ws, 2) == values(source, 2)
    assert count == AnalysisItem.objects.filter(analysis=analysis).count() == 25
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:E6"
    assert all(cell.font.b for cell in ws[2])
    assert ws["B3"].alignment.wrap_text and ws["B3"].value.count("\n") == 4
    assert ws.column_dimensions["B"].width >= 30
    assert wb.properties.creator == "Prioritering"
    assert wb.properties.title == ("Verksamhetsanalys 2027 – Samhällsbyggnadsförvaltningen")


def test_analysis_items_with_line_breaks_stay_one_line_each(round_2027):
    analysis = analysis_of(round_2027, "Bildningsförvaltningen")
    perspektiv = ListItem.objects.filter(round=round_2027, kind=ListKind.PERSPEKTIV).first()
    AnalysisItem.objects.filter(analysis=analysis).delete()
    for position, text in enumerate(["Första\nraden", "Andra"]):
        AnalysisItem.objects.create(
            analysis=analysis,
            perspektiv=perspektiv,
            column=AnalysisColumn.NULAGE,
            text=text,
            position=position,
        )
    wb, count = export(write_analysis, analysis)
    assert count == 2
    assert wb.worksheets[0]["B3"].value == "Första raden\nAndra"


# --- the base ranking tool ------------------------------------------------------


def test_base_ranking_has_a_sheet_per_namnd_in_the_sample_layout(round_2026):
    wb, rows = export(excel.write_base_ranking, round_2026)
    header = values(sample("rangordning-bas.xlsx"))[0]
    assert wb.sheetnames == ["Kommunstyrelse", "Bildning", "Plan- och miljö", "Social", "Teknisk"]
    not_investments = Proposal.objects.filter(round=round_2026).exclude(
        typ=ProposalType.INVESTERING
    )
    assert rows == not_investments.count() == 17
    for ws in wb.worksheets:
        assert values(ws)[0] == header
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:I{ws.max_row}"
        assert all(cell.font.b for cell in ws[1])
    ws = wb["Bildning"]
    bildning = list(
        selectors.eligible_proposals(
            round_2026, round_2026.kommun.namnder.get(short_name="Bildning")
        )
        .exclude(typ=ProposalType.INVESTERING)
        .order_by("rangordning", "number")
    )
    assert [row[0] for row in values(ws, 2)] == [p.situation for p in bildning]
    first = bildning[0]
    assert values(ws, 2)[0] == [
        first.situation,
        "Samhälle",
        first.atgard,
        Svarighetsgrad(first.svarighetsgrad).label,
        Grad(first.effekt).label,
        Grad(first.nytta).label,
        first.cost_year1,
        Kostnadseffektivitet(first.kostnadseffektivitet).label,
        first.rangordning,
    ]
    assert ws["G2"].number_format == "#,##0" and ws["G2"].data_type == "n"
    assert ws["A2"].alignment.wrap_text
    saving = values(ws)[-1]
    assert saving[6] == -300 and saving[8] == 8


def test_base_ranking_writes_the_recommendation_when_not_ranked(round_2026):
    proposal = Proposal.objects.get(round=round_2026, title="Gemensam rekryteringsfunktion")
    proposal.rekommendation, proposal.rangordning = "icke_gora", None
    proposal.save()
    wb, _rows = export(excel.write_base_ranking, round_2026)
    row = next(r for r in values(wb["Kommunstyrelse"]) if r[2] == proposal.atgard)
    assert row[8] == "Icke-göra"


# --- the investment tool --------------------------------------------------------


def test_investments_are_in_the_sample_layout(round_2026):
    wb, rows = export(excel.write_investments, round_2026)
    assert rows == 1
    assert wb.sheetnames == ["Teknisk"]
    ws = wb["Teknisk"]
    assert values(ws)[0] == values(sample("rangordning-investeringar.xlsx"))[0]
    assert values(ws)[1] == [
        "Ny simhall, förstudie",
        1200,
        300,
        0,
        0,
        "Måttlig",
        "Måttlig",
        "Måttlig",
        "8000–11000",
        "Måttlig",
        5,
    ]
    assert [ws.cell(2, col).number_format for col in range(2, 6)] == ["#,##0"] * 4
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:K2"


def test_investments_write_one_cost_per_year_as_a_number(round_2026):
    for proposal in Proposal.objects.filter(round=round_2026, typ=ProposalType.INVESTERING):
        proposal.cost_per_year_min = proposal.cost_per_year_max = 900
        proposal.save()
    wb, _rows = export(excel.write_investments, round_2026)
    assert wb["Teknisk"]["I2"].value == 900
    assert wb["Teknisk"]["I2"].number_format == "#,##0"


# --- the forum compilation ------------------------------------------------------


def test_forum_compilation_is_in_the_sample_layout_and_the_lists_order(round_2026):
    wb, rows = export(excel.write_forum_compilation, round_2026)
    ws = wb.worksheets[0]
    source = sample("forum-sammanstallning.xlsx")
    assert ws.title == source.title == "Sammanställning"
    assert values(ws)[:2] == values(source)[:2]
    assert {str(r) for r in ws.merged_cells.ranges} == {"H1:J1"}
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:O{ws.max_row}"
    assert all(cell.font.b for row in ws["A1:O2"] for cell in row if cell.value)
    table = selectors.forum_table(round_2026)
    assert rows == len(table) == 14
    assert [row[3] for row in values(ws, 3)] == [row.proposal.title for row in table]
    assert values(ws, 3)[0] == [
        "Social",
        "Grunduppdrag",
        "Socialförvaltning",
        "Bostadsförsörjning missbrukare",
        "Nya behov",
        "Volym/Demografi",
        "Ambitionsökning",
        1200,
        1200,
        1200,
        "Mycket stor",
        "Stor",
        "Hög",
        1,
        "Fortsatt hemlöshet, ökad ohälsa och höga kostnader för akutboenden.",
    ]
    assert [ws.cell(3, col).number_format for col in (8, 9, 10)] == ["#,##0"] * 3
    typ = {row[3]: row[4] for row in values(ws, 3)}
    assert typ["Samordnade inköp"] == "Effektivisering"
    assert typ["Sommarförskola på färre enheter"] == "Ransonering"


def test_forum_compilation_writes_a_half_median_as_a_decimal(round_2026):
    first = selectors.forum_table(round_2026)[0].proposal
    member = User.objects.get(username="forum-1")
    ForumRank.objects.filter(round=round_2026, proposal=first).delete()
    for user, value in ((member, 1), (User.objects.get(username="forum-2"), 2)):
        ForumRank.objects.create(round=round_2026, member=user, proposal=first, rank=value)
    wb, _rows = export(excel.write_forum_compilation, round_2026)
    ws = wb.worksheets[0]
    cell = next(
        ws.cell(r, 14) for r in range(3, ws.max_row + 1) if ws.cell(r, 4).value == first.title
    )
    assert cell.value == 1.5
    assert cell.number_format == "0.0"


# --- the decisions ------------------------------------------------------------------


def test_decisions_show_a_correction_beside_the_published_decision(round_2026):
    from ranking.models import Decision, Outcome

    refused = Decision.objects.filter(round=round_2026, outcome=Outcome.AVSLAS).first()
    reason = "=KF beslutade annorlunda"  # a formula-looking reason stays text
    decision_services.correct_decision(
        round_2026,
        refused.proposal_id,
        Outcome.FINANSIERAS,
        None,
        reason,
        by=User.objects.get(username="controller"),
    )
    wb, _rows = export(excel.write_decisions, round_2026)
    ws = wb.worksheets[0]
    header = values(ws)[8]
    row = next(row for row in values(ws, 10) if row[2] == refused.proposal.reference)
    assert row[header.index("Beslut")] == "Avslås"  # the published decision stays
    correction = row[header.index("Rättelse efter publicering")]
    assert ": Finansieras. Skäl: =KF beslutade annorlunda" in correction
    assert all(cell.data_type != "f" for line in ws.iter_rows() for cell in line)


def test_decisions_follow_the_agreed_order_with_the_budget_line(round_2026):
    wb, rows = export(excel.write_decisions, round_2026)
    ws = wb.worksheets[0]
    assert ws.title == "Beslut"
    assert ws["A1"].value == "Beslut – Prioriteringsomgång 2026" and ws["A1"].font.b
    block = {row[0]: row[1] for row in values(ws)[1:7]}
    assert block["Kommun"] == "Exempelkommun"
    assert block["Ekonomiskt utrymme (tkr)"] == 6000
    assert block["Ram med besparingar (tkr)"] == 7400
    assert ws["B3"].number_format == "#,##0"
    header = values(ws)[8]
    assert header[:4] == ["Plats", "Plats enligt sammanvägd rangordning", "Referens", "Nämnd"]
    assert "Beslut" in header and "Motivering" in header and "Budgetlinjen" in header
    assert ws.freeze_panes == "A10"
    assert ws.auto_filter.ref == f"A9:P{ws.max_row}"
    table = values(ws, 10)
    outcome = selectors.outcome_rows(round_2026)
    assert rows == len(table) == len(outcome) == 14
    assert [row[2] for row in table] == [r.proposal.reference for r in outcome]
    assert [row[0] for row in table] == list(range(1, 15))
    first = dict(zip(header, table[0], strict=True))
    assert first["Referens"] == "2026-008"
    assert first["Beslut"] == "Finansieras delvis"
    assert first["Beviljat belopp år 1 (tkr)"] == 600
    assert first["Kumulativ kostnad år 1 (tkr)"] == 600
    assert first["Budgetlinjen"] == "Ryms inom ramen"
    moved = dict(zip(header, table[7], strict=True))
    assert (moved["Plats"], moved["Plats enligt sammanvägd rangordning"]) == (8, 10)
    assert moved["Motivering till platsen"].startswith("Forumet flyttade upp")
    assert header[-1] == "Rättelse efter publicering"
    assert all(row[-1] is None for row in table)  # nothing corrected yet
    words = {row[4]: row[header.index("Budgetlinjen")] for row in table}
    assert words["Ny simhall, förstudie"] == "Under linjen"
    assert words["Samordnade inköp"] == "Besparing, vidgar ramen"
    assert words["Underhåll av gång- och cykelvägar"] == "Inom nämndens ram"
    assert words["Sommarförskola på färre enheter"] == "Besparing som inte räknas"
    assert ws.cell(10, 7).number_format == "#,##0"


# --- formula neutralisation in every export ----------------------------------------


def _inject(round_2026):
    """Proposals, items, list names and decisions whose texts would be formulas."""
    analysis = analysis_of(round_2026, "Bildningsförvaltningen")
    controller = User.objects.get(username="controller")
    fokus = ListItem.objects.create(round=round_2026, kind=ListKind.FOKUSOMRADE, name="=2+2")
    for typ in (ProposalType.NYA_BEHOV, ProposalType.INVESTERING):
        for payload in PAYLOADS:
            proposal = make_proposal(
                analysis,
                title=payload,
                situation=payload,
                atgard=payload,
                konsekvensanalys=payload,
                typ=typ,
                fokusomrade=fokus,
                cost_year1=-5,
            )
            send_on(round_2026, proposal, "Bildningsnämnden")
            Decision.objects.create(
                round=round_2026,
                proposal=proposal,
                outcome=Outcome.AVSLAS,
                motivation=payload,
                decided_by=controller,
            )
    perspektiv = ListItem.objects.filter(round=round_2026, kind=ListKind.PERSPEKTIV)
    first = perspektiv[0]
    first.name = "@perspektiv"
    first.save()
    AnalysisItem.objects.filter(analysis=analysis).delete()
    columns = list(AnalysisColumn.values)
    for i, payload in enumerate(PAYLOADS):
        AnalysisItem.objects.create(
            analysis=analysis,
            perspektiv=perspektiv[i // 4],
            column=columns[i % 4],
            text=payload,
        )
    return analysis


def _inert(wb):
    for cell in cells(wb):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), cell.value


def _shown(payload, found, *, one_line=False):
    """Whether ``payload`` came back as text behind a ``'``. An XML reader may
    turn a lone CR into a line feed; an analysis item keeps to one line."""
    if one_line:
        return ("'" + payload.replace("\r", " ")) in found
    return ("'" + payload) in found or ("'" + payload.replace("\r", "\n")) in found


@pytest.mark.parametrize("writer", [*ROUND_WRITERS, write_analysis], ids=lambda w: w.__name__)
def test_every_export_writes_would_be_formulas_as_inert_text(round_2026, writer):
    analysis = _inject(round_2026)
    wb, _rows = export(writer, analysis if writer is write_analysis else round_2026)
    _inert(wb)
    found = set(texts(wb))
    for payload in PAYLOADS:
        one_line = writer is write_analysis
        assert _shown(payload, found, one_line=one_line), (writer.__name__, payload)
    if writer is write_analysis:
        assert "'@perspektiv" in found
    if writer is excel.write_forum_compilation:
        assert "'=2+2" in found
    costs = [c for c in cells(wb) if c.value == -5]
    if writer is not write_analysis:
        assert costs and all(c.data_type == "n" for c in costs)


def test_control_characters_an_xlsx_cannot_hold_are_dropped_and_hide_no_formula(round_2026):
    """(NUL cannot be stored in PostgreSQL at all; neutralise() is tested with it above.)"""
    analysis = analysis_of(round_2026, "Bildningsförvaltningen")
    for title in ("\x02=1+1", "\x01+2", "Rad\x0bett"):
        make_proposal(analysis, title=title, typ=ProposalType.INVESTERING)
    wb, _rows = export(excel.write_investments, round_2026)
    _inert(wb)
    assert {"'=1+1", "'+2", "Radett"} <= set(texts(wb))


# --- who sees what --------------------------------------------------------------------


def test_drafts_and_returned_analyses_are_not_in_the_tools(round_2027):
    """2027: Bildning and Social are drafts, Tekniska returned."""
    hidden = set(
        Proposal.objects.filter(round=round_2027)
        .exclude(analysis__status=AnalysisStatus.SUBMITTED)
        .values_list("title", flat=True)
    )
    assert hidden
    wb, rows = export(excel.write_base_ranking, round_2027)
    assert wb.sheetnames == ["Kommunstyrelse", "Plan- och miljö"]
    assert rows == 6
    shown = set(texts(wb))
    assert not {p.situation for p in Proposal.objects.filter(title__in=hidden)} & shown
    wb, rows = export(excel.write_investments, round_2027)
    assert rows == 0
    assert wb.sheetnames == ["Investeringar"]
    assert values(wb.worksheets[0]) == [values(sample("rangordning-investeringar.xlsx"))[0]]


def test_a_returned_analysis_and_a_withdrawn_proposal_leave_the_round_exports(round_2026):
    teknik = analysis_of(round_2026, "Tekniska förvaltningen")
    teknik.status = AnalysisStatus.RETURNED
    teknik.save()
    withdrawn = Proposal.objects.get(round=round_2026, title="Samordnade inköp")
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    hidden = set(Proposal.objects.filter(analysis=teknik).values_list("title", flat=True))
    hidden.add(withdrawn.title)
    for writer in ROUND_WRITERS:
        wb, rows = export(writer, round_2026)
        assert not hidden & set(texts(wb)), writer.__name__
    wb, rows = export(excel.write_forum_compilation, round_2026)
    assert rows == 14 - 4
    wb, rows = export(excel.write_decisions, round_2026)
    assert rows == 14 - 4


# --- progress, queries and time ----------------------------------------------------------


def _grow(round, count: int) -> None:
    """``count`` more proposals in the round's submitted analyses, every one
    sent on to the forum, ranked by two members and decided (bulk, for speed)."""
    analyses = list(
        round.analyses.filter(status=AnalysisStatus.SUBMITTED).select_related("forvaltning")
    )
    author = User.objects.get(username="tjp-bildning")
    start = Proposal.objects.filter(round=round).count() + 1
    typs = [ProposalType.NYA_BEHOV, ProposalType.INVESTERING, ProposalType.EFFEKTIVISERING]
    proposals = raw(Proposal).bulk_create(
        Proposal(
            round=round,
            analysis=analyses[i % len(analyses)],
            number=start + i,
            title=f"Förslag {start + i}",
            situation="Situation",
            atgard="Åtgärd",
            typ=typs[i % 3],
            cost_year1=100 + i,
            cost_year2=100,
            cost_per_year_min=10,
            cost_per_year_max=20,
            svarighetsgrad=Svarighetsgrad.STOR,
            nytta=Grad.MATTLIG,
            kostnadseffektivitet=Kostnadseffektivitet.HOG,
            rangordning=1 + i % 10,
            created_by=author,
        )
        for i in range(count)
    )
    results = {
        r.namnd_id: r for r in NamndResult.objects.filter(round=round).select_related("namnd")
    }
    for namnd_id in {analysis.forvaltning.namnd_id for analysis in analyses} - set(results):
        results[namnd_id] = NamndResult.objects.create(round=round, namnd_id=namnd_id)
    raw(NamndRanking).bulk_create(
        NamndRanking(
            result=results[p.analysis.forvaltning.namnd_id],
            proposal=p,
            rank=1,
            handling=Handling.KOMMUNGEMENSAM,
            position=1000 + i,
        )
        for i, p in enumerate(proposals)
    )
    members = list(User.objects.filter(username__in=["forum-1", "forum-2"]))
    raw(ForumRank).bulk_create(
        ForumRank(round=round, member=m, proposal=p, rank=1 + (p.number + j) % 10)
        for p in proposals
        for j, m in enumerate(members)
    )
    controller = User.objects.get(username="controller")
    raw(Decision).bulk_create(
        Decision(
            round=round,
            proposal=p,
            outcome=Outcome.FINANSIERAS,
            motivation="Motivering",
            decided_by=controller,
        )
        for p in proposals
    )


def raw(model) -> QuerySet:
    """A plain queryset: test data in bulk, past the audited managers (which
    refuse bulk writes so that the app never skips the history)."""
    return QuerySet(model)


def _queries(writer, obj) -> int:
    with CaptureQueriesContext(connection) as queries:
        writer(obj, io.BytesIO())
    return len(queries)


@pytest.mark.parametrize("writer", ROUND_WRITERS, ids=lambda w: w.__name__)
def test_round_exports_ask_as_many_queries_for_more_proposals(
    round_2026, writer, django_assert_num_queries
):
    # A fresh round each time, as the worker reads it: what a round caches
    # (its forum result) must not make the second count look smaller.
    before = _queries(writer, Round.objects.get(pk=round_2026.pk))
    assert before <= 15
    _grow(round_2026, 60)
    fresh = Round.objects.get(pk=round_2026.pk)
    with django_assert_num_queries(before):
        writer(fresh, io.BytesIO())


def test_analysis_export_asks_as_many_queries_for_more_items(round_2026, django_assert_num_queries):
    analysis = analysis_of(round_2026, "Socialförvaltningen")
    before = _queries(write_analysis, analysis)
    assert before <= 3
    perspektiv = ListItem.objects.filter(round=round_2026, kind=ListKind.PERSPEKTIV).first()
    raw(AnalysisItem).bulk_create(
        AnalysisItem(analysis=analysis, perspektiv=perspektiv, column=1 + i % 4, text=f"P {i}")
        for i in range(200)
    )
    with django_assert_num_queries(before):
        write_analysis(analysis, io.BytesIO())


def test_1500_proposals_export_with_progress(round_2026):
    """Every row, with progress all the way (the speed is bench/documents.py's)."""
    _grow(round_2026, 1500)
    for writer in ROUND_WRITERS:
        calls: list[tuple[int, int]] = []
        rows = writer(round_2026, io.BytesIO(), progress=lambda d, t, c=calls: c.append((d, t)))
        assert rows >= 500, writer.__name__
        assert calls[0] == (0, rows) and calls[-1] == (rows, rows)
        assert len(calls) >= rows // PROGRESS_EVERY
        assert [d for d, _t in calls] == sorted(d for d, _t in calls)
