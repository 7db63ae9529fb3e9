"""The forum's pages: the compiled list with the sammanvägd rangordning (every
signed-in user) and each forumdeltagare's own sheet (to rank in the forum phase, read-only after):
who may do what, which proposals appear, validation, order and query counts."""

import datetime

import pytest
from django.urls import reverse

from ranking import selectors
from ranking.models import ForumRank, Handling
from ranking.services import forum as forum_services
from rounds.models import Phase
from tests.factories import make_proposal, make_round
from tests.forum_setup import rank, send_on, submitted
from tests.helpers import assert_queries_do_not_grow, assert_sent_to_sign_in

MEMBERS = ["forum-1", "forum-2", "forum-3", "forum-4", "forum-5"]
OTHERS = ["tjp-bildning", "controller", "ledamot-bildning", "revisor", "admin"]
LIST = reverse("forum_list", kwargs={"year": 2027})
SHEET = reverse("forum_sheet", kwargs={"year": 2027})


@pytest.fixture
def setup(demo):
    round = make_round(phase=Phase.FORUM)
    bildning = submitted(round, "Bildningsförvaltningen")
    social = submitted(round, "Socialförvaltningen")
    first = send_on(
        round,
        make_proposal(bildning, title="Förstärkt stöd", cost_year1=1500, konsekvensanalys="Risk"),
        "Bildningsnämnden",
    )
    second = send_on(
        round, make_proposal(social, title="Hemtjänst", cost_year1=300), "Socialnämnden"
    )
    third = send_on(
        round, make_proposal(bildning, title="Skolskjuts", cost_year1=900), "Bildningsnämnden"
    )
    return round, [first, second, third]


@pytest.mark.parametrize("username", MEMBERS)
def test_forumdeltagare_ranks_on_the_own_sheet(setup, signed_in, demo, username):
    _round, (first, second, _third) = setup
    client = signed_in(username)
    page = client.get(SHEET)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Din rangordning för {first.reference} Förstärkt stöd" in text
    assert f'name="rank_{first.pk}"' in text
    response = client.post(SHEET, {f"rank_{first.pk}": "2", f"rank_{second.pk}": "7"})
    assert response.status_code == 302
    assert response["Location"] == SHEET
    ranks = dict(ForumRank.objects.filter(member=demo[username]).values_list("proposal_id", "rank"))
    assert ranks == {first.pk: 2, second.pk: 7}
    row = ForumRank.objects.get(member=demo[username], proposal=first)
    assert row.history.get().history_user == demo[username]
    followed = client.get(SHEET)
    assert "Din rangordning är sparad." in followed.content.decode()
    assert f'id="id_rank_{first.pk}" value="2"' in followed.content.decode()


@pytest.mark.parametrize("username", OTHERS)
def test_others_read_the_list_but_have_no_sheet(setup, signed_in, username):
    _round, (first, _second, _third) = setup
    client = signed_in(username)
    assert client.get(LIST).status_code == 200
    assert client.get(SHEET).status_code == 403
    assert client.post(SHEET, {f"rank_{first.pk}": "1"}).status_code == 403
    assert not ForumRank.objects.exists()


def test_sheet_is_locked_after_the_forum_phase(setup, signed_in):
    round, (first, _second, _third) = setup
    round.phase = Phase.BESLUT
    round.save()
    client = signed_in("forum-1")
    assert client.get(LIST).status_code == 200
    assert client.post(SHEET, {f"rank_{first.pk}": "1"}).status_code == 403
    assert client.post(SHEET, {"flytta": f"upp:{first.pk}"}).status_code == 403
    assert not ForumRank.objects.exists()


def test_the_sheet_does_not_exist_before_the_forum_phase(setup, signed_in):
    round, _proposals = setup
    round.phase = Phase.NAMND
    round.save()
    assert signed_in("forum-1").get(SHEET).status_code == 403


def closed_sheet(client):
    """The read-only sheet: its rows' references in order, and the page."""
    response = client.get(SHEET)
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert "<form" not in main and "<input" not in main and "Flytta upp" not in main
    assert "forum.js" not in html
    return main


@pytest.mark.parametrize("published", [False, True], ids=["beslut", "publicerad"])
def test_a_member_reads_the_own_sheet_as_left_after_the_phase(setup, signed_in, published):
    round, (first, second, third) = setup
    client = signed_in("forum-1")
    # forum-1 ranks two rows and orders them; forum-2 ranks differently.
    client.post(SHEET, {f"rank_{third.pk}": "2", f"rank_{first.pk}": "2"})
    client.post(
        SHEET,
        {
            f"rank_{third.pk}": "2",
            f"rank_{first.pk}": "2",
            "ordning": [third.pk, first.pk, second.pk],
        },
    )
    rank(round, "forum-2", second, 9)
    round.phase = Phase.BESLUT
    round.save()
    if published:
        from ranking.models import ForumResult
        from rounds.models import User

        ForumResult.objects.update_or_create(
            round=round,
            defaults={
                "published_at": datetime.datetime.now(datetime.UTC),
                "published_by": User.objects.get(username="controller"),
            },
        )
    main = closed_sheet(client)
    assert "Arket är stängt." in main
    if published:
        assert "omgångens resultat är publicerat" in main
    else:
        assert "Forumfasen är avslutad: omgången är i fasen Beslut." in main
    order = [main.index(p.reference) for p in (third, first, second)]
    assert order == sorted(order)
    rows = main.split('<tr id="forslag-')[1:]
    assert 'forum-closed-rank">2' in rows[0] and 'forum-closed-rank">2' in rows[1]
    assert "9" not in rows[2].split('forum-closed-rank">')[1].split("<")[0]  # not forum-2's
    assert client.post(SHEET, {f"rank_{second.pk}": "1"}).status_code == 403
    assert ForumRank.objects.filter(member__username="forum-1").count() == 2


def test_another_members_sheet_is_never_shown(setup, signed_in):
    round, (first, _second, _third) = setup
    rank(round, "forum-2", first, 7)
    round.phase = Phase.BESLUT
    round.save()
    main = closed_sheet(signed_in("forum-1"))
    assert 'forum-closed-rank">7' not in main
    assert 'forum-closed-rank"><span class="muted">Ingen</span>' in main


@pytest.mark.parametrize("username", OTHERS)
def test_others_have_no_sheet_after_the_phase_either(setup, signed_in, username):
    round, _proposals = setup
    round.phase = Phase.BESLUT
    round.save()
    assert signed_in(username).get(SHEET).status_code == 403


def test_anonymous_is_sent_to_sign_in(setup, client):
    _round, (first, _second, _third) = setup
    for url in (LIST, SHEET):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/?next=")
    assert_sent_to_sign_in(client.post(SHEET, {f"rank_{first.pk}": "1"}))
    assert not ForumRank.objects.exists()


def test_only_proposals_sent_on_appear(setup, signed_in):
    round, (first, _second, _third) = setup
    bildning = first.analysis
    within = send_on(
        round, make_proposal(bildning, title="Inom ramen"), "Bildningsnämnden", Handling.INOM_RAM
    )
    dropped = send_on(
        round, make_proposal(bildning, title="Läggs ned"), "Bildningsnämnden", Handling.DRIVS_INTE
    )
    withdrawn = send_on(round, make_proposal(bildning, title="Återkallat"), "Bildningsnämnden")
    withdrawn.withdrawn_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    withdrawn.save()
    unranked = make_proposal(bildning, title="Aldrig rangordnat")
    shown = {p.pk for p in selectors.forwarded_proposals(round)}
    assert shown == {p.pk for p in setup[1]}
    client = signed_in("forum-1")
    for url in (LIST, SHEET):
        text = client.get(url).content.decode()
        for proposal in setup[1]:
            assert proposal.title in text
        for proposal in (within, dropped, withdrawn, unranked):
            assert proposal.title not in text, (url, proposal.title)
    response = client.post(SHEET, {f"rank_{within.pk}": "1"})
    assert response.status_code == 200
    assert "finns inte bland förslagen till forumet" in response.content.decode()
    assert not ForumRank.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Rangordningen ska vara ett heltal 1–10."),
        ("11", "Rangordningen ska vara ett heltal 1–10."),
        ("x", "Ange rangordningen som ett heltal 1–10."),
    ],
)
def test_invalid_rank_is_refused_next_to_the_field(setup, signed_in, value, message):
    _round, (first, second, _third) = setup
    client = signed_in("forum-1")
    response = client.post(SHEET, {f"rank_{first.pk}": value, f"rank_{second.pk}": "3"})
    assert response.status_code == 200
    text = response.content.decode()
    assert f'<ul class="errorlist" id="id_rank_{first.pk}_error"><li>{message}</li></ul>' in text
    assert f'aria-describedby="id_rank_{first.pk}_error"' in text
    assert "Rangordningen sparades inte." in text
    assert not ForumRank.objects.exists()  # nothing saved, not even the valid row


def test_emptying_a_rank_removes_it(setup, signed_in, demo):
    round, (first, second, _third) = setup
    rank(round, "forum-1", first, 4)
    rank(round, "forum-1", second, 5)
    rank(round, "forum-2", first, 6)
    client = signed_in("forum-1")
    response = client.post(SHEET, {f"rank_{first.pk}": "", f"rank_{second.pk}": "1"})
    assert response.status_code == 302
    assert not ForumRank.objects.filter(member=demo["forum-1"], proposal=first).exists()
    assert ForumRank.objects.get(member=demo["forum-1"], proposal=second).rank == 1
    assert ForumRank.objects.get(member=demo["forum-2"], proposal=first).rank == 6
    deleted = ForumRank.history.filter(proposal_id=first.pk, member_id=demo["forum-1"].pk)
    assert deleted.first().history_type == "-"
    assert deleted.first().history_user == demo["forum-1"]


def test_service_refuses_ranking_for_someone_else(setup, demo):
    from django.core.exceptions import PermissionDenied

    round, (first, _second, _third) = setup
    with pytest.raises(PermissionDenied):
        forum_services.save_forum_ranks(round, demo["forum-2"], {first.pk: 1}, by=demo["forum-1"])
    assert not ForumRank.objects.exists()


def test_list_follows_the_rule_with_three_members(setup, signed_in):
    round, (first, second, third) = setup
    # first: 3, 3, 9 → median 3, mean 5, Q1 3, Q3 6: spread 3 (flagged).
    # second: 1, 3, 5 → median 3, mean 3: ahead of first on the mean.
    # third: 2 by one member only → median 2: highest.
    sheets = {"forum-1": (3, 1, 2), "forum-2": (3, 3, None), "forum-3": (9, 5, None)}
    for username, values in sheets.items():
        for proposal, value in zip((first, second, third), values, strict=True):
            if value is not None:
                rank(round, username, proposal, value)
    client = signed_in("tjp-bildning")
    text = client.get(LIST).content.decode()
    assert "Sammanvägd rangordning: medianen av deltagarnas rangordningar" in text
    positions = [text.index(f'id="forslag-{p.pk}"') for p in (third, second, first)]
    assert positions == sorted(positions)
    assert f'<tr id="forslag-{first.pk}" class="forum-disagreement">' in text
    assert f'<tr id="forslag-{second.pk}">' in text
    assert text.count("Oenighet – diskutera") == 1

    def row(proposal):
        start = text.index(f'id="forslag-{proposal.pk}"')
        return text[start : text.index("</tr>", start)]

    count = '<td class="forum-count" data-label="Har rangordnat">{}</td>'
    assert count.format("3 av 5") in row(first)
    assert count.format("1 av 5") in row(third)
    assert '<td class="round-numeric forum-median" data-label="Median">2</td>' in row(third)
    assert '<td class="round-numeric forum-mean" data-label="Medel">5,0</td>' in row(first)
    assert '<td class="round-numeric forum-iqr" data-label="Kvartilavstånd">3</td>' in row(first)
    # The other orders: by nämnd (Bildning before Social) and by year 1 (highest first).
    by_namnd = client.get(LIST + "?ordning=namnd").content.decode()
    positions = [by_namnd.index(f'id="forslag-{p.pk}"') for p in (first, third, second)]
    assert positions == sorted(positions)
    by_cost = client.get(LIST + "?ordning=ar1").content.decode()
    positions = [by_cost.index(f'id="forslag-{p.pk}"') for p in (first, third, second)]
    assert positions == sorted(positions)
    assert 'href="?ordning=ar1" aria-current="true"' in by_cost


def test_table_rows_come_in_the_rule_order(setup):
    round, (first, second, third) = setup
    rank(round, "forum-1", first, 5)
    rank(round, "forum-2", second, 5)
    rank(round, "forum-3", second, 4)
    rows = selectors.forum_table(round)
    # second: median 4.5 first; first: 5; third: nobody has ranked it, last.
    assert [row.proposal.pk for row in rows] == [second.pk, first.pk, third.pk]
    assert rows[2].combined.count == 0


@pytest.fixture
def many(setup):
    round, proposals = setup
    bildning = proposals[0].analysis
    for title in ("Fjärde", "Femte"):  # five proposals to begin with, forty after
        proposals.append(send_on(round, make_proposal(bildning, title=title), "Bildningsnämnden"))

    def grow_proposals():
        for i in range(35):
            proposal = send_on(
                round, make_proposal(bildning, title=f"Extra {i}"), "Bildningsnämnden"
            )
            rank(round, "forum-1", proposal, 1 + i % 10)
            rank(round, "forum-2", proposal, 10 - i % 10)

    return round, proposals, grow_proposals


@pytest.mark.parametrize("url", [LIST, SHEET])
def test_query_count_does_not_grow_with_proposals(many, signed_in, url):
    round, proposals, grow = many
    for username in ("forum-1", "forum-2"):
        for proposal in proposals:
            rank(round, username, proposal, 3)
    client = signed_in("forum-1")
    assert_queries_do_not_grow(client, url, grow)


@pytest.mark.parametrize("url", [LIST, SHEET])
def test_query_count_does_not_grow_with_members(setup, signed_in, url):
    round, proposals = setup
    for username in ("forum-1", "forum-2"):
        for proposal in proposals:
            rank(round, username, proposal, 2)

    def grow():
        for username in ("forum-3", "forum-4", "forum-5"):
            for proposal in proposals:
                rank(round, username, proposal, 8)

    client = signed_in("forum-1")
    assert_queries_do_not_grow(client, url, grow)


# --- moving rows on the sheet, without JavaScript ------------------------------


def row_order(text, proposals):
    """The proposals' places on the sheet, top first."""
    return sorted(proposals, key=lambda p: text.index(f'id="forslag-{p.pk}"'))


def test_sheet_lists_ranked_rows_in_the_members_order_then_the_unranked(setup, signed_in, demo):
    round, (first, second, third) = setup
    forum_services.save_forum_ranks(
        round,
        demo["forum-1"],
        {first.pk: 4, third.pk: 4},
        order=[third.pk, first.pk],
        by=demo["forum-1"],
    )
    text = signed_in("forum-1").get(SHEET).content.decode()
    assert row_order(text, [first, second, third]) == [third, first, second]
    assert "Listan hålls alltid i rangordning" in text
    assert "En rad utan rangordning räknas som efter 10" in text
    assert text.count('name="ordning"') == 3


def test_move_button_saves_what_was_typed_and_moves_the_row(setup, signed_in, demo):
    _round, (first, second, third) = setup
    client = signed_in("forum-1")
    order = [first.pk, second.pk, third.pk]
    response = client.post(
        SHEET,
        {
            f"rank_{first.pk}": "1",
            f"rank_{second.pk}": "5",
            f"rank_{third.pk}": "9",
            "ordning": order,
            "flytta": f"upp:{third.pk}",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{SHEET}?flyttad={third.pk}-upp"
    ranks = dict(ForumRank.objects.filter(member=demo["forum-1"]).values_list("proposal", "rank"))
    assert ranks == {first.pk: 1, second.pk: 5, third.pk: 5}
    page = client.get(response["Location"]).content.decode()
    assert f"{third.reference} flyttades till plats 2 av 3 (rangordning 5)." in page
    assert row_order(page, [first, second, third]) == [first, third, second]
    assert f'value="upp:{third.pk}" data-direction="upp" autofocus>' in page
    assert page.count("autofocus") == 1


def test_moving_an_unranked_row_among_unranked_rows_keeps_it_in_place(setup, signed_in):
    _round, (_first, second, _third) = setup
    client = signed_in("forum-1")
    response = client.post(SHEET, {"flytta": f"ned:{second.pk}"}, follow=True)
    assert f"{second.reference} står kvar på plats 2 av 3." in response.content.decode()
    assert not ForumRank.objects.exists()


def test_a_move_with_an_invalid_rank_saves_and_moves_nothing(setup, signed_in, demo):
    round, (first, second, third) = setup
    forum_services.save_forum_ranks(round, demo["forum-1"], {first.pk: 2}, by=demo["forum-1"])
    client = signed_in("forum-1")
    response = client.post(
        SHEET,
        {
            f"rank_{first.pk}": "3",
            f"rank_{second.pk}": "12",
            f"rank_{third.pk}": "4",
            "ordning": [third.pk, first.pk, second.pk],
            "flytta": f"upp:{third.pk}",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Rangordningen sparades inte." in text
    # What was typed, in the order it was posted, is still there.
    assert row_order(text, [first, second, third]) == [third, first, second]
    assert f'id="id_rank_{second.pk}" value="12"' in text
    assert f'id="id_rank_{third.pk}" value="4"' in text
    assert dict(ForumRank.objects.values_list("proposal_id", "rank")) == {first.pk: 2}


def test_an_invalid_posted_order_is_refused(setup, signed_in):
    _round, (first, _second, _third) = setup
    client = signed_in("forum-1")
    response = client.post(SHEET, {f"rank_{first.pk}": "1", "ordning": [first.pk, "x"]})
    assert response.status_code == 200
    assert "Ordningen innehåller x" in response.content.decode()
    assert not ForumRank.objects.exists()


def test_a_move_of_a_proposal_not_sent_on_is_refused_with_nothing_saved(setup, signed_in):
    _round, (first, _second, _third) = setup
    outside = make_proposal(first.analysis, title="Inte vidare")
    client = signed_in("forum-1")
    response = client.post(SHEET, {f"rank_{first.pk}": "1", "flytta": f"upp:{outside.pk}"})
    assert response.status_code == 200
    assert "Förslaget finns inte bland förslagen till forumet." in response.content.decode()
    assert not ForumRank.objects.exists()


# --- the background save of ranklist.js ---------------------------------------

HX = {"HX-Request": "true"}


def test_background_save_answers_204_and_stores_ranks_and_order(setup, signed_in, demo):
    round, (first, second, third) = setup
    client = signed_in("forum-1")
    response = client.post(
        SHEET,
        {
            f"rank_{first.pk}": "3",
            f"rank_{second.pk}": "3",
            f"rank_{third.pk}": "",
            "ordning": [second.pk, first.pk, third.pk],
        },
        headers=HX,
    )
    assert response.status_code == 204
    assert "HX-Request" in response["Vary"]
    order = [row.proposal_id for row in forum_services.sheet_order(round, demo["forum-1"])]
    assert order == [second.pk, first.pk, third.pk]


def test_background_save_with_an_error_answers_422_and_saves_nothing(setup, signed_in):
    _round, (first, second, _third) = setup
    client = signed_in("forum-1")
    response = client.post(SHEET, {f"rank_{first.pk}": "3", f"rank_{second.pk}": "0"}, headers=HX)
    assert response.status_code == 422
    assert response.json() == {"errors": ["Rangordningen ska vara ett heltal 1–10."]}
    assert not ForumRank.objects.exists()


def test_background_save_is_refused_for_others(setup, signed_in):
    _round, (first, _second, _third) = setup
    response = signed_in("controller").post(SHEET, {f"rank_{first.pk}": "3"}, headers=HX)
    assert response.status_code == 403
    assert not ForumRank.objects.exists()


# --- the member's own earlier ranks ---------------------------------------------


def test_sheet_shows_the_members_own_earlier_ranks(setup, signed_in, demo):
    round, (first, second, _third) = setup
    member = demo["forum-1"]
    forum_services.save_forum_ranks(round, member, {first.pk: 6}, by=member)
    forum_services.save_forum_ranks(round, member, {first.pk: 2}, by=member)
    forum_services.save_forum_ranks(round, member, {first.pk: ""}, by=member)
    forum_services.save_forum_ranks(round, demo["forum-2"], {second.pk: 8}, by=demo["forum-2"])
    text = signed_in("forum-1").get(SHEET).content.decode()
    start = text.index(f'id="forslag-{first.pk}"')
    row = text[start : text.index("</tr>", start)]
    assert f"rangordningar för {first.reference}" in row
    assert row.index("Borttagen") < row.index("Rangordning 2") < row.index("Rangordning 6")
    assert "<time datetime=" in row
    start = text.index(f'id="forslag-{second.pk}"')
    other = text[start : text.index("</tr>", start)]
    assert "forum-history" not in other  # forum-2's rank is not forum-1's history


def test_a_sheet_of_hundreds_of_proposals_can_be_saved(setup, signed_in, demo):
    """Two fields a proposal (rank and order): 520 proposals post more fields
    than Django's default limit of 1,000 (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)."""
    round, _proposals = setup
    bildning = submitted(round, "Bildningsförvaltningen")
    many = [
        send_on(round, make_proposal(bildning, title=f"Förslag {i}"), "Bildningsnämnden")
        for i in range(520)
    ]
    data = {f"rank_{p.pk}": str(1 + i % 10) for i, p in enumerate(many)}
    data["ordning"] = [str(p.pk) for p in many]
    response = signed_in("forum-2").post(SHEET, data)
    assert response.status_code == 302
    assert ForumRank.objects.filter(member=demo["forum-2"]).count() == 520
