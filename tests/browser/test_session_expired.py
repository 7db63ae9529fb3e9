"""In the browser: the session ends while a proposal is being edited; the save
is kept, the user signs in in another tab and sends it again (with the new
CSRF token), and nothing typed is lost."""

from rounds.models import Proposal
from tests.browser.conftest import assert_accessible, expect, sign_in
from tests.factories import analysis_of, make_proposal, make_round


def test_save_after_the_session_expired_is_sent_again_after_sign_in(page, console):
    proposal = make_proposal(
        analysis_of(make_round(), "Bildningsförvaltningen"), title="Gammal rubrik", rangordning=4
    )
    sign_in(page, "tjp-bildning")
    page.goto(f"/omgangar/2027/forslag/{proposal.number}/andra/")
    page.get_by_label("Rubrik / sammanfattande beskrivning", exact=False).fill(
        "Rubrik skriven länge"
    )

    # The session ends (idle timeout) while the form is open.
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Spara förslaget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har blivit utloggad")
    assert_accessible(page, "the session-expired page")
    # Chromium logs the expected 401 as a failed resource: that one is wanted.
    assert all("401" in entry for entry in console.take())
    assert Proposal.objects.get(pk=proposal.pk).title == "Gammal rubrik"

    # Sign in in another tab: the session and the CSRF token are new.
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Logga in i en ny flik").click()
    other = new_tab.value
    other.locator("input[name=username]").fill("tjp-bildning")
    other.locator("input[name=password]").fill("demo")
    other.get_by_role("button", name="Logga in", exact=True).click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    other.close()

    page.get_by_role("button", name="Skicka igen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2027-001")
    assert Proposal.objects.get(pk=proposal.pk).title == "Rubrik skriven länge"
