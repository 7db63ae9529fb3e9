"""'Gör till förslag' in the grid opens the new proposal's form pre-filled
from the item and creates nothing: cancelling leaves no proposal and uses no
number; the first save creates exactly one proposal, linked to the item, with
the next number and its history."""

import pytest

from rounds.models import AnalysisColumn, AnalysisItem, ListItem, Proposal
from rounds.services.proposal import next_number
from tests.factories import analysis_of, make_proposal, make_round
from tests.proposal_helpers import form_data

HTMX = {"headers": {"HX-Request": "true"}}


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


@pytest.fixture
def item(bildning):
    perspektiv = ListItem.objects.get(round=bildning.round, kind="perspektiv", name="Invånare")
    return AnalysisItem.objects.create(
        analysis=bildning,
        perspektiv=perspektiv,
        column=AnalysisColumn.NYA_RESURSER,
        text="Fler förskollärare\nBarngrupperna växer.",
        position=0,
    )


def grid_url(analysis):
    return f"/omgangar/2027/analyser/{analysis.forvaltning_id}/"


def open_form(client, analysis, item):
    """Click 'Gör till förslag' and follow to the form, as the browser does."""
    answer = client.post(f"{grid_url(analysis)}punkter/{item.pk}/forslag/", **HTMX)
    return client.get(answer["HX-Redirect"]), answer["HX-Redirect"]


def test_the_form_is_prefilled_from_the_item_and_nothing_is_created(signed_in, bildning, item):
    make_proposal(bildning)  # number 1 is taken
    response, _url = open_form(signed_in("tjp-bildning"), bildning, item)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "Fler förskollärare"
    assert form["situation"].value() == "Fler förskollärare\nBarngrupperna växer."
    assert form["perspektiv"].value() == item.perspektiv_id
    assert form["typ"].value() == "nya_behov"
    html = response.content.decode()
    assert f'<input type="hidden" name="punkt" value="{item.pk}">' in html
    assert "Nytt förslag" in html
    assert Proposal.objects.count() == 1
    assert not Proposal.objects.filter(analysis_item=item).exists()


def test_cancel_leads_back_to_the_items_cell_and_leaves_no_proposal(signed_in, bildning, item):
    before = next_number(bildning.round)
    response, _url = open_form(signed_in("tjp-bildning"), bildning, item)
    cell = f"{grid_url(bildning)}#ruta-{item.perspektiv_id}-{item.column}"
    assert f'<a class="button" href="{cell}">Avbryt</a>' in response.content.decode()
    assert Proposal.objects.count() == 0
    assert next_number(bildning.round) == before  # no number used
    # The grid still offers the item as a proposal.
    html = signed_in("tjp-bildning").get(grid_url(bildning)).content.decode()
    assert "Gör till förslag: Fler förskollärare" in html


def test_saving_creates_exactly_one_proposal_linked_to_the_item(signed_in, demo, bildning, item):
    client = signed_in("tjp-bildning")
    _response, url = open_form(client, bildning, item)
    number = next_number(bildning.round)
    answer = client.post(url, form_data(title="Fler förskollärare", punkt=str(item.pk)))
    assert answer.status_code == 302
    proposal = Proposal.objects.get()
    assert answer["Location"] == f"/omgangar/2027/forslag/{proposal.number}/"
    assert proposal.analysis_item_id == item.pk
    assert proposal.number == number
    assert proposal.created_by == demo["tjp-bildning"]
    assert proposal.history.count() == 1
    assert proposal.history.latest().history_user == demo["tjp-bildning"]
    # A second save of the same form (another tab) creates nothing more.
    again = client.post(url, form_data(title="Fler förskollärare", punkt=str(item.pk)))
    assert again.status_code == 200
    assert f"Punkten blev förslaget {proposal.reference} medan du skrev" in again.content.decode()
    assert Proposal.objects.count() == 1


def test_the_form_of_an_item_that_became_a_proposal_opens_that_proposal(signed_in, bildning, item):
    proposal = make_proposal(bildning, analysis_item=item)
    url = f"/omgangar/2027/forslag/nytt/{bildning.forvaltning_id}/?punkt={item.pk}"
    answer = signed_in("tjp-bildning").get(url)
    assert answer["Location"] == f"/omgangar/2027/forslag/{proposal.number}/andra/"


def test_an_item_removed_while_the_user_wrote_still_gets_the_proposal_saved(
    signed_in, bildning, item
):
    client = signed_in("tjp-bildning")
    _response, url = open_form(client, bildning, item)
    item_id = item.pk
    item.delete()
    answer = client.post(url, form_data(punkt=str(item_id)))
    assert answer.status_code == 302
    assert Proposal.objects.get().analysis_item is None


@pytest.mark.parametrize("value", ["abc", "999999", "0"])
def test_an_unknown_item_is_not_found(signed_in, bildning, value):
    url = f"/omgangar/2027/forslag/nytt/{bildning.forvaltning_id}/?punkt={value}"
    assert signed_in("tjp-bildning").get(url).status_code == 404


def test_an_item_of_the_first_columns_is_not_found(signed_in, bildning, item):
    item.column = AnalysisColumn.NULAGE
    item.save()
    url = f"/omgangar/2027/forslag/nytt/{bildning.forvaltning_id}/?punkt={item.pk}"
    assert signed_in("tjp-bildning").get(url).status_code == 404


@pytest.mark.parametrize("username", ["tjp-social", "ledamot-bildning", "revisor", "controller"])
def test_only_the_forvaltnings_staff_make_it(signed_in, bildning, item, username):
    url = f"/omgangar/2027/forslag/nytt/{bildning.forvaltning_id}/?punkt={item.pk}"
    client = signed_in(username)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, form_data(punkt=str(item.pk))).status_code in (403, 404)
    assert not Proposal.objects.exists()
