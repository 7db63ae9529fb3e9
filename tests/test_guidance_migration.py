"""rounds.0007_model_guidance: a round that existed before gets the source's
example best and worst state per målområde, and keeps its instructions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rounds.guidance import DEFAULT_STATES
from rounds.models import Round
from tests.factories import make_round

BEFORE = [("rounds", "0005_followup_moved_out")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def test_an_existing_round_gets_the_sources_states_and_keeps_its_instructions(demo):
    round = make_round()
    round.instructions = "## Vår text\n\nSom förut."
    round.save()
    executor = migrate(BEFORE)
    old_apps = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    old_round = old_apps.get_model("rounds", "Round").objects.get(pk=round.pk)
    assert not hasattr(old_round, "best_state_samhalle")

    # Back to before, the states' columns are gone; forward, they are new
    # and empty until the migration's data step fills them.
    migrate(executor.loader.graph.leaf_nodes())

    round = Round.objects.get(pk=round.pk)
    assert round.instructions == "## Vår text\n\nSom förut."
    for name, text in DEFAULT_STATES.items():
        assert getattr(round, name) == text, name
