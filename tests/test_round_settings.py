"""The round's settings: purpose, frame, instructions, which criteria are
assessed, and the deadline of each phase — one form, saved together."""

import datetime

import pytest

from rounds.models import Phase, PhaseDeadline, Purpose, Round, User
from rounds.services.round import move_phase
from rounds.services.setup import save_settings
from tests.factories import make_round
from tests.helpers import assert_queries_do_not_grow, assert_sent_to_sign_in, cast_except

URL = "/omgangar/2027/installningar/"
REFUSED = cast_except("controller")


def form_data(**changes):
    data = {
        "version": "1",  # the settings' version the form was loaded at
        "purpose": "minskade",
        "frame_tkr": "-5000",
        "instructions": "## Syfte\n\nVi sparar.",
        "uses_effekt": "on",
        "uses_kunskapsunderlag": "on",
        "uses_effekt_framst_for": "on",
        "deadline_1": "2026-12-01",
        "deadline_2": "2027-03-15",
        "deadline_3": "2027-04-30",
        "deadline_4": "",
        "deadline_5": "2027-06-15",
        "deadline_6": "2028-01-31",
        # Kommunens riktvärden, as the table a round starts with.
        "riktvarde_mycket_stor_fran": "1",
        "riktvarde_mycket_stor_till": "3",
        "riktvarde_stor_fran": "3",
        "riktvarde_stor_till": "5",
        "riktvarde_mattlig_fran": "5",
        "riktvarde_mattlig_till": "7",
        "riktvarde_liten_fran": "7",
        "riktvarde_liten_till": "10",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def deadlines(round):
    return {d.phase: d.deadline for d in PhaseDeadline.objects.filter(round=round)}


def test_controller_sees_the_form_filled_in(signed_in):
    round = make_round()
    round.instructions = "Läs noga."
    round.save()
    response = signed_in("controller").get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["instructions"].value() == "Läs noga."
    assert form["deadline_2"].value() == round.deadline(Phase.VERKSAMHETSANALYS)
    html = response.content.decode()
    assert 'type="date"' in html
    assert "”## ” för en rubrik" in html  # the markup help
    assert "<legend>Sista dag för varje fas</legend>" in html
    assert "deadline_7" not in html  # Avslutad has no deadline


def test_saving_changes_settings_and_deadlines_together(signed_in):
    round = make_round()
    client = signed_in("controller")
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/omgangar/2027/"
    round.refresh_from_db()
    assert round.purpose == Purpose.MINSKADE
    assert round.frame_tkr == -5000
    assert round.instructions == "## Syfte\n\nVi sparar."
    assert round.uses_effekt and round.uses_kunskapsunderlag and round.uses_effekt_framst_for
    assert not round.uses_maluppfyllelse and not round.uses_etisk_granskning
    assert deadlines(round) == {
        1: datetime.date(2026, 12, 1),
        2: datetime.date(2027, 3, 15),
        3: datetime.date(2027, 4, 30),
        5: datetime.date(2027, 6, 15),
        6: datetime.date(2028, 1, 31),
    }
    html = client.get(response["Location"]).content.decode()
    assert "Inställningarna och tidplanen är sparade." in html
    assert "<h3>Syfte</h3>" in html
    assert "−5\xa0000\xa0tkr" in html


def test_changes_are_in_the_history_with_who(signed_in):
    round = make_round()
    signed_in("controller").post(URL, form_data())
    latest = round.history.first()
    assert latest.history_user.username == "controller"
    assert latest.frame_tkr == -5000
    deadline = PhaseDeadline.objects.get(round=round, phase=1)
    assert deadline.history.first().history_user.username == "controller"


def test_a_cleared_deadline_is_removed(signed_in):
    round = make_round()
    signed_in("controller").post(URL, form_data(deadline_2=""))
    assert Phase.VERKSAMHETSANALYS not in deadlines(round)


def test_deadlines_out_of_order_are_refused_next_to_the_later_phase(signed_in):
    round = make_round()
    before = deadlines(round)
    instructions = round.instructions
    response = signed_in("controller").post(
        URL, form_data(deadline_3="2027-03-01", instructions="Ändrat")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["deadline_3"] == [
        "Sista dag för Prioritering i nämnd kan inte ligga före sista dag för Verksamhetsanalys."
    ]
    assert 'id="id_deadline_3_error"' in response.content.decode()
    round.refresh_from_db()
    assert round.instructions == instructions
    assert deadlines(round) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"frame_tkr": "tio"}, "frame_tkr", "Ange det ekonomiska utrymmet som ett heltal"),
        ({"frame_tkr": ""}, "frame_tkr", "Ange det ekonomiska utrymmet i tkr"),
        ({"deadline_2": "15 mars"}, "deadline_2", "Ange ett datum, t.ex. 2027-03-15."),
        ({"purpose": None}, "purpose", "Detta fält måste fyllas i."),
        ({"version": None}, "version", "Formuläret är ofullständigt. Ladda om sidan"),
    ],
)
def test_bad_input_is_explained_in_swedish(signed_in, changes, field, message):
    make_round()
    response = signed_in("controller").post(URL, form_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)


def test_saving_settings_keeps_a_phase_moved_meanwhile(demo):
    round = make_round()
    controller = User.objects.get(username="controller")
    stale = Round.objects.get(pk=round.pk)  # the settings page was opened here
    move_phase(round, to_phase=Phase.NAMND, by=controller)
    save_settings(stale, {"frame_tkr": 1}, {}, by=controller)
    round.refresh_from_db()
    assert round.phase == Phase.NAMND
    assert round.frame_tkr == 1


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_controller_may_change_settings(signed_in, username):
    round = make_round()
    client = signed_in(username)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    round.refresh_from_db()
    assert round.frame_tkr == 20000


def test_anonymous_is_sent_to_sign_in(client, demo):
    make_round()
    for response in (client.get(URL), client.post(URL, form_data())):
        assert_sent_to_sign_in(response)


def test_unknown_year_is_not_found(signed_in):
    assert signed_in("controller").get("/omgangar/2031/installningar/").status_code == 404


def test_other_methods_are_not_allowed(signed_in):
    make_round()
    assert signed_in("controller").delete(URL).status_code == 405


def test_query_count_does_not_grow_with_the_deadlines(signed_in):
    round = make_round()

    def grow():
        for phase in (Phase.PLANERING, Phase.NAMND, Phase.FORUM, Phase.BESLUT):
            PhaseDeadline.objects.create(
                round=round, phase=phase, deadline=datetime.date(2027, phase, 1)
            )

    assert_queries_do_not_grow(signed_in("controller"), URL, grow)


# --- kommunens riktvärden ---


def test_the_form_shows_kommunens_riktvarden_beside_the_sources_examples(signed_in):
    make_round()
    html = signed_in("controller").get(URL).content.decode()
    assert "<h2>Kommunens riktvärden</h2>" in html
    assert 'name="riktvarde_liten_till" value="10"' in html
    assert "Mycket stor: från rangordning" in html
    assert "Kommunens eget stöd, inte modellens" in html
    # The source's two worked examples (Prioriteringscentrum's ranking tool).
    assert (
        "Tillstånd A + Åtgärd x, jämfört med nuvarande vård X: svårighetsgrad liten, nytta "
        "liten, kostnad i relation till nyttan hög, kunskapsunderlag god – rangordning 9" in html
    )
    assert (
        "Tillstånd B + Åtgärd y, jämfört med nuvarande vård Y: svårighetsgrad stor, nytta "
        "stor, kostnad i relation till nyttan måttlig, kunskapsunderlag god – rangordning 4" in html
    )


def test_the_round_keeps_its_own_riktvarden_in_its_history(signed_in):
    round = make_round()
    response = signed_in("controller").post(
        URL, form_data(riktvarde_stor_fran="2", riktvarde_stor_till=" 6 ")
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.riktvarden == {4: (1, 3), 3: (2, 6), 2: (5, 7), 1: (7, 10)}
    latest = round.history.first()
    assert (latest.riktvarde_stor_fran, latest.riktvarde_stor_till) == (2, 6)
    assert latest.history_user.username == "controller"


RIKTVARDE_ERROR = "Ange en rangordning, ett heltal från 1 till 10."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"riktvarde_stor_fran": "²"}, "riktvarde_stor_fran", RIKTVARDE_ERROR),
        ({"riktvarde_stor_till": "9" * 400}, "riktvarde_stor_till", RIKTVARDE_ERROR),
        ({"riktvarde_mycket_stor_fran": "0"}, "riktvarde_mycket_stor_fran", RIKTVARDE_ERROR),
        ({"riktvarde_liten_till": "11"}, "riktvarde_liten_till", RIKTVARDE_ERROR),
        ({"riktvarde_liten_fran": "-7"}, "riktvarde_liten_fran", RIKTVARDE_ERROR),
        ({"riktvarde_mattlig_fran": "5,5"}, "riktvarde_mattlig_fran", RIKTVARDE_ERROR),
        ({"riktvarde_mattlig_till": ""}, "riktvarde_mattlig_till", RIKTVARDE_ERROR),
        (
            {"riktvarde_stor_fran": "6", "riktvarde_stor_till": "4"},
            "riktvarde_stor_till",
            "”Till” ska vara samma tal som ”från” eller ett större.",
        ),
    ],
)
def test_bad_riktvarden_are_explained_and_lose_nothing(signed_in, changes, field, message):
    round = make_round()
    before = round.instructions
    response = signed_in("controller").post(
        URL, form_data(instructions="Nya instruktioner", **changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Nya instruktioner" in html  # what was typed is kept
    for name, value in changes.items():
        if value and len(value) < 10:
            assert f'name="{name}" value="{value}"' in html
    round.refresh_from_db()
    assert round.instructions == before  # nothing saved
    assert round.riktvarden == {4: (1, 3), 3: (3, 5), 2: (5, 7), 1: (7, 10)}


def test_a_copied_round_takes_over_the_riktvarden(signed_in):
    round = make_round()
    signed_in("controller").post(URL, form_data(riktvarde_liten_fran="8"))
    response = signed_in("controller").post(
        "/omgangar/ny/",
        {"budget_year": "2028", "purpose": "nya", "frame_tkr": "0", "copy_from": str(round.pk)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Round.objects.get(budget_year=2028).riktvarden[1] == (8, 10)
