"""The controller's pages after the forum fit the window (issue 15): the agreed
order and the budget line while the forum sits, the review, the decisions, the
publication's confirmation and the rättelse pages once it is decided, for the
controller (who edits) and the läsare (who reads), at 1280 × 900; and at 390 px
the save and publish buttons stay in the window. A page fails when it is wider
than the window, or when a table cell or a control lies past the window's right
edge — unless it lies inside a scroll region of its own (role=region,
focusable, overflow-x auto) that itself fits. axe on every page."""

import os
from pathlib import Path

import pytest

from ranking import selectors
from ranking.models import Decision, ForumResult, Outcome
from ranking.services import decision as decision_services
from rounds.models import ProposalType, Purpose, Round, User
from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in
from tests.demo_snapshot import load_demo

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")
FORUM = "/omgangar/2027/forum/"
PUBLISHED = "/omgangar/2026/forum/"
OUTCOME_PAGES = [f"{FORUM}ordning/", f"{FORUM}budgetlinje/", f"{FORUM}granskning/"]
DECISIONS = f"{FORUM}beslut/"


# The controls of the long tables: at 1280 px none of them needs the table's
# box scrolled sideways to be seen.
CONTROLS_PAST_EDGE = """() => [...document.querySelectorAll(
    "main table input, main table select, main table textarea")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map((element) => element.name)"""


def check(page, path, what):
    page.goto(path)
    expect(page.locator("main h1")).to_be_visible()
    assert_fits(page, what, scrolling_box=True)
    assert page.evaluate(CONTROLS_PAST_EDGE) == [], what
    assert_accessible(page, what)


@pytest.fixture
def forum(demo_site):
    """Round 2027 in the forum phase: the order and the budget line are
    worked on while the forum sits."""
    load_demo(with_round=True, phase="forum")
    return demo_site


@pytest.fixture
def decided(demo_site):
    """Round 2027 in the decision phase, and round 2026 published with a
    rättelse of one of its decisions (the decisions read with it)."""
    load_demo(with_round=True, phase="beslut")
    published = Round.objects.get(budget_year=2026)
    decision = (
        Decision.objects.filter(round=published, outcome=Outcome.FINANSIERAS)
        .select_related("proposal")
        .order_by("proposal__number")
        .first()
    )
    decision_services.correct_decision(
        published,
        decision.proposal_id,
        Outcome.AVSLAS,
        None,
        "Kommunfullmäktige beslutade att avslå förslaget i budgeten.",
        by=User.objects.get(username="controller"),
    )
    return decision.proposal


@pytest.mark.parametrize("username", ["controller", "revisor"])
def test_the_order_and_budget_line_fit_1280_px_in_the_forum(forum, page, username):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, username)
    for path in (f"{FORUM}ordning/", f"{FORUM}budgetlinje/", f"{FORUM}budgetlinje/?ram=4000"):
        check(page, path, f"{path} as {username} at 1280 px")


@pytest.mark.parametrize("username", ["controller", "revisor"])
def test_the_decision_pages_fit_1280_px(decided, page, username):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, username)
    for path in [*OUTCOME_PAGES, DECISIONS, f"{PUBLISHED}beslut/", f"{PUBLISHED}ordning/"]:
        check(page, path, f"{path} as {username} at 1280 px")


def test_the_confirmation_and_correction_pages_fit_1280_px(decided, page):
    proposal = decided
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "controller")
    check(page, f"{FORUM}publicera/", "the publication's confirmation")
    correction = f"{PUBLISHED}beslut/{proposal.number}/rattelse/"
    check(page, correction, "the rättelse form")
    # The published decisions read with the rättelse, and link to another.
    page.goto(f"{PUBLISHED}beslut/")
    row = page.locator(f"#forslag-{proposal.pk}")
    expect(row).to_contain_text("Publicerat beslut:")
    expect(row).to_contain_text("(gäller nu)")
    expect(row.get_by_role("link", name=f"För in rättelse av beslutet om {proposal.reference}"))
    page.goto(correction)
    page.get_by_role("radio", name="Finansieras", exact=True).check()
    page.get_by_label("Skäl").fill("Fullmäktige ändrade sig vid nästa sammanträde.")
    page.get_by_role("button", name="För in rättelsen").click()
    expect(page.locator("main h1")).to_contain_text("För in rättelsen av beslutet om")
    assert_fits(page, "the rättelse's confirmation", scrolling_box=True)
    assert_accessible(page, "the rättelse's confirmation")


def test_the_decision_controls_are_in_view_at_1280_px(decided, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "controller")
    page.goto(DECISIONS)
    row = page.locator("main table tbody tr").first
    for control in ("select", "input", "textarea"):
        field = row.locator(control).first
        field.scroll_into_view_if_needed()
        expect(field).to_be_in_viewport()
    # The motivation has room to be written in, not a sliver, and a row is
    # not a tower: the place, the proposal, the cost, the line and the
    # decision read across.
    assert row.locator("textarea").first.bounding_box()["width"] >= 240
    assert row.bounding_box()["height"] < 160
    # The budget line's consequence has a readable width.
    page.goto(f"{FORUM}budgetlinje/")
    below = page.locator("main tr.budget-given-up td").last
    below.scroll_into_view_if_needed()
    expect(below).to_be_in_viewport()
    assert below.bounding_box()["width"] >= 240


def decide_everything(year: int) -> None:
    """Every proposal of the round decided and the review recorded: the
    publication's confirmation then offers to publish."""
    round = Round.objects.get(budget_year=year)
    controller = User.objects.get(username="controller")

    def carried_out(proposal):
        """The saving carried out as its type says; a saving of another type is refused."""
        if ProposalType.EFFEKTIVISERING in proposal.types:
            return Outcome.EFFEKTIVISERAS
        if {ProposalType.RANSONERING, ProposalType.MINSKADE} & set(proposal.types):
            return Outcome.RANSONERAS
        return Outcome.AVSLAS

    decisions = {
        row.proposal.pk: {
            "outcome": Outcome.AVSLAS if row.proposal.cost_year1 > 0 else carried_out(row.proposal),
            "motivation": "Ryms inte i ramen." if row.proposal.cost_year1 > 0 else "Sparar.",
        }
        for row in selectors.outcome_rows(round)
    }
    decision_services.save_decisions(round, decisions, by=controller)
    answers = {name: "Nej, se protokollet." for name in ForumResult.REVIEW_FIELDS}
    decision_services.record_review(round, answers, by=controller)


def test_the_buttons_stay_in_the_window_at_390_px(decided, page):
    decide_everything(2027)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "controller")
    for path, button in [
        (f"{FORUM}ordning/", "Registrera forumets ordning"),
        (f"{FORUM}granskning/", "Registrera granskningen"),
        (DECISIONS, "Spara besluten"),
        (f"{FORUM}publicera/", "Publicera resultatet"),
        (f"{FORUM}budgetlinje/", "Visa budgetlinjen"),
    ]:
        page.goto(path)
        target = page.get_by_role("button", name=button)
        target.scroll_into_view_if_needed()
        expect(target).to_be_in_viewport()
        box = target.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{button} on {path}"
        wider = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wider, f"{path} is wider than 390 px"


def test_the_budget_line_of_a_reduction_round_fits_1280_and_390_px(forum, page):
    """Round 2027 as a reduction round: the savings against the required
    reduction (half of what they save, so some are needed and some are not),
    their konsekvens, and the proposals that cost against the surplus."""
    round = Round.objects.get(budget_year=2027)
    line = selectors.with_line(selectors.outcome_rows(round), 0, Purpose.MINSKADE)
    round.purpose, round.frame_tkr = Purpose.MINSKADE, line.savings // 2
    round.save()
    sign_in(page, "controller")
    path = f"{FORUM}budgetlinje/"
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator(".budget-status")).to_contain_text("nås och överträffas med")
        expect(page.locator("main")).to_contain_text("Behövs för att nå minskningen")
        expect(page.locator("main")).to_contain_text("Behövs inte för minskningen")
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/budget-reduction-{width}.png", full_page=True)
        assert_fits(page, f"the reduction's budget line at {width} px", scrolling_box=True)
        assert_accessible(page, f"the reduction's budget line at {width} px")
        button = page.get_by_role("button", name="Visa budgetlinjen")
        button.scroll_into_view_if_needed()
        expect(button).to_be_in_viewport()
