"""Kommunens riktvärden on the pages that show them (issue 16): the round's
settings, where the controller sets them with the keyboard, a bad value is
explained beside its field and nothing typed is lost; the forum's review and
the proposal's form, where they sit beside the source's two worked examples.
Each page fits 1280 × 900 and 390 px, with axe."""

import tempfile
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in
from tests.demo_snapshot import load_demo

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
SETTINGS = "/omgangar/2027/installningar/"
REVIEW = "/omgangar/2027/forum/granskning/"
# Screenshots to look at (not compared): the temporary directory.
SHOTS = Path(tempfile.gettempdir()) / "riktvarden"


def check(page, what: str, shot: str, *, scrolling_box: bool = False) -> None:
    assert_fits(page, what, scrolling_box=scrolling_box)
    assert_accessible(page, what)
    width = page.viewport_size["width"]
    page.screenshot(path=f"{SHOTS}-{shot}-{width}.png", full_page=True)


@pytest.fixture
def planning(demo_site):
    load_demo(with_round=True, phase="analys")
    return demo_site


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_the_controller_sets_the_riktvarden(planning, page, size):
    page.set_viewport_size(size)
    sign_in(page, "controller")
    page.goto(SETTINGS)
    expect(page.get_by_role("heading", level=2, name="Kommunens riktvärden")).to_be_visible()
    expect(page.get_by_text("rangordning 9", exact=False)).to_be_visible()
    check(page, "the settings with kommunens riktvärden", "settings")

    low = page.get_by_role("textbox", name="Stor: från rangordning (obligatoriskt)", exact=True)
    high = page.get_by_role("textbox", name="Stor: till rangordning (obligatoriskt)", exact=True)
    low.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    expect(high).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.get_by_role("button", name="Spara").click()
    expect(
        page.get_by_text("”Till” ska vara samma tal som ”från” eller ett större.")
    ).to_be_visible()
    expect(low).to_have_value("6")
    expect(high).to_have_value("4")
    check(page, "the settings with a range the wrong way round", "settings-error")

    high.fill("8")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Inställningarna och tidplanen är sparade.")
    # The proposal's form, as its förvaltning sees it.
    page.context.clear_cookies()
    sign_in(page, "tjp-bildning")
    page.goto("/omgangar/2027/forslag/1/andra/")
    page.get_by_text("Kommunens riktvärden och modellens exempel").click()
    expect(page.get_by_role("row", name="Stor 6–8")).to_be_visible()
    check(page, "the proposal form with the riktvärden open", "proposal")


@pytest.fixture
def forum(demo_site):
    load_demo(with_round=True, phase="forum")
    return demo_site


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_the_review_shows_the_riktvarden_beside_the_examples(forum, page, size):
    page.set_viewport_size(size)
    sign_in(page, "controller")
    page.goto(REVIEW)
    expect(page.get_by_role("table", name="Kommunens riktvärden")).to_be_visible()
    expect(page.get_by_text("med de svåraste tillstånden", exact=False)).to_be_visible()
    check(page, "the review with kommunens riktvärden", "review", scrolling_box=True)
