"""The confirmation of an irreversible step in the browser (issue 15): the
controller, with the keyboard only, moves the round forward through its
confirmation page, which names what is missing; going back asks too, and
"Avbryt" leaves everything as it was. axe on the confirmation pages."""

from rounds.models import Phase, PhaseTransition, Round
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.factories import analysis_of, make_proposal, make_round
from tests.forum_setup import submitted


def test_controller_moves_the_phase_through_the_confirmation_with_the_keyboard(page):
    round = make_round()
    submitted(round, "Bildningsförvaltningen")
    make_proposal(
        analysis_of(round, "Socialförvaltningen"), title="Bostad först", svarighetsgrad=None
    )
    total = round.analyses.count()
    sign_in(page, "controller")
    page.goto("/omgangar/2027/")

    # Forward and back look different: a filled button and an outlined one.
    forward = page.get_by_role("button", name="Flytta fram till Prioritering i nämnd")
    back = page.get_by_role("button", name="Flytta tillbaka till Planering och instruktioner")
    expect(forward).to_have_class("button button--primary")
    expect(back).to_have_class("button button--back")

    # Going back asks first, and "Avbryt" changes nothing.
    tab_to(page, back, 80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Flytta omgången tillbaka till Planering och instruktioner?"
    )
    assert_accessible(page, "the confirmation of a move back")
    tab_to(page, page.get_by_role("link", name="Avbryt"), 80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prioriteringsomgång 2027")
    assert not PhaseTransition.objects.exists()

    tab_to(page, forward, 80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Flytta omgången fram till Prioritering i nämnd?"
    )
    expect(page.get_by_text(f"1 av {total} förvaltningar har lämnat in")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Socialförvaltningen")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(
            has_text="2027-001 Bostad först – saknar svårighetsgrad"
        )
    ).to_be_visible()
    assert_accessible(page, "the confirmation of a move forward")
    assert Round.objects.get().phase == Phase.VERKSAMHETSANALYS  # nothing yet

    tab_to(page, page.get_by_label("Kommentar"), 80)
    page.keyboard.type("Enligt tidplanen.")
    tab_to(page, page.get_by_role("button", name="Flytta fram till Prioritering i nämnd"), 80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "Omgången är flyttad till fasen Prioritering i nämnd."
    )
    assert Round.objects.get().phase == Phase.NAMND
    assert PhaseTransition.objects.get().comment == "Enligt tidplanen."
