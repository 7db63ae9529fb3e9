"""Two people save the same proposal: the second save overwrites nothing. It
sees what the other changed, their changes are merged in where it had not
touched the field, it chooses where both did, and nothing typed is lost.

The first tests run on any database (one save after the other, through the
view). The last ones need PostgreSQL: two threads, each with its own
connection, save at the same moment."""

import re

import pytest
from django.test import Client

from demo.loading import load_demo
from rounds.models import ListKind, Proposal, User
from rounds.services.proposal import ProposalConflict, save_proposal, withdraw_proposal
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import run_together
from tests.proposal_helpers import form_post, proposal_url, unchanged_post

NOTICE = "Någon annan har sparat förslaget medan du redigerade."


@pytest.fixture
def proposal(demo):
    bildning = analysis_of(make_round(), "Bildningsförvaltningen")
    return make_proposal(
        bildning,
        title="Start",
        svarighetsgrad=3,
        nytta=3,
        kostnadseffektivitet=2,
        rangordning=4,
        cost_year1=1500,
    )


@pytest.fixture
def sara(demo):
    client = Client()
    client.force_login(demo["tjp-bildning"])
    return client


@pytest.fixture
def anders(demo):
    client = Client()
    client.force_login(demo["chef-bildning"])
    return client


def edit(proposal):
    return proposal_url(proposal, "andra")


def loaded(client, proposal):
    """The form as the user opened it (with its version)."""
    response = client.get(edit(proposal))
    return form_post(response.context["form"])


def test_the_second_save_writes_nothing_and_shows_the_merge(sara, anders, proposal):
    mine = loaded(sara, proposal)
    theirs = loaded(anders, proposal)
    assert mine["version"] == theirs["version"] == "1"

    # Anders saves first: a new title, nytta and the cost.
    theirs.update(title="Anders rubrik", nytta="4", cost_year1="2 000")
    assert anders.post(edit(proposal), theirs).status_code == 302

    # Sara saves what she loaded, with her own title and svårighetsgrad.
    mine.update(title="Saras rubrik", svarighetsgrad="4")
    response = sara.post(edit(proposal), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE in html

    # Nothing of Sara's was written over Anders' save.
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.nytta, saved.cost_year1, saved.svarighetsgrad) == (
        "Anders rubrik",
        4,
        2000,
        3,
    )
    assert saved.version == 2

    # The table: what Anders changed since Sara loaded, with the three values.
    table = html.split('class="table proposal-conflict-table"')[1].split("</table>")[0]
    rows = re.findall(r"<tr class=\"proposal-conflict--(\w+)\">(.*?)</tr>", table, re.S)
    by_label = {re.search(r"<a [^>]*>([^<]+)</a>", row).group(1): (kind, row) for kind, row in rows}
    assert set(by_label) == {
        "Rubrik / sammanfattande beskrivning",
        "Nytta för målområdet",
        "Kostnad år 1",
    }
    kind, row = by_label["Rubrik / sammanfattande beskrivning"]
    assert kind == "conflict"
    assert re.findall(r"<td>([^<]*)</td>", row)[:3] == ["Start", "Anders rubrik", "Saras rubrik"]
    assert by_label["Nytta för målområdet"][0] == "taken"
    assert by_label["Kostnad år 1"][0] == "taken"

    # The merged form: Anders' values where Sara did not change the field,
    # Sara's where she did, a choice where both did, and the new version.
    form = response.context["form"]
    merged = form_post(form)
    assert merged["version"] == "2"
    assert merged["title"] == "Saras rubrik"
    assert merged["svarighetsgrad"] == "4"
    assert merged["nytta"] == "4"
    assert merged["cost_year1"] == "2\u00a0000"
    assert set(form.conflicts) == {"title"}
    assert 'name="los_title" id="los_title_min" value="min" checked' in html
    assert 'name="los_title" id="los_title_deras" value="deras"' in html
    assert "los_nytta" not in html


def test_keeping_mine_after_the_merge_saves_mine(sara, anders, proposal):
    mine, theirs = loaded(sara, proposal), loaded(anders, proposal)
    anders.post(edit(proposal), {**theirs, "title": "Anders rubrik", "nytta": "4"})
    response = sara.post(edit(proposal), {**mine, "title": "Saras rubrik"})
    merged = form_post(response.context["form"], los_title="min")
    response = sara.post(edit(proposal), merged)
    assert response.status_code == 302
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.nytta, saved.version) == ("Saras rubrik", 4, 3)


def test_using_theirs_after_the_merge_saves_theirs(sara, anders, proposal):
    mine, theirs = loaded(sara, proposal), loaded(anders, proposal)
    anders.post(edit(proposal), {**theirs, "title": "Anders rubrik", "rangordning": "3"})
    response = sara.post(edit(proposal), {**mine, "title": "Saras rubrik", "rangordning": "5"})
    assert set(response.context["form"].conflicts) == {"title", "rangordning"}
    merged = form_post(response.context["form"], los_title="deras", los_rangordning="min")
    assert sara.post(edit(proposal), merged).status_code == 302
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.rangordning) == ("Anders rubrik", 5)


def test_goals_are_merged_too(sara, anders, proposal):
    round = proposal.round
    trygg = round.list_items.create(kind=ListKind.POLITISKT_MAL, name="Trygg uppväxt")
    jobb = round.list_items.create(kind=ListKind.POLITISKT_MAL, name="Fler i arbete")
    mine, theirs = loaded(sara, proposal), loaded(anders, proposal)
    anders.post(edit(proposal), {**theirs, "mal": [str(trygg.pk)]})
    response = sara.post(edit(proposal), {**mine, "kommentar": "Saras kommentar"})
    assert "Politiska mål som berörs" in response.content.decode()
    merged = form_post(response.context["form"])
    assert merged["mal"] == [str(trygg.pk)]
    assert sara.post(edit(proposal), merged).status_code == 302
    saved = Proposal.objects.get(pk=proposal.pk)
    assert list(saved.mal.all()) == [trygg]
    assert saved.kommentar == "Saras kommentar"
    # Both changed the goals differently: a conflict, and "deras" gives theirs.
    mine, theirs = loaded(sara, proposal), loaded(anders, proposal)
    anders.post(edit(proposal), {**theirs, "mal": [str(jobb.pk)]})
    response = sara.post(edit(proposal), {**mine, "mal": [str(trygg.pk), str(jobb.pk)]})
    assert set(response.context["form"].conflicts) == {"mal"}
    merged = form_post(response.context["form"], los_mal="deras")
    sara.post(edit(proposal), merged)
    assert list(Proposal.objects.get(pk=proposal.pk).mal.all()) == [jobb]


def test_a_third_save_during_the_merge_is_caught_again(demo, sara, anders, proposal):
    mine, theirs = loaded(sara, proposal), loaded(anders, proposal)
    anders.post(edit(proposal), {**theirs, "title": "Anders rubrik"})
    response = sara.post(edit(proposal), {**mine, "title": "Saras rubrik"})
    merged = form_post(response.context["form"], los_title="deras")  # Anders' (version 2)
    # Meanwhile Anders saves once more.
    again = loaded(anders, proposal)
    anders.post(edit(proposal), {**again, "title": "Anders andra rubrik", "nytta": "1"})
    response = sara.post(edit(proposal), merged)
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
    form = response.context["form"]
    # "Use theirs" meant the version Sara was shown; the newer title is theirs
    # again, and taken, since her value is the one she was shown (version 2).
    values = form_post(form)
    assert values["version"] == "3"
    assert values["title"] == "Anders andra rubrik"
    assert values["nytta"] == "1"
    assert Proposal.objects.get(pk=proposal.pk).title == "Anders andra rubrik"


def test_a_proposal_withdrawn_meanwhile_cannot_be_saved(demo, sara, proposal):
    mine = loaded(sara, proposal)
    withdraw_proposal(proposal, by=demo["chef-bildning"], reason="Utgår.")
    assert sara.post(edit(proposal), {**mine, "title": "Sent"}).status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).title == "Start"


def test_an_invalid_stale_form_shows_its_errors_first(sara, anders, proposal):
    mine, theirs = loaded(sara, proposal), loaded(anders, proposal)
    anders.post(edit(proposal), {**theirs, "title": "Anders rubrik"})
    response = sara.post(edit(proposal), {**mine, "rangordning": "99"})
    html = response.content.decode()
    assert "Rangordningen är ett heltal från 1 till 10." in html
    assert NOTICE not in html
    # Corrected, the save meets the conflict and merges.
    response = sara.post(edit(proposal), {**mine, "rangordning": "5"})
    assert NOTICE in response.content.decode()
    assert form_post(response.context["form"])["title"] == "Anders rubrik"


def test_service_refuses_a_stale_version(demo, proposal):
    stale = Proposal.objects.get(pk=proposal.pk)
    fresh = Proposal.objects.get(pk=proposal.pk)
    fresh.title = "Först"
    save_proposal(fresh, by=demo["chef-bildning"], expected_version=1)
    stale.title = "Sist"
    with pytest.raises(ProposalConflict) as conflict:
        save_proposal(stale, by=demo["tjp-bildning"], expected_version=1)
    assert conflict.value.current.version == 2
    assert conflict.value.current.title == "Först"
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.version) == ("Först", 2)


# --- PostgreSQL: two real connections at the same moment -------------------------

ROUNDS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_one_wins_the_other_conflicts(postgres):
    load_demo()
    proposal = make_proposal(analysis_of(make_round(), "Bildningsförvaltningen"), title="Start")
    people = ("tjp-bildning", "chef-bildning")

    for attempt in range(ROUNDS):
        version = Proposal.objects.get(pk=proposal.pk).version

        def save_as(username, attempt=attempt, version=version):
            def target(barrier):
                user = User.objects.get(username=username)
                mine = Proposal.objects.get(pk=proposal.pk)
                assert mine.version == version  # both loaded the same version
                mine.title = f"{username} {attempt}"
                barrier.wait()
                try:
                    save_proposal(mine, by=user, expected_version=version)
                except ProposalConflict as conflict:
                    return ("conflict", conflict.current.version, conflict.current.title)
                return ("saved", mine.version, mine.title)

            return target

        results = dict(zip(people, run_together(*(save_as(p) for p in people)), strict=True))
        for result in results.values():
            assert not isinstance(result, Exception), result
        winners = [p for p, r in results.items() if r[0] == "saved"]
        assert len(winners) == 1, results
        [winner] = winners
        [loser] = [p for p in people if p != winner]
        # The loser raised, and saw the winner's save: its value is accounted for
        # (refused, to be merged), the winner's is the one stored.
        assert results[winner] == ("saved", version + 1, f"{winner} {attempt}")
        assert results[loser] == ("conflict", version + 1, f"{winner} {attempt}")
        stored = Proposal.objects.get(pk=proposal.pk)
        assert (stored.version, stored.title) == (version + 1, f"{winner} {attempt}")

    # One history row per successful save, none for the refused ones.
    assert Proposal.history.filter(id=proposal.pk).count() == ROUNDS + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_through_the_view(postgres):
    load_demo()
    bildning = analysis_of(make_round(), "Bildningsförvaltningen")
    proposal = make_proposal(bildning, title="Start", rangordning=5)
    people = ("tjp-bildning", "chef-bildning")
    clients = {}
    for username in people:
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))

    for attempt in range(5):
        current = Proposal.objects.get(pk=proposal.pk)
        forms = {p: unchanged_post(current, title=f"{p} {attempt}") for p in people}

        def post(username, forms=forms):
            def target(barrier):
                barrier.wait()
                response = clients[username].post(edit(proposal), forms[username])
                return response.status_code, NOTICE in response.content.decode()

            return target

        results = dict(zip(people, run_together(*(post(p) for p in people)), strict=True))
        assert sorted(results.values()) == [(200, True), (302, False)], results
        [winner] = [p for p, r in results.items() if r[0] == 302]
        stored = Proposal.objects.get(pk=proposal.pk)
        assert stored.title == f"{winner} {attempt}"
        assert stored.version == current.version + 1
