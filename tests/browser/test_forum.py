"""The forum in the browser, with the keyboard only: a forumdeltagare fills in
three ranks on the own sheet and saves, moves rows with the move buttons (in
the page, saved in the background) and reads the own earlier ranks; the
compiled list then shows the sammanvägd rangordning. The same moves without
JavaScript store the same sheet; a row dragged with the mouse follows the same
rule. axe on every state."""

from urllib.parse import urlsplit

import pytest

from ranking import selectors
from ranking.models import ForumRank, Handling, NamndRanking, NamndResult
from ranking.services import forum as forum_services
from rounds.models import AnalysisStatus, Namnd, Phase, User
from tests.browser.conftest import (
    TIMEOUT_MS,
    assert_accessible,
    expect,
    sign_in,
    tab_to,
)
from tests.factories import analysis_of, make_proposal, make_round

SHEET = "/omgangar/2027/forum/mitt-ark/"


def forwarded(titles):
    """A round in the forum phase with the given proposals sent on (numbers
    2027-001, 2027-002… in that order)."""
    round = make_round(phase=Phase.FORUM)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    result = NamndResult.objects.create(
        round=round, namnd=Namnd.objects.get(name="Bildningsnämnden")
    )
    proposals = []
    for title in titles:
        proposal = make_proposal(analysis, title=title, cost_year1=400)
        NamndRanking.objects.create(
            result=result, proposal=proposal, rank=1, handling=Handling.KOMMUNGEMENSAM
        )
        proposals.append(proposal)
    return round, proposals


def keyboard_to(page, locator, max_presses: int = 80) -> None:
    """Tab (or Shift+Tab, when it lies before the focus) until ``locator`` has
    the focus, as a keyboard user would."""
    before = locator.evaluate(
        "element => !!(document.activeElement && document.activeElement !== document.body"
        " && (element.compareDocumentPosition(document.activeElement)"
        " & Node.DOCUMENT_POSITION_FOLLOWING))"
    )
    if not before:
        tab_to(page, locator, max_presses)
        return
    for _ in range(max_presses):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab")
    pytest.fail(f"{max_presses} presses of Shift+Tab never reached {locator}")


def is_sheet_post(response):
    return response.request.method == "POST" and urlsplit(response.url).path == SHEET


def press_move(page, name):
    """Reach the move button by keyboard and press it; returns the answer to
    the POST it causes (the background save, or the form without JavaScript)."""
    button = page.get_by_role("button", name=name, exact=True)
    keyboard_to(page, button)
    with page.expect_response(is_sheet_post) as answer:
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=name, exact=True)).to_be_focused()
    return answer.value


def sheet_of(round, username):
    """The member's sheet as saved: (title, rank) in the member's order."""
    titles = {p.pk: p.title for p in selectors.forwarded_proposals(round)}
    member = User.objects.get(username=username)
    return [
        (titles[row.proposal_id], row.rank) for row in forum_services.sheet_order(round, member)
    ]


def shown_order(page):
    return page.locator("table.forum-sheet-table tbody th[scope=row] a").all_inner_texts()


def test_forumdeltagare_ranks_with_the_keyboard(page):
    round, proposals = forwarded(("Läxhjälp", "Förstärkt stöd", "Skolskjuts"))
    other = User.objects.get(username="forum-2")
    ForumRank.objects.create(round=round, member=other, proposal=proposals[2], rank=1)

    sign_in(page, "forum-1")
    page.goto(SHEET)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt rangordningsark 2027")
    assert_accessible(page, "the forum sheet")

    for proposal, value in zip(proposals, ("3", "1", "9"), strict=True):
        field = page.get_by_label(f"Din rangordning för {proposal.reference} {proposal.title}")
        tab_to(page, field, 80)
        page.keyboard.type(value)
    tab_to(page, page.get_by_role("button", name="Spara min rangordning"), 30)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Din rangordning är sparad.")
    forum_1 = User.objects.get(username="forum-1")
    saved = dict(ForumRank.objects.filter(member=forum_1).values_list("proposal_id", "rank"))
    assert saved == {proposals[0].pk: 3, proposals[1].pk: 1, proposals[2].pk: 9}
    assert_accessible(page, "the saved forum sheet")
    expect(page.locator("table.forum-sheet-table tbody tr").first).to_contain_text("Förstärkt stöd")

    # Move Skolskjuts (9) up past Läxhjälp (3): it takes rank 3, in the page
    # at once, and the sheet is saved in the background.
    live = page.locator("#forum-sheet-live")
    answer = press_move(page, "Flytta upp 2027-003")
    assert answer.status == 204
    expect(live).to_have_text("2027-003 flyttad till plats 2 av 3, rangordning 3")
    expect(page.get_by_label("Din rangordning för 2027-003 Skolskjuts")).to_have_value("3")
    assert urlsplit(page.url).query == ""  # no reload: the page stayed as it was
    assert sheet_of(round, "forum-1") == [
        ("Förstärkt stöd", 1),
        ("Skolskjuts", 3),
        ("Läxhjälp", 3),
    ]
    assert_accessible(page, "the sheet after a move")

    # Again, with the focus still on the same button: past Förstärkt stöd (1).
    with page.expect_response(is_sheet_post) as again:
        page.keyboard.press("Enter")
    assert again.value.status == 204
    expect(live).to_have_text("2027-003 flyttad till plats 1 av 3, rangordning 1")
    expect(page.get_by_role("button", name="Flytta upp 2027-003", exact=True)).to_be_focused()
    assert shown_order(page) == [
        "2027-003 Skolskjuts",
        "2027-002 Förstärkt stöd",
        "2027-001 Läxhjälp",
    ]
    assert page.locator(".ranklist-place-number").all_inner_texts() == ["1", "2", "3"]
    assert sheet_of(round, "forum-1") == [
        ("Skolskjuts", 1),
        ("Förstärkt stöd", 1),
        ("Läxhjälp", 3),
    ]
    # At the top nothing moves, and the page says so.
    with page.expect_response(is_sheet_post):
        page.keyboard.press("Enter")
    expect(live).to_have_text("2027-003 står kvar på plats 1 av 3")
    assert_accessible(page, "the sheet after the moves")

    # The own earlier ranks, after a reload, by keyboard.
    page.reload()
    assert shown_order(page)[0] == "2027-003 Skolskjuts"
    earlier = page.locator(f"#forslag-{proposals[2].pk} details")
    summary = earlier.locator("summary")
    tab_to(page, summary, 80)
    page.keyboard.press("Enter")
    expect(earlier.locator("li")).to_have_count(3)
    expect(earlier.locator("li").nth(0)).to_contain_text("Rangordning 1")
    expect(earlier.locator("li").nth(1)).to_contain_text("Rangordning 3")
    expect(earlier.locator("li").nth(2)).to_contain_text("Rangordning 9")
    assert_accessible(page, "the sheet with the earlier ranks open")

    page.goto("/omgangar/2027/forum/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kommunövergripande prioritering 2027"
    )
    # Skolskjuts and Förstärkt stöd: median 1, mean 1; the lower id first.
    rows = page.locator("table.forum-table tbody tr")
    expect(rows.first).to_contain_text("Förstärkt stöd")
    expect(page.locator(f"#forslag-{proposals[2].pk}")).to_contain_text("2 av 5")
    assert_accessible(page, "the forum's compiled list")


def test_an_invalid_rank_stops_a_move_in_the_page(page):
    forwarded(("Läxhjälp", "Förstärkt stöd"))
    sign_in(page, "forum-1")
    page.goto(SHEET)
    field = page.get_by_label("Din rangordning för 2027-001 Läxhjälp")
    tab_to(page, field, 80)
    page.keyboard.type("12")
    keyboard_to(page, page.get_by_role("button", name="Flytta ned 2027-002", exact=True))
    page.keyboard.press("Enter")
    expect(page.locator("#forum-sheet-live")).to_have_text(
        "Rätta rangordningen för 2027-001 först: ett heltal 1–10, eller tomt."
    )
    expect(field).to_be_focused()
    expect(field).to_have_value("12")  # what was typed is kept
    assert not ForumRank.objects.exists()
    assert_accessible(page, "the sheet refusing a move")


# The same moves by keyboard, with and without JavaScript, store the same sheet.
MOVES = [
    "Flytta upp 2027-004",  # unranked past Skolskjuts (7): takes 7
    "Flytta upp 2027-004",  # 7 past Förstärkt stöd (2): takes 2
    "Flytta ned 2027-001",  # Läxhjälp past Fritidsgård, both 2: only the order
    "Flytta ned 2027-003",  # at the bottom already
    "Flytta ned 2027-002",  # 2 past Skolskjuts (7): takes 7
]
EXPECTED = [
    ("Fritidsgård", 2),
    ("Läxhjälp", 2),
    ("Skolskjuts", 7),
    ("Förstärkt stöd", 7),
]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_moves_store_the_same_sheet_with_and_without_javascript(
    browser, demo_site, console, javascript
):
    round, proposals = forwarded(("Läxhjälp", "Förstärkt stöd", "Skolskjuts", "Fritidsgård"))
    member = User.objects.get(username="forum-1")
    forum_services.save_forum_ranks(
        round, member, {proposals[0].pk: 2, proposals[1].pk: 2, proposals[2].pk: 7}, by=member
    )
    context = browser.new_context(
        base_url=demo_site.url, locale="sv-SE", java_script_enabled=javascript
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        console.watch(page)
        sign_in(page, "forum-1")
        page.goto(SHEET)
        for name in MOVES:
            answer = press_move(page, name)
            assert answer.status == (204 if javascript else 302)
        assert sheet_of(round, "forum-1") == EXPECTED
        if javascript:  # moved in the page, told in the sheet's live region
            assert "flyttad" not in page.url
            expect(page.locator("#forum-sheet-live")).to_have_text(
                "2027-002 flyttad till plats 4 av 4, rangordning 7"
            )
        else:  # moved by the server, told in the page's messages
            assert "flyttad=" in page.url
            expect(page.get_by_role("status")).to_have_text(
                "2027-002 flyttades till plats 4 av 4 (rangordning 7)."
            )
        page.reload()
        assert shown_order(page) == [
            "2027-004 Fritidsgård",
            "2027-001 Läxhjälp",
            "2027-003 Skolskjuts",
            "2027-002 Förstärkt stöd",
        ]
        if javascript:
            assert_accessible(page, "the sheet after moves with JavaScript")
    finally:
        context.close()
    console.assert_clean("the moves")


def test_a_row_dragged_with_the_mouse_follows_the_rule(page):
    round, proposals = forwarded(("Läxhjälp", "Förstärkt stöd", "Skolskjuts"))
    member = User.objects.get(username="forum-1")
    forum_services.save_forum_ranks(
        round, member, {proposals[0].pk: 1, proposals[1].pk: 4, proposals[2].pk: 8}, by=member
    )
    sign_in(page, "forum-1")
    page.goto(SHEET)
    handle = page.locator(f"#forslag-{proposals[2].pk} .ranklist-drag-handle")
    expect(handle).to_be_visible()
    assert_accessible(page, "the sheet with drag handles")
    with page.expect_response(is_sheet_post) as answer:
        handle.drag_to(page.locator(f"#forslag-{proposals[0].pk}"))
    assert answer.value.status == 204
    expect(page.locator("#forum-sheet-live")).to_have_text(
        "2027-003 flyttad till plats 1 av 3, rangordning 1"
    )
    expect(page.get_by_label("Din rangordning för 2027-003 Skolskjuts")).to_have_value("1")
    assert shown_order(page) == [
        "2027-003 Skolskjuts",
        "2027-001 Läxhjälp",
        "2027-002 Förstärkt stöd",
    ]
    assert sheet_of(round, "forum-1") == [
        ("Skolskjuts", 1),
        ("Läxhjälp", 1),
        ("Förstärkt stöd", 4),
    ]
    assert_accessible(page, "the sheet after a drag")
