"""The sammanvägd rangordning against hand-computed cases: median of the ranks
given, mean as tie-break, the interquartile range as spread."""

import statistics

from ranking.aggregate import RULE, Combined, combine, combined, disagreement, order


def test_three_ranks_give_median_mean_and_quartile_range():
    # Inclusive quartiles of 1, 2, 3: Q1 = 1.5, Q3 = 2.5.
    assert statistics.quantiles([1, 2, 3], n=4, method="inclusive") == [1.5, 2.0, 2.5]
    assert combine([3, 1, 2]) == Combined(median=2.0, mean=2.0, iqr=1.0, count=3)


def test_two_ranks_have_the_midpoint_as_median():
    # Q1 = 1 + 0.25 · 9 = 3.25, Q3 = 1 + 0.75 · 9 = 7.75.
    assert combine([1, 10]) == Combined(median=5.5, mean=5.5, iqr=4.5, count=2)


def test_one_rank_has_no_spread_and_none_has_nothing():
    assert combine([4]) == Combined(median=4.0, mean=4.0, iqr=0.0, count=1)
    assert combine([]) == Combined(median=None, mean=None, iqr=None, count=0)


def test_even_count_median_and_quartiles():
    # 2, 4, 6, 9: median 5, mean 21/4 = 5.25; Q1 = 2 + 0.75 · 2 = 3.5,
    # Q3 = 6 + 0.25 · 3 = 6.75, so the spread is 3.25.
    assert combine([9, 2, 6, 4]) == Combined(median=5.0, mean=5.25, iqr=3.25, count=4)


def test_equal_median_is_separated_by_the_mean():
    result = combined({10: [2, 3, 9], 11: [1, 3, 4], 12: [5, 5, 5]})
    assert result[10].median == result[11].median == 3.0
    assert result[10].mean == 14 / 3
    assert result[11].mean == 8 / 3
    assert order(result) == [11, 10, 12]


def test_equal_median_and_mean_fall_back_to_the_id():
    assert order(combined({7: [2, 4], 5: [3, 3], 6: [1]})) == [6, 5, 7]


def test_members_who_have_not_ranked_do_not_count():
    # Five members, two of whom ranked proposal 1: only their ranks count.
    result = combined({1: [2, 8], 2: [4, 4, 5, 5, 6]})
    assert result[1] == Combined(median=5.0, mean=5.0, iqr=3.0, count=2)
    assert result[2].count == 5
    assert result[2].median == 5.0
    assert result[2].mean == 4.8
    assert order(result) == [2, 1]


def test_unranked_proposal_comes_last():
    result = combined({1: [], 2: [10, 10], 3: [9]})
    assert order(result) == [3, 2, 1]
    assert result[1].count == 0


def test_spread_of_three_or_more_is_flagged():
    result = combined({1: [1, 2, 3], 2: [1, 4], 3: [2, 3, 6, 7], 4: [], 5: [1, 10, 10]})
    # Spreads: 1.0; 1.5 (Q1 1.75, Q3 3.25); 3.5 (Q1 2.75, Q3 6.25); none;
    # 4.5 (Q1 5.5, Q3 10).
    assert result[1].iqr == 1.0
    assert result[2].iqr == 1.5
    assert result[3].iqr == 3.5
    assert result[4].iqr is None
    assert result[5].iqr == 4.5
    assert disagreement(result) == {3, 5}
    assert disagreement(combined({1: [1, 4, 4, 7]})) == set()  # Q1 3.25, Q3 4.75: 1.5
    assert disagreement(combined({1: [1, 2, 6, 7]})) == {1}  # Q1 1.75, Q3 6.25: 4.5
    assert disagreement(combined({1: [2, 8]})) == {1}  # exactly 3.0 counts
    assert disagreement(result, threshold=5.0) == set()


def test_rule_is_written_in_swedish():
    assert str(RULE).startswith("Sammanvägd rangordning: medianen av deltagarnas rangordningar")
    assert "kvartilavstånd 3 eller mer" in str(RULE)
