"""Costs in whole tkr: a saving is negative, kept as typed, shown the Swedish
way (1 500 tkr, −300 tkr), and summed with its sign in the list."""

import pytest

from rounds.models import Proposal
from tests.factories import analysis_of, make_round
from tests.proposal_helpers import form_data, proposal_url, unchanged_post

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


def create(client, analysis, **fields):
    url = f"/omgangar/2027/forslag/nytt/{analysis.forvaltning_id}/"
    response = client.post(url, form_data(**fields))
    assert response.status_code == 302, response.context["form"].errors
    return Proposal.objects.order_by("-number").first()


def test_a_saving_is_kept_negative(signed_in, bildning):
    client = signed_in("tjp-bildning")
    proposal = create(
        client,
        bildning,
        typ="ransonering",
        ransonering_kind="struktur",
        ransonering_detail="personalstyrka",
        cost_year1="−300",
        cost_year2="-1 200",
        cost_year3="−1\u00a0200",
        cost_years4_10="−8 400",
    )
    assert (
        proposal.cost_year1,
        proposal.cost_year2,
        proposal.cost_year3,
        proposal.cost_years4_10,
    ) == (-300, -1200, -1200, -8400)
    # Saved again unchanged from the form, it stays what it was.
    client.post(proposal_url(proposal, "andra"), unchanged_post(proposal))
    proposal.refresh_from_db()
    assert (proposal.cost_year1, proposal.cost_years4_10) == (-300, -8400)


def test_costs_are_shown_in_swedish_format(signed_in, bildning):
    client = signed_in("tjp-bildning")
    proposal = create(client, bildning, cost_year1="1500", cost_year2="−300")
    form = client.get(proposal_url(proposal, "andra")).content.decode()
    assert f'name="cost_year1" value="1{NBSP}500"' in form
    assert f'name="cost_year2" value="{MINUS}300"' in form
    detail = client.get(proposal_url(proposal)).content.decode()
    assert f"1{NBSP}500{NBSP}tkr" in detail
    assert f"{MINUS}300{NBSP}tkr" in detail


def test_an_effektivisering_may_cost_or_save(signed_in, bildning):
    client = signed_in("tjp-bildning")
    saving = create(client, bildning, typ="effektivisering", cost_year1="−200")
    cost = create(client, bildning, typ="effektivisering", cost_year1="200")
    assert (saving.cost_year1, cost.cost_year1) == (-200, 200)


def test_a_ransonering_that_costs_is_flagged_not_refused(signed_in, bildning):
    client = signed_in("tjp-bildning")
    proposal = create(
        client,
        bildning,
        typ="ransonering",
        ransonering_kind="annat",
        ransonering_detail="effektivitetssankning",
        cost_year1="300",
    )
    html = client.get(proposal_url(proposal)).content.decode()
    assert "En ransonering ger normalt en besparing: ange den som negativ kostnad." in html


def test_investment_range_is_saved_and_shown(signed_in, bildning):
    client = signed_in("tjp-bildning")
    proposal = create(
        client,
        bildning,
        typ="investering",
        cost_per_year_min="2 000",
        cost_per_year_max="2 500",
    )
    assert (proposal.cost_per_year_min, proposal.cost_per_year_max) == (2000, 2500)
    html = client.get(proposal_url(proposal)).content.decode()
    assert f"2{NBSP}000{NBSP}tkr" in html and f"2{NBSP}500{NBSP}tkr" in html


def test_list_totals_include_savings_hand_computed(signed_in, bildning):
    client = signed_in("tjp-bildning")
    create(
        client,
        bildning,
        cost_year1="1 500",
        cost_year2="1 500",
        cost_year3="0",
        cost_years4_10="10 500",
    )
    create(
        client,
        bildning,
        typ="ransonering",
        ransonering_kind="struktur",
        ransonering_detail="kompetens",
        cost_year1="−300",
        cost_year2="−300",
        cost_year3="−300",
        cost_years4_10="−2 100",
    )
    create(
        client,
        bildning,
        typ="effektivisering",
        cost_year1="−2 000",
        cost_year2="250",
        cost_year3="250",
        cost_years4_10="0",
    )
    # år 1: 1 500 − 300 − 2 000 = −800; år 2: 1 500 − 300 + 250 = 1 450;
    # år 3: 0 − 300 + 250 = −50; år 4–10: 10 500 − 2 100 + 0 = 8 400.
    # The list's cost view shows every year's total.
    response = client.get("/omgangar/2027/forslag/", {"kolumner": "kostnader"})
    assert response.context["totals"] == {"ar1": -800, "ar2": 1450, "ar3": -50, "ar4_10": 8400}
    tfoot = response.content.decode().split("<tfoot>")[1].split("</tfoot>")[0]
    cells = [
        f"{MINUS}800{NBSP}tkr",
        f"1{NBSP}450{NBSP}tkr",
        f"{MINUS}50{NBSP}tkr",
        f"8{NBSP}400{NBSP}tkr",
    ]
    positions = [tfoot.index(f'<td class="proposal-num">{cell}</td>') for cell in cells]
    assert positions == sorted(positions)  # in the order of the columns
    # Filtered, the totals follow the filter.
    response = client.get("/omgangar/2027/forslag/", {"typ": "ransonering"})
    assert response.context["totals"] == {"ar1": -300, "ar2": -300, "ar3": -300, "ar4_10": -2100}
