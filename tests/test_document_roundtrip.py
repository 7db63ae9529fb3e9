"""An export of a round imports back into an empty round with the same
content: every field the layout carries comes back as it went out, in the
same förvaltning. The demo's round 2026 (assessed, ranked, decided) goes out
through each Excel layout and into a new round 2030."""

import io

import pytest
from django.db import transaction

from demo.loading import load_demo
from ranking.documents import DECISION_PDF, FORUM_XLSX, excel
from rounds.documents.analysis import write_analysis
from rounds.importing import import_workbook, read_workbook
from rounds.models import AnalysisItem, AnalysisStatus, Proposal, ProposalType, Round
from tests.factories import make_round

# What each layout carries of a proposal (besides its title and förvaltning).
CARRIED = {
    "forum": [
        "typ",
        "cost_year1",
        "cost_year2",
        "cost_year3",
        "svarighetsgrad",
        "nytta",
        "kostnadseffektivitet",
        "konsekvensanalys",
        "fokusomrade__name",
        "verksamhetsomrade__name",
        "orsak__name",
        "effekt_pa_sikt__name",
    ],
    "base": [
        "situation",
        "atgard",
        "malomrade",
        "svarighetsgrad",
        "effekt",
        "nytta",
        "kostnadseffektivitet",
        "cost_year1",
        "rangordning",
    ],
    # Its one text column is the proposal's name: "situation + åtgärd" in the
    # sample, the title in our export.
    "investments": [
        "cost_year1",
        "cost_year2",
        "cost_year3",
        "cost_years4_10",
        "cost_per_year_min",
        "cost_per_year_max",
        "svarighetsgrad",
        "effekt",
        "nytta",
        "kostnadseffektivitet",
        "rangordning",
    ],
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo with its rounds, loaded once for this module and rolled back
    after it; each test runs (and imports) in a savepoint within."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def rounds(loaded, db):
    return Round.objects.get(budget_year=2026), make_round(year=2030)


def values(queryset, fields, key):
    """Each proposal's carried fields, by what names it in the layout (the
    tools have no title column: their situation names the proposal) and its
    förvaltning."""
    rows = queryset.values(key, "analysis__forvaltning__name", *fields)
    return {(row[key], row.pop("analysis__forvaltning__name")): row for row in rows}


def round_trip(write, source, target, by):
    out = io.BytesIO()
    written = write(source, out)
    parsed = read_workbook(out.getvalue(), "export.xlsx")
    assert parsed.all_problems == []
    result = import_workbook(target, parsed, by=by)
    return written, result


@pytest.mark.parametrize(
    ("layout", "write", "selection"),
    [
        ("forum", excel.write_forum_compilation, "forwarded"),
        ("base", excel.write_base_ranking, "not investments"),
        ("investments", excel.write_investments, "investments"),
    ],
)
def test_a_round_exported_imports_back_with_the_same_content(
    rounds, demo, layout, write, selection
):
    source, target = rounds
    written, result = round_trip(write, source, target, demo["controller"])
    assert written > 0
    assert result.proposals == written
    fields = CARRIED[layout]
    key = "situation" if layout == "base" else "title"
    imported = values(Proposal.objects.filter(round=target), fields, key)
    exported = values(Proposal.objects.filter(round=source), fields, key)
    assert len(imported) == written
    for key, row in imported.items():
        assert key in exported, f"{key} is not a proposal of the exported round"
        assert row == exported[key], key
    if selection == "investments":
        assert {row["typ"] for row in Proposal.objects.filter(round=target).values("typ")} == {
            ProposalType.INVESTERING
        }


def test_an_analysis_grid_exported_imports_back_into_the_same_cells(rounds, demo):
    source, target = rounds
    analysis = source.analyses.select_related("forvaltning").get(
        forvaltning__name="Samhällsbyggnadsförvaltningen"
    )
    assert analysis.status == AnalysisStatus.SUBMITTED
    out = io.BytesIO()
    written = write_analysis(analysis, out)
    parsed = read_workbook(out.getvalue(), "grid.xlsx")
    result = import_workbook(target, parsed, by=demo["controller"])
    assert result.items == written > 0

    def cells(round):
        return sorted(
            AnalysisItem.objects.filter(
                analysis__round=round, analysis__forvaltning=analysis.forvaltning
            ).values_list("perspektiv__name", "column", "text")
        )

    assert cells(target) == cells(source)


def test_an_export_asked_for_in_english_is_the_swedish_template_and_imports_back(rounds, demo):
    """The layouts' header and scale words are what the importer reads."""
    from django.utils import translation

    from documents import generate

    source, target = rounds
    with translation.override("en"):
        document, _ = generate.request_document(
            source, FORUM_XLSX, by=demo["controller"], language="en"
        )
        assert document.language == "sv"
        pdf, _ = generate.request_document(
            source, DECISION_PDF, by=demo["controller"], language="en"
        )
        assert pdf.language == "en"
        assert generate.run(document.pk, 1) == "done"
    document.refresh_from_db()
    parsed = read_workbook(document.file.read(), "export.xlsx")
    assert parsed.all_problems == []
    assert import_workbook(target, parsed, by=demo["controller"]).proposals == document.rows
