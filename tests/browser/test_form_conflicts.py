"""The conflict pages in the browser (issue 13, parts 6 and 8): the round's
settings, the forum's order, review and decisions saved from a form a
colleague has saved over since, and a proposal and a follow-up report saved
after the door closed. Each page answers, keeps what was typed, has nothing
past the window's edge at 1280 and at 390 pixels, and passes axe.

With SCREENSHOT_DIR set, every page is also saved there as a PNG at both
widths, to be looked at."""

import os
from pathlib import Path

import pytest

from followup.models import FollowUpReport, PeriodKind
from followup.services import save_report
from ranking.models import Outcome
from ranking.services import decision as decision_services
from rounds.models import AnalysisStatus, Grad, Membership, Phase, Role, User
from rounds.services.setup import save_settings
from tests.browser.conftest import assert_accessible, expect, sign_in
from tests.factories import analysis_of, make_proposal, make_round
from tests.followup.test_reports import make_case, make_round_2026, period
from tests.forum_setup import outcome_round

WIDTHS = {"bred": (1280, 900), "smal": (390, 844)}
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def colleague() -> User:
    user = User.objects.create_user("controller-2", first_name="Karin", last_name="Berg")
    Membership.objects.create(user=user, role=Role.CONTROLLER)
    return user


def check(page, name: str) -> None:
    """At both widths: nothing past the window's edge, axe, and a screenshot."""
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} ({label}): {overflow} px past the window's edge"
        assert_accessible(page, f"{name} ({label})")
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/{name}-{label}.png", full_page=True)
    width, height = WIDTHS["bred"]
    page.set_viewport_size({"width": width, "height": height})


def submitted(page, console, button: str, status: int) -> None:
    """Send the form; the answer has ``status``, which the browser logs as a
    failed load (and nothing else goes to the console)."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=button).click()
    assert posted.value.status == status
    page.wait_for_load_state()
    assert all(str(status) in entry for entry in console.take())


def submitted_with_409(page, console, button: str) -> None:
    submitted(page, console, button, 409)


def test_the_settings_conflict(page, console, demo_site):
    round = make_round()
    karin = colleague()
    sign_in(page, "controller")
    page.goto("/omgangar/2027/installningar/")
    page.locator("#id_frame_tkr").fill("8 000")
    page.get_by_label("Instruktioner", exact=True).fill("## Syfte\n\nVi prioriterar om inom ramen.")
    # Karin saves the frame and a deadline meanwhile.
    save_settings(round, {"frame_tkr": 9500}, {5: round.deadline(2)}, by=karin, expected_version=1)
    submitted_with_409(page, console, "Spara")
    expect(page.get_by_role("heading", level=2, name="Någon annan har sparat")).to_be_visible()
    expect(page.get_by_label("Instruktioner", exact=True)).to_have_value(
        "## Syfte\n\nVi prioriterar om inom ramen."
    )
    expect(page.get_by_role("group", name="Vilket värde ska sparas för Ekonomiskt")).to_be_visible()
    check(page, "installningar")
    page.get_by_label("Använd deras").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Inställningarna och tidplanen är sparade.")


def test_the_forum_conflicts(page, console, demo_site):
    round, (first, second, third, saving) = outcome_round()
    karin = colleague()
    sign_in(page, "controller")

    # The order: Karin swaps the first two; Maria, from the page she loaded,
    # moves the saving up and writes why.
    page.goto("/omgangar/2027/forum/ordning/")
    decision_services.record_order(
        round,
        {first.pk: 1, second.pk: 2, third.pk: 3, saving.pk: 4},
        {first.pk: "Lagkrav på stödet", second.pk: "Följer av att stödet går först"},
        by=karin,
        expected_version=1,
    )
    page.get_by_label(f"Plats för {third.reference}").fill("4")
    page.get_by_label(f"Plats för {saving.reference}").fill("3")
    page.get_by_label(f"Motivering för platsen för {third.reference}").fill("Kan vänta ett år")
    page.get_by_label(f"Motivering för platsen för {saving.reference}").fill(
        "Besparingen ger utrymme"
    )
    submitted_with_409(page, console, "Registrera forumets ordning")
    expect(page.locator(".form-conflict")).to_contain_text("Karin Berg")
    expect(page.get_by_label(f"Motivering för platsen för {saving.reference}")).to_have_value(
        "Besparingen ger utrymme"
    )
    check(page, "ordning")

    # The review: both answered the same question differently.
    page.goto("/omgangar/2027/forum/granskning/")
    decision_services.record_review(
        round,
        {
            "review_sarbehandling": "Nej.",
            "review_undantrangning": "Skolskjutsen.",
            "review_rimlighet": "Karins bedömning: rimligt.",
        },
        by=karin,
        expected_version=1,
    )
    page.get_by_label("Finns det risk för särbehandling?").fill("Nej.")
    page.get_by_label("Vad trängs undan?").fill("Skolskjutsen.")
    page.get_by_label("Är prioriteringen rimlig?").fill("Marias bedömning: rimligt, men tajt.")
    submitted_with_409(page, console, "Registrera granskningen")
    expect(page.get_by_label("Är prioriteringen rimlig?")).to_have_value(
        "Marias bedömning: rimligt, men tajt."
    )
    check(page, "granskning")

    # The decisions: Karin decided Hemtjänst; Maria decides it otherwise.
    page.goto("/omgangar/2027/forum/beslut/")
    decision_services.save_decisions(
        round,
        {second.pk: {"outcome": Outcome.FINANSIERAS, "motivation": "Högst rangordnat"}},
        by=karin,
        expected_version=1,
    )
    page.get_by_label(f"Beslut om {second.reference}").select_option(Outcome.UTREDS)
    page.get_by_label(f"Motivering av beslutet om {second.reference}").fill("Behöver utredas")
    page.get_by_label(f"Beslut om {third.reference}").select_option(Outcome.AVSLAS)
    page.get_by_label(f"Motivering av beslutet om {third.reference}").fill("Under linjen")
    submitted_with_409(page, console, "Spara besluten")
    expect(page.locator(".form-conflict")).to_contain_text("Högst rangordnat")
    check(page, "beslut")


def test_a_proposal_submitted_while_typing(page, console, demo_site):
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    proposal = make_proposal(
        analysis, title="Start", svarighetsgrad=3, nytta=3, kostnadseffektivitet=2, rangordning=4
    )
    sign_in(page, "tjp-bildning")
    page.goto(f"/omgangar/2027/forslag/{proposal.number}/andra/")
    page.get_by_label("Rubrik / sammanfattande beskrivning").fill("Fler förskollärare")
    situation = page.get_by_label("Situation", exact=True)
    situation.fill("Barngrupperna är för stora.\nPersonalen räcker inte.")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    submitted(page, console, "Spara förslaget", 403)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Förslaget lämnades in medan du skrev"
    )
    expect(page.get_by_text("Personalen räcker inte.")).to_be_visible()
    check(page, "forslag-inlamnat")


def test_a_report_closed_while_typing(page, console, demo_site):
    case = make_case(make_round_2026())
    delar = period(case["round"], PeriodKind.DELAR)
    tjp = User.objects.get(username="tjp-bildning")
    save_report(
        FollowUpReport(period=delar, proposal=case["a"]),
        {"progress": "enligt_plan", "cost_outcome_tkr": 100, "effect_achieved": Grad.STOR},
        by=tjp,
        expected_version=None,
    )
    sign_in(page, "chef-bildning")
    page.goto(f"/omgangar/2026/uppfoljning/delar/{case['a'].number}/")
    effect = page.get_by_label("Beskrivning av uppnådd effekt")
    effect.fill("Alla skolor har läsombud.\nFler lånar böcker.")
    round = case["round"]
    round.phase = Phase.AVSLUTAD
    round.save()
    submitted(page, console, "Spara utkast", 403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljningen är stängd")
    expect(page.get_by_text("Fler lånar böcker.")).to_be_visible()
    check(page, "rapport-stangd")


pytestmark = pytest.mark.browser
