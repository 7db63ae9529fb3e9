"""ranking 0013: the forum becomes a round's. Every existing round gets as its
members the users who hold the role forumdeltagare and everyone who already
ranked in its forum, so nobody loses a sheet they had; each representation is
derived from the user's other roles, and the history says where it came
from."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ranking.models import ForumMember, Representation
from rounds.models import Membership, Namnd, Role, User
from tests.factories import make_round
from tests.forum_setup import outcome_round

BEFORE = [("ranking", "0013_outcome_split")]
AFTER = [("ranking", "0014_forum_members")]

pytestmark = pytest.mark.django_db(transaction=True)


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def test_existing_rounds_keep_their_forum(demo):
    round, _proposals = outcome_round()  # forum-1 … forum-3 ranked
    other = make_round(year=2028)
    # Someone who ranked but no longer holds the role; a ledamot of
    # Bildningsnämnden, a chef, and one of the kommunstyrelse who hold it.
    Membership.objects.filter(user__username="forum-3").delete()
    Membership.objects.create(user=demo["ledamot-bildning"], role=Role.FORUMDELTAGARE)
    Membership.objects.create(user=demo["chef-bildning"], role=Role.FORUMDELTAGARE)
    ks_ledamot = User.objects.create_user("ks-forum")
    Membership.objects.create(user=ks_ledamot, role=Role.FORUMDELTAGARE)
    Membership.objects.create(
        user=ks_ledamot,
        role=Role.NAMNDLEDAMOT,
        namnd=Namnd.objects.get(is_kommunstyrelsen=True),
    )

    migrate(BEFORE)
    migrate(AFTER)
    migrate(latest())

    members = {
        member.user.username: member
        for member in ForumMember.objects.filter(round=round).select_related(
            "user", "namnd", "forvaltning"
        )
    }
    assert set(members) == {
        "forum-1",
        "forum-2",
        "forum-3",  # ranked: kept, though the role is gone
        "forum-4",
        "forum-5",
        "ledamot-bildning",
        "chef-bildning",
        "ks-forum",
    }
    assert members["forum-1"].representation == Representation.ANNAN
    assert members["forum-1"].represents == "Forumdeltagare"
    assert members["ledamot-bildning"].represents == "Bildningsnämnden"
    assert members["chef-bildning"].represents == "Bildningsförvaltningen"
    assert members["ks-forum"].representation == Representation.KOMMUNSTYRELSEN
    # The round with no ranks gets the role's holders only.
    assert ForumMember.objects.filter(round=other).count() == 7
    first = members["forum-3"].history.get()
    assert (first.history_type, first.history_change_reason) == (
        "+",
        "Överförd från rollen forumdeltagare",
    )
