"""The demo copied back for the live-server tests (tests/demo_snapshot.py)
leaves the database the real load leaves: the same rows in every table, the
files it wrote, and id sequences past its rows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from rounds.models import Proposal, Round, User
from tests import demo_snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def table_rows() -> dict[str, bytes]:
    """Every table's rows as PostgreSQL copies them out, sorted."""
    found = {}
    with connection.cursor() as cursor:
        for table in demo_snapshot._tables():
            with cursor.cursor.copy(f"COPY {demo_snapshot._quote(table)} TO STDOUT") as copy:
                found[table] = b"".join(sorted(bytes(block) for block in copy))
    return found


def test_a_copied_back_demo_is_the_loaded_one(postgres, monkeypatch):
    monkeypatch.setattr(demo_snapshot, "_snapshots", {})
    demo_snapshot.load_demo()
    demo_snapshot.load_demo(with_round=True)
    loaded = table_rows()
    assert len(demo_snapshot._snapshots) == 2, "both loads were real and kept"

    # Files lost, as a test may leave them, and the rows gone, as the flush
    # after a test leaves them: the state the first load started from.
    files = [path for snapshot in demo_snapshot._snapshots.values() for path in snapshot.files]
    assert files, "the demo writes faktaunderlag"
    for path in files:
        path.unlink()
    empty = next(iter(demo_snapshot._snapshots))[0]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, count in empty:
            if count == 0:
                cursor.execute(f"DELETE FROM {demo_snapshot._quote(table)}")  # noqa: S608
    assert demo_snapshot._row_counts() == empty

    demo_snapshot.load_demo()
    demo_snapshot.load_demo(with_round=True)
    assert len(demo_snapshot._snapshots) == 2, "copied back, not loaded again"
    assert table_rows() == loaded
    assert Proposal.objects.filter(analysis__round__budget_year=2027).exists()
    assert all(path.exists() for path in files)
    assert ContentType.objects.get_for_model(Round).pk == (
        ContentType.objects.filter(app_label="rounds", model="round").get().pk
    )
    newest = User.objects.order_by("-pk").first().pk
    assert User.objects.create(username="efter-kopian").pk > newest


def test_a_load_from_another_state_is_real(postgres, monkeypatch):
    monkeypatch.setattr(demo_snapshot, "_snapshots", {})
    demo_snapshot.load_demo()
    User.objects.create(username="extra")
    demo_snapshot.load_demo(with_round=True)
    assert len(demo_snapshot._snapshots) == 2
    assert User.objects.filter(username="extra").exists()
    assert Round.objects.filter(budget_year=2027).exists()
