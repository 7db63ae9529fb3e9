"""The follow-up report as PDF and as Excel, made as the worker makes them
(rounds/documents/followup.py): the period's numbers are in the PDF, the
Excel's cells are the hand-computed ones, a text that would start a formula
is inert; and only the controller may ask for them or download them."""

import io
import re
import shutil

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from documents import generate
from documents.models import Document
from followup.documents import FOLLOWUP_PDF, FOLLOWUP_XLSX
from followup.models import PeriodKind
from ranking.documents import FORUM_XLSX
from rounds.models import User
from tests.factories import make_round
from tests.followup.test_overview import YEAR, build_case, periods_of, round_2026  # noqa: F401
from tests.helpers import assert_sent_to_sign_in, cast_except

KINDS = (FOLLOWUP_PDF, FOLLOWUP_XLSX)
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker, tmp_path_factory):
    """The hand-made case's Delår report as PDF and Excel, made once."""
    import datetime

    from django.db import transaction
    from django.test import override_settings
    from django.utils import timezone

    from demo.loading import load_demo
    from followup.services import set_periods
    from rounds.models import Phase

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_demo()
        controller = User.objects.get(username="controller")
        round = make_round(year=YEAR, phase=Phase.UPPFOLJNING)
        today = timezone.localdate()
        set_periods(
            round,
            {
                PeriodKind.TERTIAL_1: today - datetime.timedelta(days=120),
                PeriodKind.DELAR: today - datetime.timedelta(days=30),
            },
            by=controller,
        )
        build_case(round)
        delar = periods_of(round)[PeriodKind.DELAR]
        files = {}
        for kind in KINDS:
            document, _ = generate.request_document(round, kind, by=controller, period=delar)
            outcome = generate.run(document.pk, 1)
            document.refresh_from_db()
            assert outcome == "done", document.error
            files[kind] = (document, document.file.read(), generate.file_name(document))
        transaction.set_rollback(True)
    yield files
    shutil.rmtree(media, ignore_errors=True)


# --- the PDF ---------------------------------------------------------------------------


def pdf_pages(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [
        " ".join(page.extract_text().replace(NBSP, " ").split()) for page in reader.pages
    ]


def test_the_pdf_is_the_periods_report_with_cover_and_numbered_pages(made, db):
    document, data, name = made[FOLLOWUP_PDF]
    reader, pages = pdf_pages(data)
    assert name == "uppfoljning-delar-2026-v1.pdf"
    assert document.pages == len(pages) >= 5
    assert reader.metadata.title == (
        "Uppföljningsrapport – Prioriteringsomgång 2026 – Delår (januari–augusti)"
    )
    cover = pages[0]
    assert "Uppföljningsrapport" in cover and "Delår (januari–augusti)" in cover
    assert "Rapporter inne 3 av 4" in cover
    assert "Avvikelse i kostnad +70 tkr" in cover
    assert "Sida" not in cover
    for number, text in enumerate(pages[1:], start=2):
        assert f"Sida {number} av {len(pages)}" in text
    toc = pages[1]
    for heading in ("Sammanfattning", "Kostnad mot budget per nämnd", "Alla förslag som följs upp"):
        match = re.search(re.escape(heading) + r"[ .]*?(\d+)", toc)
        assert match, heading
        assert heading in pages[int(match.group(1)) - 1], heading


def test_the_pdf_holds_the_periods_numbers(made, db):
    _, data, _ = made[FOLLOWUP_PDF]
    _, pages = pdf_pages(data)
    text = " ".join(pages[2:])
    # The status counts.
    assert "Enligt plan 1" in text and "Mindre avvikelse 1" in text
    assert "Genomförd 1" in text and "Rapport saknas 1" in text
    # The cost per nämnd (tkr) and the total.
    assert "Bildningsnämnden 1 800 1 200 2 av 2 1 200 1 330 +130" in text
    assert "Socialnämnden 540 360 1 av 2 −240 −300 −60" in text
    assert "Totalt 2 340 1 560 3 av 4 960 1 030 +70" in text
    # The chart, drawn: its legend and its nämnder.
    assert "Utfall t.o.m. perioden" in text and "2 av 2 rapporter inne" in text
    # The missing report, the deviation with its measures.
    assert "2026-004 Anhörigstöd Socialförvaltningen Försenad – saknas" in text
    assert "Vikarier under våren kostade mer än planerat." in text
    assert "=Färre vikarier till hösten." in text
    # Every proposal with its status; the rejected one is not followed up.
    assert "Enligt plan (Tertial 1)" in text and "Inlämnad för sent" in text
    for title in ("Fler lärare i matematik", "Läxhjälp på biblioteket", "Digitala nattkontroller"):
        assert title in text
    assert "Ny simhall" not in text


# --- the Excel ---------------------------------------------------------------------------


def workbook(made):
    document, data, name = made[FOLLOWUP_XLSX]
    return document, load_workbook(io.BytesIO(data)), name


def test_the_excel_has_a_row_per_proposal_as_computed_by_hand(made, db):
    document, wb, name = workbook(made)
    assert name == "uppfoljning-delar-2026-v1.xlsx"
    assert wb.sheetnames == ["Uppföljning", "Per nämnd"]
    assert document.rows == 4
    ws = wb["Uppföljning"]
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    assert rows[0] == [
        "Förslag",
        "Rubrik",
        "Nämnd",
        "Förvaltning",
        "Beslut",
        "Beslutat år 1 (tkr)",
        "Budget t.o.m. perioden (tkr)",
        "Utfall (tkr)",
        "Avvikelse (tkr)",
        "Status",
        "Rapport",
        "Avvikelse",
        "Föreslagna åtgärder",
        "Verksamhetsplan",
        "Budget",
        "Internkontrollplan",
    ]
    # Nothing of the genomförande recorded here (tests/followup/test_implementation.py).
    assert rows[1:] == [
        [
            "2026-001",
            "Fler lärare i matematik",
            "Bildningsnämnden",
            "Bildningsförvaltningen",
            "Finansieras",
            1200,
            800,
            950,
            150,
            "Mindre avvikelse",
            "Inlämnad i tid",
            "Vikarier under våren kostade mer än planerat.",
            "'=Färre vikarier till hösten.",
            *["Saknas"] * 3,
        ],
        [
            "2026-002",
            "Läxhjälp på biblioteket",
            "Bildningsnämnden",
            "Bildningsförvaltningen",
            "Finansieras delvis",
            600,
            400,
            380,
            -20,
            "Enligt plan",
            "Inlämnad för sent",
            None,
            None,
            *["Saknas"] * 3,
        ],
        [
            "2026-003",
            "Digitala nattkontroller",
            "Socialnämnden",
            "Socialförvaltningen",
            "Genomförs (effektivisering)",
            -360,
            -240,
            -300,
            -60,
            "Genomförd",
            "Inlämnad i tid",
            None,
            None,
            *["Saknas"] * 3,
        ],
        [
            "2026-004",
            "Anhörigstöd",
            "Socialnämnden",
            "Socialförvaltningen",
            "Inom nämndens ram",
            900,
            600,
            None,
            None,
            "Enligt plan (Tertial 1)",
            "Försenad – saknas",
            None,
            None,
            *["Saknas"] * 3,
        ],
    ]


def test_the_excel_sums_per_namnd_and_in_total(made, db):
    _, wb, _ = workbook(made)
    rows = [list(row) for row in wb["Per nämnd"].iter_rows(values_only=True)]
    assert rows == [
        [
            "Nämnd",
            "Förslag",
            "Rapporter inne",
            "Beslutat år 1 (tkr)",
            "Budget t.o.m. perioden (tkr)",
            "Budget för inlämnade rapporter (tkr)",
            "Utfall (tkr)",
            "Avvikelse (tkr)",
        ],
        ["Bildningsnämnden", 2, 2, 1800, 1200, 1200, 1330, 130],
        ["Socialnämnden", 2, 1, 540, 360, -240, -300, -60],
        ["Totalt", 4, 3, 2340, 1560, 960, 1030, 70],
    ]
    total = wb["Per nämnd"]["A4"]
    assert total.font.b


def test_the_excel_is_a_real_spreadsheet(made, db):
    _, wb, _ = workbook(made)
    assert wb.properties.creator == "Prioritering"
    for ws, last_column in ((wb["Uppföljning"], "P"), (wb["Per nämnd"], "H")):
        assert ws.freeze_panes == "A2"
        assert all(cell.font.b for cell in ws[1])
        assert ws.auto_filter.ref.startswith("A1:" + last_column)
    amounts = [row[5:9] for row in wb["Uppföljning"].iter_rows(min_row=2)]
    assert {cell.number_format for row in amounts for cell in row} == {"#,##0"}
    assert all(cell.data_type == "n" for row in amounts for cell in row if cell.value is not None)


def test_the_excel_has_no_formula_and_a_would_be_formula_is_inert(made, db):
    _, wb, _ = workbook(made)
    cells = [cell for ws in wb for row in ws.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert "'=Färre vikarier till hösten." in texts
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)


# --- who may ask and download ----------------------------------------------------------


@pytest.fixture
def case(round_2026):  # noqa: F811
    build_case(round_2026)
    return round_2026


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def done(round, kind) -> Document:
    """A finished follow-up document of Delår, made without the worker."""
    delar = periods_of(round)[PeriodKind.DELAR]
    controller = User.objects.get(username="controller")
    document, _ = generate.request_document(round, kind, by=controller, period=delar)
    generate._claim(document.pk, 1)
    assert generate._store(document, 1, b"innehall", f"x.{generate.extension(kind)}", {}) == "done"
    document.refresh_from_db()
    return document


def ask(client, round, kind):
    delar = periods_of(round)[PeriodKind.DELAR]
    return client.post(reverse("document_request", args=[YEAR]), {"kind": kind, "period": delar.pk})


@pytest.mark.parametrize("kind", KINDS)
def test_the_controller_asks_from_the_overview_and_downloads(case, signed_in, kind):
    client = signed_in("controller")
    response = ask(client, case, kind)
    document = Document.objects.get(kind=kind)
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", args=[YEAR, document.pk])
    assert document.period.kind == PeriodKind.DELAR and document.scope == (
        f"period-{document.period_id}"
    )
    detail = client.get(response["Location"])
    assert "Uppföljningsrapport" in detail.content.decode()
    assert "Delår (januari–augusti)" in detail.content.decode()
    finished = done(case, kind)
    download = client.get(reverse("document_download", args=[YEAR, finished.pk]))
    assert download.status_code == 200
    assert f"uppfoljning-delar-2026-v{finished.version}" in download["Content-Disposition"]


@pytest.mark.parametrize("username", cast_except("controller"))
def test_no_one_else_may_ask_or_download(case, signed_in, username):
    """tjänsteperson, förvaltningschef, nämndledamot, forumdeltagare, läsare, admin."""
    documents = {kind: done(case, kind) for kind in KINDS}
    client = signed_in(username)
    for kind, document in documents.items():
        assert ask(client, case, kind).status_code == 403
        assert client.get(reverse("document_download", args=[YEAR, document.pk])).status_code == 403
        assert client.get(reverse("document_detail", args=[YEAR, document.pk])).status_code == 403
        rerun = client.post(reverse("document_rerun", args=[YEAR, document.pk]))
        assert rerun.status_code == 403
    assert Document.objects.count() == len(KINDS)  # nothing new was asked for
    listed = client.get(reverse("document_list", args=[YEAR])).content.decode()
    assert "Uppföljningsrapport" not in listed


def test_anonymous_may_neither_ask_nor_download(case, client):
    documents = [done(case, kind) for kind in KINDS]
    for kind, document in zip(KINDS, documents, strict=True):
        assert_sent_to_sign_in(ask(client, case, kind))
        assert_sent_to_sign_in(client.get(reverse("document_download", args=[YEAR, document.pk])))
    assert Document.objects.count() == len(KINDS)


def test_the_controllers_document_list_has_the_follow_up_reports(case, signed_in):
    document = done(case, FOLLOWUP_PDF)
    html = signed_in("controller").get(reverse("document_list", args=[YEAR])).content.decode()
    assert "Uppföljningsrapporter" in html
    assert f'href="{reverse("followup_overview", args=[YEAR, "delar"])}"' in html
    assert "Uppföljningsrapport (PDF) – Delår (januari–augusti)" in html
    assert reverse("document_download", args=[YEAR, document.pk]) in html


def test_a_follow_up_report_needs_a_period_of_its_own_round(case, signed_in):
    client = signed_in("controller")
    url = reverse("document_request", args=[YEAR])
    other = make_round(year=2030)
    from followup.models import FollowUpPeriod

    foreign = FollowUpPeriod.objects.create(
        round=other, kind=PeriodKind.DELAR, deadline=periods_of(case)[PeriodKind.DELAR].deadline
    )
    for period in ("", "abc", str(foreign.pk), "99999"):
        response = client.post(url, {"kind": FOLLOWUP_PDF, "period": period})
        assert response.status_code == 404, period
    assert not Document.objects.exists()


def test_versions_count_per_period(case):
    controller = User.objects.get(username="controller")
    periods = periods_of(case)
    first = done(case, FOLLOWUP_XLSX)
    second = done(case, FOLLOWUP_XLSX)
    tertial, _ = generate.request_document(
        case, FOLLOWUP_XLSX, by=controller, period=periods[PeriodKind.TERTIAL_1]
    )
    assert (first.version, second.version, tertial.version) == (1, 2, 1)
    assert tertial.scope != first.scope
    with pytest.raises(ValueError):
        generate.request_document(case, FORUM_XLSX, by=controller, period=periods[PeriodKind.DELAR])
