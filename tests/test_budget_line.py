"""The budget line against hand-computed cases: the frame, savings widening
it, partial financing, a proposal exactly on the line, proposals off the line,
and years 1–3."""

from ranking.budget import Entry, budget_line, chart


def e(key, cost, cost_1_3=None, **kwargs):
    return Entry(
        key=key, cost_year1=cost, cost_years1_3=cost * 3 if cost_1_3 is None else cost_1_3, **kwargs
    )


def keys(steps):
    return [step.key for step in steps]


def test_proposals_are_funded_while_the_cumulative_cost_fits_the_frame():
    line = budget_line([e("a", 400), e("b", 300), e("c", 500), e("d", 100)], frame=1000)
    assert [s.cumulative for s in line.steps] == [400, 700, 1200, 1300]
    assert keys(line.funded) == ["a", "b"]
    assert keys(line.given_up) == ["c", "d"]
    assert line.funded_total == 700
    assert line.given_up_total == 600
    assert line.remaining == 300
    assert line.line_index == 2


def test_the_first_proposal_that_does_not_fit_draws_the_line_for_all_after():
    # "d" (100) would fit in what is left (300), but it comes after the line.
    line = budget_line([e("a", 700), e("c", 500), e("d", 100)], frame=1000)
    assert keys(line.funded) == ["a"]
    assert keys(line.given_up) == ["c", "d"]


def test_a_proposal_exactly_on_the_line_is_funded():
    line = budget_line([e("a", 600), e("b", 400), e("c", 1)], frame=1000)
    assert keys(line.funded) == ["a", "b"]
    assert line.steps[1].cumulative == 1000
    assert line.remaining == 0
    assert keys(line.given_up) == ["c"]


def test_savings_widen_the_frame_and_stay_off_the_line():
    line = budget_line([e("a", 700), e("saving", -250, -750), e("b", 500), e("c", 100)], frame=1000)
    assert line.savings == 250
    assert line.effective_frame == 1250
    assert line.saving_keys == ["saving"]
    assert keys(line.steps) == ["a", "b", "c"]
    assert keys(line.funded) == ["a", "b"]  # 1200 ≤ 1250
    assert keys(line.given_up) == ["c"]  # 1300 > 1250


def test_a_refused_saving_does_not_widen_the_frame():
    line = budget_line([e("a", 700), e("s", -250, saving_refused=True), e("b", 500)], frame=1000)
    assert line.savings == 0
    assert line.refused_saving_keys == ["s"]
    assert keys(line.funded) == ["a"]


def test_partial_financing_counts_the_amount_granted_and_years_2_3_in_the_same_share():
    line = budget_line([e("a", 600), e("b", 800, 2400, partial_tkr=400), e("c", 100)], frame=1000)
    b = line.steps[1]
    assert (b.cost, b.cost_1_3, b.partial) == (400, 1200, True)
    assert b.cumulative == 1000
    assert keys(line.funded) == ["a", "b"]
    assert keys(line.given_up) == ["c"]


def test_proposals_within_the_namnds_frame_stay_off_the_line():
    line = budget_line([e("a", 900), e("inom", 5000, off_line=True), e("b", 100)], frame=1000)
    assert line.off_line_keys == ["inom"]
    assert keys(line.funded) == ["a", "b"]


def test_years_1_3_are_compared_with_three_frames_plus_the_savings_1_3():
    line = budget_line([e("a", 500, 2000), e("s", -100, -300), e("b", 500, 1500)], frame=1000)
    assert line.effective_frame_1_3 == 3000 + 300
    assert [s.cumulative_1_3 for s in line.steps] == [2000, 3500]
    assert [s.fits_1_3 for s in line.steps] == [True, False]
    # Year 1 decides the line: both fit in 1 100.
    assert keys(line.funded) == ["a", "b"]


def test_an_empty_order_has_nothing_on_the_line():
    line = budget_line([], frame=1000)
    assert line.steps == [] and line.funded_total == 0 and line.remaining == 1000
    assert chart(line).line_x is None


def test_the_chart_draws_one_bar_per_step_and_the_frame_within_the_plot():
    line = budget_line([e("a", 400), e("b", 300), e("c", 500)], frame=1000)
    drawn = chart(line)
    assert len(drawn.bars) == 3
    assert [bar.funded for bar in drawn.bars] == [True, True, False]
    # Taller bars for larger cumulative cost; the frame line sits between
    # the second (700) and third (1 200) bar tops.
    tops = [bar.y for bar in drawn.bars]
    assert tops[0] > tops[1] > tops[2]
    assert tops[2] < drawn.frame_y < tops[1]
    assert all(16 <= bar.y <= drawn.bottom_y for bar in drawn.bars)
    assert drawn.ticks[0].value == 0 and drawn.ticks[-1].value >= 1200
