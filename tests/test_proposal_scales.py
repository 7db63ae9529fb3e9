"""Every scale round-trips: the stored integer (or code) is shown as its
Swedish word, checked in the form, and posted back unchanged."""

import re
from html import unescape

import pytest

from rounds.criteria import CENTRAL_CRITERIA
from rounds.models import (
    EffektFramstFor,
    EtikBedomning,
    Grad,
    Kostnadseffektivitet,
    Kunskapsunderlag,
    Malomrade,
    Proposal,
    Rekommendation,
    Svarighetsgrad,
)
from tests.factories import analysis_of, make_proposal, make_round
from tests.proposal_helpers import proposal_url, unchanged_post

SCALES = [
    ("svarighetsgrad", Svarighetsgrad),
    ("effekt", Grad),
    ("nytta", Grad),
    ("maluppfyllelse", Grad),
    ("kostnadseffektivitet", Kostnadseffektivitet),
    ("kunskapsunderlag", Kunskapsunderlag),
    ("effekt_framst_for", EffektFramstFor),
    ("malomrade", Malomrade),
    ("etik_manniskovarde", EtikBedomning),
    ("etik_behov", EtikBedomning),
    ("etik_kostnadseffektivitet", EtikBedomning),
]
CASES = [(name, member) for name, scale in SCALES for member in scale]


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


def checked_option(html, name):
    """(value, label) of the checked radio of group ``name`` in the page."""
    match = re.search(
        rf'<input type="radio" name="{name}" value="([^"]*)" id="(id_{name}_\d+)"[^>]*checked>',
        html,
    )
    assert match, f"no checked option for {name}"
    value, input_id = match.groups()
    label = re.search(rf'<label for="{input_id}">([^<]*)</label>', html).group(1)
    return value, unescape(label)


@pytest.mark.parametrize(
    ("name", "member"), CASES, ids=[f"{name}-{member.value}" for name, member in CASES]
)
def test_scale_round_trip(signed_in, bildning, name, member):
    extra = {"etik_kommentar": "Motiverat."} if member == EtikBedomning.RISK else {}
    proposal = make_proposal(bildning, rangordning=5, **{name: member.value}, **extra)
    client = signed_in("tjp-bildning")

    form = client.get(proposal_url(proposal, "andra")).content.decode()
    value, label = checked_option(form, name)
    assert value == str(member.value)
    assert label == member.label

    detail = client.get(proposal_url(proposal)).content.decode()
    assert f"<dd>{member.label}" in unescape(detail)

    data = unchanged_post(proposal, **{name: value})
    response = client.post(proposal_url(proposal, "andra"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert getattr(Proposal.objects.get(pk=proposal.pk), name) == member.value


@pytest.mark.parametrize("member", list(Rekommendation))
def test_recommendation_round_trip(signed_in, bildning, member):
    rank = 5 if member == Rekommendation.RANGORDNAS else None
    proposal = make_proposal(bildning, rekommendation=member.value, rangordning=rank)
    client = signed_in("tjp-bildning")
    form = client.get(proposal_url(proposal, "andra")).content.decode()
    assert checked_option(form, "rekommendation") == (member.value, member.label)
    response = client.post(proposal_url(proposal, "andra"), unchanged_post(proposal))
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).rekommendation == member.value


@pytest.mark.parametrize("name", [name for name, scale in SCALES if scale is not Malomrade])
def test_an_unassessed_scale_stays_unassessed(signed_in, bildning, name):
    proposal = make_proposal(
        bildning, rangordning=5, **({name: None} if name in CENTRAL_CRITERIA else {})
    )
    client = signed_in("tjp-bildning")
    form = client.get(proposal_url(proposal, "andra")).content.decode()
    value, label = checked_option(form, name)
    assert value == ""
    assert label in ("Ej bedömd", "Ej angivet")
    client.post(proposal_url(proposal, "andra"), unchanged_post(proposal))
    saved = getattr(Proposal.objects.get(pk=proposal.pk), name)
    assert saved in (None, "")


def test_the_list_shows_scale_words_including_the_lowest(signed_in, bildning):
    make_proposal(bildning, svarighetsgrad=1, nytta=0, kostnadseffektivitet=1)
    html = signed_in("tjp-bildning").get("/omgangar/2027/forslag/").content.decode()
    row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "<td>Liten</td>" in row
    assert "<td>Ingen</td>" in row  # 0 is a value, not "nothing"
    assert "<td>Låg</td>" in row
