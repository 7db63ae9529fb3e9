"""The forum's ranks are read from indexes alone (ranking 0016): the
sammanvägd rangordning's counts per proposal and rank with their latest change
(the ranks' stamp), and how many each member has ranked. Without them each
member's count read every rank of the round: the compilation took 2 s at the
bench's scale 2 (1,200 proposals, 80 members), where the target is 250 ms.

Asserted on the query plans. SQLite's do not depend on the table's size.
PostgreSQL's planner chooses by its statistics and reads a test's small table
whole, so there the plan is asked for with the table scans and sorts turned
off: what is left is whether an index answers the read alone, in order (a
covering index); the bench (`make bench`) measures the rest."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ranking import selectors
from tests.forum_setup import outcome_round


def plan_of(sql: str) -> str:
    """The plan of a query as captured (its values written in)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def ranks_query(read) -> str:
    with CaptureQueriesContext(connection) as queries:
        read()
    (sql,) = [query["sql"] for query in queries.captured_queries if "forumrank" in query["sql"]]
    return sql


def read_from_index_alone(plan: str, index: str) -> bool:
    if connection.vendor == "postgresql":
        return f"Index Only Scan using {index}" in plan
    return f"COVERING INDEX {index}" in plan


@pytest.fixture
def round(demo):
    round, _proposals = outcome_round()
    return round


def test_each_members_count_is_read_from_the_round_member_index(round):
    plan = plan_of(ranks_query(lambda: selectors.forum_members(round)))
    assert read_from_index_alone(plan, "forumrank_round_member"), plan


def test_the_counts_and_their_stamp_are_read_from_one_covering_index(round):
    plan = plan_of(ranks_query(lambda: selectors.forum_table(round)))
    assert read_from_index_alone(plan, "forumrank_round_prop_rank_at"), plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan  # no sort either
