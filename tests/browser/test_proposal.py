"""Proposals in the browser: a tjänsteperson completes an assessment with the
keyboard only (Tab, arrow keys and Space in the radio groups, typing costs the
Swedish way), and axe checks the list, the form (also with errors) and the
detail page."""

import re

from rounds.models import ListKind, Proposal
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.factories import analysis_of, make_proposal, make_round

MANY_TABS = 120


def bildning_proposal():
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    analysis.round.list_items.create(kind=ListKind.POLITISKT_MAL, name="Trygg uppväxt")
    return make_proposal(
        analysis,
        title="Fler förskollärare",
        situation="Barngrupperna är för stora.",
        cost_year1=0,
        svarighetsgrad=None,  # unassessed: the test assesses it by keyboard
        nytta=None,
        kostnadseffektivitet=None,
    )


def group(page, legend):
    return page.get_by_role("group", name=legend, exact=True)


def choose_with_arrows(page, legend, presses, expected):
    """Tab into the radio group (the focus lands on its checked option), then
    move with the arrow keys; the option reached is checked."""
    radios = group(page, legend).get_by_role("radio")
    tab_to(page, radios.and_(page.locator(":checked")), MANY_TABS)
    for key in presses:
        page.keyboard.press(key)
    expect(group(page, legend).get_by_role("radio", name=expected, exact=True)).to_be_checked()
    expect(group(page, legend).get_by_role("radio", name=expected, exact=True)).to_be_focused()


def type_into(page, label, text):
    field = page.get_by_label(label, exact=False)
    tab_to(page, field, MANY_TABS)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_keyboard_only_assessment(page):
    proposal = bildning_proposal()
    sign_in(page, "tjp-bildning")

    page.goto("/omgangar/2027/forslag/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förslag 2027")
    expect(page.get_by_role("status").filter(has_text="förslag")).to_have_text("1 förslag")
    assert_accessible(page, "the list of proposals")

    page.goto(f"/omgangar/2027/forslag/{proposal.number}/andra/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra förslag 2027-001")
    # Not a ransonering: its kind is not asked for (and not sent).
    expect(group(page, "Slag av ransonering")).to_be_hidden()
    assert_accessible(page, "the proposal form")

    type_into(page, "Kostnad år 1 (tkr)", "1 500")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kostnad år 2 (tkr)")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("−300")

    # Svårighetsgrad: from "Ej bedömd" up to "Stor"; the suggested rank follows.
    choose_with_arrows(page, "Svårighetsgrad", ["ArrowUp"] * 3, "Stor")
    expect(page.locator("#rank-suggestion")).to_have_text(
        "Kommunens riktvärden: svårighetsgraden Stor brukar ge rangordning 3–5."
    )
    choose_with_arrows(page, "Nytta för målområdet", ["ArrowUp"] * 3, "Måttlig")
    choose_with_arrows(page, "Kostnadseffektivitet", ["ArrowUp", "ArrowUp"], "Måttlig")
    choose_with_arrows(page, "Kvalitet i kunskapsunderlaget", ["ArrowLeft"] * 3, "Måttlig")

    # A politiskt mål: a checkbox, checked with Space.
    goal = page.get_by_role("checkbox", name="Trygg uppväxt")
    tab_to(page, goal, MANY_TABS)
    page.keyboard.press("Space")
    expect(goal).to_be_checked()

    type_into(page, "Rangordning", "4")
    choose_with_arrows(
        page, "Människovärdesprincipen", ["ArrowUp", "ArrowUp"], "Förenlig med principen"
    )

    save = page.get_by_role("button", name="Spara förslaget")
    tab_to(page, save, MANY_TABS)
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/omgangar/2027/forslag/{proposal.number}/")
    expect(page.get_by_role("status").filter(has_text="sparat")).to_contain_text(
        "Förslaget 2027-001 är sparat."
    )
    costs = page.get_by_role("region", name="Kostnader", exact=True)
    expect(costs).to_contain_text(re.compile(r"1\s500\stkr"))
    expect(costs).to_contain_text(re.compile(r"\u2212300\stkr"))
    expect(page.get_by_role("region", name="Bedömning", exact=True)).to_contain_text("Stor")
    assert_accessible(page, "the proposal's page")

    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.cost_year1, saved.cost_year2) == (1500, -300)
    assert (saved.svarighetsgrad, saved.nytta, saved.kostnadseffektivitet) == (3, 2, 2)
    assert saved.kunskapsunderlag == 2
    assert saved.rangordning == 4
    assert saved.etik_manniskovarde == "forenlig"
    assert [goal.name for goal in saved.mal.all()] == ["Trygg uppväxt"]
    assert saved.title == "Fler förskollärare"  # untouched fields keep their value


def test_form_with_errors_is_accessible_and_links_to_the_fields(page):
    proposal = bildning_proposal()
    sign_in(page, "tjp-bildning")
    page.goto(f"/omgangar/2027/forslag/{proposal.number}/andra/")
    type_into(page, "Kostnad år 1 (tkr)", "1,5")
    type_into(page, "Rangordning", "11")
    page.get_by_role("button", name="Spara förslaget").press("Enter")

    summary = page.get_by_role("alert").filter(has_text="Förslaget är inte sparat")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.get_by_label("Kostnad år 1 (tkr)")).to_have_value("1,5")  # kept as typed
    expect(page.get_by_label("Kostnad år 1 (tkr)")).to_have_accessible_description(
        re.compile("Ange ett heltal i tkr")
    )
    assert_accessible(page, "the proposal form with errors")
    summary.get_by_role("link", name=re.compile("^Rangordning")).click()
    expect(page.get_by_label("Rangordning", exact=False)).to_be_focused()
    assert Proposal.objects.get(pk=proposal.pk).cost_year1 == 0


def test_ransonering_and_rank_fields_follow_the_choices(page):
    proposal = bildning_proposal()
    sign_in(page, "tjp-bildning")
    page.goto(f"/omgangar/2027/forslag/{proposal.number}/andra/")
    kind = group(page, "Slag av ransonering")
    expect(kind).to_be_hidden()
    # Typ: Nya behov → Förbisedda → Befintliga → Minskade → Ransonering shows the kind.
    choose_with_arrows(page, "Typ (obligatoriskt)", ["ArrowDown"] * 4, "Ransonering")
    expect(kind).to_be_visible()
    expect(page.get_by_label("Ransoneringens inriktning")).to_be_enabled()
    # Icke-göra takes the rank away; Rangordnas brings it back.
    rank = page.get_by_label("Rangordning", exact=False)
    expect(rank).to_be_visible()
    choose_with_arrows(
        page, "Rekommendation (obligatoriskt)", ["ArrowDown"], "Icke-göra (avveckla)"
    )
    expect(rank).to_be_hidden()
    page.keyboard.press("ArrowUp")
    expect(rank).to_be_visible()
    assert_accessible(page, "the proposal form for a ransonering")


def test_list_filters_and_sorts_in_place(page):
    proposal = bildning_proposal()
    make_proposal(proposal.analysis, title="Större lokaler", cost_year1=900, rangordning=2)
    sign_in(page, "tjp-bildning")
    page.goto("/omgangar/2027/forslag/")
    count = page.get_by_role("status").filter(has_text="förslag")
    expect(count).to_have_text("2 förslag")
    page.evaluate("() => { window.samePage = true; }")

    tab_to(page, page.get_by_role("searchbox"), MANY_TABS)
    page.keyboard.type("lokaler")
    expect(count).to_have_text("1 förslag")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert_accessible(page, "the list after filtering")

    page.get_by_role("searchbox").fill("")
    expect(count).to_have_text("2 förslag")
    header = page.get_by_role("columnheader", name="År 1")
    header.get_by_role("link").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("#results tbody tr").first).to_contain_text("Fler förskollärare")
    page.get_by_role("columnheader", name="År 1").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="År 1")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(page.locator("#results tbody tr").first).to_contain_text("Större lokaler")
    assert page.evaluate("() => window.samePage === true")  # swapped, not reloaded
    assert "ordning=-ar1" in page.url
    assert_accessible(page, "the list after sorting")


def test_the_merge_after_a_concurrent_save(page):
    from rounds.models import User
    from rounds.services.proposal import save_proposal

    proposal = bildning_proposal()
    sign_in(page, "tjp-bildning")
    page.goto(f"/omgangar/2027/forslag/{proposal.number}/andra/")
    page.get_by_label("Rubrik / sammanfattande beskrivning").fill("Saras rubrik")
    type_into(page, "Rangordning", "4")

    # Meanwhile the chef saves a new title and a cost.
    theirs = Proposal.objects.get(pk=proposal.pk)
    theirs.title = "Anders rubrik"
    theirs.cost_year3 = 700
    save_proposal(theirs, by=User.objects.get(username="chef-bildning"), expected_version=1)

    page.get_by_role("button", name="Spara förslaget").click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Någon annan har sparat"))
    ).to_be_visible()
    expect(page.get_by_label("Kostnad år 3 (tkr)")).to_have_value("700")  # theirs, taken
    expect(page.get_by_label("Rubrik / sammanfattande beskrivning")).to_have_value("Saras rubrik")
    assert_accessible(page, "the merge")

    choice = page.get_by_role("group", name=re.compile("Vilket värde ska sparas för Rubrik"))
    tab_to(page, choice.get_by_role("radio", name=re.compile("Behåll min")), MANY_TABS)
    page.keyboard.press("ArrowDown")
    expect(choice.get_by_role("radio", name="Använd deras")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Spara förslaget"), MANY_TABS)
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/omgangar/2027/forslag/{proposal.number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anders rubrik")
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.cost_year3, saved.rangordning, saved.version) == (
        "Anders rubrik",
        700,
        4,
        3,
    )
