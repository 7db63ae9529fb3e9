"""The source's categories: the four kinds of needs the model is for, a
proposal that combines types keeps them all (the main one first), and the
decision keeps ransonering and effektivisering apart — with the decisions
made before the split migrated."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ranking.models import Decision, DecisionCorrection, Outcome
from ranking.services import decision as decision_services
from rounds.importing import values
from rounds.models import Proposal, ProposalType, RansoneringDetail, RansoneringKind
from rounds.models.proposal import join_types, split_types, types_text
from tests.factories import analysis_of, make_proposal, make_round
from tests.forum_setup import outcome_round, send_on
from tests.proposal_helpers import unchanged_post


def test_the_types_hold_the_four_kinds_of_needs_the_source_names():
    labels = dict(ProposalType.choices)
    for label in (
        "Nya behov",
        "Förbisedda behov och åtgärder – öka kvaliteten",
        "Befintliga behov och åtgärder",
        "Minskade behov och utmönstrade åtgärder",
    ):
        assert label in labels.values(), label


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Befintliga behov och åtgärder", [ProposalType.BEFINTLIGA]),
        ("befintliga behov", [ProposalType.BEFINTLIGA]),
        ("Minskade behov och utmönstrade åtgärder", [ProposalType.MINSKADE]),
        ("Utmönstrade åtgärder", [ProposalType.MINSKADE]),
        ("Nya behov och åtgärder", [ProposalType.NYA_BEHOV]),
        (
            "Effektivisering/Ransonering",
            [ProposalType.EFFEKTIVISERING, ProposalType.RANSONERING],
        ),
        (
            "Minskade behov och utmönstrade åtgärder / Effektivisering",
            [ProposalType.MINSKADE, ProposalType.EFFEKTIVISERING],
        ),
    ],
)
def test_the_importer_reads_the_sources_words(cell, expected):
    assert values.types(cell) == expected


def test_the_other_types_are_stored_in_order_without_the_main_one():
    stored = join_types(
        [ProposalType.RANSONERING, "okänd", ProposalType.EFFEKTIVISERING, ProposalType.RANSONERING],
        ProposalType.EFFEKTIVISERING,
    )
    assert stored == "ransonering"
    assert split_types("investering,nya_behov", "nya_behov") == ["investering"]
    assert types_text("effektivisering", "ransonering") == "Effektivisering / Ransonering"
    assert types_text("", "ransonering") == ""


@pytest.fixture
def proposal(demo):
    round = make_round()
    return make_proposal(
        analysis_of(round, "Bildningsförvaltningen"),
        title="Samordnad städning",
        typ=ProposalType.EFFEKTIVISERING,
        cost_year1=-200,
        rangordning=3,
    )


def test_staff_give_a_proposal_more_than_one_type(signed_in, proposal):
    client = signed_in("tjp-bildning")
    url = f"/omgangar/{proposal.round.budget_year}/forslag/{proposal.number}/"
    data = unchanged_post(
        proposal, also_types=[ProposalType.RANSONERING, ProposalType.EFFEKTIVISERING]
    )
    response = client.post(url + "andra/", data)
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert response.status_code == 302, errors
    proposal.refresh_from_db()
    assert proposal.also_types == "ransonering"  # the main type is not repeated
    assert proposal.types == [ProposalType.EFFEKTIVISERING, ProposalType.RANSONERING]
    page = client.get(url).content.decode()
    assert re.search(r"Även av typen</dt>\s*<dd[^>]*>\s*Ransonering", page), page[
        page.index("Typ</h") :
    ][:800]
    assert proposal.history.latest().also_types == "ransonering"
    # The form shows the box checked again
    form = client.get(url + "andra/").content.decode()
    assert re.search(r'<input[^>]*name="also_types"[^>]*value="ransonering"[^>]*checked', form)


def test_an_unknown_other_type_is_refused_in_swedish(signed_in, proposal):
    client = signed_in("tjp-bildning")
    url = f"/omgangar/{proposal.round.budget_year}/forslag/{proposal.number}/andra/"
    response = client.post(url, unchanged_post(proposal, also_types=["ingen_typ"]))
    assert response.status_code == 200
    assert "Välj bland typerna i listan." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.also_types == ""


def test_the_list_filter_finds_a_type_a_proposal_combines(signed_in, proposal):
    make_proposal(proposal.analysis, title="Bara nytt behov")
    proposal.also_types = "ransonering"
    proposal.save()
    client = signed_in("controller")
    page = client.get(
        f"/omgangar/{proposal.round.budget_year}/forslag/?typ=ransonering"
    ).content.decode()
    assert "Samordnad städning" in page and "Bara nytt behov" not in page


# --- decisions: ransonering and effektivisering apart ---------------------------------


def saving(round, **fields):
    from tests.forum_setup import submitted

    analysis = submitted(round, "Tekniska förvaltningen")
    return send_on(round, make_proposal(analysis, cost_year1=-150, **fields), "Tekniska nämnden")


def decide(round, proposal, outcome, controller):
    decision_services.save_decisions(
        round, {proposal.pk: {"outcome": outcome, "motivation": "Sparar."}}, by=controller
    )
    return Decision.objects.get(proposal=proposal).outcome


def test_each_way_of_carrying_out_a_saving_needs_its_type(demo):
    round, _proposals = outcome_round()
    controller = demo["controller"]
    ransonering = saving(
        round,
        title="Färre öppettimmar",
        typ=ProposalType.RANSONERING,
        ransonering_kind=RansoneringKind.STRUKTUR,
        ransonering_detail=RansoneringDetail.PERSONALSTYRKA,
    )
    minskade = saving(round, title="Utmönstrad tjänst", typ=ProposalType.MINSKADE)
    combined = saving(
        round, title="Sänkt temperatur", typ=ProposalType.EFFEKTIVISERING, also_types="ransonering"
    )
    assert decide(round, ransonering, Outcome.RANSONERAS, controller) == Outcome.RANSONERAS
    assert decide(round, minskade, Outcome.RANSONERAS, controller) == Outcome.RANSONERAS
    assert decide(round, combined, Outcome.RANSONERAS, controller) == Outcome.RANSONERAS
    assert decide(round, combined, Outcome.EFFEKTIVISERAS, controller) == Outcome.EFFEKTIVISERAS
    with pytest.raises(ValidationError) as error:
        decide(round, ransonering, Outcome.EFFEKTIVISERAS, controller)
    assert "Genomförs (effektivisering) gäller förslag av typen effektivisering" in str(error.value)


# --- the migration of the decisions made before the split ------------------------------

BEFORE = [("ranking", "0012_namnd_decisions")]
AFTER = [("ranking", "0013_outcome_split")]


@pytest.mark.django_db(transaction=True)
def test_genomfors_is_split_by_the_proposals_type(demo):
    round = make_round()
    analysis = analysis_of(round, "Tekniska förvaltningen")
    effektivisering = make_proposal(analysis, typ=ProposalType.EFFEKTIVISERING, cost_year1=-100)
    ransonering = make_proposal(
        analysis,
        typ=ProposalType.RANSONERING,
        ransonering_kind=RansoneringKind.PROCESS,
        ransonering_detail=RansoneringDetail.TIDSRANSONERING,
        cost_year1=-100,
    )
    controller = demo["controller"]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    old = executor.loader.project_state(BEFORE).apps
    old_decision = old.get_model("ranking", "Decision")
    old_correction = old.get_model("ranking", "DecisionCorrection")
    ids = {}
    for proposal in (effektivisering, ransonering):
        decision = old_decision.objects.create(
            round_id=round.pk,
            proposal_id=proposal.pk,
            outcome="genomfors",
            motivation="Sparar.",
            decided_by_id=controller.pk,
        )
        ids[proposal.pk] = decision.pk
    old_correction.objects.create(
        decision_id=ids[ransonering.pk],
        outcome="genomfors",
        reason="KF beslutade så.",
        corrected_by_id=controller.pk,
    )
    old.get_model("ranking", "HistoricalDecision").objects.create(
        id=ids[effektivisering.pk],
        round_id=round.pk,
        proposal_id=effektivisering.pk,
        outcome="genomfors",
        motivation="Sparar.",
        decided_by_id=controller.pk,
        history_date="2026-01-01T10:00:00Z",
        history_type="+",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate([node for node in executor.loader.graph.leaf_nodes()])
    assert Decision.objects.get(proposal=effektivisering).outcome == Outcome.EFFEKTIVISERAS
    assert Decision.objects.get(proposal=ransonering).outcome == Outcome.RANSONERAS
    assert DecisionCorrection.objects.get().outcome == Outcome.RANSONERAS
    assert Decision.history.get(proposal_id=effektivisering.pk).outcome == "effektiviseras"
    assert not Proposal.objects.filter(typ="genomfors").exists()
