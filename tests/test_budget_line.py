"""The budget line against hand-computed cases: the frame, savings widening
it, partial financing, a proposal exactly on the line, proposals off the line,
and years 1–3."""

from ranking.budget import (
    MINSKADE,
    NYA,
    OMFORDELA,
    RULE,
    Entry,
    budget_line,
    chart,
    figures,
    rule,
)


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


# --- the three purposes (ranking.budget's docstring) ---


def test_the_purpose_decides_which_rule_text_is_shown():
    assert str(rule(NYA)) == str(RULE)
    assert str(rule(MINSKADE)).startswith("Budgetlinjen vid minskade resurser")
    assert "behövs för att nå minskningen" in str(rule(MINSKADE))
    assert str(rule(OMFORDELA)).startswith("Budgetlinjen vid omfördelning")
    assert "ramen är 0" in str(rule(OMFORDELA))


def reduction(frame):
    # In the order of least loss: s1 saves 300, the need n costs 200, s2 saves
    # 500, s3 saves 200 (its decision refused in the refused case below).
    return budget_line(
        [e("s1", -300, -900), e("n", 200), e("s2", -500, -1500), e("s3", -200, -600)],
        frame=frame,
        purpose=MINSKADE,
    )


def test_a_reduction_met_exactly_needs_the_savings_up_to_it_and_funds_nothing_that_costs():
    line = reduction(800)
    # Cumulative 300, 800 (= the requirement), 1 000.
    assert [(s.key, s.cumulative, s.needed) for s in line.saving_steps] == [
        ("s1", 300, True),
        ("s2", 800, True),
        ("s3", 1000, False),
    ]
    assert (line.required, line.savings) == (800, 1000)
    # s3 is beyond the requirement: the 200 it saves is the surplus, and the
    # need n (200) fits in it exactly.
    assert (line.shortfall, line.surplus, line.reduction_met) == (0, 200, True)
    assert line.effective_frame == 200
    assert keys(line.funded) == ["n"] and line.remaining == 0


def test_a_reduction_met_exactly_by_the_last_saving_leaves_no_surplus():
    line = budget_line([e("s1", -300), e("n", 1), e("s2", -500)], frame=800, purpose=MINSKADE)
    assert [s.needed for s in line.saving_steps] == [True, True]
    assert (line.shortfall, line.surplus, line.reduction_met) == (0, 0, True)
    # Not even 1 tkr of new cost fits: the reduction takes every krona saved.
    assert keys(line.given_up) == ["n"]


def test_a_reduction_not_met_says_what_is_missing_and_funds_nothing_that_costs():
    line = reduction(1500)
    assert all(s.needed for s in line.saving_steps)
    assert (line.savings, line.shortfall, line.surplus) == (1000, 500, 0)
    assert not line.reduction_met
    assert line.effective_frame == -500
    assert keys(line.funded) == [] and keys(line.given_up) == ["n"]


def test_a_reduction_over_met_funds_what_costs_from_the_surplus_in_order():
    line = budget_line(
        [e("s1", -600), e("a", 150), e("s2", -400), e("b", 100), e("c", 10)],
        frame=700,
        purpose=MINSKADE,
    )
    # s1 (600) does not reach 700, so s2 is needed too; 1 000 over-meets by 300.
    assert [(s.cumulative, s.needed) for s in line.saving_steps] == [(600, True), (1000, True)]
    assert (line.shortfall, line.surplus) == (0, 300)
    # a (150) and b (100) fit in the 300; c would too (260) and does.
    assert [s.cumulative for s in line.steps] == [150, 250, 260]
    assert keys(line.funded) == ["a", "b", "c"] and line.remaining == 40
    # Years 1–3: the savings år 1–3 less three times the requirement.
    assert line.effective_frame_1_3 == (1800 + 1200) - 3 * 700


def test_a_refused_saving_does_not_count_towards_the_reduction():
    line = budget_line(
        [e("s1", -300), e("s2", -500, saving_refused=True), e("s3", -200)],
        frame=800,
        purpose=MINSKADE,
    )
    assert line.refused_saving_keys == ["s2"]
    assert [(s.key, s.cumulative, s.needed) for s in line.saving_steps] == [
        ("s1", 300, True),
        ("s3", 500, True),
    ]
    assert (line.savings, line.shortfall) == (500, 300)


def test_a_reallocation_has_a_zero_frame_and_the_savings_fund_new_needs():
    # The round's frame (5 000) is not used: only the 500 saved funds needs.
    line = budget_line(
        [e("a", 300), e("s", -500, -1500), e("b", 200), e("c", 1)],
        frame=5000,
        purpose=OMFORDELA,
    )
    assert (line.frame, line.savings, line.effective_frame) == (0, 500, 500)
    assert [s.cumulative for s in line.steps] == [300, 500, 501]
    assert keys(line.funded) == ["a", "b"]  # b lands exactly on the savings
    assert keys(line.given_up) == ["c"]
    assert line.effective_frame_1_3 == 1500
    assert all(not s.needed for s in line.saving_steps)  # no requirement to reach


def test_a_reallocation_without_savings_funds_nothing():
    line = budget_line([e("a", 1)], frame=0, purpose=OMFORDELA)
    assert keys(line.given_up) == ["a"] and line.remaining == 0


def test_the_key_figures_follow_the_purpose():
    new = dict(figures(budget_line([e("a", 400), e("s", -100)], frame=1000)))
    assert new["Ram år 1"] == 1000 and new["Ram inklusive besparingar"] == 1100
    moved = dict(figures(budget_line([e("a", 400), e("s", -100)], 1000, OMFORDELA)))
    assert moved["Ram år 1 (inga nya pengar vid omfördelning)"] == 0
    assert moved["Besparingar som finansierar nya behov"] == 100
    assert moved["Kvar av besparingarna"] == 100  # a (400) does not fit in 100
    assert moved["Under linjen, det kommunen avstår (1 förslag)"] == 400
    cut = dict(figures(reduction(1500)))
    assert cut["Krav på minskning år 1"] == 1500
    assert cut["Besparingar som genomförs (3)"] == 1000
    assert cut["Saknas för att nå minskningen"] == 500
    assert cut["Besparingar utöver kravet, för förslag som kostar"] == 0
    assert cut["Kvar av överskottet"] == 0


def test_the_chart_of_a_reduction_draws_the_cumulative_saving_against_the_requirement():
    line = reduction(800)
    drawn = chart(line)
    assert [bar.funded for bar in drawn.bars] == [True, True, False]
    tops = [bar.y for bar in drawn.bars]
    assert tops[0] > tops[1] > tops[2]
    # The requirement (800) is exactly the second bar's top; the vertical line
    # stands after the two savings needed.
    assert drawn.frame_y == tops[1]
    assert drawn.line_x == round(72 + 2 * (760 - 72 - 16) / 3, 1)


def test_a_reduction_written_as_a_negative_number_counts_as_its_size():
    assert reduction(-800).saving_steps == reduction(800).saving_steps
    assert reduction(-800).required == 800
