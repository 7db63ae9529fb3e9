"""Ranking by moving rows on the own forum sheet: the rule (a moved row takes
the rank of the row it passes when the list would otherwise leave rank order;
a row without a rank counts as "after 10"), the service that applies it and
stores rank and position, and the order a save keeps. static/js/ranklist.js
applies the same rule in the browser (tests/browser/test_forum.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prioritering.history import forum_rank_history
from ranking import ranks, selectors
from ranking.models import ForumRank
from ranking.services import forum as forum_services
from ranking.services.forum import SheetRow, place_row
from rounds.models import Phase
from tests.factories import make_proposal, make_round
from tests.forum_setup import send_on, submitted

# --- the rule, on plain rows ---------------------------------------------------


def rows_of(*ranks):
    """Rows numbered 1, 2, 3… (ids 101, 102…) with the given ranks, in order."""
    return [SheetRow(100 + i, i, rank) for i, rank in enumerate(ranks, start=1)]


def shown(rows):
    return [(row.number, row.rank) for row in rows]


@pytest.mark.parametrize(
    ("ranks", "index", "target", "expected"),
    [
        # Up past a row of higher priority: takes its rank, goes before it.
        ((1, 2, 3), 2, 1, [(1, 1), (3, 2), (2, 2)]),
        # Down past a row of lower priority: takes its rank, goes after it.
        ((1, 2, 3), 0, 1, [(2, 2), (1, 2), (3, 3)]),
        # Within equal ranks only the order changes.
        ((2, 2, 2), 2, 1, [(1, 2), (3, 2), (2, 2)]),
        # Into a group of equal ranks from below: joins the group, at its place.
        ((1, 2, 2, 3), 3, 2, [(1, 1), (2, 2), (4, 2), (3, 2)]),
        # Into a group from above.
        ((1, 2, 2, 3), 0, 1, [(2, 2), (1, 2), (3, 2), (4, 3)]),
        # An unranked row moved above a ranked row takes that row's rank.
        ((1, 5, None), 2, 1, [(1, 1), (3, 5), (2, 5)]),
        # Unranked among unranked: no rank, and they stay in number order.
        ((1, None, None), 1, 2, [(1, 1), (2, None), (3, None)]),
        # A ranked row moved down past an unranked row counts "after 10" too.
        ((1, 4, None), 1, 2, [(1, 1), (2, None), (3, None)]),
        # A long move (drag and drop): from the bottom to the top.
        ((1, 3, 7, 9), 3, 0, [(4, 1), (1, 1), (2, 3), (3, 7)]),
    ],
)
def test_the_rule(ranks, index, target, expected):
    assert shown(place_row(rows_of(*ranks), index, target)) == expected


def test_the_rule_leaves_the_given_rows_alone():
    rows = rows_of(1, 2, 3)
    place_row(rows, 2, 0)
    assert shown(rows) == [(1, 1), (2, 2), (3, 3)]


# --- the service, on a member's sheet -----------------------------------------


@pytest.fixture
def sheet(demo):
    """Four forwarded proposals (numbers 1–4) in the forum phase."""
    round = make_round(phase=Phase.FORUM)
    bildning = submitted(round, "Bildningsförvaltningen")
    proposals = [
        send_on(round, make_proposal(bildning, title=title), "Bildningsnämnden")
        for title in ("Läxhjälp", "Förstärkt stöd", "Skolskjuts", "Fritidsgård")
    ]
    return round, proposals


def ranks_of(round, member):
    """The member's sheet as (title, rank) in the member's order."""
    titles = {p.pk: p.title for p in selectors.forwarded_proposals(round)}
    return [
        (titles[row.proposal_id], row.rank) for row in forum_services.sheet_order(round, member)
    ]


def give(round, member, proposals, ranks):
    forum_services.save_forum_ranks(
        round, member, {p.pk: r for p, r in zip(proposals, ranks, strict=True)}, by=member
    )


def stored_order(member):
    """(proposal id, rank) of the member's saved rows, by rank and position."""
    return list(
        ForumRank.objects.filter(member=member)
        .order_by("rank", "position")
        .values_list("proposal_id", "rank")
    )


def test_move_up_takes_the_rank_of_the_row_passed(sheet, demo):
    round, (a, b, c, d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b, c, d), (1, 3, 7, None))
    moved = forum_services.move_forum_rank(round, member, c.pk, ranks.UP, by=member)
    assert moved == forum_services.Moved(place=2, count=4, rank=3, changed=True)
    assert ranks_of(round, member) == [
        ("Läxhjälp", 1),
        ("Skolskjuts", 3),
        ("Förstärkt stöd", 3),
        ("Fritidsgård", None),
    ]
    assert stored_order(member) == [(a.pk, 1), (c.pk, 3), (b.pk, 3)]
    assert ForumRank.history.filter(proposal_id=c.pk).first().history_user == member


def test_move_down_takes_the_rank_of_the_row_passed(sheet, demo):
    round, (a, b, c, _d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b, c), (1, 3, 7))
    moved = forum_services.move_forum_rank(round, member, a.pk, ranks.DOWN, by=member)
    assert moved == forum_services.Moved(place=2, count=4, rank=3, changed=True)
    assert ranks_of(round, member)[:3] == [
        ("Förstärkt stöd", 3),
        ("Läxhjälp", 3),
        ("Skolskjuts", 7),
    ]


def test_moving_past_the_ends_changes_nothing(sheet, demo):
    round, (a, b, c, d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b, c, d), (1, 2, 3, 4))
    before = ForumRank.history.count()
    top = forum_services.move_forum_rank(round, member, a.pk, ranks.UP, by=member)
    bottom = forum_services.move_forum_rank(round, member, d.pk, ranks.DOWN, by=member)
    assert top == forum_services.Moved(place=1, count=4, rank=1, changed=False)
    assert bottom == forum_services.Moved(place=4, count=4, rank=4, changed=False)
    assert ForumRank.history.count() == before


def test_move_into_a_group_of_equal_ranks_keeps_the_order_in_position(sheet, demo):
    round, (a, b, c, d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b, c, d), (2, 2, 2, 5))
    forum_services.move_forum_rank(round, member, d.pk, ranks.UP, by=member)
    assert ranks_of(round, member) == [
        ("Läxhjälp", 2),
        ("Förstärkt stöd", 2),
        ("Fritidsgård", 2),
        ("Skolskjuts", 2),
    ]
    forum_services.move_forum_rank(round, member, d.pk, ranks.UP, by=member)
    forum_services.move_forum_rank(round, member, d.pk, ranks.UP, by=member)
    assert [title for title, _rank in ranks_of(round, member)] == [
        "Fritidsgård",
        "Läxhjälp",
        "Förstärkt stöd",
        "Skolskjuts",
    ]
    assert stored_order(member) == [(d.pk, 2), (a.pk, 2), (b.pk, 2), (c.pk, 2)]


def test_an_unranked_row_moved_above_a_ranked_row_gets_its_rank(sheet, demo):
    round, (a, b, c, _d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b), (1, 6))
    moved = forum_services.move_forum_rank(round, member, c.pk, ranks.UP, by=member)
    assert moved == forum_services.Moved(place=2, count=4, rank=6, changed=True)
    assert stored_order(member) == [(a.pk, 1), (c.pk, 6), (b.pk, 6)]


def test_unranked_among_unranked_changes_no_rank(sheet, demo):
    round, (a, _b, c, _d) = sheet
    member = demo["forum-1"]
    give(round, member, (a,), (1,))
    moved = forum_services.move_forum_rank(round, member, c.pk, ranks.UP, by=member)
    assert moved == forum_services.Moved(place=3, count=4, rank=None, changed=False)
    assert not ForumRank.objects.filter(member=member, proposal=c).exists()
    assert ranks_of(round, member) == [
        ("Läxhjälp", 1),
        ("Förstärkt stöd", None),
        ("Skolskjuts", None),
        ("Fritidsgård", None),
    ]


def test_a_ranked_row_moved_below_an_unranked_row_loses_its_rank(sheet, demo):
    round, (a, b, _c, _d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b), (1, 4))
    moved = forum_services.move_forum_rank(round, member, b.pk, ranks.DOWN, by=member)
    assert moved == forum_services.Moved(place=2, count=4, rank=None, changed=True)
    assert not ForumRank.objects.filter(member=member, proposal=b).exists()
    removal = ForumRank.history.filter(proposal_id=b.pk, member_id=member.pk).first()
    assert (removal.history_type, removal.history_user) == ("-", member)


def test_moves_touch_only_the_members_own_rows(sheet, demo):
    round, (a, b, _c, _d) = sheet
    give(round, demo["forum-2"], (a, b), (9, 1))
    give(round, demo["forum-1"], (a, b), (1, 2))
    forum_services.move_forum_rank(round, demo["forum-1"], b.pk, ranks.UP, by=demo["forum-1"])
    other = dict(
        ForumRank.objects.filter(member=demo["forum-2"]).values_list("proposal_id", "rank")
    )
    assert other == {a.pk: 9, b.pk: 1}


@pytest.mark.parametrize("username", ["controller", "tjp-bildning", "ledamot-bildning", "admin"])
def test_a_move_is_refused_for_non_members(sheet, demo, username):
    round, (a, _b, _c, _d) = sheet
    user = demo[username]
    with pytest.raises(PermissionDenied):
        forum_services.move_forum_rank(round, user, a.pk, ranks.DOWN, by=user)
    assert not ForumRank.objects.exists()


def test_a_move_is_refused_outside_the_forum_phase(sheet, demo):
    round, (a, b, _c, _d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b), (1, 2))
    round.phase = Phase.BESLUT
    round.save()
    with pytest.raises(PermissionDenied):
        forum_services.move_forum_rank(round, member, b.pk, ranks.UP, by=member)
    assert dict(ForumRank.objects.values_list("proposal_id", "rank")) == {a.pk: 1, b.pk: 2}


def test_a_move_of_another_members_rows_is_refused(sheet, demo):
    round, (a, b, _c, _d) = sheet
    give(round, demo["forum-2"], (a, b), (1, 2))
    with pytest.raises(PermissionDenied):
        forum_services.move_forum_rank(round, demo["forum-2"], b.pk, ranks.UP, by=demo["forum-1"])
    assert dict(ForumRank.objects.values_list("proposal_id", "rank")) == {a.pk: 1, b.pk: 2}


def test_a_move_of_an_unknown_proposal_or_direction_is_refused(sheet, demo):
    round, (a, _b, _c, _d) = sheet
    member = demo["forum-1"]
    outside = make_proposal(a.analysis, title="Inte vidareskickat")
    with pytest.raises(ValidationError):
        forum_services.move_forum_rank(round, member, outside.pk, ranks.UP, by=member)
    with pytest.raises(ValidationError):
        forum_services.move_forum_rank(round, member, a.pk, "sidled", by=member)
    assert not ForumRank.objects.exists()


# --- the order a save keeps ---------------------------------------------------


def test_a_save_keeps_the_posted_order_within_equal_ranks(sheet, demo):
    round, (a, b, c, d) = sheet
    member = demo["forum-1"]
    forum_services.save_forum_ranks(
        round,
        member,
        {a.pk: "2", b.pk: "2", c.pk: "2", d.pk: ""},
        order=[str(c.pk), str(a.pk), str(d.pk), str(b.pk)],
        by=member,
    )
    assert [title for title, _rank in ranks_of(round, member)] == [
        "Skolskjuts",
        "Läxhjälp",
        "Förstärkt stöd",
        "Fritidsgård",
    ]


def test_a_typed_rank_puts_the_row_in_rank_order(sheet, demo):
    round, (a, b, c, d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b, c, d), (1, 2, 3, 4))
    order = [str(p.pk) for p in (a, b, c, d)]
    forum_services.save_forum_ranks(round, member, {d.pk: "2"}, order=order, by=member)
    assert ranks_of(round, member) == [
        ("Läxhjälp", 1),
        ("Förstärkt stöd", 2),
        ("Fritidsgård", 2),
        ("Skolskjuts", 3),
    ]


def test_a_partial_order_keeps_the_rest_in_the_old_order(sheet, demo):
    round, (a, b, c, d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b, c, d), (5, 5, 5, 5))
    forum_services.save_forum_ranks(round, member, {}, order=[str(d.pk)], by=member)
    assert [title for title, _rank in ranks_of(round, member)] == [
        "Fritidsgård",
        "Läxhjälp",
        "Förstärkt stöd",
        "Skolskjuts",
    ]


@pytest.mark.parametrize("bad", ["x", "", "999999", "duplicate", "outside"])
def test_an_invalid_order_is_refused_and_nothing_is_written(sheet, demo, bad):
    round, (a, b, c, _d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b), (3, 3))
    before = list(ForumRank.history.values_list("pk", flat=True))
    outside = make_proposal(a.analysis, title="Inte vidareskickat")
    value = {"duplicate": str(a.pk), "outside": str(outside.pk)}.get(bad, bad)
    with pytest.raises(ValidationError) as refused:
        forum_services.save_forum_ranks(
            round,
            member,
            {c.pk: "1", a.pk: "3", b.pk: "3"},
            order=[str(b.pk), str(a.pk), value],
            by=member,
        )
    assert refused.value.message_dict["__all__"]
    assert dict(ForumRank.objects.values_list("proposal_id", "rank")) == {a.pk: 3, b.pk: 3}
    assert list(ForumRank.history.values_list("pk", flat=True)) == before


def test_the_save_and_the_move_give_the_same_result_as_the_rule(sheet, demo):
    """What the no-JS path stores equals place_row on the same sheet (which the
    browser's ranklist.js mirrors)."""
    round, (a, b, c, d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b, c), (2, 2, 8))
    rows = forum_services.sheet_order(round, member)
    expected = place_row(rows, 3, 2)  # the unranked Fritidsgård moved up one place
    forum_services.move_forum_rank(round, member, d.pk, ranks.UP, by=member)
    assert forum_services.sheet_order(round, member) == expected


# --- the member's own history --------------------------------------------------


def test_history_lists_rank_changes_and_removals_newest_first(sheet, demo):
    round, (a, b, _c, _d) = sheet
    member = demo["forum-1"]
    give(round, member, (a, b), (4, 4))
    forum_services.move_forum_rank(round, member, b.pk, ranks.UP, by=member)  # order only
    give(round, member, (a,), (7,))
    give(round, member, (a,), (None,))
    give(round, demo["forum-2"], (a,), (1,))  # someone else's: not shown
    history = forum_rank_history(round, member)
    assert [entry.rank for entry in history[a.pk]] == [None, 7, 4]
    assert [entry.rank for entry in history[b.pk]] == [4]
    assert history[a.pk][0].at >= history[a.pk][1].at


# --- writes stay small on a long sheet ---


@pytest.fixture
def long_sheet(demo):
    """40 forwarded proposals, all ranked 5 by forum-1, then a few others."""
    round = make_round(phase=Phase.FORUM)
    bildning = submitted(round, "Bildningsförvaltningen")
    proposals = [
        send_on(round, make_proposal(bildning, title=f"Förslag {i}"), "Bildningsnämnden")
        for i in range(40)
    ]
    member = demo["forum-1"]
    forum_services.save_forum_ranks(round, member, {p.pk: 5 for p in proposals}, by=member)
    return round, member, proposals


def test_a_changed_rank_writes_one_row_however_long_its_rank(long_sheet):
    round, member, proposals = long_sheet
    before = ForumRank.history.count()
    forum_services.save_forum_ranks(round, member, {proposals[3].pk: 2}, by=member)
    assert ForumRank.history.count() == before + 1
    assert stored_order(member)[0] == (proposals[3].pk, 2)


def test_a_move_writes_one_row_however_long_its_rank(long_sheet):
    round, member, proposals = long_sheet
    before = ForumRank.history.count()
    for _step in range(3):
        forum_services.move_forum_rank(round, member, proposals[20].pk, ranks.UP, by=member)
    assert ForumRank.history.count() == before + 3
    order = [pk for pk, _rank in stored_order(member)]
    assert order.index(proposals[20].pk) == 17
    expected = [p.pk for p in proposals]
    expected.insert(17, expected.pop(20))
    assert order == expected


def test_a_saved_order_from_the_browser_writes_only_the_rows_that_moved(long_sheet):
    round, member, proposals = long_sheet
    order = [p.pk for p in proposals]
    order.insert(2, order.pop(30))  # dragged from place 31 to place 3
    before = ForumRank.history.count()
    forum_services.save_forum_ranks(round, member, {}, by=member, order=order)
    assert ForumRank.history.count() == before + 1
    assert [pk for pk, _rank in stored_order(member)] == order


def test_positions_always_follow_the_wanted_order():
    """Whatever the saved positions, the rows that keep theirs and the rows
    given new ones stand in the wanted order, and the longest run already in
    order is kept (random cases, fixed seed)."""
    import random
    from types import SimpleNamespace

    chance = random.Random(2027)
    for _case in range(300):
        size = chance.randint(1, 25)
        group = [SheetRow(pk, pk, 4) for pk in range(size)]
        chance.shuffle(group)
        existing = {
            row.proposal_id: SimpleNamespace(
                rank=chance.choice([4, 4, 4, 7]), position=chance.randint(0, 40)
            )
            for row in group
            if chance.random() < 0.8
        }
        new = forum_services._positions(group, 4, existing)
        final = [
            new.get(row.proposal_id, getattr(existing.get(row.proposal_id), "position", None))
            for row in group
        ]
        assert all(position is not None and position >= 0 for position in final)
        assert final == sorted(final) and len(set(final)) == len(final), (group, existing)
        # Rows of another rank and rows without a saved position always get one.
        for row in group:
            saved = existing.get(row.proposal_id)
            if saved is None or saved.rank != 4:
                assert row.proposal_id in new
