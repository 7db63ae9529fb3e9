"""The round in the browser: the controller creates round 2028 as a copy of
2027, edits its settings with the keyboard, moves it to the next phase and
keeps its lists; a tjänsteperson reads the instructions page. Axe checks every
page on the way."""

from rounds.models import ForutsattningKind, Phase, Round
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.factories import make_round


def round_2027() -> Round:
    round = make_round(2027, phase=Phase.UPPFOLJNING)
    round.instructions = "## Så arbetar vi\n\nFyll i **verksamhetsanalysen** i tid.\n- Läs\n- Skriv"
    round.save()
    ekonomi = round.forutsattningar.get(kind=ForutsattningKind.EKONOMI)
    ekonomi.text = "Skatteintäkterna ökar med 2 procent."
    ekonomi.save()
    return round


def test_controller_creates_sets_up_and_moves_a_round(page):
    round_2027()
    sign_in(page, "controller")

    page.goto("/omgangar/")
    assert_accessible(page, "the list of rounds")
    page.get_by_role("link", name="Ny omgång").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny omgång")
    expect(page.get_by_role("spinbutton", name="Budgetår")).to_have_value("2028")
    expect(page.get_by_role("radio", name="Omgången för budgetår 2027")).to_be_checked()
    assert_accessible(page, "the new round form")
    page.get_by_role("button", name="Skapa omgången").click()

    # A copy leads first to what the earlier round leaves to carry over.
    page.wait_for_url("**/omgangar/2028/overforing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Överföring till omgången 2028")
    expect(page.get_by_role("status")).to_contain_text("Omgången för budgetår 2028 är skapad.")
    assert_accessible(page, "what can be carried over into the new round")
    page.get_by_role("link", name="Prioriteringsomgång 2028").click()
    page.wait_for_url("**/omgangar/2028/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prioriteringsomgång 2028")
    # The copy brought the instructions and the förutsättningar's text along.
    expect(page.get_by_role("heading", level=3, name="Så arbetar vi")).to_be_visible()
    expect(page.get_by_text("Skatteintäkterna ökar med 2 procent.")).to_be_visible()
    assert_accessible(page, "the new round's page")

    # Settings, with the keyboard only.
    settings_link = page.get_by_role("link", name="Inställningar, instruktioner och tidplan")
    tab_to(page, settings_link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inställningar för omgång 2028")
    assert_accessible(page, "the settings form")
    tab_to(page, page.get_by_label("Ekonomiskt utrymme (tkr)"))
    page.keyboard.press("Control+A")
    page.keyboard.type("18000")
    tab_to(page, page.get_by_label("Instruktioner", exact=True))
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Lämna in senast i mars.")
    ethics = page.get_by_role("checkbox", name="Etisk granskning")
    expect(ethics).to_be_checked()
    tab_to(page, ethics)
    page.keyboard.press("Space")
    expect(ethics).not_to_be_checked()
    tab_to(page, page.get_by_role("button", name="Spara"))
    page.keyboard.press("Enter")

    page.wait_for_url("**/omgangar/2028/")
    expect(page.get_by_role("status")).to_contain_text("Inställningarna och tidplanen är sparade.")
    expect(page.get_by_text("18\u00a0000\u00a0tkr")).to_be_visible()
    expect(page.get_by_text("Lämna in senast i mars.")).to_be_visible()
    round = Round.objects.get(budget_year=2028)
    assert round.frame_tkr == 18000
    assert round.uses_etisk_granskning is False

    # Next phase.
    forward = page.get_by_role("button", name="Flytta fram till Verksamhetsanalys")
    tab_to(page, forward)
    page.keyboard.press("Enter")
    # The confirmation page asks first (tests/browser/test_confirm_steps.py).
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Flytta omgången fram till Verksamhetsanalys?"
    )
    tab_to(page, page.get_by_role("button", name="Flytta fram till Verksamhetsanalys"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "Omgången är flyttad till fasen Verksamhetsanalys."
    )
    current = page.locator('.timeline [aria-current="step"]')
    expect(current.get_by_role("heading")).to_have_text("Verksamhetsanalys")
    expect(current).to_contain_text("Pågår nu")
    expect(page.get_by_role("table")).to_contain_text("Maria Holm")
    assert_accessible(page, "the round page after the phase move")

    # Going back without a reason is explained next to the comment.
    page.get_by_role("button", name="Flytta tillbaka till Planering och instruktioner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Flytta omgången tillbaka till Planering och instruktioner?"
    )
    page.get_by_role("button", name="Flytta tillbaka till Planering och instruktioner").click()
    expect(page.locator("#id_comment_error")).to_have_text(
        "Skriv varför omgången flyttas tillbaka."
    )
    assert_accessible(page, "the phase form with an error")

    page.goto("/omgangar/2028/forutsattningar/")
    expect(page.get_by_role("textbox", name="Ekonomi", exact=True)).to_have_value(
        "Skatteintäkterna ökar med 2 procent."
    )
    assert_accessible(page, "the förutsättningar page")


def test_controller_keeps_a_list_in_place_with_the_keyboard(page):
    round_2027()
    sign_in(page, "controller")
    page.goto("/omgangar/2027/listor/")
    assert_accessible(page, "the lists page")
    page.evaluate("() => { window.samePage = true; }")

    section = page.locator("#lista-perspektiv")
    tab_to(page, page.get_by_label("Ny post i Perspektiv"), max_tabs=80)
    page.keyboard.type("Miljö")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("”Miljö” är tillagd i listan.")
    expect(section.get_by_label("Namn, plats 5 av 5")).to_have_value("Miljö")

    # The swap kept the focus in the field, ready for the next entry.
    expect(page.get_by_label("Ny post i Perspektiv")).to_be_focused()
    expect(page.get_by_label("Ny post i Perspektiv")).to_have_value("")

    move_up = section.get_by_role("button", name="Flytta upp Miljö")
    move_up.focus()  # a few Shift+Tabs back, as a keyboard user would
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("”Miljö” är på plats 4 av 5.")
    expect(section.get_by_label("Namn, plats 4 av 5")).to_have_value("Miljö")
    # The section was swapped in place and the focus stayed on the moved entry.
    assert page.evaluate("() => window.samePage === true")
    expect(section.get_by_role("button", name="Flytta upp Miljö")).to_be_focused()
    assert_accessible(page, "the lists page after a move")


def test_tjansteperson_reads_the_instructions_page(page):
    make_round(2027)
    round = Round.objects.get(budget_year=2027)
    round.instructions = "## Tidplan\n\nLämna in före mars. <script>alert(1)</script>"
    round.save()
    sign_in(page, "tjp-bildning")

    page.goto("/omgangar/")
    assert_accessible(page, "the list of rounds")
    expect(page.get_by_role("link", name="Ny omgång")).to_have_count(0)
    page.get_by_role("link", name="Budgetår 2027").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Prioriteringsomgång 2027")
    expect(page.get_by_role("heading", level=3, name="Tidplan")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()  # shown, not run
    current = page.locator('.timeline [aria-current="step"]')
    expect(current.get_by_role("heading")).to_have_text("Verksamhetsanalys")
    expect(current).to_contain_text(
        "Förvaltningarnas tjänstepersoner fyller i verksamhetsanalysen och bedömer förslagen"
    )
    expect(page.get_by_role("link", name="Inställningar, instruktioner och tidplan")).to_have_count(
        0
    )
    expect(page.get_by_role("button", name="Flytta fram till Prioritering i nämnd")).to_have_count(
        0
    )
    assert_accessible(page, "the instructions page")
