"""The merge of two people's edits of one proposal, as a pure function: what
the user typed is never lost, and the other person's changes are taken where
the user did not touch the field."""

from itertools import product

from rounds.conflicts import CONFLICT, SAME, TAKEN, merge

BASE = {"title": "Start", "nytta": 2, "cost_year1": 1500, "fokusomrade": None, "mal": frozenset()}


def test_nobody_changed_anything():
    result = merge(BASE, dict(BASE), dict(BASE))
    assert result.values == BASE
    assert result.changes == []


def test_only_i_changed_a_field_keeps_mine():
    mine = {**BASE, "title": "Min rubrik"}
    result = merge(BASE, dict(BASE), mine)
    assert result.values == mine
    assert result.changes == []


def test_only_they_changed_a_field_takes_theirs():
    theirs = {**BASE, "nytta": 4, "mal": frozenset({7})}
    mine = {**BASE, "title": "Min rubrik"}
    result = merge(BASE, theirs, mine)
    assert result.values == {**BASE, "title": "Min rubrik", "nytta": 4, "mal": frozenset({7})}
    assert {(c.name, c.outcome) for c in result.changes} == {("nytta", TAKEN), ("mal", TAKEN)}
    assert result.conflicts == {}


def test_both_changed_to_the_same_value():
    both = {**BASE, "cost_year1": -300}
    result = merge(BASE, both, dict(both))
    assert result.values == both
    [change] = result.changes
    assert (change.name, change.outcome, change.base, change.theirs, change.mine) == (
        "cost_year1",
        SAME,
        1500,
        -300,
        -300,
    )
    assert result.conflicts == {}


def test_both_changed_differently_keeps_mine_and_is_a_conflict():
    theirs = {**BASE, "title": "Deras rubrik"}
    mine = {**BASE, "title": "Min rubrik"}
    result = merge(BASE, theirs, mine)
    assert result.values["title"] == "Min rubrik"
    conflict = result.conflicts["title"]
    assert (conflict.base, conflict.theirs, conflict.mine, conflict.outcome) == (
        "Start",
        "Deras rubrik",
        "Min rubrik",
        CONFLICT,
    )


def test_clearing_a_field_is_a_change_too():
    theirs = {**BASE, "nytta": None}
    result = merge(BASE, theirs, dict(BASE))
    assert result.values["nytta"] is None
    mine = {**BASE, "nytta": None}
    result = merge(BASE, {**BASE, "nytta": 3}, mine)
    assert result.values["nytta"] is None
    assert "nytta" in result.conflicts


def test_without_a_base_every_difference_is_a_conflict():
    theirs = {**BASE, "title": "Deras", "nytta": 4}
    mine = {**BASE, "title": "Min"}
    result = merge(None, theirs, mine)
    assert result.values == mine  # nothing of mine is replaced
    assert set(result.conflicts) == {"title", "nytta"}
    assert result.conflicts["nytta"].base is None


def test_nothing_typed_is_lost_and_nothing_of_theirs_is_silently_dropped():
    """Every combination of base/theirs/mine over a few values: the merged
    value is mine wherever I changed the field, theirs wherever only they did,
    and every field where they changed something is reported."""
    values = ["a", "b", "c", None]
    for base, theirs, mine in product(values, repeat=3):
        result = merge({"f": base}, {"f": theirs}, {"f": mine})
        merged = result.values["f"]
        if mine != base:
            assert merged == mine, (base, theirs, mine)
        elif theirs != base:
            assert merged == theirs, (base, theirs, mine)
        else:
            assert merged == base
        reported = {change.name for change in result.changes}
        assert ("f" in reported) is (theirs != base), (base, theirs, mine)
        in_conflict = mine != base and theirs != base and mine != theirs
        assert ("f" in result.conflicts) is in_conflict, (base, theirs, mine)
