"""The demo for tests that cannot roll back: loaded once per test process,
copied back for every later test that asks for it.

A test against the live server (the browser tests, the races on gunicorn)
runs on a database that is really written and emptied after it (pytest-django's
``transactional_db``), so the demo cannot be loaded once and rolled back, as
the other tests' module fixtures do. Loading round 2026 and 2027 through the
services takes 5–7 s; copying back the rows they left takes a tenth of that.

:func:`load_demo` takes the same arguments as ``demo.loading.load_demo`` and
leaves the same database. The first call from a given state of the database
(the row count of every table, read in one query) loads for real and keeps
every table's rows (PostgreSQL's COPY) and the files the load wrote under
MEDIA_ROOT; a later call from the same state with the same arguments empties
the tables and copies those rows back, in one transaction (foreign keys are
checked at its commit: Django makes them deferrable), then sets each table's
id sequence past its rows. From any other state it loads for real, as on
SQLite, where the load is quicker and is always done for real.

Every table is copied back, the content types and sessions too (the flush
after a test makes the content types again under new ids, and the demo's rows
refer to the old ones): so load the demo before anyone signs in, as the
fixtures do.
"""

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from demo import loading
from demo.round_2027 import DEFAULT_PHASE


@dataclass(frozen=True)
class Snapshot:
    summary: loading.Summary
    tables: dict[str, bytes]  # table -> its rows in COPY's text format
    files: dict[Path, bytes]


_snapshots: dict[tuple, Snapshot] = {}


def load_demo(*, with_round: bool = False, phase: str = DEFAULT_PHASE) -> loading.Summary:
    if connection.vendor != "postgresql":
        return loading.load_demo(with_round=with_round, phase=phase)
    key = (_row_counts(), with_round, phase)
    snapshot = _snapshots.get(key)
    if snapshot is not None:
        _restore(snapshot)
        return snapshot.summary
    files_before = _media_files()
    summary = loading.load_demo(with_round=with_round, phase=phase)
    _snapshots[key] = _take(summary, files_before)
    return summary


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _row_counts() -> tuple:
    tables = _tables()
    union = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {_quote(table)}"  # noqa: S608 (the tables' own names)
        for index, table in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        counts = dict(cursor.fetchall())
    return tuple((table, counts[index]) for index, table in enumerate(tables))


def _media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _take(summary, files_before: set[Path]) -> Snapshot:
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.cursor.copy(f"COPY {_quote(table)} TO STDOUT") as copy:
                rows = b"".join(bytes(block) for block in copy)
            if rows:
                tables[table] = rows
    files = {path: path.read_bytes() for path in _media_files() - files_before}
    return Snapshot(summary=summary, tables=tables, files=files)


def _restore(snapshot: Snapshot) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608 (a table's own name)
        for table, rows in snapshot.tables.items():
            with cursor.cursor.copy(f"COPY {_quote(table)} FROM STDIN") as copy:
                copy.write(rows)
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    # The content types' ids are the snapshot's again, not those the flush's
    # post_migrate made.
    ContentType.objects.clear_cache()
    for path, content in snapshot.files.items():
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
