"""The forum's live meeting view in two browsers: A shows the meeting view on
the big screen, scrolled down; B, a forumdeltagare, changes a rank on the own
sheet. Within seconds A shows the new median, without a reload, at the same
scroll position, and says that the list was updated. axe on the view."""

from ranking.models import ForumRank, Handling, NamndRanking, NamndResult
from rounds.models import AnalysisStatus, Namnd, Phase, User
from tests.browser.conftest import TIMEOUT_MS, assert_accessible, expect, sign_in, tab_to
from tests.factories import analysis_of, make_proposal, make_round

MEETING = "/omgangar/2027/forum/mote/"
SHEET = "/omgangar/2027/forum/mitt-ark/"


def forum_with(count):
    round = make_round(phase=Phase.FORUM)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    result = NamndResult.objects.create(
        round=round, namnd=Namnd.objects.get(name="Bildningsnämnden")
    )
    proposals = []
    for i in range(count):
        proposal = make_proposal(analysis, title=f"Förslag nummer {i + 1}", cost_year1=100 * i)
        NamndRanking.objects.create(
            result=result, proposal=proposal, rank=1, handling=Handling.KOMMUNGEMENSAM
        )
        proposals.append(proposal)
    return round, proposals


def test_the_meeting_view_follows_a_change_within_seconds(page, browser, demo_site, console):
    round, proposals = forum_with(30)
    forum_2 = User.objects.get(username="forum-2")
    for i, proposal in enumerate(proposals):
        ForumRank.objects.create(round=round, member=forum_2, proposal=proposal, rank=1 + i % 10)
    watched = proposals[-1]  # ranked 10 by forum-2: near the bottom of the list
    median = page.locator(f"#mote-forslag-{watched.pk} .forum-median")

    # A: the big screen, scrolled down to the watched row.
    sign_in(page, "controller")
    page.goto(MEETING)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Forumets möte 2027: sammanvägd rangordning"
    )
    expect(median).to_have_text("10")
    assert_accessible(page, "the meeting view")
    median.scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    page.wait_for_function("() => window.scrollY > 300")
    scrolled = page.evaluate("() => window.scrollY")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    # Polls that find nothing new change nothing.
    with page.expect_response(lambda r: "/mote/tabell/" in r.url) as unchanged:
        pass
    assert unchanged.value.status == 204

    # B: forum-1 ranks the watched proposal 2 on the own sheet, by keyboard.
    other = browser.new_context(base_url=demo_site.url, locale="sv-SE")
    other.set_default_timeout(TIMEOUT_MS)
    try:
        sheet = other.new_page()
        console.watch(sheet)
        sign_in(sheet, "forum-1")
        sheet.goto(SHEET)
        field = sheet.get_by_label(f"Din rangordning för {watched.reference} {watched.title}")
        tab_to(sheet, field, 300)
        sheet.keyboard.type("2")
        sheet.keyboard.press("Enter")  # the form's default button saves
        expect(sheet.get_by_role("status")).to_contain_text("Din rangordning är sparad.")
    finally:
        other.close()

    # A: median of 10 and 2 is 6, within 3 s, not reloaded, same scroll.
    expect(median).to_have_text("6", timeout=3000)
    expect(page.locator("#forum-meeting-updated")).to_contain_text(
        "Rangordningen uppdaterades", timeout=3000
    )
    assert page.evaluate("() => window.scrollY") == scrolled
    assert page.evaluate("() => window.stillTheSamePage === true")  # not reloaded
    expect(page.locator(f"#mote-forslag-{watched.pk}")).to_contain_text("2 av 5")
    assert_accessible(page, "the meeting view after an update")
