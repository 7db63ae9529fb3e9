"""ranking 0015: results published before the ballots' order was fixed at
publication get a random seed of their own, so their open data can carry the
ballots (when the round says so) in an order that is not the members'."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from prioritering.audit import save_as
from ranking.models import ForumResult
from rounds.models import User
from tests.factories import make_round

BEFORE = [("ranking", "0014_forum_members")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_published_results_get_a_seed_and_the_others_none(demo):
    controller = User.objects.get(username="controller")
    published = ForumResult(round=make_round(), published_at=timezone.now())
    save_as(published, controller)
    open_result = ForumResult(round=make_round(year=2028))
    save_as(open_result, controller)

    migrate(BEFORE)
    migrate(latest())

    published.refresh_from_db()
    open_result.refresh_from_db()
    assert published.ballot_seed is not None
    assert 0 <= published.ballot_seed < 2**63
    assert open_result.ballot_seed is None
