"""Moving a round between phases: one step at a time, forward or back; going
back needs a reason; every move is logged with who and when."""

import datetime

import pytest
from django.utils import timezone

from rounds.models import Phase, PhaseTransition, Round
from tests.factories import make_round
from tests.helpers import assert_sent_to_sign_in, cast_except

URL = "/omgangar/2027/fas/"
REFUSED = cast_except("controller")


def test_controller_moves_the_round_forward_and_it_is_logged(signed_in):
    round = make_round()
    client = signed_in("controller")
    before = timezone.now()
    response = client.post(URL, {"to_phase": Phase.NAMND, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/omgangar/2027/"
    round.refresh_from_db()
    assert round.phase == Phase.NAMND
    move = PhaseTransition.objects.get(round=round)
    assert (move.from_phase, move.to_phase) == (Phase.VERKSAMHETSANALYS, Phase.NAMND)
    assert move.by.username == "controller"
    assert before <= move.at <= timezone.now()
    html = client.get("/omgangar/2027/").content.decode()
    assert "Omgången är flyttad till fasen Prioritering i nämnd." in html
    log = html[html.index('id="log-heading"') :]
    assert "Maria Holm" in log
    assert timezone.localtime(move.at).strftime("%H:%M") in log


def test_going_back_without_a_comment_is_refused_next_to_the_comment(signed_in):
    round = make_round()
    response = signed_in("controller").post(
        URL, {"to_phase": Phase.PLANERING, "comment": "  ", "confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == ["Skriv varför omgången flyttas tillbaka."]
    html = response.content.decode()
    assert 'id="id_comment_error"' in html
    assert "Flytta omgången tillbaka till Planering och instruktioner?" in html
    round.refresh_from_db()
    assert round.phase == Phase.VERKSAMHETSANALYS
    assert not PhaseTransition.objects.exists()


def test_going_back_with_a_comment_is_logged(signed_in):
    round = make_round()
    signed_in("controller").post(
        URL, {"to_phase": Phase.PLANERING, "comment": "Tidplanen ändras.", "confirm": "1"}
    )
    round.refresh_from_db()
    assert round.phase == Phase.PLANERING
    move = PhaseTransition.objects.get(round=round)
    assert move.is_backwards
    assert move.comment == "Tidplanen ändras."
    assert move.by.username == "controller"


def test_the_round_history_names_the_controller(signed_in):
    round = make_round()
    signed_in("controller").post(URL, {"to_phase": Phase.NAMND, "confirm": "1"})
    assert round.history.first().history_user.username == "controller"
    assert round.history.first().phase == Phase.NAMND


@pytest.mark.parametrize("to_phase", [Phase.FORUM, Phase.AVSLUTAD, Phase.VERKSAMHETSANALYS])
def test_only_one_step_at_a_time(signed_in, to_phase):
    round = make_round()
    response = signed_in("controller").post(URL, {"to_phase": to_phase, "comment": "x"})
    assert response.status_code == 200
    assert response.context["phase_form"].non_field_errors() == [
        "En omgång flyttas en fas i taget, framåt eller bakåt."
    ]
    round.refresh_from_db()
    assert round.phase == Phase.VERKSAMHETSANALYS


@pytest.mark.parametrize("to_phase", ["", "8", "fram"])
def test_no_such_phase(signed_in, to_phase):
    make_round()
    response = signed_in("controller").post(URL, {"to_phase": to_phase})
    assert response.status_code == 200
    assert response.context["phase_form"].errors["to_phase"]
    assert not PhaseTransition.objects.exists()


def test_first_phase_offers_no_way_back_and_last_no_way_forward(signed_in):
    make_round(phase=Phase.PLANERING)
    client = signed_in("controller")
    html = client.get("/omgangar/2027/").content.decode()
    assert "Flytta fram till Verksamhetsanalys" in html
    assert "Flytta tillbaka" not in html
    round = Round.objects.get()
    round.phase = Phase.AVSLUTAD
    round.save()
    html = client.get("/omgangar/2027/").content.decode()
    assert "Flytta fram" not in html
    assert "Flytta tillbaka till Genomförande och uppföljning" in html


def test_moves_in_the_log_newest_first(signed_in):
    make_round(phase=Phase.PLANERING)
    client = signed_in("controller")
    client.post(URL, {"to_phase": Phase.VERKSAMHETSANALYS, "confirm": "1"})
    client.post(URL, {"to_phase": Phase.PLANERING, "comment": "Fel datum", "confirm": "1"})
    moves = list(PhaseTransition.objects.values_list("to_phase", flat=True))
    assert moves == [Phase.PLANERING, Phase.VERKSAMHETSANALYS]
    html = signed_in("tjp-bildning").get("/omgangar/2027/").content.decode()
    log = html[html.index('id="log-heading"') :]
    assert log.index("Fel datum") < log.index("<td>Planering och instruktioner</td>")


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_controller_may_move_the_phase(signed_in, username):
    round = make_round()
    response = signed_in(username).post(URL, {"to_phase": Phase.NAMND, "confirm": "1"})
    assert response.status_code == 403
    round.refresh_from_db()
    assert round.phase == Phase.VERKSAMHETSANALYS
    assert not PhaseTransition.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, demo):
    make_round()
    response = client.post(URL, {"to_phase": Phase.NAMND, "confirm": "1"})
    assert_sent_to_sign_in(response)
    assert not PhaseTransition.objects.exists()


def test_get_without_a_phase_goes_back_to_the_round_page(signed_in):
    make_round()
    response = signed_in("controller").get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/omgangar/2027/"


def test_unknown_year_is_not_found(signed_in):
    assert signed_in("controller").post("/omgangar/2031/fas/", {"to_phase": 2}).status_code == 404


def test_moving_keeps_the_deadlines(signed_in):
    round = make_round()
    deadline = round.deadline(Phase.VERKSAMHETSANALYS)
    signed_in("controller").post(URL, {"to_phase": Phase.NAMND, "confirm": "1"})
    round = Round.objects.prefetch_related("deadlines").get(pk=round.pk)
    assert round.deadline(Phase.VERKSAMHETSANALYS) == deadline
    assert isinstance(deadline, datetime.date)
