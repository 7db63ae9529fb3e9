"""The follow-up in the browser, with the keyboard alone: in the demo,
Bildningsförvaltningen's tjänsteperson files the Delår report on elevhälsan
(the one the demo leaves late), first incomplete and then whole; the
controller finds it in the Delår overview with its deviation and measures.
axe on every page on the way."""

import re

import pytest

from followup.models import FollowUpReport, PeriodKind, Progress
from rounds.models import AnalysisStatus, Proposal
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.browser.test_analysis_workflow import sign_out
from tests.demo_snapshot import load_demo

TITLE = "Ökad bemanning elevhälsa"
DEVIATION = "Den tredje kuratorn börjar först i oktober."
MEASURES = "Skolsköterskorna tar över en del av samtalen till dess."


@pytest.fixture
def rounds(demo_site):
    # Round 2027 in the analysis phase: a proposal is carried into an analysis still open.
    load_demo(with_round=True, phase="analys")
    return demo_site


def press(page, locator, key="Enter", max_tabs=80):
    tab_to(page, locator, max_tabs)
    page.keyboard.press(key)


def test_a_tjansteperson_files_the_delar_report_and_the_controller_sees_it(rounds, page):
    report_url = None
    sign_in(page, "tjp-bildning")
    page.goto("/omgangar/2026/")
    press(page, page.get_by_role("link", name="Uppföljning", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning 2026")
    assert_accessible(page, "the follow-up index of a tjänsteperson")
    delar = page.locator("a[href$='/uppfoljning/delar/2/']")
    expect(delar).to_have_count(1)
    press(page, delar)
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    report_url = page.url
    assert_accessible(page, "the report form")

    form = page.locator("#report-form")
    # Större avvikelse: the third status (arrow keys move within the group).
    tab_to(page, form.get_by_role("radio", name="Ej påbörjad"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(form.get_by_role("radio", name="Större avvikelse")).to_be_checked()
    tab_to(page, form.get_by_label("Kostnadsutfall hittills i år", exact=False))
    page.keyboard.type("610")
    tab_to(page, form.get_by_label("Avvikelse", exact=True))
    page.keyboard.type(DEVIATION)
    # Handed in without effect and measures: refused, nothing lost.
    press(page, form.get_by_role("button", name="Lämna in"))
    expect(page.get_by_role("alert").filter(has_text="rätta felen")).to_be_visible()
    expect(page.get_by_text("Beskriv vilka åtgärder förvaltningen föreslår.").first).to_be_visible()
    expect(form.get_by_label("Avvikelse", exact=True)).to_have_value(DEVIATION)
    assert_accessible(page, "the report form with errors")

    form = page.locator("#report-form")
    tab_to(page, form.get_by_role("radio", name="Mycket stor"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(form.get_by_role("radio", name="Måttlig")).to_be_checked()
    tab_to(page, form.get_by_label("Föreslagna åtgärder", exact=False))
    page.keyboard.type(MEASURES)
    press(page, form.get_by_role("button", name="Lämna in"))
    expect(page.get_by_text("Inlämnad för sent").first).to_be_visible()
    expect(page.locator("#report-form")).to_have_count(0)
    assert_accessible(page, "the submitted report")

    report = FollowUpReport.objects.select_related("submitted_by").get(
        period__kind=PeriodKind.DELAR, proposal__title=TITLE
    )
    assert report.state == AnalysisStatus.SUBMITTED
    assert report.progress == Progress.STORRE_AVVIKELSE
    assert (report.cost_outcome_tkr, report.measures) == (610, MEASURES)
    assert report.submitted_by.username == "tjp-bildning"
    sign_out(page)

    sign_in(page, "controller")
    page.goto("/omgangar/2026/uppfoljning/")
    press(page, page.get_by_role("link", name="Översikt: Delår (januari–augusti)"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delår")
    assert_accessible(page, "the controller's Delår overview")
    deviations = page.locator("#deviations")
    expect(deviations).to_contain_text(TITLE)
    expect(deviations).to_contain_text(MEASURES)
    # Its report page, from the overview.
    page.goto(report_url)
    expect(page.get_by_text(DEVIATION).first).to_be_visible()
    expect(page.get_by_role("button", name="Återlämna", exact=True)).to_be_visible()


def test_the_controller_carries_an_unfinished_proposal_into_2027_with_the_keyboard(rounds, page):
    sign_in(page, "controller")
    page.goto("/omgangar/2027/")
    press(page, page.get_by_role("link", name="Överföring från omgången 2026"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Överföring till omgången 2027")
    assert_accessible(page, "the carry-over list")
    press(page, page.get_by_role("link", name="För över 2026-001"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026-001")
    assert_accessible(page, "the carry-over form")
    reason = page.get_by_label("Skäl", exact=False)
    expect(reason).to_have_value(re.compile("Delår 2026: Mindre avvikelse"))
    press(page, page.get_by_role("button", name="För över till 2027"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fler platser i förskola")
    assert_accessible(page, "the carried proposal with its life across years")
    carried = Proposal.objects.get(round__budget_year=2027, carried_from__number=1)
    assert carried.carried_from.round.budget_year == 2026
    expect(page.get_by_text("2026-001").first).to_be_visible()


@pytest.mark.parametrize(
    ("username", "urls"),
    [
        (
            "controller",
            [
                "/omgangar/2026/uppfoljning/",
                "/omgangar/2026/uppfoljning/perioder/",
                "/omgangar/2026/uppfoljning/tertial-1/",
                "/omgangar/2026/uppfoljning/arsbokslut/",
                "/omgangar/2026/uppfoljning/delar/?status=saknas",
                "/omgangar/2026/uppfoljning/delar/8/",
                "/omgangar/2027/jamforelse/",
                "/omgangar/2026/forslag/8/",
                "/omgangar/2027/forslag/7/",
                "/omgangar/2026/dokument/",
                "/",
            ],
        ),
        (
            "tjp-social",
            [
                "/omgangar/2026/uppfoljning/",
                "/omgangar/2026/uppfoljning/arsbokslut/8/",
                "/omgangar/2027/overforing/",
                "/omgangar/2026/forslag/8/",
                "/",
            ],
        ),
    ],
)
def test_the_follow_up_pages_are_accessible(rounds, page, username, urls):
    sign_in(page, username)
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, f"{url} as {username}")
