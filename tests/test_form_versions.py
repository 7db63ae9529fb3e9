"""The controller's whole-form pages carry the version they were loaded at —
the round's settings, the forum's agreed order, the review and the decisions
(issue 13, part 6). A form saved from an older version writes nothing: it
answers 409 with what the colleague changed since the form was loaded, their
value taken where the user changed nothing, the user's kept where only they
changed, and a choice where both did; the form then carries the current
version. A stale form that equals what is saved now is no conflict: it
writes nothing and succeeds.

The first tests run on any database, one save after the other through the
views; the last ones need PostgreSQL: two controllers save from the same
version at the same moment, and exactly one wins."""

import datetime
import html as htmllib
import re

import pytest
from django.test import Client
from django.urls import reverse

from demo.loading import load_demo
from ranking.models import AgreedPlace, Decision, ForumResult, Outcome
from ranking.services import decision as decision_services
from rounds.models import Membership, PhaseDeadline, Role, Round, User
from rounds.services.setup import save_settings
from tests.factories import make_round
from tests.forum_setup import outcome_round
from tests.helpers import data_fingerprint, run_together

Y = {"year": 2027}
SETTINGS = "/omgangar/2027/installningar/"
ORDER = reverse("forum_order", kwargs=Y)
REVIEW = reverse("forum_review", kwargs=Y)
DECISIONS = reverse("forum_decisions", kwargs=Y)

UNSAVED = "Ingenting är sparat ännu, och inget av det du skrivit har försvunnit."
SETTINGS_NOTICE = "Någon annan har sparat inställningarna medan du redigerade."
ORDER_NOTICE = "Någon annan har sparat forumets ordning medan du redigerade."
REVIEW_NOTICE = "Någon annan har sparat granskningen medan du redigerade."
DECISIONS_NOTICE = "Någon annan har sparat besluten medan du redigerade."


def make_colleague() -> User:
    """A second controller: Karin Berg."""
    user = User.objects.create_user("controller-2", first_name="Karin", last_name="Berg")
    Membership.objects.create(user=user, role=Role.CONTROLLER)
    return user


@pytest.fixture
def colleague(demo):
    return make_colleague()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def maria(demo):
    return client_of(demo["controller"])


@pytest.fixture
def karin(colleague):
    return client_of(colleague)


def version_in(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def conflict_section(page: str) -> str:
    """The conflict's part of the page (before the form's fields)."""
    return page.split('class="form-conflict"')[1].split("</section>")[0]


# --- the round's settings --------------------------------------------------------------


def settings_form(client) -> dict:
    """The settings form as the browser would post it untouched."""
    response = client.get(SETTINGS)
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if bound.name.startswith("uses_"):
            if value:
                data[bound.name] = "on"
        elif isinstance(value, datetime.date):
            data[bound.name] = value.isoformat()
        else:
            data[bound.name] = "" if value is None else str(value)
    return data


@pytest.fixture
def round_2027(demo):
    return make_round()


def test_the_settings_form_carries_its_version(round_2027, maria):
    page = maria.get(SETTINGS).content.decode()
    assert version_in(page) == "1"
    # Saved unchanged, the version stays; a change makes the next one.
    assert maria.post(SETTINGS, settings_form(maria)).status_code == 302
    assert Round.objects.get(pk=round_2027.pk).settings_version == 1
    assert maria.post(SETTINGS, {**settings_form(maria), "frame_tkr": "9500"}).status_code == 302
    assert Round.objects.get(pk=round_2027.pk).settings_version == 2
    assert version_in(maria.get(SETTINGS).content.decode()) == "2"


def test_a_stale_settings_save_writes_nothing_and_shows_the_conflict(round_2027, maria, karin):
    mine = settings_form(maria)
    theirs = settings_form(karin)
    assert karin.post(SETTINGS, {**theirs, "frame_tkr": "9500"}).status_code == 302
    fingerprint = data_fingerprint()

    response = maria.post(SETTINGS, {**mine, "instructions": "Läs noga, alla."})
    assert response.status_code == 409
    page = response.content.decode()
    assert SETTINGS_NOTICE in page and UNSAVED in page
    assert data_fingerprint() == fingerprint
    round = Round.objects.get(pk=round_2027.pk)
    assert (round.frame_tkr, round.instructions, round.settings_version) == (
        9500,
        round_2027.instructions,  # the model's guidance it started from
        2,
    )
    # Karin's frame is shown (20 000 when Maria began, 9 500 now) and taken.
    section = conflict_section(page)
    assert "Ekonomiskt utrymme (tkr)" in section
    assert "20\u00a0000" in section and "9\u00a0500" in section
    assert "Karin Berg" in section
    form = response.context["form"]
    assert form.initial["frame_tkr"] == 9500
    assert form.initial["instructions"] == "Läs noga, alla."  # what Maria typed
    assert version_in(page) == "2"
    # Saving the merged form is deliberate, and keeps both changes.
    merged = settings_form_from(response)
    assert maria.post(SETTINGS, merged).status_code == 302
    round.refresh_from_db()
    assert (round.frame_tkr, round.instructions, round.settings_version) == (
        9500,
        "Läs noga, alla.",
        3,
    )


def settings_form_from(response, **choices) -> dict:
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if bound.name.startswith("uses_"):
            if value:
                data[bound.name] = "on"
        elif isinstance(value, datetime.date):
            data[bound.name] = value.isoformat()
        else:
            data[bound.name] = "" if value is None else str(value)
    data.update(choices)
    return data


def test_both_changing_the_frame_asks_which_to_keep(round_2027, maria, karin):
    mine = settings_form(maria)
    karin.post(SETTINGS, {**settings_form(karin), "frame_tkr": "9500"})
    response = maria.post(SETTINGS, {**mine, "frame_tkr": "8000"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'name="los_frame_tkr"' in page
    assert response.context["form"].initial["frame_tkr"] == 8000  # Maria's, until she chooses
    assert Round.objects.get(pk=round_2027.pk).frame_tkr == 9500
    # "Använd deras" saves Karin's frame; nothing of Maria's overwrote it.
    merged = settings_form_from(response, los_frame_tkr="deras")
    assert maria.post(SETTINGS, merged).status_code == 302
    assert Round.objects.get(pk=round_2027.pk).frame_tkr == 9500


def test_a_deadline_changed_meanwhile_is_a_conflict_too(round_2027, maria, karin):
    mine = settings_form(maria)
    karin.post(SETTINGS, {**settings_form(karin), "deadline_5": "2027-06-15"})
    assert Round.objects.get(pk=round_2027.pk).settings_version == 2
    response = maria.post(SETTINGS, {**mine, "purpose": "minskade"})
    assert response.status_code == 409
    assert response.context["form"].initial["deadline_5"] == datetime.date(2027, 6, 15)
    assert (
        not PhaseDeadline.objects.filter(round=round_2027, phase=5)
        .exclude(deadline=datetime.date(2027, 6, 15))
        .exists()
    )
    assert Round.objects.get(pk=round_2027.pk).purpose != "minskade"


def test_an_identical_stale_settings_save_is_a_harmless_no_op(round_2027, maria, karin):
    mine = settings_form(maria)
    karin.post(SETTINGS, {**settings_form(karin), "frame_tkr": "9500"})
    fingerprint = data_fingerprint()
    response = maria.post(SETTINGS, {**mine, "frame_tkr": "9500"})
    assert response.status_code == 302
    assert data_fingerprint() == fingerprint
    assert Round.objects.get(pk=round_2027.pk).settings_version == 2


def test_the_service_refuses_a_stale_settings_version(round_2027, demo, colleague):
    from rounds.conflicts import FormConflict

    save_settings(round_2027, {"frame_tkr": 9500}, {}, by=colleague, expected_version=1)
    with pytest.raises(FormConflict) as conflict:
        save_settings(
            round_2027, {"frame_tkr": 8000}, {}, by=demo["controller"], expected_version=1
        )
    assert conflict.value.version == 2
    assert Round.objects.get(pk=round_2027.pk).frame_tkr == 9500


# --- the forum's agreed order ------------------------------------------------------------


@pytest.fixture
def forum(demo):
    return outcome_round()


def order_form(client) -> dict:
    response = client.get(ORDER)
    data = {"version": str(response.context["version"])}
    for row in response.context["rows"]:
        data[f"place_{row.proposal.pk}"] = str(row.place_value)
        data[f"motivation_{row.proposal.pk}"] = row.motivation_value
    return data


def place_in(page: str, pk: int) -> str:
    return re.search(rf'id="id_place_{pk}" value="([^"]*)"', page).group(1)


def motivation_in(page: str, pk: int) -> str:
    match = re.search(rf'id="id_motivation_{pk}"[^>]*>([^<]*)</textarea>', page)
    return htmllib.unescape(match.group(1))


def test_a_stale_order_writes_nothing_and_shows_the_swap_it_missed(forum, maria, karin):
    _round, (first, second, third, saving) = forum
    mine = order_form(maria)
    theirs = order_form(karin)
    # Karin swaps the first two (computed: second, first, third, saving).
    theirs.update(
        {
            f"place_{first.pk}": "1",
            f"place_{second.pk}": "2",
            f"motivation_{first.pk}": "Lagkrav",
            f"motivation_{second.pk}": "Följer av lagkravet",
        }
    )
    assert karin.post(ORDER, theirs).status_code == 302
    fingerprint = data_fingerprint()
    # Maria, from the form she loaded before, swaps the last two.
    mine.update(
        {
            f"place_{third.pk}": "4",
            f"place_{saving.pk}": "3",
            f"motivation_{third.pk}": "Skjuts kan vänta",
            f"motivation_{saving.pk}": "Besparingen först",
        }
    )
    response = maria.post(ORDER, mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert ORDER_NOTICE in page and UNSAVED in page
    assert data_fingerprint() == fingerprint
    assert dict(AgreedPlace.objects.values_list("proposal_id", "position")) == {
        first.pk: 1,
        second.pk: 2,
        third.pk: 3,
        saving.pk: 4,
    }
    # The rows Karin changed, with who saved them.
    section = conflict_section(page)
    assert first.reference in section and second.reference in section
    assert third.reference not in section
    assert "Karin Berg" in section and "Lagkrav" in section
    # The form: Karin's swap taken, Maria's kept, at the new version.
    assert [place_in(page, p.pk) for p in (first, second, third, saving)] == ["1", "2", "4", "3"]
    assert motivation_in(page, first.pk) == "Lagkrav"
    assert motivation_in(page, third.pk) == "Skjuts kan vänta"
    assert version_in(page) == str(ForumResult.objects.get().order_version)
    # Saved again, both swaps stand.
    merged = {**mine}
    for p in (first, second, third, saving):
        merged[f"place_{p.pk}"] = place_in(page, p.pk)
        merged[f"motivation_{p.pk}"] = motivation_in(page, p.pk)
    merged["version"] = version_in(page)
    assert maria.post(ORDER, merged).status_code == 302
    assert dict(AgreedPlace.objects.values_list("proposal_id", "position")) == {
        first.pk: 1,
        second.pk: 2,
        third.pk: 4,
        saving.pk: 3,
    }


def test_both_placing_one_proposal_asks_which(forum, maria, karin):
    _round, (first, second, third, _saving) = forum
    mine = order_form(maria)
    theirs = order_form(karin)
    theirs.update(
        {f"place_{first.pk}": "1", f"place_{second.pk}": "2", f"motivation_{first.pk}": "A"}
    )
    theirs[f"motivation_{second.pk}"] = "B"
    karin.post(ORDER, theirs)
    mine.update({f"place_{first.pk}": "3", f"place_{third.pk}": "2", f"motivation_{first.pk}": "C"})
    mine[f"motivation_{third.pk}"] = "D"
    response = maria.post(ORDER, mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert f'name="los_place_{first.pk}"' in page
    assert f'name="los_motivation_{first.pk}"' in page
    assert place_in(page, first.pk) == "3"  # Maria's, until she chooses


def test_an_identical_stale_order_is_a_harmless_no_op(forum, maria, karin):
    mine = order_form(maria)
    assert karin.post(ORDER, order_form(karin)).status_code == 302
    fingerprint = data_fingerprint()
    assert maria.post(ORDER, mine).status_code == 302
    assert data_fingerprint() == fingerprint


def test_a_post_without_a_version_is_refused_and_keeps_the_input(forum, maria):
    _round, (first, *_rest) = forum
    data = order_form(maria)
    del data["version"]
    data[f"motivation_{first.pk}"] = "Min text"
    response = maria.post(ORDER, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ladda om sidan" in page
    assert "Min text" in page
    assert not AgreedPlace.objects.exists()


# --- the review ----------------------------------------------------------------------------

ANSWERS = {
    "review_sarbehandling": "Ingen grupp gynnas utan behov.",
    "review_undantrangning": "Skolskjutsen trängs undan.",
    "review_rimlighet": "Rimligt.",
    "review_lagkrav": "",
    "review_genomforbarhet": "",
}


def review_form(client) -> dict:
    response = client.get(REVIEW)
    data = {"version": str(response.context["version"])}
    data.update({q["name"]: q["value"] for q in response.context["questions"]})
    return data


def test_a_stale_review_writes_nothing_and_shows_the_answers(forum, maria, karin):
    karin.post(REVIEW, {**review_form(karin), **ANSWERS})
    mine = review_form(maria)  # loaded at version 2
    karin.post(REVIEW, {**review_form(karin), "review_rimlighet": "Karins svar."})
    fingerprint = data_fingerprint()
    response = maria.post(
        REVIEW, {**mine, "review_rimlighet": "Marias svar.", "review_lagkrav": "Uppfylls."}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert REVIEW_NOTICE in page and UNSAVED in page
    assert data_fingerprint() == fingerprint
    assert "Karins svar." in conflict_section(page)
    assert 'name="los_review_rimlighet"' in page
    values = {q["name"]: q["value"] for q in response.context["questions"]}
    assert values["review_rimlighet"] == "Marias svar."
    assert values["review_lagkrav"] == "Uppfylls."
    assert version_in(page) == "3"
    # Choosing Karin's answer saves hers and Maria's other answer.
    merged = {**mine, **values, "version": "3", "los_review_rimlighet": "deras"}
    assert maria.post(REVIEW, merged).status_code == 302
    result = ForumResult.objects.get()
    assert (result.review_rimlighet, result.review_lagkrav) == ("Karins svar.", "Uppfylls.")


def test_an_identical_stale_review_is_a_harmless_no_op(forum, maria, karin):
    mine = review_form(maria)
    karin.post(REVIEW, {**review_form(karin), **ANSWERS})
    fingerprint = data_fingerprint()
    assert maria.post(REVIEW, {**mine, **ANSWERS}).status_code == 302
    assert data_fingerprint() == fingerprint


# --- the decisions ---------------------------------------------------------------------------


def decisions_form(client) -> dict:
    response = client.get(DECISIONS)
    data = {"version": str(response.context["version"])}
    for row in response.context["rows"]:
        pk = row.proposal.pk
        data[f"outcome_{pk}"] = row.outcome_value
        data[f"amount_{pk}"] = str(row.amount_value)
        data[f"motivation_{pk}"] = row.motivation_value
    return data


def decide(data, proposal, outcome, motivation, amount=""):
    pk = proposal.pk
    data.update({f"outcome_{pk}": outcome, f"amount_{pk}": amount, f"motivation_{pk}": motivation})
    return data


def outcome_in(page: str, pk: int) -> str:
    select = re.search(rf'id="id_outcome_{pk}".*?</select>', page, re.S).group(0)
    match = re.search(r'value="([a-z_]*)" selected', select)
    return match.group(1) if match else ""


def test_a_stale_decisions_form_writes_nothing_and_shows_the_decision_it_missed(
    forum, maria, karin
):
    _round, (first, second, third, _saving) = forum
    mine = decisions_form(maria)
    theirs = decide(decisions_form(karin), second, Outcome.FINANSIERAS, "Högst rangordnat")
    assert karin.post(DECISIONS, theirs).status_code == 302
    fingerprint = data_fingerprint()
    response = maria.post(DECISIONS, decide(mine, third, Outcome.AVSLAS, "Under linjen"))
    assert response.status_code == 409
    page = response.content.decode()
    assert DECISIONS_NOTICE in page and UNSAVED in page
    assert data_fingerprint() == fingerprint
    assert list(Decision.objects.values_list("proposal_id", flat=True)) == [second.pk]
    section = conflict_section(page)
    assert second.reference in section and "Högst rangordnat" in section
    assert "Karin Berg" in section
    assert third.reference not in section
    # Karin's decision taken, Maria's kept.
    assert outcome_in(page, second.pk) == Outcome.FINANSIERAS
    assert outcome_in(page, third.pk) == Outcome.AVSLAS
    assert outcome_in(page, first.pk) == ""
    assert version_in(page) == "2"


def test_both_deciding_one_proposal_asks_which(forum, maria, karin):
    _round, (_first, second, _third, _saving) = forum
    mine = decisions_form(maria)
    karin.post(DECISIONS, decide(decisions_form(karin), second, Outcome.FINANSIERAS, "Ja"))
    response = maria.post(DECISIONS, decide(mine, second, Outcome.UTREDS, "Vänta"))
    assert response.status_code == 409
    page = response.content.decode()
    assert f'name="los_outcome_{second.pk}"' in page
    assert outcome_in(page, second.pk) == Outcome.UTREDS
    data = decisions_form_from(page, response)
    data[f"los_outcome_{second.pk}"] = "deras"
    data[f"los_motivation_{second.pk}"] = "deras"
    assert maria.post(DECISIONS, data).status_code == 302
    decision = Decision.objects.get(proposal=second)
    assert (decision.outcome, decision.motivation) == (Outcome.FINANSIERAS, "Ja")


def decisions_form_from(page, response) -> dict:
    data = {"version": version_in(page)}
    for row in response.context["rows"]:
        pk = row.proposal.pk
        data[f"outcome_{pk}"] = outcome_in(page, pk)
        data[f"amount_{pk}"] = re.search(rf'id="id_amount_{pk}" value="([^"]*)"', page).group(1)
        data[f"motivation_{pk}"] = motivation_in(page, pk)
    return data


def test_an_identical_stale_decisions_form_is_a_harmless_no_op(forum, maria, karin):
    _round, (_first, second, _third, _saving) = forum
    mine = decide(decisions_form(maria), second, Outcome.FINANSIERAS, "Ja")
    karin.post(DECISIONS, decide(decisions_form(karin), second, Outcome.FINANSIERAS, "Ja"))
    fingerprint = data_fingerprint()
    assert maria.post(DECISIONS, mine).status_code == 302
    assert data_fingerprint() == fingerprint


def test_the_service_refuses_stale_decisions(forum, demo, colleague):
    from rounds.conflicts import FormConflict

    round, (_first, second, _third, _saving) = forum
    row = {second.pk: {"outcome": Outcome.FINANSIERAS, "motivation": "Ja"}}
    decision_services.save_decisions(round, row, by=colleague, expected_version=1)
    other = {second.pk: {"outcome": Outcome.AVSLAS, "motivation": "Nej"}}
    with pytest.raises(FormConflict):
        decision_services.save_decisions(round, other, by=demo["controller"], expected_version=1)
    assert Decision.objects.get(proposal=second).outcome == Outcome.FINANSIERAS


# --- PostgreSQL: two controllers at the same moment ---------------------------------------

ATTEMPTS = 5


def _two_clients():
    load_demo()
    make_colleague()
    return {
        name: client_of(User.objects.get(username=name)) for name in ("controller", "controller-2")
    }


def _one_wins(clients, url, forms, notice):
    """Post both forms at the same moment; exactly one is saved (302) and the
    other is told of the conflict (409)."""

    def post(name):
        def target(barrier):
            barrier.wait()
            response = clients[name].post(url, forms[name])
            return response.status_code, notice in response.content.decode()

        return target

    names = list(clients)
    results = dict(zip(names, run_together(*(post(n) for n in names)), strict=True))
    for result in results.values():
        assert not isinstance(result, Exception), result
    assert sorted(results.values()) == [(302, False), (409, True)], results
    [winner] = [name for name, result in results.items() if result[0] == 302]
    return winner


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_settings_saves_one_wins_the_other_conflicts(postgres):
    clients = _two_clients()
    round = make_round()
    for attempt in range(ATTEMPTS):
        version = Round.objects.get(pk=round.pk).settings_version
        loaded = settings_form(clients["controller"])
        frames = {"controller": str(8000 + attempt), "controller-2": str(9500 + attempt)}
        forms = {name: {**loaded, "frame_tkr": frame} for name, frame in frames.items()}
        winner = _one_wins(clients, SETTINGS, forms, SETTINGS_NOTICE)
        stored = Round.objects.get(pk=round.pk)
        assert (stored.frame_tkr, stored.settings_version) == (int(frames[winner]), version + 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_order_saves_one_wins_the_other_conflicts(postgres):
    clients = _two_clients()
    _round, (_first, _second, third, _saving) = outcome_round()
    for attempt in range(ATTEMPTS):
        loaded = order_form(clients["controller"])
        forms = {
            name: {**loaded, f"motivation_{third.pk}": f"{name} {attempt}"} for name in clients
        }
        winner = _one_wins(clients, ORDER, forms, ORDER_NOTICE)
        assert AgreedPlace.objects.get(proposal=third).motivation == f"{winner} {attempt}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_saves_one_wins_the_other_conflicts(postgres):
    clients = _two_clients()
    _round, (_first, second, _third, _saving) = outcome_round()
    for attempt in range(ATTEMPTS):
        loaded = decisions_form(clients["controller"])
        forms = {
            name: decide({**loaded}, second, Outcome.FINANSIERAS, f"{name} {attempt}")
            for name in clients
        }
        winner = _one_wins(clients, DECISIONS, forms, DECISIONS_NOTICE)
        assert Decision.objects.get(proposal=second).motivation == f"{winner} {attempt}"
