"""The forum's outcome in the browser: the controller agrees the order with a
motivation, tries another frame on the budget line, records the review,
decides every proposal, moves the round to Beslut and publishes; a citizen
then reads the result without signing in. axe on every page."""

from ranking.models import Decision, ForumResult
from rounds.models import Round
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.forum_setup import outcome_round


def forum_round():
    round, proposals = outcome_round()
    return round, *proposals


def test_controller_runs_the_outcome_and_a_citizen_reads_it(page, browser, demo_site):
    round, stod, hemtjanst, skjuts, inkop = forum_round()
    sign_in(page, "controller")

    # The agreed order: Skolskjuts moves up past Förstärkt stöd, with a motivation.
    page.goto("/omgangar/2027/forum/ordning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forumets ordning 2027")
    assert_accessible(page, "the agreed order")
    page.get_by_label(f"Plats för {skjuts.reference} Skolskjuts").fill("2")
    page.get_by_label(f"Plats för {stod.reference} Förstärkt stöd").fill("3")
    page.get_by_role("button", name="Registrera forumets ordning").click()
    expect(page.get_by_role("alert")).to_contain_text("Ordningen sparades inte")
    assert_accessible(page, "the agreed order with errors")
    field = page.get_by_label(f"Motivering för platsen för {skjuts.reference} Skolskjuts")
    tab_to(page, field, 60)
    page.keyboard.type("Lagkrav på skolskjuts")
    page.get_by_label(f"Motivering för platsen för {stod.reference} Förstärkt stöd").fill(
        "Flyttas ned när skolskjutsen går före"
    )
    tab_to(page, page.get_by_role("button", name="Registrera forumets ordning"), 60)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Forumets ordning är registrerad.")

    # The budget line: frame 1 000 + saving 200; Hemtjänst 400, Skolskjuts 300 fit,
    # Förstärkt stöd (600) falls below. Trying 1 500 moves the line; nothing is saved.
    page.get_by_role("navigation", name="Forumets sidor").get_by_role(
        "link", name="Budgetlinje"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budgetlinje 2027")
    line = page.locator("tr.budget-line-row")
    expect(line).to_contain_text("Budgetlinjen – ramen 1\u00a0200\u00a0tkr")
    expect(page.locator("tr.budget-given-up")).to_contain_text("Förstärkt stöd")
    expect(page.get_by_role("img", name="Sammanlagd kostnad år 1 mot ramen")).to_be_visible()
    assert_accessible(page, "the budget line")
    page.get_by_label("Pröva en annan ram (tkr)").fill("1 500")
    page.get_by_role("button", name="Visa budgetlinjen").click()
    expect(
        page.get_by_text("Du prövar ramen 1\u00a0500\u00a0tkr. Inget är sparat.")
    ).to_be_visible()
    expect(page.locator("tr.budget-line-row")).to_have_count(0)
    assert_accessible(page, "the budget line with another frame")
    assert Round.objects.get(pk=round.pk).frame_tkr == 1000

    # The review: answers and the flag on Förstärkt stöd.
    page.goto("/omgangar/2027/forum/granskning/")
    expect(
        page.get_by_text("Högt rangordnat (median 2) trots liten svårighetsgrad")
    ).to_be_visible()
    page.get_by_label("Finns det risk för särbehandling?").fill("Nej, stödet ges efter behov.")
    page.get_by_label("Vad trängs undan?").fill("Förstärkt stöd får vänta ett år.")
    page.get_by_label("Är prioriteringen rimlig?").fill("Ja.")
    page.get_by_role("button", name="Registrera granskningen").click()
    expect(page.get_by_role("status")).to_contain_text("Granskningen är registrerad.")
    assert_accessible(page, "the review")

    # The decisions, then the phase, then publication.
    page.goto("/omgangar/2027/forum/beslut/")
    assert_accessible(page, "the decisions")
    for proposal, outcome, motivation in (
        (hemtjanst, "Finansieras", "Högst rangordnat"),
        (skjuts, "Finansieras", "Lagkrav"),
        (stod, "Finansieras delvis", "Ryms delvis"),
        (inkop, "Genomförs (effektivisering)", "Sparar 200 tkr"),
    ):
        page.get_by_label(f"Beslut om {proposal.reference} {proposal.title}").select_option(
            label=outcome
        )
        page.get_by_label(f"Motivering av beslutet om {proposal.reference} {proposal.title}").fill(
            motivation
        )
    page.get_by_label(f"Beviljat belopp år 1 i tkr för {stod.reference}").fill("500")
    page.get_by_role("button", name="Spara besluten").click()
    expect(page.get_by_role("status")).to_contain_text("Besluten är sparade (4 ändrade).")
    assert Decision.objects.count() == 4
    page.get_by_role("button", name="Flytta omgången till fasen Beslut").click()
    page.get_by_role("button", name="Flytta fram till Beslut").click()  # the confirmation
    expect(page.get_by_role("status")).to_contain_text("Omgången är flyttad till fasen Beslut.")
    page.goto("/omgangar/2027/forum/beslut/")
    page.get_by_role("button", name="Publicera resultatet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publicera resultatet 2027?")
    assert_accessible(page, "the publish confirmation")
    page.get_by_role("button", name="Publicera resultatet").click()
    expect(page.get_by_role("status")).to_contain_text("Omgången är publicerad.")
    assert ForumResult.objects.get(round=round).published_at is not None

    # A citizen, not signed in.
    citizen = browser.new_context(base_url=demo_site.url, locale="sv-SE")
    public = citizen.new_page()
    try:
        public.goto("/")
        public.get_by_role("link", name="Öppna prioriteringar").click()
        public.get_by_role("link", name="Exempelkommun: prioriteringar inför 2027").click()
        expect(public.get_by_role("heading", level=1)).to_have_text(
            "Exempelkommun: prioriteringar inför 2027"
        )
        expect(public.get_by_text("Förstärkt stöd får vänta ett år.")).to_be_visible()
        expect(public.locator("table.decision-table tbody tr").first).to_contain_text("Hemtjänst")
        expect(public.get_by_text("Lagkrav på skolskjuts")).to_be_visible()
        assert_accessible(public, "the public page")
    finally:
        citizen.close()
