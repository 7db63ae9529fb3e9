"""The forum's ranks are read from indexes alone (ranking 0016): the
sammanvägd rangordning's counts per proposal and rank with their latest change
(the ranks' stamp), and how many each member has ranked. Without them each
member's count read every rank of the round: the compilation took 2 s at the
bench's scale 2 (1,200 proposals, 80 members), where the target is 250 ms.

Asserted on SQLite's query plans, which do not depend on the table's size;
PostgreSQL's planner chooses by its statistics (a small test table is read
whole), so the bench (`make bench`) is its measure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ranking import selectors
from tests.forum_setup import outcome_round


def plan_of(sql: str) -> str:
    """SQLite's plan of a query as captured (its values written in)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def captured(read) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        read()
    return [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plans; PostgreSQL's are measured by make bench")


def test_each_members_count_is_read_from_the_round_member_index(sqlite, demo):
    round, _proposals = outcome_round()
    (sql,) = [q for q in captured(lambda: selectors.forum_members(round)) if "forumrank" in q]
    plan = plan_of(sql)
    assert "COVERING INDEX forumrank_round_member" in plan, plan


def test_the_counts_and_their_stamp_are_read_from_one_covering_index(sqlite, demo):
    round, _proposals = outcome_round()
    (sql,) = [q for q in captured(lambda: selectors.forum_table(round)) if "forumrank" in q]
    plan = plan_of(sql)
    assert "COVERING INDEX forumrank_round_prop_rank_at" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort either
