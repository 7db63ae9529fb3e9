"""rounds 0006: kommunens riktvärden become a setting of the round. A round
that existed before the migration gets the table the app used until then
(Mycket stor 1–3, Stor 3–5, Måttlig 5–7, Liten 7–10), and so does its
history; the choices' new labels leave the stored values as they were."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rounds.models import EffektFramstFor, Proposal, ProposalType, Round
from tests.factories import analysis_of, make_proposal, make_round

BEFORE = [("rounds", "0005_followup_moved_out")]
AFTER = [("rounds", "0006_source_wording_and_severity_guide")]

pytestmark = pytest.mark.django_db(transaction=True)


def latest_of(app: str) -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] == app]


def migrate(targets):
    """Migrate rounds to ``targets``; the models as they are then (every other
    app at its latest)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "rounds"]
    return executor.loader.project_state([*others, *targets]).apps


def test_existing_rounds_get_the_former_table_as_their_riktvarden(demo):
    round = make_round()
    proposal = make_proposal(
        analysis_of(round, "Bildningsförvaltningen"),
        typ=ProposalType.FORBISEDDA,
        effekt_framst_for=EffektFramstFor.INDIVIDEN,
    )
    old = migrate(BEFORE)
    old_round = old.get_model("rounds", "Round")
    assert not hasattr(old_round.objects.get(pk=round.pk), "riktvarde_stor_fran")
    old_round.objects.filter(pk=round.pk).update(instructions="Före migreringen")

    after = migrate(AFTER).get_model("rounds", "Round")
    assert after.objects.get(pk=round.pk).riktvarde_liten_till == 10
    migrate(latest_of("rounds"))  # the models below are the current ones
    round = Round.objects.get(pk=round.pk)
    assert round.instructions == "Före migreringen"
    assert round.riktvarden == {4: (1, 3), 3: (3, 5), 2: (5, 7), 1: (7, 10)}
    first = round.history.earliest()
    assert (first.riktvarde_liten_fran, first.riktvarde_liten_till) == (7, 10)
    stored = Proposal.objects.filter(pk=proposal.pk).values("typ", "effekt_framst_for").get()
    assert stored == {"typ": "forbisedda", "effekt_framst_for": "individen"}
    assert Proposal.objects.get(pk=proposal.pk).get_typ_display() == (
        "Förbisedda behov och åtgärder – öka kvaliteten"
    )
