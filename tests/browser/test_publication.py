"""A published round in the browser: the controller sees it is locked, finds
no way back, records a rättelse of one decision with the keyboard (its reason
is required), and a citizen reads the correction beside the original. axe on
every page."""

from ranking.models import Decision, DecisionCorrection, Outcome
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.demo_snapshot import load_demo

REASON = "Kommunfullmäktige beslutade 2026-03-12 § 45 att finansiera förslaget."


def test_the_controller_corrects_a_published_decision(page, browser, demo_site):
    load_demo(with_round=True)
    refused = (
        Decision.objects.filter(round__budget_year=2026, outcome=Outcome.AVSLAS)
        .select_related("proposal")
        .order_by("pk")
        .first()
    )
    reference = refused.proposal.reference
    sign_in(page, "controller")

    page.goto("/omgangar/2026/")
    expect(page.locator(".round-final")).to_contain_text("är låst")
    expect(page.get_by_role("button", name="Flytta fram till Avslutad")).to_be_visible()
    expect(page.get_by_role("button", name="Flytta tillbaka till Beslut")).to_have_count(0)
    assert_accessible(page, "a published round's page")

    page.goto("/omgangar/2026/forum/beslut/")
    link = page.get_by_role("link", name=f"För in rättelse av beslutet om {reference}")
    tab_to(page, link, 200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Rättelse av beslutet om {reference}"
    )
    assert_accessible(page, "the correction page")

    # Without a reason nothing is recorded, and what was chosen stays chosen.
    page.get_by_label("Finansieras", exact=True).check()
    page.get_by_role("button", name="För in rättelsen").click()
    expect(page.get_by_text("Skriv skälet till rättelsen")).to_be_visible()
    expect(page.get_by_label("Finansieras", exact=True)).to_be_checked()
    assert not DecisionCorrection.objects.exists()
    assert_accessible(page, "the correction page with an error")

    tab_to(page, page.get_by_label("Skäl till rättelsen"), 40)
    page.keyboard.type(REASON)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    # What will be recorded is shown first; only its button records it.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"För in rättelsen av beslutet om {reference}?"
    )
    assert not DecisionCorrection.objects.exists()
    assert_accessible(page, "the correction's confirmation")
    tab_to(page, page.get_by_role("button", name="För in rättelsen"), 40)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Rättelsen av beslutet om {reference}")
    expect(page.locator(f"#forslag-{refused.proposal_id}")).to_contain_text("gäller nu")
    assert_accessible(page, "the decisions with a correction")

    # A citizen, signed out, reads the correction beside the original.
    citizen = browser.new_context(base_url=demo_site.url, locale="sv-SE").new_page()
    citizen.goto("/oppna-prioriteringar/2026/")
    row = citizen.locator("table.decision-table tr", has_text=reference)
    expect(row).to_contain_text("Publicerat beslut:")
    expect(row).to_contain_text("Avslås")
    expect(row).to_contain_text(REASON)
    expect(citizen.get_by_text("har rättats efter publiceringen")).to_be_visible()
    assert_accessible(citizen, "the public page with a correction")
    citizen.context.close()
    assert Decision.objects.get(pk=refused.pk).outcome == Outcome.AVSLAS
