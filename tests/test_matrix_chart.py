"""The matrix chart (ranking/matrix.py): svårighetsgrad × nytta, one bubble per
proposal with its area proportional to the cost år 1; the same SVG on the
budget line page, the public page and in the PDF."""

import math

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from ranking import matrix, selectors
from ranking.matrix import Point
from ranking.models import Decision, Outcome
from rounds.models import Grad, Svarighetsgrad
from tests.forum_setup import outcome_round


def cell_of(chart, bubble) -> tuple[int, int]:
    """(svårighetsgrad, nytta) of the cell the bubble's centre lies in."""
    column = int((bubble.cx - chart.left) // chart.cell_width)
    row = int((bubble.cy - chart.top) // chart.cell_height)
    return matrix.X_LEVELS[column], matrix.Y_LEVELS[len(matrix.Y_LEVELS) - 1 - row]


def by_key(chart):
    return {bubble.key: bubble for bubble in chart.bubbles}


def test_bubble_area_is_proportional_to_cost():
    chart = matrix.matrix(
        [
            Point(1, "1", Svarighetsgrad.STOR, Grad.STOR, 400),
            Point(2, "2", Svarighetsgrad.LITEN, Grad.INGEN, 100),
            Point(3, "3", Svarighetsgrad.MYCKET_STOR, Grad.MYCKET_STOR, 1600),
        ]
    )
    bubbles = by_key(chart)
    areas = {key: math.pi * b.r**2 for key, b in bubbles.items()}
    assert areas[1] / areas[2] == pytest.approx(4, rel=1e-3)
    assert areas[3] / areas[2] == pytest.approx(16, rel=1e-3)
    assert chart.largest == 1600


def test_a_saving_is_sized_by_what_it_saves():
    chart = matrix.matrix(
        [
            Point(1, "1", Svarighetsgrad.STOR, Grad.STOR, 300),
            Point(2, "2", Svarighetsgrad.LITEN, Grad.LITEN, -300, matrix.SAVING),
        ]
    )
    bubbles = by_key(chart)
    assert bubbles[1].r == pytest.approx(bubbles[2].r)
    assert bubbles[2].kind == matrix.SAVING


def test_bubbles_sit_in_the_cell_of_their_svarighetsgrad_and_nytta():
    points = [
        Point(key, str(key), severity, nytta, 100 + key)
        for key, (severity, nytta) in enumerate(
            [(s, g) for s in Svarighetsgrad.values for g in Grad.values], start=1
        )
    ]
    chart = matrix.matrix(points)
    bubbles = by_key(chart)
    for point in points:
        assert cell_of(chart, bubbles[point.key]) == (point.svarighetsgrad, point.nytta)


def test_more_severe_lies_further_right_and_more_useful_higher_up():
    chart = matrix.matrix(
        [
            Point("low", "", Svarighetsgrad.LITEN, Grad.INGEN, 100),
            Point("high", "", Svarighetsgrad.MYCKET_STOR, Grad.MYCKET_STOR, 100),
        ]
    )
    bubbles = by_key(chart)
    assert bubbles["high"].cx > bubbles["low"].cx
    assert bubbles["high"].cy < bubbles["low"].cy  # SVG's y grows downwards


def test_bubbles_sharing_a_cell_do_not_overlap_and_stay_inside_it():
    points = [
        Point(key, str(key), Svarighetsgrad.STOR, Grad.STOR, cost)
        for key, cost in enumerate([900, 800, 500, 400, 100, 50, 10], start=1)
    ]
    chart = matrix.matrix(points)
    bubbles = chart.bubbles
    for i, a in enumerate(bubbles):
        for b in bubbles[i + 1 :]:
            assert math.dist((a.cx, a.cy), (b.cx, b.cy)) >= a.r + b.r
        assert cell_of(chart, a) == (Svarighetsgrad.STOR, Grad.STOR)
        x0 = chart.left + matrix.X_LEVELS.index(Svarighetsgrad.STOR) * chart.cell_width
        assert x0 <= a.cx - a.r and a.cx + a.r <= x0 + chart.cell_width


def test_proposals_without_svarighetsgrad_or_nytta_are_counted_not_drawn():
    chart = matrix.matrix(
        [
            Point(1, "1", None, Grad.STOR, 100),
            Point(2, "2", Svarighetsgrad.STOR, None, 100),
            Point(3, "3", Svarighetsgrad.STOR, Grad.STOR, 100),
        ]
    )
    assert [b.key for b in chart.bubbles] == [3]
    assert chart.unplaced == 2
    assert chart.count == 3


def test_a_proposal_without_cost_is_a_dot_and_an_empty_chart_draws():
    chart = matrix.matrix([Point(1, "1", Svarighetsgrad.STOR, Grad.STOR, 0)])
    assert chart.bubbles[0].r == matrix.DOT_RADIUS
    assert not chart.bubbles[0].show_label
    empty = matrix.matrix([])
    assert empty.bubbles == [] and empty.largest == 0
    assert len(empty.x_labels) == 4 and len(empty.y_labels) == 5


def test_axes_are_labelled_with_the_scale_words():
    chart = matrix.matrix([])
    assert [label.text for label in chart.x_labels] == ["Liten", "Måttlig", "Stor", "Mycket stor"]
    assert [label.text for label in chart.y_labels] == [
        "Ingen",
        "Liten",
        "Måttlig",
        "Stor",
        "Mycket stor",
    ]


# --- from the forum's rows ---


@pytest.fixture
def forum(demo):
    return outcome_round()


def test_points_of_outcome_rows_follow_the_budget_line(forum):
    round, (first, second, third, saving) = forum
    round.frame_tkr = 700
    round.save()
    rows = selectors.outcome_rows(round)
    selectors.with_line(rows, round.frame_tkr, round.purpose)
    kinds = {point.key: point.kind for point in matrix.points_of(rows)}
    # Computed order: second (400), first (600), third (300); the saving widens
    # the frame to 900: 400 and 1000 > 900 — first and third fall below.
    assert kinds == {
        second.pk: matrix.FUNDED,
        first.pk: matrix.GIVEN_UP,
        third.pk: matrix.GIVEN_UP,
        saving.pk: matrix.SAVING,
    }
    labels = {point.key: point.label for point in matrix.points_of(rows)}
    assert labels[second.pk] == "1"


def test_a_refused_saving_and_one_within_the_namnd_frame_lie_outside_the_line(forum):
    round, (first, _second, _third, saving) = forum
    rows = selectors.outcome_rows(round)
    by_pk = {row.proposal.pk: row for row in rows}
    by_pk[saving.pk].decision = Decision(outcome=Outcome.AVSLAS)
    by_pk[first.pk].decision = Decision(outcome=Outcome.INOM_RAM)
    selectors.with_line(rows, round.frame_tkr, round.purpose)
    assert matrix.kind_of(by_pk[saving.pk]) == matrix.OUTSIDE
    assert matrix.kind_of(by_pk[first.pk]) == matrix.OUTSIDE


def test_the_svg_has_a_title_a_description_and_a_legend(forum):
    round, (_first, *others) = forum
    for proposal in others:  # unassessed: not drawn, and the chart says so
        proposal.svarighetsgrad = None
        proposal.save()
    rows = selectors.outcome_rows(round)
    selectors.with_line(rows, round.frame_tkr, round.purpose)
    html = render_to_string(
        "ranking/includes/matrix_chart.html", {"matrix": matrix.matrix_for(rows)}
    )
    assert 'role="img"' in html
    assert 'aria-labelledby="matrix-chart-title matrix-chart-desc"' in html
    assert '<title id="matrix-chart-title">' in html
    assert '<desc id="matrix-chart-desc">' in html
    # Only the first proposal has svårighetsgrad and nytta now.
    assert "1 förslag visas" in html
    assert "3 förslag saknar svårighetsgrad eller nytta och visas inte" in html
    assert html.count("<circle") == 1 + len(matrix.KINDS)  # the bubble and the key
    for label in matrix.KIND_LABELS.values():
        assert str(label) in html
    assert "Svårighetsgrad" in html and "Nytta för målområdet" in html
    # The kinds differ in more than colour: a hatch and dashes, a thick ring.
    assert 'fill="url(#matrix-hatch)"' in html and 'stroke-dasharray="4 2"' in html


@pytest.mark.parametrize("username", ["controller", "revisor"])
def test_the_budget_line_page_shows_the_matrix(forum, signed_in, username):
    response = signed_in(username).get(reverse("forum_budget", kwargs={"year": 2027}))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="matrix-chart-title"' in text
    assert "Förslagen efter svårighetsgrad och nytta" in text
