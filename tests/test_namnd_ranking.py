"""The nämnd's ranking pages: who reads, who ranks and records, what the page
shows, validation in place, moves, and the query count."""

import datetime

import pytest
from django.urls import reverse

from ranking.models import Handling, NamndRanking, NamndResult
from rounds.models import AnalysisStatus, Namnd, Phase
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import assert_queries_do_not_grow, assert_sent_to_sign_in

READERS = ["tjp-bildning", "chef-bildning", "controller", "forum-1", "revisor", "admin"]


def submitted(round, name="Bildningsförvaltningen"):
    analysis = analysis_of(round, name)
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    return analysis


@pytest.fixture
def setup(demo):
    round = make_round(phase=Phase.NAMND)
    analysis = submitted(round)
    first = make_proposal(
        analysis, title="Förstärkt stöd", rangordning=1, cost_year1=1500, svarighetsgrad=3
    )
    second = make_proposal(analysis, title="Fritidsgård", rangordning=2, cost_year1=-300)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    return round, namnd, first, second


def urls(namnd):
    kwargs = {"year": 2027, "namnd_id": namnd.pk}
    return {
        "page": reverse("namnd_ranking", kwargs=kwargs),
        "save": reverse("namnd_ranking_save", kwargs=kwargs),
        "record": reverse("namnd_ranking_record", kwargs=kwargs),
    }


def save_data(*rows, order=None):
    data = {}
    for proposal, rank, handling in rows:
        data[f"rank_{proposal.pk}"] = rank
        data[f"handling_{proposal.pk}"] = handling
    data["ordning"] = order or [proposal.pk for proposal, _, _ in rows]
    return data


def test_ledamot_ranks_and_records(setup, signed_in, demo):
    _round, namnd, first, second = setup
    client = signed_in("ledamot-bildning")
    url = urls(namnd)
    page = client.get(url["page"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rangordning för 2027-001 Förstärkt stöd" in text
    assert "Flytta upp" in text and "Registrera nämndens beslut" in text
    assert "1\xa0500\xa0tkr" in text and "\u2212300\xa0tkr" in text
    assert reverse("proposal_detail", kwargs={"year": 2027, "number": first.number}) in text

    response = client.post(
        url["save"],
        save_data((second, "1", Handling.INOM_RAM), (first, "3", Handling.KOMMUNGEMENSAM)),
    )
    assert response.status_code == 302 and response["Location"] == url["page"]
    ranking = NamndRanking.objects.get(proposal=first)
    assert (ranking.rank, ranking.handling, ranking.position) == (3, Handling.KOMMUNGEMENSAM, 1)
    assert ranking.history.first().history_user == demo["ledamot-bildning"]
    assert "Nämndens rangordning är sparad." in client.get(url["page"]).content.decode()

    response = client.post(
        url["record"], {"decision_date": "2027-03-12", "paragraph": "45", "comment": ""}
    )
    assert response.status_code == 302
    result = NamndResult.objects.get(namnd=namnd)
    assert result.recorded_by == demo["ledamot-bildning"]
    assert result.history.first().history_user == demo["ledamot-bildning"]
    text = client.get(url["page"]).content.decode()
    assert "Registrerat 12 mars 2027 § 45 av Eva Sundberg" in text


def test_ledamot_of_another_namnd_may_read_but_not_rank(setup, signed_in):
    social = Namnd.objects.get(name="Socialnämnden")
    client = signed_in("ledamot-bildning")
    url = urls(social)
    assert client.get(url["page"]).status_code == 200
    assert client.post(url["save"], {}).status_code == 403
    assert client.post(url["record"], {}).status_code == 403


@pytest.mark.parametrize("username", READERS)
def test_others_read_without_inputs_and_may_not_post(setup, signed_in, username):
    _round, namnd, first, _second = setup
    client = signed_in(username)
    url = urls(namnd)
    response = client.get(url["page"])
    assert response.status_code == 200
    text = response.content.decode()
    assert "Förstärkt stöd" in text
    assert 'name="rank_' not in text and 'name="flytta"' not in text
    assert "Registrera nämndens beslut" not in text
    data = save_data((first, "1", Handling.INOM_RAM))
    assert client.post(url["save"], data).status_code == 403
    record = {"decision_date": "2027-03-12", "paragraph": "1"}
    assert client.post(url["record"], record).status_code == 403
    assert not NamndRanking.objects.filter(proposal=first).exclude(handling="").exists()


def test_anonymous_is_sent_to_sign_in(setup, client):
    _round, namnd, _first, _second = setup
    url = urls(namnd)
    response = client.get(url["page"])
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")
    assert_sent_to_sign_in(client.post(url["save"], {}))
    assert_sent_to_sign_in(client.post(url["record"], {}))


@pytest.mark.parametrize("phase", [Phase.VERKSAMHETSANALYS, Phase.FORUM])
def test_locked_in_other_phases(setup, signed_in, phase):
    round, namnd, first, _second = setup
    round.phase = phase
    round.save()
    client = signed_in("ledamot-bildning")
    url = urls(namnd)
    text = client.get(url["page"]).content.decode()
    assert 'name="rank_' not in text
    assert client.post(url["save"], save_data((first, "1", ""))).status_code == 403
    record = {"decision_date": "2027-03-12", "paragraph": "1"}
    assert client.post(url["record"], record).status_code == 403


def test_only_submitted_proposals_of_the_namnd_appear(setup, signed_in):
    round, namnd, first, _second = setup
    make_proposal(analysis_of(round, "Kommunledningsförvaltningen"), title="Utkastet")
    make_proposal(submitted(round, "Socialförvaltningen"), title="Socialens förslag")
    make_proposal(
        first.analysis, title="Återkallat", withdrawn_at=datetime.datetime.now(datetime.UTC)
    )
    text = signed_in("tjp-bildning").get(urls(namnd)["page"]).content.decode()
    assert "Förstärkt stöd" in text and "Fritidsgård" in text
    assert "Utkastet" not in text and "Socialens förslag" not in text and "Återkallat" not in text


@pytest.mark.parametrize(
    ("rank", "handling", "message"),
    [
        ("0", "", "Rangordningen ska vara ett heltal 1–10."),
        ("11", "", "Rangordningen ska vara ett heltal 1–10."),
        ("x", "", "Ange rangordningen som ett heltal 1–10."),
        ("2", "okänd", "Välj en hantering bland alternativen."),
    ],
)
def test_invalid_values_are_shown_in_place_and_nothing_is_saved(
    setup, signed_in, rank, handling, message
):
    _round, namnd, first, second = setup
    client = signed_in("ledamot-bildning")
    url = urls(namnd)
    client.get(url["page"])
    response = client.post(
        url["save"],
        save_data((first, rank, handling), (second, "5", Handling.INOM_RAM), order=[second.pk]),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert 'aria-invalid="true"' in text
    # Nothing is saved: not the valid row, and not the result the save would make.
    assert not NamndRanking.objects.filter(proposal__in=[first, second]).exists()
    assert not NamndResult.objects.filter(namnd=namnd).exists()


def test_record_errors_in_swedish_and_nothing_saved(setup, signed_in):
    _round, namnd, _first, _second = setup
    client = signed_in("ledamot-bildning")
    url = urls(namnd)
    response = client.post(url["record"], {"decision_date": "", "paragraph": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ange sammanträdesdatum." in text and "Ange paragraf (§)." in text
    response = client.post(url["record"], {"decision_date": "2027-03-12", "paragraph": "4"})
    text = response.content.decode()
    assert "Varje förslag behöver rangordning och hantering" in text
    assert "2027-001 Förstärkt stöd" in text
    assert not NamndResult.objects.filter(namnd=namnd).exists()  # not even made


def test_move_buttons_save_then_move_and_announce(setup, signed_in):
    _round, namnd, first, second = setup
    client = signed_in("ledamot-bildning")
    url = urls(namnd)
    client.get(url["page"])
    data = save_data((first, "4", Handling.INOM_RAM), (second, "", ""))
    response = client.post(url["save"], {**data, "flytta": f"upp:{second.pk}"})
    assert response.status_code == 302
    assert response["Location"] == f"{url['page']}?flyttad={second.pk}-upp"
    # Up past a rank 4 the unranked row takes rank 4: the order follows the ranks.
    assert NamndRanking.objects.get(proposal=second).position == 0
    assert NamndRanking.objects.get(proposal=second).rank == 4
    assert NamndRanking.objects.get(proposal=first).rank == 4
    page = client.get(response["Location"]).content.decode()
    assert "2027-002 flyttades till plats 1 av 2 (rangordning 4)." in page
    assert f'value="upp:{second.pk}" data-direction="upp" autofocus' in page
    # At the top, up does not move it.
    data = save_data((second, "4", ""), (first, "4", Handling.INOM_RAM))
    response = client.post(url["save"], {**data, "flytta": f"upp:{second.pk}"})
    assert "står kvar på plats 1 av 2" in client.get(response["Location"]).content.decode()
    assert NamndRanking.objects.get(proposal=second).position == 0


def test_a_move_stays_within_the_rank(setup, signed_in):
    _round, namnd, first, second = setup
    client = signed_in("ledamot-bildning")
    url = urls(namnd)
    data = save_data((first, "1", ""), (second, "2", ""))
    client.post(url["save"], {**data, "flytta": f"ned:{first.pk}"})
    # Down past a rank 2 the rank 1 row takes rank 2: never below a worse rank.
    assert NamndRanking.objects.get(proposal=first).rank == 2
    assert NamndRanking.objects.get(proposal=first).position == 1


def test_saving_sorts_the_list_by_rank(setup, signed_in):
    _round, namnd, first, second = setup
    client = signed_in("ledamot-bildning")
    url = urls(namnd)
    client.post(url["save"], save_data((first, "3", ""), (second, "1", "")))
    assert NamndRanking.objects.get(proposal=second).position == 0
    text = client.get(url["page"]).content.decode()
    assert text.index("Fritidsgård") < text.index("Förstärkt stöd")


def test_background_save_answers_204_or_422(setup, signed_in):
    _round, namnd, first, second = setup
    client = signed_in("ledamot-bildning")
    url = urls(namnd)
    data = save_data((first, "2", ""), (second, "2", ""), order=[second.pk, first.pk])
    # The browser moved the row already: the "flytta" it clicked is not done again.
    response = client.post(
        url["save"], {**data, "flytta": f"upp:{second.pk}"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert NamndRanking.objects.get(proposal=second).position == 0
    response = client.post(
        url["save"], save_data((first, "12", ""), (second, "2", "")), headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "heltal 1–10" in " ".join(response.json()["errors"])
    assert NamndRanking.objects.get(proposal=first).rank == 2


def test_the_page_fits_the_ranking_columns(setup, signed_in):
    _round, namnd, _first, _second = setup
    text = signed_in("ledamot-bildning").get(urls(namnd)["page"]).content.decode()
    # Other costs and texts open on demand, per proposal.
    assert '<details class="namnd-more">' in text
    assert text.count('<th scope="col"') == 8
    assert "data-ranklist" in text and "js/ranklist.js" in text


def test_list_shows_every_namnd_with_its_status(setup, signed_in):
    round, namnd, _first, _second = setup
    result = NamndResult.objects.create(round=round, namnd=namnd)
    result.decision_date = datetime.date(2027, 3, 12)
    result.paragraph = "45"
    result.recorded_at = datetime.datetime.now(datetime.UTC)
    result.save()
    response = signed_in("forum-1").get(reverse("namnd_ranking_list", kwargs={"year": 2027}))
    assert response.status_code == 200
    text = response.content.decode()
    for name in ("Bildningsnämnden", "Socialnämnden", "Tekniska nämnden"):
        assert name in text
    assert "Registrerat 12 mars 2027 § 45" in text and "Inte registrerat" in text


def test_queries_do_not_grow(setup, signed_in):
    _round, namnd, first, _second = setup
    analysis = first.analysis
    for _i in range(3):
        make_proposal(analysis, rangordning=3)
    client = signed_in("ledamot-bildning")

    def grow():
        for i in range(55):
            make_proposal(analysis, rangordning=i % 10 + 1, svarighetsgrad=2)

    assert_queries_do_not_grow(client, urls(namnd)["page"], grow)
    assert_queries_do_not_grow(client, reverse("namnd_ranking_list", kwargs={"year": 2027}), grow)


def test_unknown_namnd_or_round_is_not_found(setup, signed_in):
    client = signed_in("ledamot-bildning")
    assert (
        client.get(reverse("namnd_ranking", kwargs={"year": 2027, "namnd_id": 9999})).status_code
        == 404
    )
    assert client.get(reverse("namnd_ranking_list", kwargs={"year": 1999})).status_code == 404
    missing = reverse("namnd_ranking_save", kwargs={"year": 2027, "namnd_id": 9999})
    assert client.post(missing, {}).status_code == 404


def test_nobody_changes_anything_by_looking(signed_in, demo):
    """Opening the page writes nothing, not even for a ledamot (eight first
    openings at once raced to create the result); the first save makes the
    result and its rows, with the ledamot in their history."""
    from ranking.models import NamndRanking, NamndResult
    from rounds.models import AnalysisStatus, Namnd, Phase
    from tests.factories import analysis_of, make_proposal, make_round

    round = make_round(phase=Phase.NAMND)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    make_proposal(analysis, rangordning=3)
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    url = f"/omgangar/2027/namnder/{namnd.pk}/"
    assert signed_in("revisor").get(url).status_code == 200
    assert not NamndResult.objects.exists()
    assert not NamndRanking.objects.exists()
    ledamot = signed_in("ledamot-bildning")
    assert ledamot.get(url).status_code == 200
    assert not NamndResult.objects.exists()
    assert not NamndRanking.objects.exists()
    proposal = analysis.proposals.get()
    save = reverse("namnd_ranking_save", kwargs={"year": 2027, "namnd_id": namnd.pk})
    assert ledamot.post(save, save_data((proposal, "2", ""))).status_code == 302
    ranking = NamndRanking.objects.get()
    assert ranking.rank == 2
    assert ranking.result.history.earliest("history_date").history_user == demo["ledamot-bildning"]
