"""The round's lists (perspektiv, fokusområden, verksamhetsområden, orsaker,
effekter på längre sikt, politiska mål): add, rename, move, remove — in place
with htmx, and as plain forms without JavaScript."""

import pytest

from rounds.models import AnalysisColumn, AnalysisItem, ListItem, ListKind
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import assert_queries_do_not_grow, assert_sent_to_sign_in, cast_except

URL = "/omgangar/2027/listor/"
HX = {"HX-Request": "true"}
REFUSED = cast_except("controller")


def names(round, kind):
    return list(
        ListItem.objects.filter(round=round, kind=kind)
        .order_by("position", "name")
        .values_list("name", flat=True)
    )


def item(round, kind, name):
    return ListItem.objects.get(round=round, kind=kind, name=name)


def test_controller_sees_every_list(signed_in):
    make_round()
    response = signed_in("controller").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ListKind:
        assert f'id="lista-{kind.value}"' in html
        assert f">{kind.label}</h2>" in html
    assert 'value="Invånare"' in html
    assert "HX-Request" in response["Vary"]


def test_add_appends_to_the_list(signed_in):
    round = make_round()
    client = signed_in("controller")
    response = client.post(
        URL, {"kind": "perspektiv", "action": "add", "perspektiv-name": " Miljö "}
    )
    assert response.status_code == 302
    assert response["Location"] == URL + "#lista-perspektiv"
    assert names(round, "perspektiv")[-1] == "Miljö"
    assert item(round, "perspektiv", "Miljö").position == 4
    assert "”Miljö” är tillagd i listan." in client.get(URL).content.decode()


def test_add_to_an_empty_list(signed_in):
    round = make_round()
    signed_in("controller").post(
        URL, {"kind": "politiskt_mal", "action": "add", "politiskt_mal-name": "Trygg skola"}
    )
    assert names(round, "politiskt_mal") == ["Trygg skola"]
    assert item(round, "politiskt_mal", "Trygg skola").position == 0


def test_add_with_htmx_returns_only_that_section_and_announces_it(signed_in):
    round = make_round()
    response = signed_in("controller").post(
        URL, {"kind": "orsak", "action": "add", "orsak-name": "Klimat"}, headers=HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert '<section class="card list-section" id="lista-orsak"' in html
    assert 'id="lista-perspektiv"' not in html
    assert 'value="Klimat"' in html
    assert '<div id="messages" hx-swap-oob="innerHTML">' in html
    assert "”Klimat” är tillagd i listan." in html
    assert "HX-Request" in response["Vary"]
    assert "Klimat" in names(round, "orsak")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Skriv ett namn."),
        ("Invånare", "”Invånare” finns redan i listan."),
        ("invånare", "”invånare” finns redan i listan."),
        ("x" * 151, "Namnet får vara högst 150 tecken."),
    ],
)
def test_add_refuses_bad_names_next_to_the_field(signed_in, name, message):
    round = make_round()
    for headers in ({}, HX):
        response = signed_in("controller").post(
            URL, {"kind": "perspektiv", "action": "add", "perspektiv-name": name}, headers=headers
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert 'id="id_perspektiv-name_error"' in html
        assert "hx-swap-oob" not in html
    assert len(names(round, "perspektiv")) == 4


def test_the_same_name_may_be_in_another_list(signed_in):
    round = make_round()
    signed_in("controller").post(
        URL, {"kind": "fokusomrade", "action": "add", "fokusomrade-name": "Ekonomi"}
    )
    assert "Ekonomi" in names(round, "fokusomrade")


def test_rename(signed_in):
    round = make_round()
    entry = item(round, "perspektiv", "Ekonomi")
    response = signed_in("controller").post(
        URL,
        {
            "kind": "perspektiv",
            "item": entry.pk,
            "action": "rename",
            "name": "Ekonomi och resurser",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Ekonomi och resurser"
    assert entry.history.first().history_user.username == "controller"


def test_rename_to_a_name_in_use_is_refused(signed_in):
    round = make_round()
    entry = item(round, "perspektiv", "Ekonomi")
    response = signed_in("controller").post(
        URL,
        {"kind": "perspektiv", "item": entry.pk, "action": "rename", "name": "Invånare"},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "”Invånare” finns redan i listan." in html
    assert f'id="item-{entry.pk}-name_error"' in html
    entry.refresh_from_db()
    assert entry.name == "Ekonomi"


def test_renaming_to_the_same_name_is_fine(signed_in):
    round = make_round()
    entry = item(round, "perspektiv", "Ekonomi")
    response = signed_in("controller").post(
        URL, {"kind": "perspektiv", "item": entry.pk, "action": "rename", "name": "Ekonomi"}
    )
    assert response.status_code == 302


def test_move_up_and_down(signed_in):
    round = make_round()
    client = signed_in("controller")
    ekonomi = item(round, "perspektiv", "Ekonomi")
    client.post(URL, {"kind": "perspektiv", "item": ekonomi.pk, "action": "up"})
    assert names(round, "perspektiv") == [
        "Invånare",
        "Ekonomi",
        "Medarbetare (inklusive kompetens)",
        "Hållbarhet",
    ]
    response = client.post(
        URL, {"kind": "perspektiv", "item": ekonomi.pk, "action": "down"}, headers=HX
    )
    assert names(round, "perspektiv")[2] == "Ekonomi"
    assert "”Ekonomi” är på plats 3 av 4." in response.content.decode()
    # The moved entry keeps its buttons' ids, so htmx keeps the focus on it.
    assert f'id="item-{ekonomi.pk}-down"' in response.content.decode()


def test_moving_past_either_end_changes_nothing(signed_in):
    round = make_round()
    client = signed_in("controller")
    first = item(round, "perspektiv", "Invånare")
    last = item(round, "perspektiv", "Hållbarhet")
    before = names(round, "perspektiv")
    client.post(URL, {"kind": "perspektiv", "item": first.pk, "action": "up"})
    client.post(URL, {"kind": "perspektiv", "item": last.pk, "action": "down"})
    assert names(round, "perspektiv") == before
    html = client.get(URL).content.decode()
    assert f'id="item-{first.pk}-up" aria-disabled="true"' in html
    assert f'id="item-{last.pk}-down" aria-disabled="true"' in html


def test_remove_an_unused_entry(signed_in):
    round = make_round()
    entry = item(round, "perspektiv", "Medarbetare (inklusive kompetens)")
    response = signed_in("controller").post(
        URL, {"kind": "perspektiv", "item": entry.pk, "action": "remove"}
    )
    assert response.status_code == 302
    assert names(round, "perspektiv") == ["Invånare", "Ekonomi", "Hållbarhet"]
    positions = list(
        ListItem.objects.filter(round=round, kind="perspektiv")
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == [0, 1, 2]
    removed = ListItem.history.get(id=entry.pk, history_type="-")
    assert removed.history_user.username == "controller"


def test_an_entry_used_by_an_analysis_cannot_be_removed(signed_in):
    round = make_round()
    entry = item(round, "perspektiv", "Invånare")
    AnalysisItem.objects.create(
        analysis=analysis_of(round, "Bildningsförvaltningen"),
        perspektiv=entry,
        column=AnalysisColumn.NULAGE,
        text="Fler elever",
    )
    for headers in ({}, HX):
        response = signed_in("controller").post(
            URL, {"kind": "perspektiv", "item": entry.pk, "action": "remove"}, headers=headers
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert (
            "”Invånare” används av förslag eller verksamhetsanalyser och kan inte tas bort." in html
        )
        assert 'role="alert"' in html
    assert ListItem.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("kind", "name", "field"),
    [
        ("fokusomrade", "Digitalisering", "fokusomrade"),
        ("orsak", "Lagkrav", "orsak"),
        ("effekt_pa_sikt", "Effektivisering", "effekt_pa_sikt"),
    ],
)
def test_an_entry_used_by_a_proposal_cannot_be_removed(signed_in, kind, name, field):
    round = make_round()
    entry = item(round, kind, name)
    make_proposal(analysis_of(round, "Bildningsförvaltningen"), **{field: entry})
    response = signed_in("controller").post(
        URL, {"kind": kind, "item": entry.pk, "action": "remove"}
    )
    assert "kan inte tas bort" in response.content.decode()
    assert ListItem.objects.filter(pk=entry.pk).exists()


def test_a_goal_named_by_a_proposal_cannot_be_removed(signed_in):
    round = make_round()
    goal = ListItem.objects.create(round=round, kind="politiskt_mal", name="Trygg skola")
    proposal = make_proposal(analysis_of(round, "Bildningsförvaltningen"))
    proposal.mal.add(goal)
    response = signed_in("controller").post(
        URL, {"kind": "politiskt_mal", "item": goal.pk, "action": "remove"}
    )
    assert "kan inte tas bort" in response.content.decode()
    assert proposal.mal.filter(pk=goal.pk).exists()


def test_an_entry_of_another_round_or_list_is_not_found(signed_in):
    other = make_round(2026)
    round = make_round(2027)
    client = signed_in("controller")
    foreign = item(other, "perspektiv", "Ekonomi")
    response = client.post(URL, {"kind": "perspektiv", "item": foreign.pk, "action": "remove"})
    assert response.status_code == 404
    wrong_list = item(round, "perspektiv", "Ekonomi")
    response = client.post(URL, {"kind": "orsak", "item": wrong_list.pk, "action": "remove"})
    assert response.status_code == 404
    assert ListItem.objects.filter(pk__in=[foreign.pk, wrong_list.pk]).count() == 2


def test_unknown_kind_or_action_is_a_bad_request(signed_in):
    round = make_round()
    client = signed_in("controller")
    entry = item(round, "perspektiv", "Ekonomi")
    assert client.post(URL, {"kind": "hemlig", "action": "add"}).status_code == 400
    response = client.post(URL, {"kind": "perspektiv", "item": entry.pk, "action": "byt"})
    assert response.status_code == 400


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_controller_may_change_the_lists(signed_in, username):
    round = make_round()
    client = signed_in(username)
    entry = item(round, "perspektiv", "Ekonomi")
    assert client.get(URL).status_code == 403
    for data in (
        {"kind": "perspektiv", "action": "add", "perspektiv-name": "Ny"},
        {"kind": "perspektiv", "item": entry.pk, "action": "remove"},
        {"kind": "perspektiv", "item": entry.pk, "action": "rename", "name": "X"},
    ):
        assert client.post(URL, data).status_code == 403
        assert client.post(URL, data, headers=HX).status_code == 403
    assert len(names(round, "perspektiv")) == 4
    assert item(round, "perspektiv", "Ekonomi")


def test_anonymous_is_sent_to_sign_in(client, demo):
    round = make_round()
    for response in (
        client.get(URL),
        client.post(URL, {"kind": "perspektiv", "action": "add", "perspektiv-name": "Ny"}),
    ):
        assert_sent_to_sign_in(response)
    assert len(names(round, "perspektiv")) == 4


def test_other_methods_are_not_allowed(signed_in):
    make_round()
    assert signed_in("controller").put(URL).status_code == 405


def test_query_count_does_not_grow_with_the_lists(signed_in):
    round = make_round()

    def grow():
        for kind in ListKind.values:
            for i in range(8):
                ListItem.objects.create(round=round, kind=kind, name=f"Post {i}", position=10 + i)

    assert_queries_do_not_grow(signed_in("controller"), URL, grow)
