"""The model's guidance in the browser (issue 16): the questions of the grid's
fourth column, opened, the proposal form's definitions and best and worst
states, opened, the budget line's alternativkostnad and the settings' states
— at 1280 × 900 and 390 × 844, with nothing past the window's
edge and axe clean. The grid shows the questions in the column's heading on a
wide screen and above the grid on a narrow one, never both.

With SCREENSHOT_DIR set, each page is saved there as a PNG at both widths."""

import os
from pathlib import Path

from rounds.models import AnalysisColumn, AnalysisItem, ListItem
from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in
from tests.factories import analysis_of, make_round
from tests.forum_setup import outcome_round

WIDTHS = {"bred": (1280, 900), "smal": (390, 844)}
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")
QUESTION = "Vilka situationer/tillstånd är minst svåra"


def screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def filled_grid():
    """Round 2027 in the analysis phase, Bildning's grid with a point in every cell."""
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    for perspektiv in ListItem.objects.filter(round=analysis.round, kind="perspektiv"):
        for column in AnalysisColumn:
            AnalysisItem.objects.create(
                analysis=analysis,
                perspektiv=perspektiv,
                column=column,
                text=f"{perspektiv.name}: en punkt om {column.label.lower()}",
            )
    return analysis, f"/omgangar/2027/analyser/{analysis.forvaltning_id}/"


def test_the_fourth_columns_questions_open_and_fit_at_both_widths(page):
    _analysis, url = filled_grid()
    sign_in(page, "tjp-bildning")
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        wide = page.locator("details.column-questions--wide")
        narrow = page.locator("details.column-questions--narrow")
        shown, hidden = (wide, narrow) if label == "bred" else (narrow, wide)
        expect(hidden).to_be_hidden()
        summary = shown.locator("summary")
        expect(summary).to_be_visible()
        expect(shown.get_by_text(QUESTION)).to_be_hidden()
        summary.focus()
        page.keyboard.press("Enter")  # a keyboard opens it
        expect(shown.get_by_text(QUESTION)).to_be_visible()
        expect(shown.get_by_text("Kan någon annan yrkesgrupp", exact=False)).to_be_visible()
        expect(shown.get_by_text("Går något i verksamheten att effektivisera")).to_be_visible()
        assert_fits(page, f"the grid with the questions open ({label})")
        assert_accessible(page, f"the grid with the questions open ({label})")
        screenshot(page, f"grid-fragor-{label}")


def test_the_proposal_forms_guidance_fits_at_both_widths(page):
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    sign_in(page, "tjp-bildning")
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/omgangar/2027/forslag/nytt/{analysis.forvaltning_id}/")
        page.get_by_role("radio", name="Ransonering", exact=True).check()
        definitions = page.locator("#id_ransonering_kind_guidance")
        expect(definitions).to_be_visible()
        expect(definitions).to_contain_text("Strukturransonering")
        group = page.get_by_role("group", name="Slag av ransonering")
        expect(group).to_have_attribute(
            "aria-describedby", "id_ransonering_kind_helptext id_ransonering_kind_guidance"
        )
        states = page.locator("#id_svarighetsgrad_guidance")
        states.locator("summary").click()
        expect(states.get_by_text("mycket stor ohälsa")).to_be_visible()
        expect(
            states.get_by_role("heading", name="Invånares hälsa och välbefinnande")
        ).to_be_visible()
        assert_fits(page, f"the proposal form with its guidance ({label})")
        assert_accessible(page, f"the proposal form with its guidance ({label})")
        states.scroll_into_view_if_needed()
        screenshot(page, f"forslag-vagledning-{label}")


def test_the_budget_lines_alternativkostnad_and_the_settings_states_fit(page):
    outcome_round()
    sign_in(page, "controller")
    pages = {
        "budgetlinje": ("/omgangar/2027/forum/budgetlinje/", "#alternativkostnad"),
        "installningar": ("/omgangar/2027/installningar/", "#id_best_state_invanare"),
    }
    for name, (url, guidance) in pages.items():
        for label, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url)
            expect(page.locator(guidance)).to_be_visible()
            assert_fits(page, f"{name} ({label})", scrolling_box=name == "budgetlinje")
            assert_accessible(page, f"{name} ({label})")
            screenshot(page, f"{name}-{label}")
