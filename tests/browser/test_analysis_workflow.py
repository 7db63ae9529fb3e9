"""The workflow in the browser, with the keyboard: the förvaltningschef submits
the analysis, the controller returns it with a comment, the chef sees the
comment and can work again; axe on each page."""

import os
import re

import pytest

from rounds.models import AnalysisStatus
from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in, tab_to
from tests.factories import analysis_of, make_proposal, make_round

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def sign_out(page):
    tab_to(page, page.get_by_role("button", name="Logga ut"), 80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_chef_submits_and_controller_returns(page):
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    make_proposal(analysis, title="Fritidsgård NN", rangordning=2)
    grid = f"/omgangar/2027/analyser/{analysis.forvaltning_id}/"

    sign_in(page, "chef-bildning")
    page.goto(grid)
    expect(page.get_by_text("Status: Utkast")).to_be_visible()
    assert_accessible(page, "the grid before submitting")
    tab_to(page, page.get_by_role("button", name="Lämna in till nämnden"), 80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lämna in till Bildningsnämnden?")
    assert_accessible(page, "the submit confirmation")
    tab_to(page, page.get_by_role("button", name="Lämna in till nämnden"), 80)
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("status").filter(has_text="är inlämnade till Bildningsnämnden")
    ).to_be_visible()
    expect(page.get_by_text("Status: Inlämnad")).to_be_visible()
    # Read-only now: no editing buttons in the grid.
    expect(page.get_by_role("button", name="Lägg till")).to_have_count(0)
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUBMITTED
    sign_out(page)

    sign_in(page, "controller")
    page.goto("/omgangar/2027/analyser/")
    assert_accessible(page, "the analyses overview")
    tab_to(page, page.get_by_role("link", name="Bildningsförvaltningen"), 80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bildningsförvaltningen")
    tab_to(page, page.get_by_role("link", name="Återlämna till förvaltningen"), 80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Återlämna verksamhetsanalysen")
    assert_accessible(page, "the return page")
    # An empty comment is refused with the error next to the field.
    tab_to(page, page.get_by_role("button", name="Återlämna", exact=True), 40)
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Skriv vad förvaltningen behöver komplettera eller ändra.").first
    ).to_be_visible()
    assert_accessible(page, "the return page with an error")
    tab_to(page, page.get_by_label("Kommentar till förvaltningen", exact=False), 40)
    page.keyboard.type("Beskriv konsekvenserna om fritidsgården inte öppnar.")
    tab_to(page, page.get_by_role("button", name="Återlämna", exact=True), 40)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Status: Återlämnad")).to_be_visible()
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.RETURNED
    sign_out(page)

    sign_in(page, "chef-bildning")
    expect(page.get_by_text("Beskriv konsekvenserna om fritidsgården inte öppnar.")).to_be_visible()
    page.goto(grid)
    expect(page.get_by_text("Beskriv konsekvenserna om fritidsgården inte öppnar.")).to_be_visible()
    expect(page.get_by_role("button", name="Lämna in till nämnden")).to_be_visible()
    assert_accessible(page, "the returned grid")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_submission_lacking_central_criteria_is_refused_with_links(page, width):
    """The confirmation names the proposal and what it lacks, offers no
    button, and its link leads (by keyboard) to the proposal to fill in."""
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    make_proposal(analysis, title="Fritidsgård NN", rangordning=2)
    make_proposal(analysis, title="Läxhjälp i alla årskurser", nytta=None, cost_year1=0)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "chef-bildning")
    page.goto(f"/omgangar/2027/analyser/{analysis.forvaltning_id}/lamna-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lämna in till Bildningsnämnden?")
    expect(page.get_by_text("Analysen kan inte lämnas in ännu.")).to_be_visible()
    expect(page.get_by_role("button", name="Lämna in till nämnden")).to_have_count(0)
    what = f"the refused submission at {width} px"
    assert_fits(page, what)
    assert_accessible(page, what)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/lamna-in-saknar-{width}.png", full_page=True)
    link = page.get_by_role("link", name="2027-002 Läxhjälp i alla årskurser")
    tab_to(page, link, 80)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/omgangar/2027/forslag/2/$"))
    expect(page.get_by_text("Saknar nytta för målområdet, kostnad år 1.")).to_be_visible()
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.DRAFT
