"""The review flags: each rule fires when the forum's median disagrees with the
proposal's own assessment, and stays quiet when it does not."""

import pytest

from ranking.review import RULES, review_flags
from rounds.models import Grad, Kostnadseffektivitet, Proposal, Svarighetsgrad
from rounds.models.round import RIKTVARDEN_DEFAULT

# Kommunens riktvärden as a round has them by default (Round.riktvarden).
GUIDE = RIKTVARDEN_DEFAULT


def proposal(severity=None, nytta=None, ce=None):
    return Proposal(svarighetsgrad=severity, nytta=nytta, kostnadseffektivitet=ce)


def codes(p, median, guide=GUIDE):
    return [flag.code for flag in review_flags(p, median, guide)]


def test_nothing_is_flagged_without_a_median():
    assert (
        review_flags(
            proposal(Svarighetsgrad.LITEN, Grad.INGEN, Kostnadseffektivitet.LAG), None, GUIDE
        )
        == []
    )


@pytest.mark.parametrize("nytta", [Grad.LITEN, Grad.INGEN])
def test_high_rank_with_small_severity_and_small_benefit_is_flagged(nytta):
    flags = review_flags(
        proposal(Svarighetsgrad.LITEN, nytta, Kostnadseffektivitet.MATTLIG), 2.0, GUIDE
    )
    assert "high_rank_small_need" in [f.code for f in flags]
    reason = next(f.reason for f in flags if f.code == "high_rank_small_need")
    assert reason.startswith("Högt rangordnat (median 2) trots liten svårighetsgrad")


@pytest.mark.parametrize(
    ("severity", "nytta", "median"),
    [
        (Svarighetsgrad.LITEN, Grad.LITEN, 4.0),  # not high enough
        (Svarighetsgrad.LITEN, Grad.MATTLIG, 2.0),  # benefit not small
        (Svarighetsgrad.STOR, Grad.LITEN, 2.0),  # severity not small
    ],
)
def test_high_rank_small_need_is_quiet_otherwise(severity, nytta, median):
    assert "high_rank_small_need" not in codes(proposal(severity, nytta), median)


@pytest.mark.parametrize(
    "severity", [Svarighetsgrad.STOR, Svarighetsgrad.MATTLIG, Svarighetsgrad.LITEN]
)
def test_high_rank_with_low_cost_effectiveness_is_flagged(severity):
    assert "high_rank_low_cost_effectiveness" in codes(
        proposal(severity, Grad.STOR, Kostnadseffektivitet.LAG), 3.0
    )


def test_low_cost_effectiveness_is_no_flag_at_the_most_severe():
    # The source: "Nyttan kan få kosta mer för dem med de svåraste tillstånden."
    p = proposal(Svarighetsgrad.MYCKET_STOR, Grad.STOR, Kostnadseffektivitet.LAG)
    assert "high_rank_low_cost_effectiveness" not in codes(p, 1.0)
    assert "med de svåraste tillstånden" in str(RULES[1])


@pytest.mark.parametrize(
    ("ce", "median"), [(Kostnadseffektivitet.LAG, 3.5), (Kostnadseffektivitet.MATTLIG, 1.0)]
)
def test_high_rank_low_cost_effectiveness_is_quiet_otherwise(ce, median):
    p = proposal(Svarighetsgrad.STOR, Grad.STOR, ce)
    assert "high_rank_low_cost_effectiveness" not in codes(p, median)


@pytest.mark.parametrize("ce", [Kostnadseffektivitet.HOG, Kostnadseffektivitet.MYCKET_HOG])
def test_low_rank_with_great_severity_and_high_cost_effectiveness_is_flagged(ce):
    flags = review_flags(proposal(Svarighetsgrad.MYCKET_STOR, Grad.STOR, ce), 8.5, GUIDE)
    reason = next(f.reason for f in flags if f.code == "low_rank_great_need")
    assert "Lågt rangordnat (median 8,5)" in reason
    assert "mycket stor svårighetsgrad" in reason


@pytest.mark.parametrize(
    ("severity", "ce", "median"),
    [
        (Svarighetsgrad.MYCKET_STOR, Kostnadseffektivitet.HOG, 7.5),  # not low enough
        (Svarighetsgrad.MYCKET_STOR, Kostnadseffektivitet.MATTLIG, 9.0),
        (Svarighetsgrad.STOR, Kostnadseffektivitet.MYCKET_HOG, 9.0),
    ],
)
def test_low_rank_great_need_is_quiet_otherwise(severity, ce, median):
    assert "low_rank_great_need" not in codes(proposal(severity, Grad.STOR, ce), median)


def test_a_median_far_from_the_severitys_range_is_flagged():
    # Stor suggests 3–5: more than two steps away is below 1 or above 7.
    p = proposal(Svarighetsgrad.STOR, Grad.STOR, Kostnadseffektivitet.MATTLIG)
    assert "far_from_severity" in codes(p, 7.5)
    reason = next(f.reason for f in review_flags(p, 7.5, GUIDE) if f.code == "far_from_severity")
    assert "(3–5)" in reason


@pytest.mark.parametrize("median", [3.0, 5.0, 7.0, 1.0])
def test_a_median_near_the_severitys_range_is_not_flagged(median):
    p = proposal(Svarighetsgrad.STOR, Grad.STOR, Kostnadseffektivitet.MATTLIG)
    assert "far_from_severity" not in codes(p, median)


def test_an_unassessed_proposal_gets_no_severity_flag():
    assert codes(proposal(), 9.0) == []


def test_the_rounds_own_riktvarden_decide_what_is_far():
    # Stor at 8: far from the default 3–5, near a municipality's own 6–8.
    p = proposal(Svarighetsgrad.STOR, Grad.STOR, Kostnadseffektivitet.MATTLIG)
    assert "far_from_severity" in codes(p, 8.0)
    own = {**GUIDE, Svarighetsgrad.STOR: (6, 8)}
    assert "far_from_severity" not in codes(p, 8.0, own)
    # … and the other way: 2 is near the default, far from 6–8.
    assert "far_from_severity" not in codes(p, 2.0)
    reason = next(f.reason for f in review_flags(p, 2.0, own) if f.code == "far_from_severity")
    assert reason == (
        "Medianen 2 ligger långt från kommunens riktvärden för svårighetsgraden stor (6–8)."
    )
