"""The files themselves, made end to end as the worker makes them, from the
demo's round 2026: the decision document holds the proposals in the decided
order, its totals are right, its pages are numbered and sane, a page renders
to PNG; the other PDFs and every Excel export open."""

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from demo.loading import load_demo
from documents import generate, registry
from documents.models import Document
from followup.documents import FOLLOWUP_PDF, FOLLOWUP_XLSX
from followup.models import FollowUpPeriod
from prioritering.templatetags.formatting import signed_number
from ranking import selectors
from ranking.documents import (
    BASE_XLSX,
    DECISION_PDF,
    DECISIONS_XLSX,
    FORUM_XLSX,
    INVESTMENT_XLSX,
    RANKING_PDF,
)
from ranking.models import NamndResult
from rounds.documents import ANALYSIS_PDF, ANALYSIS_XLSX
from rounds.models import Round


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every kind of document of round 2026, made once for this module."""
    from django.db import transaction
    from django.test import override_settings

    from rounds.models import User

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_demo(with_round=True)
        round = Round.objects.get(budget_year=2026)
        controller = User.objects.get(username="controller")
        analysis = round.analyses.select_related("forvaltning").get(
            forvaltning__name="Socialförvaltningen"
        )
        namnd = NamndResult.objects.select_related("namnd").filter(round=round).first().namnd
        period = FollowUpPeriod.objects.filter(round=round).order_by("kind").first()
        scopes = {
            ANALYSIS_PDF: {"analysis": analysis},
            ANALYSIS_XLSX: {"analysis": analysis},
            RANKING_PDF: {"namnd": namnd},
            FOLLOWUP_PDF: {"period": period},
            FOLLOWUP_XLSX: {"period": period},
        }
        files = {}
        for kind in (kind.value for kind in registry.kinds()):
            document, _ = generate.request_document(
                round, kind, by=controller, **scopes.get(kind, {})
            )
            assert generate.run(document.pk, 1) == "done", Document.objects.get(
                pk=document.pk
            ).error
            document.refresh_from_db()
            files[kind] = (document, document.file.read())
        rows = selectors.outcome_rows(round)
        line = selectors.with_line(rows, round.frame_tkr, round.purpose)
        expected = {
            "titles": [row.proposal.title for row in rows],
            "frame": round.frame_tkr,
            "funded": line,
            "analysis_titles": list(analysis.proposals.values_list("title", flat=True)),
            "namnd": namnd,
        }
        transaction.set_rollback(True)
    yield files, expected
    shutil.rmtree(media, ignore_errors=True)


def text_of(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text().replace("\u00a0", " ") for page in reader.pages]


def number(value: int) -> str:
    return signed_number(value).replace("\u00a0", " ")


def test_the_decision_document_holds_the_proposals_in_the_decided_order(made, db):
    files, expected = made
    document, data = files[DECISION_PDF]
    reader, pages = text_of(data)
    # One page (or more) per proposal, each starting with its reference and
    # title; "Förslagen" opens the first of them, on no page of its own.
    divider = next(i for i, text in enumerate(pages) if "På de följande sidorna" in text)
    first_title = " ".join(pages[divider].split())
    assert re.search(r"\d{4}-\d{3} " + re.escape(expected["titles"][0]), first_title)
    headings = []
    for text in pages[divider:]:  # the proposal pages, not the tables before them
        flat = " ".join(text.split())  # a long title wraps in its heading
        for title in expected["titles"]:
            if re.search(r"\d{4}-\d{3} " + re.escape(title), flat) and title not in headings:
                headings.append(title)
    assert headings == expected["titles"]
    assert document.pages == len(reader.pages)


def test_its_pages_are_numbered_and_sane(made, db):
    files, expected = made
    _, data = files[DECISION_PDF]
    reader, pages = text_of(data)
    total = len(pages)
    proposals = len(expected["titles"])
    assert proposals + 6 <= total <= 3 * proposals + 20
    assert "Sida" not in pages[0]  # the cover
    for number, text in enumerate(pages[1:], start=2):
        assert f"Sida {number} av {total}" in text
    assert reader.metadata.title == "Beslutsunderlag – Prioriteringsomgång 2026"
    assert reader.metadata.author == "Exempelkommun"


def test_its_cover_and_table_of_contents_lead_to_the_right_pages(made, db):
    files, _ = made
    _, data = files[DECISION_PDF]
    _, pages = text_of(data)
    assert "Beslutsunderlag" in pages[0]
    assert "Publicerat" in pages[0]  # the demo's round is published
    toc = pages[1]
    for heading in ("Sammanfattning", "Granskning", "Förslagen"):
        match = re.search(re.escape(heading) + r"[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, heading
        assert heading in pages[int(match.group(1)) - 1], heading


def test_its_totals_are_right(made, db):
    files, expected = made
    _, data = files[DECISION_PDF]
    _, pages = text_of(data)
    summary = next(text for text in pages[2:] if "Sammanfattning" in text)
    line = expected["funded"]
    assert number(expected["frame"]) in summary
    assert number(line.funded_total) in summary
    assert number(line.given_up_total) in summary


def test_it_is_the_public_one(made, db):
    files, _ = made
    document, _ = files[DECISION_PDF]
    assert document.public


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs pdftoppm (poppler-utils)")
def test_a_page_renders_to_png(made, tmp_path, db):
    files, _ = made
    _, data = files[DECISION_PDF]
    source = tmp_path / "beslut.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-f", "3", "-l", "3", "-r", "40", "-png", str(source), str(tmp_path / "s")],
        check=True,
    )
    (png,) = tmp_path.glob("s-*.png")
    assert png.stat().st_size > 5_000  # a page with something on it


def test_the_analysis_and_ranking_documents(made, db):
    files, expected = made
    _, pages = text_of(files[ANALYSIS_PDF][1])
    text = "\n".join(pages)
    assert "Socialförvaltningen" in text
    flat = " ".join(text.split())
    assert expected["analysis_titles"]
    for title in expected["analysis_titles"]:
        assert title in flat
    _, pages = text_of(files[RANKING_PDF][1])
    assert expected["namnd"].name in "\n".join(pages)
    assert "Sida 1 av" in pages[0]


@pytest.mark.parametrize(
    "kind",
    [
        ANALYSIS_XLSX,
        BASE_XLSX,
        INVESTMENT_XLSX,
        FORUM_XLSX,
        DECISIONS_XLSX,
    ],
)
def test_every_excel_export_opens_with_its_rows(made, kind, db):
    files, _ = made
    document, data = files[kind]
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.properties.creator == "Prioritering"
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)  # no formula anywhere
    assert document.rows >= 1
