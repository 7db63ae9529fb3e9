"""How sure the budget line is, in Chromium: the controller reads the
section, tries another cost variation with the keyboard alone, sees a bad
one refused in Swedish, and a citizen reads the same on the public page.
axe on each, and nothing of the section past the window's edge at 1280 and
390 px."""

from ranking.services import decision as decision_services
from rounds.models import User
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.forum_setup import outcome_round
from tests.test_forum_outcome import ready


def assert_section_fits(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    section = page.locator("section.robustness")
    box = section.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_controller_tries_the_costs_with_the_keyboard(page, browser, demo_site):
    _round, (_first, _second, third, _saving) = outcome_round()
    sign_in(page, "controller")
    page.goto("/omgangar/2027/forum/budgetlinje/")
    section = page.locator("section.robustness")
    expect(section.get_by_role("heading", name="Hur säker är linjen?")).to_be_visible()
    expect(section.get_by_role("table")).to_contain_text(third.title)
    expect(section.get_by_role("table")).to_contain_text("Beror på kostnaden")
    assert_accessible(page, "the budget line with its robustness")

    # The rule opens from the keyboard.
    summary = section.get_by_text("Så prövas linjen")
    tab_to(page, summary, 80)
    page.keyboard.press("Enter")
    expect(section.get_by_text("Medianen är metodens regel")).to_be_visible()

    # 5 %: every proposal holds.
    field = page.get_by_label("Osäkerhet i kostnaderna år 1, plus eller minus (procent)")
    tab_to(page, field, 80)
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect(
        section.get_by_text("Alla förslag på linjen hamnar på samma sida i alla prövningar.")
    ).to_be_visible()
    expect(field).to_have_value("5")

    # A bad percentage: refused in Swedish, what was typed kept.
    field.fill("²")
    page.get_by_role("button", name="Pröva kostnaderna").click()
    expect(section.get_by_text("Ange ett heltal från 1 till 50, i procent.")).to_be_visible()
    expect(field).to_have_value("²")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the budget line with a bad percentage")
    for width in (1280, 390):
        assert_section_fits(page, width)


def test_a_citizen_reads_how_sure_the_line_is(page, browser, demo_site):
    forum = outcome_round()
    controller = User.objects.get(username="controller")
    round = ready(forum, {"controller": controller})
    decision_services.publish(round, by=controller)
    page.goto("/oppna-prioriteringar/2027/")
    page.get_by_role("navigation", name="Innehåll").get_by_role(
        "link", name="Hur säker är linjen?"
    ).click()
    section = page.locator("section.robustness")
    expect(section.get_by_role("table")).to_contain_text("Beror på kostnaden")
    assert_accessible(page, "the public page with its robustness")
    for width in (1280, 390):
        assert_section_fits(page, width)
