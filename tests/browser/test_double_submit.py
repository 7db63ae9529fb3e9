"""A form is sent once: a double click, Enter pressed twice, or the browser
sending the same form twice makes one item and one proposal.

Two layers are tried: the buttons of a form on its way wait (static/js/
submission.js: aria-disabled and aria-busy, the focus staying on the button),
and a form that reaches the server twice with the same submit_key is answered
the first time's way and written once (prioritering/transactions.py). A
deliberate second "Lägg till" is a new item. axe checks the pages with a
button waiting."""

import re
from urllib.parse import parse_qs

import pytest

from rounds.models import AnalysisItem, Proposal
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.factories import analysis_of, make_round

CELL_LABEL = "Ny punkt i Invånare – Situationer och åtgärder som behöver nya resurser"
ADD_TOGGLE = "Lägg till punkt i Invånare – Situationer och åtgärder som behöver nya resurser"
ADD_PATH = re.compile(r"/punkter/ny/$")


def bildning():
    return analysis_of(make_round(), "Bildningsförvaltningen")


def grid_url(analysis):
    return f"/omgangar/2027/analyser/{analysis.forvaltning_id}/"


def create_url(analysis):
    return f"/omgangar/2027/forslag/nytt/{analysis.forvaltning_id}/"


def add_form(page):
    return page.locator("form.grid-add__form").filter(has=page.get_by_label(CELL_LABEL))


def add_toggle(page):
    return page.locator("summary.grid-add__toggle", has_text=ADD_TOGGLE)


def open_add(page):
    """Open the cell's "Lägg till punkt" (it closes after each add)."""
    add_toggle(page).click()
    expect(page.get_by_label(CELL_LABEL)).to_be_focused()


def texts(analysis):
    return list(AnalysisItem.objects.filter(analysis=analysis).values_list("text", flat=True))


def key_of(form):
    return form.locator("input[name=submit_key]").input_value()


class Posts:
    """The POST requests the page makes to URLs matching ``pattern``. The
    ``answer``: "server" passes them on; "hold" keeps each until
    :meth:`release` (a slow server); "nothing" answers 204 at once (the page
    stays as it is)."""

    def __init__(self, page, pattern, answer="server"):
        self.page, self.pattern, self.answer = page, pattern, answer
        self.sent: list = []
        self.held: list = []
        page.route(pattern, self._route)

    def _route(self, route):
        if route.request.method != "POST":
            route.continue_()
            return
        self.sent.append(route.request)
        if self.answer == "hold":
            self.held.append(route)
        elif self.answer == "nothing":
            route.fulfill(status=204)
        else:
            route.continue_()

    def keys(self):
        return [parse_qs(request.post_data or "").get("submit_key") for request in self.sent]

    def release(self):
        held, self.held = self.held, []
        for route in held:
            route.continue_()

    def stop(self):
        self.release()
        self.page.unroute(self.pattern, self._route)


def expect_waiting(button, busy=True):
    expect(button).to_be_disabled()  # aria-disabled: still focusable
    expect(button).to_have_attribute("aria-disabled", "true")
    if busy:
        expect(button).to_have_attribute("aria-busy", "true")


def expect_ready(button):
    expect(button).to_be_enabled()
    expect(button).not_to_have_attribute("aria-busy", "true")


def fill_new_proposal(page, title="Fler förskollärare i ytterområdena"):
    page.get_by_label("Rubrik / sammanfattande beskrivning", exact=False).fill(title)
    page.get_by_role("group", name="Typ", exact=True).get_by_role(
        "radio", name="Nya behov", exact=True
    ).check()
    for label, value in [
        ("Kostnad år 1 (tkr)", "1 500"),
        ("Kostnad år 2 (tkr)", "1 500"),
        ("Kostnad år 3 (tkr)", "1 500"),
        ("Kostnad år 4–10 (tkr)", "10 500"),
        ("Rangordning", "4"),
    ]:
        page.get_by_label(label, exact=True).fill(value)


# --- the analysis grid ---------------------------------------------------------


def test_a_double_click_on_lagg_till_adds_one_item(page):
    analysis = bildning()
    sign_in(page, "tjp-bildning")
    page.goto(grid_url(analysis))
    posts = Posts(page, ADD_PATH)
    open_add(page)
    page.get_by_label(CELL_LABEL).fill("Fler förskollärare")
    add_form(page).get_by_role("button", name="Lägg till").dblclick()
    expect(page.locator("#grid-status")).to_have_text("Punkten lades till.")
    cell = page.locator(".grid-cell").filter(has=page.get_by_label(CELL_LABEL))
    expect(cell.locator(".grid-item__text")).to_have_text(["Fler förskollärare"])
    assert len(posts.sent) == 1
    assert texts(analysis) == ["Fler förskollärare"]
    assert AnalysisItem.history.filter(history_type="+").count() == 1


def test_a_second_add_on_purpose_adds_a_second_item(page):
    analysis = bildning()
    sign_in(page, "tjp-bildning")
    page.goto(grid_url(analysis))
    first_key = key_of(add_form(page))
    for count in (1, 2):
        open_add(page)
        page.get_by_label(CELL_LABEL).fill("Samma text")
        add_form(page).get_by_role("button", name="Lägg till").click()
        cell = page.locator(".grid-cell").filter(has=page.get_by_label(CELL_LABEL))
        expect(cell.locator(".grid-item__text")).to_have_count(count)
    assert key_of(add_form(page)) != first_key
    assert texts(analysis) == ["Samma text", "Samma text"]


def test_lagg_till_waits_for_its_answer_with_the_focus_on_it(page):
    """From the keyboard: Enter on "Lägg till", Enter again and Space while the
    answer is on its way; one request, and the button keeps the focus."""
    analysis = bildning()
    sign_in(page, "tjp-bildning")
    page.goto(grid_url(analysis))
    posts = Posts(page, ADD_PATH, answer="hold")
    field = page.get_by_label(CELL_LABEL)
    tab_to(page, add_toggle(page))
    page.keyboard.press("Enter")
    expect(field).to_be_focused()
    page.keyboard.type("Fler förskollärare")
    page.keyboard.press("Tab")
    button = add_form(page).get_by_role("button", name="Lägg till")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect_waiting(button)
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    field.press("Control+Enter")
    assert_accessible(page, "the grid with Lägg till waiting")
    assert len(posts.sent) == 1

    posts.release()
    expect(page.locator("#grid-status")).to_have_text("Punkten lades till.")
    # The field closes and the focus is back on "Lägg till punkt"; opened
    # again, its button is ready.
    expect(add_toggle(page)).to_be_focused()
    page.keyboard.press("Enter")
    expect_ready(add_form(page).get_by_role("button", name="Lägg till"))
    posts.stop()
    assert len(posts.sent) == 1
    assert texts(analysis) == ["Fler förskollärare"]


def test_after_an_error_answer_the_button_works_again_with_a_fresh_key(page, console):
    """A refused add (here: a cell the server does not know) leaves the form
    in place: its button works again, with a new key."""
    analysis = bildning()
    sign_in(page, "tjp-bildning")
    page.goto(grid_url(analysis))
    form = add_form(page)
    before = key_of(form)
    form.locator("input[name=column]").evaluate("input => { input.value = '99'; }")
    open_add(page)
    page.get_by_label(CELL_LABEL).fill("Fler förskollärare")
    form.get_by_role("button", name="Lägg till").click()
    expect(page.locator("#messages")).to_contain_text("Något gick fel")
    expect_ready(form.get_by_role("button", name="Lägg till"))
    assert key_of(form) != before
    # Chromium logs the refused request as a failed resource: that one is wanted.
    assert all("400" in entry for entry in console.take())
    assert texts(analysis) == []


def test_the_same_add_sent_twice_is_written_once(page):
    """Past the buttons (the same form with the same key sent again, as a
    browser may): one item, and the same answer twice. One after the other:
    the test database (SQLite in memory) refuses two writers at once."""
    analysis = bildning()
    sign_in(page, "tjp-bildning")
    page.goto(grid_url(analysis))
    open_add(page)
    page.get_by_label(CELL_LABEL).fill("Fler förskollärare")
    answers = add_form(page).evaluate(
        """async form => {
            const send = () => fetch(form.action, {
                method: "POST", body: new FormData(form), headers: {"HX-Request": "true"},
            }).then(async response => [response.status, await response.text()]);
            return [await send(), await send()];
        }"""
    )
    assert [status for status, _body in answers] == [200, 200]
    assert answers[0][1] == answers[1][1]
    assert texts(analysis) == ["Fler förskollärare"]


# --- the proposal form -----------------------------------------------------------


def test_a_double_click_on_spara_creates_one_proposal(page):
    analysis = bildning()
    sign_in(page, "tjp-bildning")
    page.goto(create_url(analysis))
    posts = Posts(page, re.compile(r"/forslag/nytt/\d+/$"))
    fill_new_proposal(page)
    page.get_by_role("button", name="Spara förslaget").dblclick()
    page.wait_for_url("**/omgangar/2027/forslag/1/")
    expect(page.get_by_role("status").filter(has_text="sparat")).to_contain_text(
        "Förslaget 2027-001 är sparat."
    )
    assert len(posts.sent) == 1
    proposal = Proposal.objects.get()
    assert proposal.title == "Fler förskollärare i ytterområdena"
    assert proposal.history.count() == 1


def test_spara_waits_then_works_again_back_from_the_browsers_cache(page):
    """From the keyboard: Enter on "Spara förslaget", then Enter again and
    Enter in a field (the form's implicit submission) send nothing more. Sent
    the ordinary way, the form waits for the next page; here the answer (204)
    leaves the page as it is, as a page kept in the back/forward cache is
    left. Shown again from that cache (pageshow, persisted), the form works
    again with a fresh key, and its save is a new submission."""
    analysis = bildning()
    sign_in(page, "tjp-bildning")
    page.goto(create_url(analysis))
    fill_new_proposal(page)
    posts = Posts(page, re.compile(r"/forslag/nytt/\d+/$"), answer="nothing")
    save = page.get_by_role("button", name="Spara förslaget")
    tab_to(page, save, 120)
    page.keyboard.press("Enter")
    expect_waiting(save)
    expect(save).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("Rubrik / sammanfattande beskrivning", exact=False).press("Enter")
    expect_waiting(save)
    assert_accessible(page, "the proposal form with Spara waiting")

    page.evaluate(
        "() => window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))"
    )
    expect_ready(save)
    posts.answer = "server"
    save.click()
    page.wait_for_url("**/omgangar/2027/forslag/1/")
    assert len(posts.sent) == 2  # the first save, and the one after pageshow
    first, second = posts.keys()
    assert first and second and first != second
    assert Proposal.objects.count() == 1


def test_the_same_proposal_sent_twice_is_created_once(page):
    """Past the buttons: the form sent twice with the same key makes one
    proposal, and both answers lead to it."""
    analysis = bildning()
    sign_in(page, "tjp-bildning")
    page.goto(create_url(analysis))
    fill_new_proposal(page)
    answers = page.locator("#proposal-form").evaluate(
        """async form => {
            const send = () => fetch(location.href, {method: "POST", body: new FormData(form)})
                .then(response => [response.status, new URL(response.url).pathname]);
            return [await send(), await send()];
        }"""
    )
    assert answers == [[200, "/omgangar/2027/forslag/1/"]] * 2
    proposal = Proposal.objects.get()
    assert proposal.history.count() == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_the_waiting_buttons_are_accessible_at_each_width(page, width):
    analysis = bildning()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "tjp-bildning")
    page.goto(grid_url(analysis))
    posts = Posts(page, ADD_PATH, answer="hold")
    open_add(page)
    page.get_by_label(CELL_LABEL).fill("Fler förskollärare")
    button = add_form(page).get_by_role("button", name="Lägg till")
    button.click()
    expect_waiting(button)
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    assert_accessible(page, f"the grid at {width} px with Lägg till waiting")
    posts.stop()
    expect(page.locator("#grid-status")).to_have_text("Punkten lades till.")
