"""The page explaining a published round's open data (issue 18): reached from
the public round page with the keyboard, without signing in; it passes axe and
fits 1280 × 900 and 390 px; its links give the files."""

import tempfile
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, assert_fits, expect, tab_to
from tests.demo_snapshot import load_demo

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
PUBLIC = "/oppna-prioriteringar/2026/"
# Screenshots to look at (not compared): the temporary directory.
SHOTS = Path(tempfile.gettempdir()) / "oppna-data"


@pytest.fixture
def published(demo_site):
    load_demo(with_round=True)
    return demo_site


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_the_public_reads_the_open_data_page(published, page, size):
    page.set_viewport_size(size)
    page.goto(PUBLIC)
    link = page.get_by_role("link", name="Öppna data: resultatet som JSON och CSV, med förklaring")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", level=1, name="Öppna data om prioriteringarna inför 2026")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Rangordningarna i Pabulib-format")).to_be_visible()
    expect(page.get_by_text("median_rank", exact=True)).to_be_visible()
    assert_fits(page, "the open data page")
    assert_accessible(page, "the open data page")
    page.screenshot(path=f"{SHOTS}-{size['width']}.png", full_page=True)

    response = page.request.get(
        page.get_by_role("link", name="Data som JSON").get_attribute("href")
    )
    assert response.ok
    assert response.json()["budget_year"] == 2026
