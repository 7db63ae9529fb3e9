"""The decisions of KS and KF (issue 16): the controller records one with the
keyboard and a protocol on the round's forum pages, a missing § is explained
beside its field and nothing typed is lost; the public page shows it with the
protocol's link. Each page fits 1280 × 900 and 390 px, with axe."""

import tempfile
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, assert_fits, expect, sign_in
from tests.demo_snapshot import load_demo
from tests.test_round_uploads import PDF

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
PAGE = "/omgangar/2026/forum/ks-kf/"
PUBLIC = "/oppna-prioriteringar/2026/"
# Screenshots to look at (not compared): the temporary directory.
SHOTS = Path(tempfile.gettempdir()) / "organbeslut"


def check(page, what: str, shot: str) -> None:
    assert_fits(page, what)
    assert_accessible(page, what)
    width = page.viewport_size["width"]
    page.screenshot(path=f"{SHOTS}-{shot}-{width}.png", full_page=True)


@pytest.fixture
def published(demo_site):
    load_demo(with_round=True)
    return demo_site


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_the_controller_records_a_kf_decision_and_the_public_reads_it(published, page, size):
    page.set_viewport_size(size)
    sign_in(page, "controller")
    page.goto("/omgangar/2026/forum/beslut/")
    page.get_by_role("navigation", name="Forumets sidor").get_by_role(
        "link", name="KS och KF"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Beslut i KS och KF 2026")).to_be_visible()
    check(page, "the empty page of KS and KF decisions", "empty")

    page.get_by_role("radio", name="Kommunfullmäktige").check()
    page.get_by_label("Sammanträdesdatum").fill("2026-03-12")
    text = page.get_by_role("textbox", name="Vad som beslutades (obligatoriskt)")
    text.focus()
    page.keyboard.type("Kommunfullmäktige fastställde budgeten med forumets prioriteringar.")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Ange paragraf (§).")).to_be_visible()
    expect(text).to_have_value(
        "Kommunfullmäktige fastställde budgeten med forumets prioriteringar."
    )
    expect(page.get_by_role("radio", name="Kommunfullmäktige")).to_be_checked()
    check(page, "the form with the § missing", "error")

    paragraph = page.get_by_role("textbox", name="Paragraf (§) (obligatoriskt)")
    paragraph.focus()
    page.keyboard.type("45")
    page.get_by_label("Protokoll (valfritt)").set_input_files(
        {"name": "Protokoll KF 2026-03-12.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Beslutet i Kommunfullmäktige 12 mars 2026 § 45 är registrerat."
    )
    expect(page.get_by_role("link", name="Protokoll: Protokoll KF 2026-03-12.pdf")).to_be_visible()
    check(page, "the page with a recorded decision", "recorded")

    page.context.clear_cookies()
    page.goto(PUBLIC)
    page.get_by_role("link", name="Beslut i kommunstyrelsen och kommunfullmäktige").click()
    heading = page.get_by_role(
        "heading", level=2, name="Beslut i kommunstyrelsen och kommunfullmäktige"
    )
    expect(heading).to_be_visible()
    expect(page.get_by_text("12 mars 2026, §\u00a045")).to_be_visible()
    link = page.get_by_role("link", name="Protokollet från Kommunfullmäktige 12 mars 2026")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Protokoll KF 2026-03-12.pdf"
    check(page, "the public page with the KS and KF decisions", "public")
    page.locator("ul.body-decisions").screenshot(
        path=f"{SHOTS}-public-section-{page.viewport_size['width']}.png"
    )


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_the_controller_records_a_namnds_decision_on_the_measures(published, page, size):
    page.set_viewport_size(size)
    sign_in(page, "controller")
    page.goto("/omgangar/2026/uppfoljning/delar/")
    page.get_by_role("link", name="Registrera beslut om åtgärderna").click()
    expect(
        page.get_by_role(
            "heading", level=1, name="Beslut om åtgärderna – Delår (januari–augusti) 2026"
        )
    ).to_be_visible()
    page.get_by_label("Organ").select_option(label="Socialnämnden")
    page.get_by_label("Sammanträdesdatum").fill("2026-09-15")
    page.get_by_role("textbox", name="Paragraf (§) (obligatoriskt)").fill("87")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Skriv vad organet beslutade.")).to_be_visible()
    expect(page.get_by_label("Organ")).to_have_value(
        page.get_by_label("Organ")
        .locator("option", has_text="Socialnämnden")
        .get_attribute("value")
    )
    check(page, "the period's decision form with the text missing", "period-error")

    text = page.get_by_role("textbox", name="Vad som beslutades (obligatoriskt)")
    text.focus()
    page.keyboard.type("Åtgärderna för Bostad först genomförs inom nämndens ram.")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.locator("#messages")).to_contain_text(
        "Beslutet i Socialnämnden 15 september 2026 § 87 är registrerat."
    )
    expect(
        page.get_by_text("Åtgärderna för Bostad först genomförs inom nämndens ram.")
    ).to_be_visible()
    assert_fits(page, "the overview with the period's decisions", scrolling_box=True)
    assert_accessible(page, "the overview with the period's decisions")
    page.locator("#deviations").screenshot(
        path=f"{SHOTS}-overview-{page.viewport_size['width']}.png"
    )
