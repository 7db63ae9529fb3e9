"""A proposal's history: who changed which field, from what to what, when — in
words, not in the integers and ids the history tables store."""

import pytest

from prioritering.history import proposal_history
from rounds.models import ListKind, Proposal
from rounds.services.proposal import create_proposal, save_proposal, withdraw_proposal
from tests.factories import analysis_of, make_round
from tests.helpers import assert_queries_do_not_grow
from tests.proposal_helpers import proposal_url, unchanged_post

NBSP = "\u00a0"


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


@pytest.fixture
def proposal(demo, bildning):
    return create_proposal(
        bildning,
        by=demo["tjp-bildning"],
        title="Fler förskollärare",
        typ="nya_behov",
        svarighetsgrad=3,
        rangordning=4,
        cost_year1=1500,
    )


def change(proposal, by, goals=None, **fields):
    proposal = Proposal.objects.get(pk=proposal.pk)
    for name, value in fields.items():
        setattr(proposal, name, value)
    return save_proposal(proposal, by=by, expected_version=proposal.version, goals=goals)


def changes_of(entry):
    return {c.label: (c.old.text, c.new.text) for c in entry.changes}


def test_creation_is_the_first_entry(demo, proposal):
    [entry] = proposal_history(proposal)
    assert entry.created
    assert entry.who == demo["tjp-bildning"]
    assert entry.changes == []


def test_a_change_shows_who_and_each_field_in_words(demo, bildning, proposal):
    fokus = bildning.round.list_items.get(kind=ListKind.FOKUSOMRADE, name="Digitalisering")
    change(
        proposal,
        demo["chef-bildning"],
        svarighetsgrad=4,
        cost_year1=-300,
        fokusomrade=fokus,
        rekommendation="icke_gora",
        rangordning=None,
        effekt_framst_for="samhallet",
    )
    latest, created = proposal_history(proposal)
    assert created.created
    assert latest.who == demo["chef-bildning"]
    assert changes_of(latest) == {
        "Svårighetsgrad": ("Stor", "Mycket stor"),
        "Kostnad år 1": (f"1{NBSP}500{NBSP}tkr", f"\u2212300{NBSP}tkr"),
        "Fokusområde": ("–", "Digitalisering"),
        "Rekommendation": ("Rangordnas", "Icke-göra (avveckla)"),
        "Rangordning": ("4", "–"),
        "Effekt främst för": ("–", "Samhället"),
    }
    # In the form's order, not alphabetical.
    assert [c.name for c in latest.changes] == [
        "fokusomrade",
        "cost_year1",
        "svarighetsgrad",
        "effekt_framst_for",
        "rekommendation",
        "rangordning",
    ]


def test_goals_are_named_and_one_save_is_one_entry(demo, bildning, proposal):
    trygg = bildning.round.list_items.create(kind=ListKind.POLITISKT_MAL, name="Trygg uppväxt")
    jobb = bildning.round.list_items.create(kind=ListKind.POLITISKT_MAL, name="Fler i arbete")
    change(proposal, demo["tjp-bildning"], goals=[trygg, jobb], nytta=2)
    change(proposal, demo["chef-bildning"], goals=[jobb])
    entries = proposal_history(proposal)
    assert len(entries) == 3
    removed, added, _created = entries
    assert changes_of(added) == {
        "Nytta för målområdet": ("–", "Måttlig"),
        "Politiska mål som berörs": ("–", "Fler i arbete, Trygg uppväxt"),
    }
    assert added.who == demo["tjp-bildning"]
    assert changes_of(removed) == {
        "Politiska mål som berörs": ("Fler i arbete, Trygg uppväxt", "Fler i arbete")
    }
    assert removed.who == demo["chef-bildning"]


def test_long_texts_are_shortened_with_the_full_text_kept(demo, proposal):
    long_text = "Barngrupperna växer. " * 20
    change(proposal, demo["tjp-bildning"], situation=long_text)
    [entry, _created] = proposal_history(proposal)
    [situation] = entry.changes
    assert situation.new.is_long
    assert len(situation.new.short) <= 120
    assert situation.new.text == long_text
    assert not situation.old.is_long


def test_withdrawal_is_in_the_history(demo, proposal):
    withdraw_proposal(proposal, by=demo["chef-bildning"], reason="Ersatt av 2027-002.")
    entry = proposal_history(proposal)[0]
    assert entry.who == demo["chef-bildning"]
    assert entry.reason == "Återkallat"
    found = changes_of(entry)
    assert found["Skäl för återkallande"] == ("–", "Ersatt av 2027-002.")
    assert found["Återkallat"][0] == "–"
    assert "Version" not in found


def test_a_save_that_changed_nothing_is_not_an_entry(demo, proposal):
    change(proposal, demo["tjp-bildning"])
    assert len(proposal_history(proposal)) == 1


def test_the_detail_page_shows_the_history(signed_in, demo, proposal):
    client = signed_in("tjp-bildning")
    client.post(
        proposal_url(proposal, "andra"),
        unchanged_post(proposal, svarighetsgrad="4", situation="Nya siffror. " * 20),
    )
    html = client.get(proposal_url(proposal)).content.decode()
    history = html.split('id="historik"')[1]
    assert "Sara Nilsson" in history
    assert '<th scope="row">Svårighetsgrad</th>' in history
    assert "<td>Stor</td>" in history and "<td>Mycket stor</td>" in history
    assert '<details class="proposal-long"><summary>Nya siffror.' in history
    assert "Skapade förslaget." in history
    # Newest first: the change comes before the creation.
    assert history.index("Svårighetsgrad") < history.index("Skapade förslaget.")
    assert '<time datetime="' in history


def test_detail_queries_do_not_grow_with_the_history(signed_in, demo, bildning, proposal):
    client = signed_in("tjp-bildning")
    goals = [
        bildning.round.list_items.create(kind=ListKind.POLITISKT_MAL, name=f"Mål {i}")
        for i in range(3)
    ]
    lists = list(bildning.round.list_items.filter(kind=ListKind.FOKUSOMRADE))

    def grow():
        for i in range(29):
            change(
                proposal,
                demo["tjp-bildning" if i % 2 else "chef-bildning"],
                goals=goals[: i % 3 + 1],
                title=f"Version {i}",
                fokusomrade=lists[i % len(lists)],
                cost_year1=i * 100,
            )

    assert_queries_do_not_grow(client, proposal_url(proposal), grow)
    assert len(proposal_history(proposal)) == 30
