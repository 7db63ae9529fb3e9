"""The forum in the browser, with the keyboard only: a forumdeltagare fills in
three ranks on the own sheet and saves; the compiled list then shows the
sammanvägd rangordning. axe on the sheet and the list."""

from ranking.models import ForumRank, Handling, NamndRanking, NamndResult
from rounds.models import AnalysisStatus, Namnd, Phase, User
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.factories import analysis_of, make_proposal, make_round


def test_forumdeltagare_ranks_with_the_keyboard(page):
    round = make_round(phase=Phase.FORUM)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    result = NamndResult.objects.create(
        round=round, namnd=Namnd.objects.get(name="Bildningsnämnden")
    )
    proposals = []
    for title in ("Läxhjälp", "Förstärkt stöd", "Skolskjuts"):
        proposal = make_proposal(analysis, title=title, cost_year1=400)
        NamndRanking.objects.create(
            result=result, proposal=proposal, rank=1, handling=Handling.KOMMUNGEMENSAM
        )
        proposals.append(proposal)
    other = User.objects.get(username="forum-2")
    ForumRank.objects.create(round=round, member=other, proposal=proposals[2], rank=1)

    sign_in(page, "forum-1")
    page.goto("/omgangar/2027/forum/mitt-ark/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt rangordningsark 2027")
    assert_accessible(page, "the forum sheet")

    for proposal, value in zip(proposals, ("3", "1", "9"), strict=True):
        field = page.get_by_label(f"Din rangordning för {proposal.reference} {proposal.title}")
        tab_to(page, field, 80)
        page.keyboard.type(value)
    tab_to(page, page.get_by_role("button", name="Spara min rangordning"), 20)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Din rangordning är sparad.")
    forum_1 = User.objects.get(username="forum-1")
    saved = dict(ForumRank.objects.filter(member=forum_1).values_list("proposal_id", "rank"))
    assert saved == {proposals[0].pk: 3, proposals[1].pk: 1, proposals[2].pk: 9}
    assert_accessible(page, "the saved forum sheet")

    page.goto("/omgangar/2027/forum/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kommunövergripande prioritering 2027"
    )
    rows = page.locator("table.forum-table tbody tr")
    expect(rows.first).to_contain_text("Förstärkt stöd")
    expect(page.get_by_text("Oenighet – diskutera")).to_have_count(1)
    assert_accessible(page, "the forum's compiled list")
