"""Importing the sample spreadsheets in the browser: the controller uploads
the forum compilation into the demo's round 2027, reads the preview — each row
as it will be stored — confirms, and finds the proposals; a file with errors
is refused with the problems beside their rows. Keyboard only after choosing
the file; axe on every page."""

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rounds.models import Proposal
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.demo_snapshot import load_demo

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")
DATA = Path("/work/shared/data")
if not DATA.exists():
    DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture
def rounds(demo_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo(with_round=True, phase="analys")  # proposals are imported during the analysis
    return demo_site


def choose(page, path: Path) -> None:
    page.get_by_label("Excel-fil (.xlsx)").set_input_files(str(path))


def press(page, name: str) -> None:
    button = page.get_by_role("button", name=name)
    tab_to(page, button, 60)
    page.keyboard.press("Enter")


def test_controller_imports_the_forum_compilation_into_2027(page, rounds):
    before = Proposal.objects.filter(round__budget_year=2027).count()
    sign_in(page, "controller")
    page.goto("/omgangar/2027/")
    page.get_by_role("link", name="Importera förslag från Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importera från Excel till omgång 2027"
    )
    assert_accessible(page, "the import page")

    choose(page, DATA / "forum-sammanstallning.xlsx")
    press(page, "Förhandsgranska")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Förhandsgranska import till omgång 2027"
    )
    expect(page.get_by_text("Fritidsgård NN")).to_be_visible()
    assert_accessible(page, "the preview")
    assert Proposal.objects.filter(round__budget_year=2027).count() == before  # nothing yet

    press(page, "Importera 9 förslag och 0 analyspunkter")
    expect(page.get_by_role("status")).to_contain_text("Importerade 9 förslag")
    assert_accessible(page, "after the import")
    assert Proposal.objects.filter(round__budget_year=2027).count() == before + 9
    imported = (  # the demo has its own Fritidsgård NN: the import's is the newest
        Proposal.objects.filter(round__budget_year=2027, title="Fritidsgård NN")
        .order_by("-number")
        .first()
    )
    assert (imported.cost_year1, imported.cost_year2, imported.cost_year3) == (1200, 1200, 1250)


def test_a_file_with_errors_is_refused_with_the_problems_beside_their_rows(page, rounds, tmp_path):
    book = load_workbook(DATA / "forum-sammanstallning.xlsx")
    sheet = book.active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    (scale,) = [c for c in cells if str(c.value or "").startswith("Svårighetsgrad")]
    (title,) = [c for c in cells if c.value == "Fritidsgård NN"]
    sheet.cell(title.row, scale.column).value = "Ganska stor"  # not a scale word
    broken = tmp_path / "trasig.xlsx"
    book.save(broken)
    before = Proposal.objects.count()

    sign_in(page, "controller")
    page.goto("/omgangar/2027/importera/")
    choose(page, broken)
    press(page, "Förhandsgranska")
    expect(page.get_by_text("Ingenting importeras")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Fritidsgård NN")
    expect(row).to_contain_text("Okänt ord ”Ganska stor”")
    expect(page.get_by_role("button", name="Importera")).to_have_count(0)
    assert_accessible(page, "a refused preview")
    assert Proposal.objects.count() == before


def test_an_analysis_submitted_after_the_preview_brings_the_preview_back(page, rounds, console):
    """The preview said where the rows go; Bildningsförvaltningen hands its
    analysis in before the controller confirms: nothing is imported, the
    preview comes back with the warning, and confirming it again imports."""
    from django.utils import timezone

    from rounds.models import Analysis, AnalysisStatus

    before = Proposal.objects.filter(round__budget_year=2027).count()
    sign_in(page, "controller")
    page.goto("/omgangar/2027/importera/")
    choose(page, DATA / "forum-sammanstallning.xlsx")
    press(page, "Förhandsgranska")
    expect(page.get_by_text("Fritidsgård NN")).to_be_visible()

    analysis = Analysis.objects.get(
        round__budget_year=2027, forvaltning__name="Bildningsförvaltningen"
    )
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.submitted_at = timezone.now()
    analysis.save()
    press(page, "Importera 9 förslag och 0 analyspunkter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Förhandsgranska import till omgång 2027"
    )
    expect(page.get_by_text("efter förhandsvisningen")).to_contain_text(
        "Bildningsförvaltningen lämnade in sin verksamhetsanalys efter förhandsvisningen."
    )
    assert all("409" in entry for entry in console.take())  # the browser logs the 409
    assert Proposal.objects.filter(round__budget_year=2027).count() == before
    for label, (width, height) in {"bred": (1280, 900), "smal": (390, 844)}.items():
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the preview again ({label}): {overflow} px past the edge"
        assert_accessible(page, f"the preview again ({label})")
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/import-igen-{label}.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    press(page, "Importera 9 förslag och 0 analyspunkter")
    expect(page.get_by_role("status")).to_contain_text("Importerade 9 förslag")
    assert Proposal.objects.filter(round__budget_year=2027).count() == before + 9
