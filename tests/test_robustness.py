"""The robustness of the budget line (ranking.robustness), on cases computed
by hand: numbers in, numbers out, no database."""

import random

import pytest

from ranking import aggregate, budget, robustness
from ranking.robustness import (
    BORDA,
    COPELAND,
    COST,
    MEAN,
    MEDIAN,
    MEMBER,
    RULE_DEPENDENT,
    STABLE_ABOVE,
    STABLE_BELOW,
    analyse,
    copeland_scores,
)

A, B, C, D = 1, 2, 3, 4


def entry(key, cost, **kwargs):
    return budget.Entry(key=key, cost_year1=cost, cost_years1_3=cost * 3, **kwargs)


def test_a_member_whose_removal_moves_a_proposal_across_the_line():
    # Medians: A [1, 1, 5] = 1, B [2, 3, 1] = 2; one of the two fits the frame.
    # Without member 1: A [1, 5] = 3, B [3, 1] = 2 → B first; without 2:
    # A 3, B 1.5 → B first; without 3: A 1, B 2.5 → A first.
    ballots = [{A: 1, B: 2}, {A: 1, B: 3}, {A: 5, B: 1}]
    analysis = analyse(ballots, [entry(A, 60), entry(B, 60)], frame=100)
    a, b = analysis.of(A), analysis.of(B)
    assert (a.above, b.above) == (True, False)
    assert a.leave_one_out == pytest.approx(1 / 3)
    assert b.leave_one_out == pytest.approx(2 / 3)
    assert a.klass == b.klass == MEMBER
    assert str(a.label) == "Beror på en enskild ledamot"
    assert analysis.members == 3


def test_above_under_the_median_and_below_under_borda():
    # A: five members rank it 1, two rank it 10 → median 1, mean 25/7, Borda
    # 5·10 + 2·1 = 52. B: all rank it 2 → median 2, mean 2, Borda 7·9 = 63.
    # Copeland: five of seven prefer A. Leaving any one member out keeps A's
    # median at 1.
    ballots = [{A: 1, B: 2}] * 5 + [{A: 10, B: 2}] * 2
    analysis = analyse(ballots, [entry(A, 60), entry(B, 60)], frame=100)
    a, b = analysis.of(A), analysis.of(B)
    assert a.rules == {MEDIAN: True, MEAN: False, BORDA: False, COPELAND: True}
    assert b.rules == {MEDIAN: False, MEAN: True, BORDA: True, COPELAND: False}
    assert a.leave_one_out == 1.0 and b.leave_one_out == 0.0
    assert a.klass == b.klass == RULE_DEPENDENT


def test_copeland_with_a_cycle():
    # A > B > C, B > C > A, C > A > B: A beats B 2–1, B beats C 2–1, C beats
    # A 2–1 — a cycle; D is ranked last by all and loses every pair.
    ballots = [
        {A: 1, B: 2, C: 3, D: 4},
        {B: 1, C: 2, A: 3, D: 4},
        {C: 1, A: 2, B: 3, D: 4},
    ]
    assert copeland_scores(ballots, [A, B, C, D]) == {A: 1, B: 1, C: 1, D: -3}
    # The cycle's tie keeps the median's order (all medians 2, means 2: by key),
    # so with room for one, A is above under Copeland as under the median.
    analysis = analyse(ballots, [entry(k, 50) for k in (A, B, C, D)], frame=60)
    assert [analysis.of(k).rules[COPELAND] for k in (A, B, C, D)] == [True, False, False, False]
    assert [analysis.of(k).rules[MEDIAN] for k in (A, B, C, D)] == [True, False, False, False]


def test_copeland_compares_only_members_who_ranked_both():
    # Member 2 did not rank B: only member 1 compares A and B, and prefers B.
    assert copeland_scores([{A: 2, B: 1}, {A: 1}], [A, B]) == {A: -1, B: 1}
    # The same rank for both is no preference.
    assert copeland_scores([{A: 3, B: 3}], [A, B]) == {A: 0, B: 0}


def test_costs_plus_or_minus_move_one_proposal():
    # 50 + 50 = 100 just fits the frame of 100; 10 % more (55 + 55 = 110)
    # does not, so B can cross; A (55) fits either way.
    ballots = [{A: 1, B: 2}] * 3
    analysis = analyse(ballots, [entry(A, 50), entry(B, 50)], frame=100, percent=10)
    a, b = analysis.of(A), analysis.of(B)
    assert (a.above, b.above) == (True, True)
    assert (b.cost_low, b.cost_high) == (True, False)
    assert b.klass == COST and str(b.label) == "Beror på kostnaden"
    assert a.klass == STABLE_ABOVE
    # Costs 10 % lower: 45 + 45 + 45 = 135 still exceeds the frame for a third.
    analysis = analyse(
        [{A: 1, B: 2, C: 3}] * 3,
        [entry(A, 40), entry(B, 40), entry(C, 40)],
        frame=100,
        percent=10,
    )
    assert analysis.of(C).klass == STABLE_BELOW
    # …but 30 % lower (28 · 3 = 84) lets it in.
    analysis = analyse(
        [{A: 1, B: 2, C: 3}] * 3,
        [entry(A, 40), entry(B, 40), entry(C, 40)],
        frame=100,
        percent=30,
    )
    assert (analysis.of(C).cost_low, analysis.of(C).klass) == (True, COST)


def test_a_smaller_saving_narrows_the_frame():
    # The saving of 20 widens the frame to 120: A 60 + B 60 = 120 fits.
    # 10 % less saved (18) leaves 118: B no longer fits.
    ballots = [{A: 1, B: 2, C: 3}] * 2
    entries = [entry(A, 60), entry(B, 60), entry(C, -20)]
    analysis = analyse(ballots, entries, frame=100)
    assert analysis.of(C) is None  # a saving only widens the frame: not on the line
    assert analysis.of(B).klass == COST
    assert (analysis.of(B).cost_low, analysis.of(B).cost_high) == (True, False)


def test_members_who_all_agree_give_stable_everywhere():
    ballots = [{A: 1, B: 2, C: 3}] * 4
    analysis = analyse(ballots, [entry(A, 30), entry(B, 30), entry(C, 80)], frame=100)
    assert [analysis.of(k).klass for k in (A, B, C)] == [STABLE_ABOVE, STABLE_ABOVE, STABLE_BELOW]
    assert all(analysis.of(k).leave_one_out == (1.0 if k != C else 0.0) for k in (A, B, C))
    assert analysis.unstable == 0
    assert [count for _klass, _label, count in analysis.counts] == [2, 0, 0, 0, 1]


def test_decisions_stay_as_they_are_in_every_run():
    # B is decided within the nämnd's frame: off the line in every run.
    # C is partially financed with 10: the granted amount counts, and it is
    # not varied with the costs.
    ballots = [{A: 1, B: 2, C: 3}] * 2
    entries = [entry(A, 90), entry(B, 500, off_line=True), entry(C, 400, partial_tkr=10)]
    analysis = analyse(ballots, entries, frame=100)
    assert analysis.of(B) is None
    assert analysis.of(A).above and analysis.of(C).above
    # 90 · 1.1 + 10 = 109 > 100: with A's cost up, C no longer fits.
    assert analysis.of(C).klass == COST


def test_a_reduction_round_asks_which_savings_are_needed():
    # Required reduction 100. In the median's order s1 (80), s2 (50), then
    # P (10): s1 and s2 are needed; the surplus 30 funds P.
    s1, s2, p = 1, 2, 3
    ballots = [{s1: 1, s2: 2, p: 3}] * 3
    entries = [entry(s1, -80), entry(s2, -50), entry(p, 10)]
    analysis = analyse(ballots, entries, frame=100, purpose=budget.MINSKADE)
    assert analysis.of(s1).above and analysis.of(s2).above and analysis.of(p).above
    # 10 % less saved: 72 + 45 = 117, surplus 17 still funds P at 11.
    assert analysis.of(p).klass == STABLE_ABOVE


def test_one_member_leaves_nothing_out_and_nobody_ranked_means_no_member_runs():
    analysis = analyse([{A: 1}], [entry(A, 10)], frame=100)
    assert analysis.of(A).leave_one_out is None
    assert analysis.of(A).klass == STABLE_ABOVE
    analysis = analyse([], [entry(A, 10), entry(B, 200)], frame=100)
    assert analysis.members == 0
    assert analysis.of(A).klass == STABLE_ABOVE
    assert analysis.of(B).klass == STABLE_BELOW


def test_the_median_order_is_the_aggregate_order():
    rng = random.Random(18)
    for _ in range(30):
        keys = list(range(1, rng.randint(2, 25)))
        ballots = [
            {key: rng.randint(1, 10) for key in keys if rng.random() < 0.8}
            for _member in range(rng.randint(1, 9))
        ]
        ranks = {key: [ballot[key] for ballot in ballots if key in ballot] for key in keys}
        assert robustness.median_order(ballots, keys) == aggregate.order(aggregate.combined(ranks))


def test_six_hundred_proposals_and_forty_members_are_analysed():
    # The size the issue sets (its time is measured in bench/, not here).
    rng = random.Random(600)
    keys = list(range(1, 601))
    ballots = [{key: rng.randint(1, 10) for key in keys} for _member in range(40)]
    entries = [entry(key, rng.randint(-200, 3000)) for key in keys]
    analysis = analyse(ballots, entries, frame=150_000)
    assert analysis.members == 40
    assert len(analysis.stability) == sum(1 for e in entries if e.cost_year1 >= 0)
    assert sum(count for _klass, _label, count in analysis.counts) == len(analysis.stability)
