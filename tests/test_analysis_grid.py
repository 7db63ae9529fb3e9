"""The verksamhetsanalys grid page and its in-place actions (htmx and plain
forms): who reads, who edits, what each action does, and that nothing typed
is lost."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from rounds.models import AnalysisColumn, AnalysisItem, AnalysisStatus, ListItem, Proposal
from rounds.services.analysis_items import delete_item
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import assert_queries_do_not_grow, assert_sent_to_sign_in

HTMX = {"HTTP_HX_REQUEST": "true"}
READERS_OF_DRAFTS = ["tjp-bildning", "chef-bildning", "controller"]
STRANGERS_TO_DRAFTS = ["tjp-social", "ledamot-bildning", "forum-1", "revisor", "admin"]
STAFF = ["tjp-bildning", "chef-bildning"]


@pytest.fixture
def round(demo):
    return make_round()


@pytest.fixture
def bildning(round):
    return analysis_of(round, "Bildningsförvaltningen")


def perspektiv(round, name="Invånare"):
    return ListItem.objects.get(round=round, kind="perspektiv", name=name)


def make_item(analysis, text="Fler förskollärare", column=AnalysisColumn.NYA_RESURSER, **kw):
    where = {"perspektiv": kw.pop("perspektiv", None) or perspektiv(analysis.round)}
    position = AnalysisItem.objects.filter(analysis=analysis, column=column, **where).count()
    return AnalysisItem.objects.create(
        analysis=analysis, column=column, text=text, position=position, **where, **kw
    )


def grid_url(analysis):
    return f"/omgangar/{analysis.round.budget_year}/analyser/{analysis.forvaltning_id}/"


def item_url(analysis, item, action):
    return f"{grid_url(analysis)}punkter/{item.pk}/{action}/"


def add_url(analysis):
    return f"{grid_url(analysis)}punkter/ny/"


def cell_anchor(item):
    return f"ruta-{item.perspektiv_id}-{item.column}"


def submit(analysis):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()


def snapshot(analysis):
    items = AnalysisItem.objects.filter(analysis=analysis).order_by("pk")
    return (
        list(items.values_list("pk", "text", "position", "version")),
        Proposal.objects.filter(analysis=analysis).count(),
    )


def text_of(response) -> str:
    return response.content.decode()


def button_names(html) -> list[str]:
    """The accessible names (aria-label) of the item buttons."""
    return re.findall(r'<button [^>]*aria-label="([^"]*)"', html)


def focused(html) -> list[str]:
    """What gets the focus after the swap: the accessible names of the
    autofocus buttons (aria-label) and disclosure toggles (their text, the
    visually hidden part included, the decorative ⋯ left out)."""
    names = []
    for match in re.finditer(r"<(button|summary)\b([^>]*) autofocus>(.*?)</\1>", html, re.S):
        _tag, attributes, content = match.groups()
        label = re.search(r'aria-label="([^"]*)"', attributes)
        names.append(
            label[1]
            if label
            else re.sub(r'<span aria-hidden="true">.*?</span>|<[^>]+>', "", content)
        )
    return names


def open_menus(html) -> list[str]:
    """The names of the item menus rendered open."""
    toggle = r'<details class="item-menu" open>\s*<summary[^>]*>.*?'
    return re.findall(toggle + r'<span class="visually-hidden">([^<]*)</span>', html, re.S)


def menu(text) -> str:
    """The accessible name of an item's menu toggle."""
    return f"Åtgärder för punkten: {text}"


ADD_TOGGLE = "Lägg till punkt i Invånare – Situationer och åtgärder som behöver nya resurser"


# --- the page ----------------------------------------------------------------


@pytest.mark.parametrize("username", READERS_OF_DRAFTS)
def test_a_draft_is_read_by_its_forvaltning_and_the_controller(signed_in, bildning, username):
    response = signed_in(username).get(grid_url(bildning))
    assert response.status_code == 200
    assert ">Verksamhetsanalys 2027 – Bildningsförvaltningen</h1>" in text_of(response)


@pytest.mark.parametrize("username", STRANGERS_TO_DRAFTS)
def test_a_draft_is_unknown_to_everyone_else(signed_in, bildning, username):
    assert signed_in(username).get(grid_url(bildning)).status_code == 404


@pytest.mark.parametrize("username", READERS_OF_DRAFTS + STRANGERS_TO_DRAFTS)
def test_a_submitted_analysis_is_read_by_everyone_signed_in(signed_in, bildning, username):
    submit(bildning)
    make_item(bildning, "Inlämnad punkt")
    response = signed_in(username).get(grid_url(bildning))
    assert response.status_code == 200
    assert "Inlämnad punkt" in text_of(response)
    assert "Lägg till" not in text_of(response)
    assert "item-menu" not in text_of(response)


def test_anonymous_is_sent_to_sign_in(client, bildning):
    response = client.get(grid_url(bildning))
    assert_sent_to_sign_in(response)


def test_unknown_round_or_forvaltning_is_404(signed_in, bildning):
    client = signed_in("controller")
    assert client.get(f"/omgangar/1999/analyser/{bildning.forvaltning_id}/").status_code == 404
    assert client.get("/omgangar/2027/analyser/99999/").status_code == 404


def test_the_grid_is_a_table_of_perspektiv_and_columns(signed_in, round, bildning):
    response = signed_in("tjp-bildning").get(grid_url(bildning))
    html = text_of(response)
    for name in ("Invånare", "Medarbetare (inklusive kompetens)", "Ekonomi", "Hållbarhet"):
        assert f'<th scope="row">{name}</th>' in html
    for column in AnalysisColumn:
        if column == AnalysisColumn.RANSONERA:  # its heading carries the source's questions
            assert f'<th scope="col" class="analysis-grid__questions-column">{column.label}' in html
        else:
            assert f'<th scope="col">{column.label}</th>' in html
    assert html.count('class="grid-cell"') == 16
    assert '<th scope="col">Perspektiv</th>' in html


def test_items_are_listed_in_position_order_in_their_cell(signed_in, round, bildning):
    invanare = perspektiv(round)
    second = make_item(bildning, "Andra punkten", perspektiv=invanare)
    first = make_item(bildning, "Första punkten", perspektiv=invanare)
    second.position, first.position = 1, 0
    second.save()
    first.save()
    make_item(bildning, "En annan ruta", column=AnalysisColumn.NULAGE)
    html = text_of(signed_in("controller").get(grid_url(bildning)))
    cell = html.split(f'id="{cell_anchor(first)}"')[1].split("</td>")[0]
    assert cell.index("Första punkten") < cell.index("Andra punkten")
    assert "En annan ruta" not in cell


def test_the_page_shows_status_and_deadline(signed_in, bildning):
    html = text_of(signed_in("tjp-bildning").get(grid_url(bildning)))
    assert "Utkast" in html
    deadline = bildning.deadline
    assert f"Sista dag för förvaltningen: {deadline.day} " in html


def test_a_returned_analysis_shows_the_comment(signed_in, demo, bildning):
    bildning.status = AnalysisStatus.RETURNED
    bildning.return_comment = "Beskriv konsekvenserna för eleverna."
    bildning.returned_by = demo["controller"]
    bildning.returned_at = timezone.now()
    bildning.save()
    html = text_of(signed_in("chef-bildning").get(grid_url(bildning)))
    assert "Återlämnad" in html
    assert "Beskriv konsekvenserna för eleverna." in html
    assert "Lägg till" in html  # returned: open for work again


@pytest.mark.parametrize("username", STAFF)
def test_staff_get_the_editing_controls(signed_in, bildning, username):
    make_item(bildning)
    html = text_of(signed_in(username).get(grid_url(bildning)))
    # Each cell: a closed "Lägg till punkt" with its field and button inside.
    assert html.count('<details class="grid-add">') == 16
    assert html.count(">Lägg till</button>") == 16
    assert (
        '<summary class="grid-add__toggle">Lägg till punkt'
        '<span class="visually-hidden"> i Invånare – Nuläge</span></summary>'
    ) in html
    assert 'Ny punkt<span class="visually-hidden"> i Invånare – Nuläge</span>' in html
    # Each item: one closed menu with its actions.
    assert html.count('<details class="item-menu">') == 1
    assert (
        '<span aria-hidden="true">⋯</span>'
        '<span class="visually-hidden">Åtgärder för punkten: Fler förskollärare</span>'
    ) in html
    assert button_names(html) == [
        "Ändra: Fler förskollärare",
        "Gör till förslag: Fler förskollärare",
        "Ta bort: Fler förskollärare",
    ]
    assert "autofocus" not in html


def test_an_editors_empty_cell_offers_lagg_till_punkt_a_readers_says_it_is_empty(
    signed_in, bildning
):
    staff = text_of(signed_in("tjp-bildning").get(grid_url(bildning)))
    assert "Inga punkter." not in staff
    reader = text_of(signed_in("controller").get(grid_url(bildning)))
    assert reader.count("Inga punkter.") == 16


def test_readers_get_no_buttons(signed_in, bildning):
    make_item(bildning)
    html = text_of(signed_in("controller").get(grid_url(bildning)))
    assert "Fler förskollärare" in html
    main = html.split('<section class="analysis"')[1]
    assert "<button" not in main
    assert "<form" not in main
    assert "<details" not in main
    assert "grid.js" not in html


def test_moves_are_offered_only_when_there_is_somewhere_to_move(signed_in, bildning):
    make_item(bildning)
    client = signed_in("tjp-bildning")
    assert "Flytta" not in text_of(client.get(grid_url(bildning)))
    make_item(bildning, "Andra")
    make_item(bildning, "Tredje")
    names = button_names(text_of(client.get(grid_url(bildning))))
    moves = [name for name in names if name.startswith("Flytta")]
    assert moves == [
        "Flytta ned: Fler förskollärare",  # the first: not up
        "Flytta upp: Andra",
        "Flytta ned: Andra",
        "Flytta upp: Tredje",  # the last: not down
    ]


def test_proposal_columns_offer_a_proposal_others_do_not(signed_in, bildning):
    make_item(bildning, "Nuläget", column=AnalysisColumn.NULAGE)
    make_item(bildning, "Framtiden", column=AnalysisColumn.FRAMTID)
    html = text_of(signed_in("tjp-bildning").get(grid_url(bildning)))
    assert "Gör till förslag" not in html
    make_item(bildning, "Spara in", column=AnalysisColumn.RANSONERA)
    html = text_of(signed_in("tjp-bildning").get(grid_url(bildning)))
    assert "Gör till förslag: Spara in" in button_names(html)


def test_an_item_that_became_a_proposal_links_to_it(signed_in, bildning):
    item = make_item(bildning, "Fler assistenter")
    proposal = make_proposal(bildning, analysis_item=item)
    html = text_of(signed_in("tjp-bildning").get(grid_url(bildning)))
    assert f'href="/omgangar/2027/forslag/{proposal.number}/' in html
    assert f"Förslag 2027-{proposal.number:03d}</a>" in html
    assert "Gör till förslag" not in html


def test_item_text_is_escaped(signed_in, bildning):
    make_item(bildning, "<script>alert(1)</script>")
    html = text_of(signed_in("tjp-bildning").get(grid_url(bildning)))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_page_varies_on_htmx(signed_in, bildning):
    response = signed_in("tjp-bildning").get(grid_url(bildning))
    assert "HX-Request" in response["Vary"]


def test_the_grid_page_queries_do_not_grow_with_the_items(signed_in, round, bildning):
    names = ["Invånare", "Medarbetare (inklusive kompetens)", "Ekonomi", "Hållbarhet"]
    perspektiv_list = [perspektiv(round, name) for name in names]

    def add_items(start, stop):
        for i in range(start, stop):
            column = AnalysisColumn.values[i % 4]
            item = make_item(
                bildning, f"Punkt {i}", column=column, perspektiv=perspektiv_list[i // 4 % 4]
            )
            if column in (3, 4) and i % 3 == 0:
                make_proposal(bildning, analysis_item=item)

    add_items(0, 20)
    client = signed_in("tjp-bildning")
    assert_queries_do_not_grow(client, grid_url(bildning), lambda: add_items(20, 500))
    assert AnalysisItem.objects.filter(analysis=bildning).count() == 500


# --- who may act -------------------------------------------------------------


def _actions(analysis, item):
    """(name, method, url, data) of every action on ``item``'s analysis."""
    return [
        (
            "add",
            "post",
            add_url(analysis),
            {"perspektiv": item.perspektiv_id, "column": 3, "text": "Ny"},
        ),
        ("edit_form", "get", item_url(analysis, item, "andra"), None),
        ("edit", "post", item_url(analysis, item, "andra"), {"text": "Ändrad", "version": 1}),
        ("move", "post", item_url(analysis, item, "flytta"), {"riktning": "ned"}),
        ("confirm_delete", "get", item_url(analysis, item, "ta-bort"), None),
        ("delete", "post", item_url(analysis, item, "ta-bort"), {}),
        ("proposal", "post", item_url(analysis, item, "forslag"), {}),
    ]


ACTION_NAMES = ["add", "edit_form", "edit", "move", "confirm_delete", "delete", "proposal"]


def perform(client, analysis, item, action, **extra):
    _name, method, url, data = next(a for a in _actions(analysis, item) if a[0] == action)
    if method == "get":
        return client.get(url, **extra)
    return client.post(url, data, **extra)


@pytest.fixture
def two_items(bildning):
    return make_item(bildning, "Första"), make_item(bildning, "Andra")


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize("username", STAFF)
@pytest.mark.parametrize("action", ACTION_NAMES)
@pytest.mark.parametrize("status", [AnalysisStatus.DRAFT, AnalysisStatus.RETURNED])
def test_staff_may_act_while_open_for_work(
    signed_in, bildning, two_items, username, action, status, headers
):
    bildning.status = status
    bildning.save()
    before = snapshot(bildning)
    response = perform(signed_in(username), bildning, two_items[0], action, **headers)
    if action in ("edit_form", "confirm_delete", "proposal"):
        # Opening an editor, a confirmation or the new proposal's form
        # (tests/test_proposal_from_item.py) changes nothing.
        plain_redirect = action == "proposal" and not headers
        assert response.status_code == (302 if plain_redirect else 200)
        assert snapshot(bildning) == before
    else:
        assert response.status_code == (200 if headers else 302)
        assert snapshot(bildning) != before


@pytest.mark.parametrize("action", ACTION_NAMES)
@pytest.mark.parametrize("username", STRANGERS_TO_DRAFTS)
def test_a_draft_is_404_for_every_action_of_strangers(
    signed_in, bildning, two_items, username, action
):
    before = snapshot(bildning)
    for headers in ({}, HTMX):
        response = perform(signed_in(username), bildning, two_items[0], action, **headers)
        assert response.status_code == 404
    assert snapshot(bildning) == before


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_the_controller_reads_a_draft_but_cannot_edit(signed_in, bildning, two_items, action):
    before = snapshot(bildning)
    assert perform(signed_in("controller"), bildning, two_items[0], action).status_code == 403
    assert snapshot(bildning) == before


@pytest.mark.parametrize("action", ACTION_NAMES)
@pytest.mark.parametrize("username", STAFF + STRANGERS_TO_DRAFTS + ["controller"])
def test_after_submission_everyone_reads_and_nobody_edits(
    signed_in, bildning, two_items, username, action
):
    submit(bildning)
    before = snapshot(bildning)
    client = signed_in(username)
    assert client.get(grid_url(bildning)).status_code == 200
    assert perform(client, bildning, two_items[0], action).status_code == 403
    assert snapshot(bildning) == before


@pytest.mark.parametrize("action", ACTION_NAMES)
@pytest.mark.parametrize("username", STAFF)
def test_after_the_deadline_staff_cannot_edit(signed_in, demo, username, action):
    late = analysis_of(make_round(deadline_days=-1), "Bildningsförvaltningen")
    item = make_item(late)
    before = snapshot(late)
    client = signed_in(username)
    assert client.get(grid_url(late)).status_code == 200
    assert perform(client, late, item, action).status_code == 403
    assert snapshot(late) == before
    assert "Lägg till" not in text_of(client.get(grid_url(late)))


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_anonymous_is_sent_to_sign_in_and_nothing_changes(client, bildning, two_items, action):
    before = snapshot(bildning)
    response = perform(client, bildning, two_items[0], action)
    assert_sent_to_sign_in(response)
    assert snapshot(bildning) == before


@pytest.mark.parametrize("action", ["add", "edit", "move", "delete", "proposal"])
def test_an_htmx_save_after_sign_out_answers_401_and_changes_nothing(
    signed_in, bildning, two_items, action
):
    client = signed_in("tjp-bildning")
    client.logout()
    before = snapshot(bildning)
    response = perform(client, bildning, two_items[0], action, **HTMX)
    assert response.status_code == 401
    assert snapshot(bildning) == before


def test_an_item_of_another_analysis_is_404(signed_in, round, bildning):
    social = analysis_of(round, "Socialförvaltningen")
    theirs = make_item(social, "Socials punkt")
    before = snapshot(social)
    client = signed_in("tjp-bildning")
    for action in ACTION_NAMES[1:]:
        assert perform(client, bildning, theirs, action).status_code == 404, action
    assert snapshot(social) == before


def test_an_unknown_item_is_404(signed_in, bildning):
    client = signed_in("tjp-bildning")
    assert client.get(f"{grid_url(bildning)}punkter/99999/andra/").status_code == 404
    assert (
        client.post(f"{grid_url(bildning)}punkter/99999/flytta/", {"riktning": "upp"}).status_code
        == 404
    )


def test_a_perspektiv_of_another_round_is_refused(signed_in, demo, bildning):
    other = make_round(year=2028)
    client = signed_in("tjp-bildning")
    data = {"perspektiv": perspektiv(other).pk, "column": 1, "text": "Fel omgång"}
    assert client.post(add_url(bildning), data).status_code == 400
    assert client.post(add_url(bildning), {"column": 9, "text": "x"}).status_code == 400
    assert not AnalysisItem.objects.exists()


@pytest.mark.parametrize("url", ["punkter/ny/", "punkter/{pk}/flytta/", "punkter/{pk}/forslag/"])
def test_post_only_actions_reject_get(signed_in, bildning, url):
    item = make_item(bildning)
    response = signed_in("tjp-bildning").get(grid_url(bildning) + url.format(pk=item.pk))
    assert response.status_code == 405


# --- add ---------------------------------------------------------------------


def test_add_with_htmx_answers_with_the_cell(signed_in, round, bildning):
    invanare = perspektiv(round)
    data = {"perspektiv": invanare.pk, "column": 3, "text": "Fler förskollärare"}
    response = signed_in("tjp-bildning").post(add_url(bildning), data, **HTMX)
    assert response.status_code == 200
    html = text_of(response)
    assert html.lstrip().startswith(f'<div id="ruta-{invanare.pk}-3" class="grid-cell">')
    assert "<h1" not in html
    assert "Fler förskollärare" in html
    assert '<p id="grid-status" hx-swap-oob="innerHTML">Punkten lades till.</p>' in html
    # The add field is empty again and closed; the focus is back on
    # "Lägg till punkt", under the new item.
    assert re.search(r'<textarea name="text" id="id_text_ny_[\d-]+"[^>]*></textarea>', html)
    assert '<details class="grid-add">' in html
    assert focused(html) == [f"Lägg till punkt i Invånare – {AnalysisColumn(3).label}"]
    assert "HX-Request" in response["Vary"]
    item = AnalysisItem.objects.get(analysis=bildning)
    assert (item.perspektiv, item.column, item.text) == (invanare, 3, "Fler förskollärare")


def test_add_without_javascript_redirects_to_the_cell(signed_in, round, bildning):
    invanare = perspektiv(round)
    client = signed_in("tjp-bildning")
    data = {"perspektiv": invanare.pk, "column": 1, "text": "Nuläget"}
    response = client.post(add_url(bildning), data)
    assert response.status_code == 302
    assert response["Location"] == f"{grid_url(bildning)}#ruta-{invanare.pk}-1"
    page = client.get(response["Location"])
    assert "Punkten lades till." in text_of(page)
    assert "Nuläget" in text_of(page)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_an_empty_item_shows_the_error_in_place(signed_in, round, bildning, headers):
    invanare = perspektiv(round)
    data = {"perspektiv": invanare.pk, "column": 2, "text": "   "}
    response = signed_in("tjp-bildning").post(add_url(bildning), data, **headers)
    assert response.status_code == 200
    html = text_of(response)
    field_id = f"id_text_ny_{invanare.pk}-2"
    assert (
        f'<ul class="errorlist" id="{field_id}_error"><li>Skriv något i punkten.</li></ul>' in html
    )
    assert f'aria-invalid="true" aria-describedby="{field_id}_error"' in html
    # The field stays open, with or without JavaScript, to show the error.
    assert '<details class="grid-add" open>' in html
    assert ("<h1" in html) == (not headers)
    assert not AnalysisItem.objects.exists()


def test_a_too_long_item_keeps_the_text_and_says_why(signed_in, round, bildning):
    invanare = perspektiv(round)
    text = "å" * 2001
    data = {"perspektiv": invanare.pk, "column": 2, "text": text}
    html = text_of(signed_in("tjp-bildning").post(add_url(bildning), data, **HTMX))
    assert "högst 2000 tecken" in html
    assert text in html
    assert not AnalysisItem.objects.exists()


# --- edit --------------------------------------------------------------------


def test_edit_opens_the_form_in_the_cell(signed_in, bildning):
    item = make_item(bildning, "Gammal text")
    response = signed_in("tjp-bildning").get(item_url(bildning, item, "andra"), **HTMX)
    html = text_of(response)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div id="{cell_anchor(item)}"')
    assert (
        f'id="id_text_punkt_{item.pk}" rows="3" maxlength="2000" autofocus>Gammal text</textarea>'
        in html
    )
    assert f'<input type="hidden" name="version" value="1" id="id_version_punkt_{item.pk}">' in html
    assert ">Spara</button>" in html and ">Avbryt</a>" in html
    assert "HX-Request" in response["Vary"]


def test_edit_without_javascript_is_the_whole_page_in_edit_mode(signed_in, bildning):
    item = make_item(bildning, "Gammal text")
    html = text_of(signed_in("tjp-bildning").get(item_url(bildning, item, "andra")))
    assert "<h1" in html
    assert ">Gammal text</textarea>" in html
    assert "autofocus" not in html


def test_edit_saves_and_shows_the_item(signed_in, demo, bildning):
    item = make_item(bildning, "Gammal text")
    client = signed_in("chef-bildning")
    data = {"text": "Ny text", "version": 1}
    response = client.post(item_url(bildning, item, "andra"), data, **HTMX)
    html = text_of(response)
    assert "Ny text" in html and '<textarea name="text" id="id_text_punkt' not in html
    assert "Punkten sparades." in html
    # The focus returns to the item's menu (closed).
    assert focused(html) == [menu("Ny text")]
    assert open_menus(html) == []
    item.refresh_from_db()
    assert (item.text, item.version) == ("Ny text", 2)
    assert item.history.latest().history_user == demo["chef-bildning"]


def test_edit_without_javascript_redirects(signed_in, bildning):
    item = make_item(bildning, "Gammal text")
    response = signed_in("tjp-bildning").post(
        item_url(bildning, item, "andra"), {"text": "Ny", "version": 1}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{cell_anchor(item)}")


def test_edit_with_empty_text_keeps_the_form(signed_in, bildning):
    item = make_item(bildning, "Gammal text")
    response = signed_in("tjp-bildning").post(
        item_url(bildning, item, "andra"), {"text": "", "version": 1}, **HTMX
    )
    html = text_of(response)
    assert "Skriv något i punkten." in html
    assert f'id="id_text_punkt_{item.pk}_error"' in html
    item.refresh_from_db()
    assert item.text == "Gammal text"


def test_a_conflicting_edit_keeps_both_texts(signed_in, demo, bildning):
    item = make_item(bildning, "Original")
    sara = signed_in("tjp-bildning")
    assert "Original" in text_of(sara.get(item_url(bildning, item, "andra"), **HTMX))
    # Meanwhile Anders saves his text.
    anders = Client()
    anders.force_login(demo["chef-bildning"])
    anders.post(item_url(bildning, item, "andra"), {"text": "Anders text", "version": 1}, **HTMX)

    response = sara.post(
        item_url(bildning, item, "andra"), {"text": "Saras text", "version": 1}, **HTMX
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "Någon annan har ändrat punkten medan du skrev. Deras version:" in html
    assert "Anders text" in html
    assert ">Saras text</textarea>" in html
    assert "Din text finns kvar nedan – spara igen för att ersätta deras, eller avbryt." in html
    assert 'name="version" value="2"' in html
    item.refresh_from_db()
    assert item.text == "Anders text"

    # Saving again is a deliberate overwrite.
    sara.post(item_url(bildning, item, "andra"), {"text": "Saras text", "version": 2}, **HTMX)
    item.refresh_from_db()
    assert (item.text, item.version) == ("Saras text", 3)


def test_a_conflict_without_javascript_is_shown_on_the_page(signed_in, bildning):
    item = make_item(bildning, "Original")
    item.text, item.version = "Någon annans", 2
    item.save()
    response = signed_in("tjp-bildning").post(
        item_url(bildning, item, "andra"), {"text": "Min text", "version": 1}
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "<h1" in html
    assert "Någon annans" in html and ">Min text</textarea>" in html


def test_an_edit_of_a_removed_item_comes_back_as_a_new_item(signed_in, demo, bildning):
    item = make_item(bildning, "Original")
    sara = signed_in("tjp-bildning")
    delete_item(item, by=demo["chef-bildning"])
    response = sara.post(
        item_url(bildning, item, "andra"), {"text": "Min text", "version": 1}, **HTMX
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "Någon annan har tagit bort punkten medan du skrev." in html
    assert '<details class="grid-add" open>' in html
    assert re.search(r'<textarea name="text" id="id_text_ny_[\d-]+"[^>]*>Min text</textarea>', html)
    assert html.lstrip().startswith(f'<div id="{cell_anchor(item)}"')
    assert not AnalysisItem.objects.exists()


def test_other_actions_on_a_removed_item_say_it_is_gone(signed_in, demo, bildning):
    item = make_item(bildning, "Original")
    delete_item(item, by=demo["chef-bildning"])
    client = signed_in("tjp-bildning")
    for action in ("edit_form", "move", "confirm_delete", "delete", "proposal"):
        response = perform(client, bildning, item, action, **HTMX)
        assert response.status_code == 200, action
        assert "någon annan har tagit bort den" in text_of(response), action


def test_cancel_gives_back_the_cell(signed_in, bildning):
    item = make_item(bildning, "Text")
    client = signed_in("tjp-bildning")
    cell_url = f"{grid_url(bildning)}punkter/ruta/{item.perspektiv_id}/{item.column}/"
    html = text_of(client.get(item_url(bildning, item, "andra"), **HTMX))
    assert f'hx-get="{cell_url}?fokus={item.pk}"' in html
    response = client.get(f"{cell_url}?fokus={item.pk}", **HTMX)
    assert focused(text_of(response)) == [menu("Text")]
    assert "HX-Request" in response["Vary"]
    # Without JavaScript the link goes to the grid itself.
    assert client.get(cell_url)["Location"] == f"{grid_url(bildning)}#{cell_anchor(item)}"
    assert (
        client.get(f"{grid_url(bildning)}punkter/ruta/{item.perspektiv_id}/7/").status_code == 404
    )


def test_strangers_cannot_read_a_cell_of_a_draft(signed_in, bildning):
    item = make_item(bildning)
    cell_url = f"{grid_url(bildning)}punkter/ruta/{item.perspektiv_id}/{item.column}/"
    assert signed_in("tjp-social").get(cell_url, **HTMX).status_code == 404
    assert "Fler förskollärare" in text_of(signed_in("controller").get(cell_url, **HTMX))


def test_an_open_editor_is_the_only_action_in_its_cell(signed_in, bildning):
    first, second = make_item(bildning, "Första"), make_item(bildning, "Andra")
    html = text_of(signed_in("tjp-bildning").get(item_url(bildning, first, "andra"), **HTMX))
    assert button_names(html) == []  # neither Andra's nor Första's buttons
    assert "item-menu" not in html
    assert ">Spara</button>" in html
    assert ">Lägg till</button>" not in html
    assert "Spara eller avbryt ändringen ovan innan du lägger till en ny punkt." in html
    html = text_of(signed_in("tjp-bildning").get(item_url(bildning, second, "ta-bort"), **HTMX))
    assert button_names(html) == []
    assert ">Ja, ta bort</button>" in html and ">Lägg till</button>" in html


def test_a_half_written_new_item_is_kept_across_other_actions(signed_in, bildning):
    """The add field is preserved by the browser (hx-preserve) when the cell is
    swapped after any other action, and replaced (emptied) after an add."""
    first, _second = make_item(bildning, "Första"), make_item(bildning, "Andra")
    client = signed_in("tjp-bildning")
    preserved = re.compile(r'<textarea name="text" id="id_text_ny_[\d-]+"[^>]* hx-preserve="true">')
    for response in (
        client.get(item_url(bildning, first, "andra"), **HTMX),
        client.post(item_url(bildning, first, "andra"), {"text": "Ny", "version": 1}, **HTMX),
        client.post(item_url(bildning, first, "flytta"), {"riktning": "ned"}, **HTMX),
        client.get(item_url(bildning, first, "ta-bort"), **HTMX),
    ):
        assert preserved.search(text_of(response))
    data = {"perspektiv": first.perspektiv_id, "column": first.column, "text": "Tredje"}
    assert not preserved.search(text_of(client.post(add_url(bildning), data, **HTMX)))
    assert "hx-preserve" not in text_of(client.get(grid_url(bildning)))


# --- move --------------------------------------------------------------------


@pytest.fixture
def three(bildning):
    return [make_item(bildning, text) for text in ("A", "B", "C")]


def cell_texts(bildning, item):
    return list(
        AnalysisItem.objects.filter(
            analysis=bildning, perspektiv_id=item.perspektiv_id, column=item.column
        )
        .order_by("position", "pk")
        .values_list("text", flat=True)
    )


def test_move_down_announces_the_place_and_keeps_the_focus(signed_in, bildning, three):
    a = three[0]
    response = signed_in("tjp-bildning").post(
        item_url(bildning, a, "flytta"), {"riktning": "ned"}, **HTMX
    )
    html = text_of(response)
    assert cell_texts(bildning, a) == ["B", "A", "C"]
    assert (
        '<p id="grid-status" hx-swap-oob="innerHTML">Punkten flyttades till plats 2 av 3.</p>'
        in html
    )
    # Its menu stays open with the focus on the same button: another Enter
    # moves it further.
    assert focused(html) == ["Flytta ned: A"]
    assert open_menus(html) == [menu("A")]


def test_move_up(signed_in, bildning, three):
    c = three[2]
    html = text_of(
        signed_in("tjp-bildning").post(item_url(bildning, c, "flytta"), {"riktning": "upp"}, **HTMX)
    )
    assert cell_texts(bildning, c) == ["A", "C", "B"]
    assert "Punkten flyttades till plats 2 av 3." in html
    assert focused(html) == ["Flytta upp: C"]
    assert open_menus(html) == [menu("C")]


@pytest.mark.parametrize("moved, direction", [(1, "upp"), (1, "ned")])
def test_a_move_to_the_end_gives_the_focus_to_the_closed_menu(
    signed_in, bildning, three, moved, direction
):
    """At the top "Flytta upp" is gone (at the bottom "Flytta ned"): the
    focus goes to the item's menu, closed, not to the opposite move."""
    b = three[moved]
    html = text_of(
        signed_in("tjp-bildning").post(
            item_url(bildning, b, "flytta"), {"riktning": direction}, **HTMX
        )
    )
    place = 1 if direction == "upp" else 3
    assert f"Punkten flyttades till plats {place} av 3." in html
    assert focused(html) == [menu("B")]
    assert open_menus(html) == []


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_crafted_move_of_the_first_up_changes_nothing_and_says_so(
    signed_in, bildning, three, headers
):
    """The grid does not offer it; posted anyway (an old page, a crafted
    request), it changes nothing and writes no history."""
    a = three[0]
    client = signed_in("tjp-bildning")
    records = AnalysisItem.history.count()
    response = client.post(item_url(bildning, a, "flytta"), {"riktning": "upp"}, **headers)
    assert cell_texts(bildning, a) == ["A", "B", "C"]
    assert AnalysisItem.history.count() == records
    if headers:
        assert response.status_code == 200
        html = text_of(response)
        assert focused(html) == [menu("A")]
    else:
        assert response.status_code == 302
        html = text_of(client.get(response["Location"]))
    assert "Punkten är redan först (plats 1 av 3)." in html


def test_a_crafted_move_of_the_last_down_changes_nothing(signed_in, bildning, three):
    c = three[2]
    records = AnalysisItem.history.count()
    html = text_of(
        signed_in("tjp-bildning").post(item_url(bildning, c, "flytta"), {"riktning": "ned"}, **HTMX)
    )
    assert cell_texts(bildning, c) == ["A", "B", "C"]
    assert AnalysisItem.history.count() == records
    assert "Punkten är redan sist (plats 3 av 3)." in html
    assert focused(html) == [menu("C")]


def test_a_crafted_move_of_a_lone_item_changes_nothing(signed_in, bildning):
    item = make_item(bildning, "Ensam")
    for direction in ("upp", "ned"):
        response = signed_in("tjp-bildning").post(
            item_url(bildning, item, "flytta"), {"riktning": direction}, **HTMX
        )
        assert response.status_code == 200
        assert "Flytta" not in text_of(response)
    item.refresh_from_db()
    assert (item.position, item.version) == (0, 1)


def test_move_without_javascript_redirects_with_a_message(signed_in, bildning, three):
    client = signed_in("tjp-bildning")
    response = client.post(item_url(bildning, three[1], "flytta"), {"riktning": "upp"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{cell_anchor(three[1])}")
    assert "Punkten flyttades till plats 1 av 3." in text_of(client.get(response["Location"]))


def test_move_needs_a_direction(signed_in, bildning, three):
    client = signed_in("tjp-bildning")
    assert client.post(item_url(bildning, three[0], "flytta"), {"riktning": "x"}).status_code == 400
    assert cell_texts(bildning, three[0]) == ["A", "B", "C"]


# --- delete ------------------------------------------------------------------


def test_delete_asks_first(signed_in, bildning, three):
    response = signed_in("tjp-bildning").get(item_url(bildning, three[1], "ta-bort"), **HTMX)
    html = text_of(response)
    assert "Ta bort punkten?" in html
    assert re.search(r"autofocus>Ja, ta bort</button>", html)
    assert f'action="{item_url(bildning, three[1], "ta-bort")}"' in html
    assert ">Avbryt</a>" in html
    assert cell_texts(bildning, three[0]) == ["A", "B", "C"]
    assert "HX-Request" in response["Vary"]


def test_delete_without_javascript_asks_on_the_page(signed_in, bildning, three):
    html = text_of(signed_in("tjp-bildning").get(item_url(bildning, three[1], "ta-bort")))
    assert "<h1" in html and "Ta bort punkten?" in html


def test_delete_removes_the_item_and_writes_history(signed_in, demo, bildning, three):
    response = signed_in("chef-bildning").post(item_url(bildning, three[1], "ta-bort"), **HTMX)
    assert "Punkten togs bort." in text_of(response)
    assert cell_texts(bildning, three[0]) == ["A", "C"]
    record = AnalysisItem.history.filter(id=three[1].pk).latest()
    assert record.history_type == "-"
    assert record.history_user == demo["chef-bildning"]


def test_after_delete_the_focus_goes_to_the_next_item(signed_in, bildning, three):
    client = signed_in("tjp-bildning")
    html = text_of(client.post(item_url(bildning, three[1], "ta-bort"), **HTMX))
    assert focused(html) == [menu("C")]
    html = text_of(client.post(item_url(bildning, three[2], "ta-bort"), **HTMX))
    assert focused(html) == [menu("A")]
    html = text_of(client.post(item_url(bildning, three[0], "ta-bort"), **HTMX))
    # The cell is empty: the focus goes to its "Lägg till punkt".
    assert focused(html) == [ADD_TOGGLE]


def test_delete_without_javascript_redirects(signed_in, bildning, three):
    response = signed_in("tjp-bildning").post(item_url(bildning, three[1], "ta-bort"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{cell_anchor(three[1])}")


# --- proposal ----------------------------------------------------------------


# Making the proposal (and cancelling) is tests/test_proposal_from_item.py.


def new_form_url(analysis, item):
    return f"/omgangar/2027/forslag/nytt/{analysis.forvaltning_id}/?punkt={item.pk}"


def test_an_item_opens_the_new_proposal_form_with_htmx(signed_in, bildning):
    item = make_item(bildning, "Fler förskollärare\nBarngrupperna växer.")
    response = signed_in("tjp-bildning").post(item_url(bildning, item, "forslag"), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == new_form_url(bildning, item)
    assert not Proposal.objects.exists()


def test_an_item_opens_the_new_proposal_form_without_javascript(signed_in, bildning):
    item = make_item(bildning, "Spara på lokaler", column=AnalysisColumn.RANSONERA)
    response = signed_in("chef-bildning").post(item_url(bildning, item, "forslag"))
    assert response.status_code == 302
    assert response["Location"] == new_form_url(bildning, item)
    assert not Proposal.objects.exists()


def test_an_item_that_became_a_proposal_opens_that_proposal(signed_in, bildning):
    item = make_item(bildning)
    proposal = make_proposal(bildning, analysis_item=item)
    response = signed_in("tjp-bildning").post(item_url(bildning, item, "forslag"))
    assert response["Location"] == f"/omgangar/2027/forslag/{proposal.number}/andra/"
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize("column", [AnalysisColumn.NULAGE, AnalysisColumn.FRAMTID])
def test_items_of_the_first_columns_do_not_become_proposals(signed_in, bildning, column):
    item = make_item(bildning, column=column)
    assert signed_in("tjp-bildning").post(item_url(bildning, item, "forslag")).status_code == 404
    assert not Proposal.objects.exists()


# --- history -----------------------------------------------------------------


def test_every_change_through_the_views_names_the_user(signed_in, demo, round, bildning):
    client = signed_in("tjp-bildning")
    invanare = perspektiv(round)
    client.post(add_url(bildning), {"perspektiv": invanare.pk, "column": 3, "text": "A"}, **HTMX)
    client.post(add_url(bildning), {"perspektiv": invanare.pk, "column": 3, "text": "B"}, **HTMX)
    a, b = AnalysisItem.objects.order_by("pk")
    client.post(item_url(bildning, a, "andra"), {"text": "A2", "version": 1}, **HTMX)
    client.post(item_url(bildning, a, "flytta"), {"riktning": "ned"}, **HTMX)
    client.post(item_url(bildning, b, "ta-bort"), **HTMX)
    records = AnalysisItem.history.all()
    # 2 added, 1 changed, 2 renumbered by the move, 1 removed
    assert records.count() == 6
    assert {record.history_user for record in records} == {demo["tjp-bildning"]}
