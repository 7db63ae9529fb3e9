"""``manage.py worker`` outlives the database: it waits out a database that
cannot be reached (1, 2, 4 … at most 30 s), then makes the documents queued
meanwhile; any other error stops it as before, and SIGTERM or Ctrl-C stop it
while it waits."""

import os
import signal
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import DatabaseError, connection
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from documents import generate
from documents.models import Document, DocumentStatus
from prioritering.management.commands.worker import Worker, waits
from rounds.documents import ANALYSIS_XLSX
from tests.factories import analysis_of, make_round
from tests.outage import Outage

ROOT = Path(__file__).resolve().parent.parent


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def sleep_in_the_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(30)")


class RecordingWorker(Worker):
    """The worker, noting its waits instead of sleeping through them; ``then``
    runs after each wait (the test ends the outage there)."""

    def __init__(self, then=lambda waited: None, **options):
        super().__init__(
            **{
                "queue_names": ["*"],
                "interval": 0,
                "batch": True,
                "backend_name": "default",
                "startup_delay": False,
                "max_tasks": None,
                "worker_id": "test-worker",
                "excluded_queue_names": [],
                **options,
            }
        )
        self.waited: list[float] = []
        self.then = then

    def wait(self, seconds):
        self.waited.append(seconds)
        self.then(self.waited)


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.2)


def test_waits_double_from_one_second_to_at_most_thirty():
    assert list(islice(waits(), 8)) == [1, 2, 4, 8, 16, 30, 30, 30]


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_database_that_cannot_be_reached(caplog):
    result = add.enqueue(2, 3)
    with Outage() as outage:

        def back_after_two_waits(waited):
            if len(waited) == 2:
                outage.end()

        worker = RecordingWorker(then=back_after_two_waits)
        outage.start()
        worker.run()  # batch: returns once the queue is empty
    assert worker.waited == [1, 2]
    warnings = [r for r in caplog.records if r.name.startswith("prioritering")]
    assert [r.levelname for r in warnings] == ["WARNING", "WARNING"]
    assert "database unreachable" in warnings[0].getMessage()
    assert not [r for r in warnings if r.exc_info]
    done = DBTaskResult.objects.get(pk=result.id)
    assert (done.status, done.return_value) == ("SUCCESSFUL", 5)


@pytest.mark.django_db(transaction=True)
def test_an_error_that_is_not_a_lost_connection_stops_the_worker(tmp_path):
    """A database without the task table (a migration not run) is a bug to see,
    not an outage to wait out."""
    add.enqueue(2, 3)
    empty = str(tmp_path / "empty.sqlite3") if connection.vendor == "sqlite" else "postgres"
    worker = RecordingWorker()
    with Outage() as outage:
        outage.start(NAME=empty)
        with pytest.raises(DatabaseError):
            worker.run()
    assert worker.waited == []


@pytest.mark.django_db(transaction=True)
def test_max_tasks_still_ends_the_worker():
    """docker-compose recycles the worker after --max-tasks documents."""
    first, second = add.enqueue(1, 1), add.enqueue(2, 2)
    RecordingWorker(max_tasks=1).run()  # batch: without the limit it would run both
    statuses = {r.pk: r.status for r in DBTaskResult.objects.all()}
    assert sorted(statuses.values()) == ["READY", "SUCCESSFUL"]
    assert {first.id, second.id} == {str(pk) for pk in statuses}


def start_worker(log: Path, env: dict, *args) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "worker", "--queue-name", "*", "--no-reload"]
    with log.open("w") as out:
        return subprocess.Popen(
            [*command, "--no-startup-delay", *args],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def waiting(worker: subprocess.Popen, log: Path) -> bool:
    """The worker says it waits for the database — or it has ended."""
    return "database unreachable" in log.read_text() or worker.poll() is not None


def stop(worker: subprocess.Popen, signum=signal.SIGTERM) -> int:
    worker.send_signal(signum)
    try:
        return worker.wait(timeout=15)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_worker_while_it_waits_for_the_database(tmp_path, signum):
    log = tmp_path / "worker.log"
    nowhere = tmp_path / "no-such-folder" / "db.sqlite3"
    # (--skip-checks: on SQLite Django's checks would open the database first)
    env = {"DATABASE_URL": f"sqlite:///{nowhere}"}
    worker = start_worker(log, env, "--interval", "0.1", "--skip-checks")
    wait_for(lambda: waiting(worker, log), 60, "the worker to wait")
    assert worker.poll() is None, log.read_text()
    assert stop(worker, signum) == 0, log.read_text()


def database_url(settings_dict) -> str:
    """The URL of the test database (pytest-django's test_… copy)."""
    s = settings_dict
    credentials = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def allow_connections(allow: bool) -> None:
    """Let the test database take new connections, or refuse them as while it
    restarts (PostgreSQL changes that only from another database)."""
    s = connection.settings_dict
    database = connection.ops.quote_name(s["NAME"])
    with psycopg.connect(
        dbname="postgres",
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute(f"ALTER DATABASE {database} WITH ALLOW_CONNECTIONS {str(allow).lower()}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_outlives_a_database_that_refuses_it(postgres, demo, tmp_path, settings):
    """The worker's connection is killed while the database refuses new ones
    (as during a restart); a document asked for meanwhile is made once the
    database lets it in again, by the same process."""
    settings.MEDIA_ROOT = tmp_path / "media"
    name = f"prioritering-test-worker-{os.getpid()}"
    log = tmp_path / "worker.log"
    worker = start_worker(
        log,
        {
            "DATABASE_URL": database_url(connection.settings_dict),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PGAPPNAME": name,  # libpq's own variable: how to find its connection
        },
        "--interval",
        "0.2",
    )
    mine = "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
    try:
        wait_for(lambda: execute(mine, [name]), 60, "the worker to connect")
        allow_connections(False)
        execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            [name],
        )
        round = make_round()
        document, _ = generate.request_document(
            round,
            ANALYSIS_XLSX,
            by=demo["controller"],
            analysis=analysis_of(round, "Bildningsförvaltningen"),
        )
        wait_for(lambda: waiting(worker, log), 60, "the worker to notice")
        assert worker.poll() is None, log.read_text()
        allow_connections(True)

        def done():
            document.refresh_from_db()
            return document.status == DocumentStatus.DONE

        wait_for(done, 60, "the document")
        assert (Path(settings.MEDIA_ROOT) / document.file.name).stat().st_size == document.size
        assert Document.objects.get(pk=document.pk).attempts == 1
        assert worker.poll() is None, log.read_text()
    finally:
        allow_connections(True)
        code = stop(worker)
    assert code == 0, log.read_text()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_outlives_its_connection_killed_during_a_task(postgres, tmp_path):
    """The task that was running is left unfinished (a document would be run
    again once stale); the next one is run by the same process."""
    name = f"prioritering-test-worker-{os.getpid()}"
    log = tmp_path / "worker.log"
    env = {"DATABASE_URL": database_url(connection.settings_dict), "PGAPPNAME": name}
    worker = start_worker(log, env, "--interval", "0.2")
    sleeping = "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND query LIKE %s"
    try:
        interrupted = sleep_in_the_database.enqueue()
        wait_for(lambda: execute(sleeping, [name, "%pg_sleep%"]), 60, "the task to run")
        execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            [name],
        )
        wait_for(lambda: waiting(worker, log), 60, "the worker to notice")
        assert worker.poll() is None, log.read_text()
        after = add.enqueue(1, 2)
        wait_for(
            lambda: DBTaskResult.objects.get(pk=after.id).status == "SUCCESSFUL",
            60,
            "the next task",
        )
        assert DBTaskResult.objects.get(pk=interrupted.id).status != "SUCCESSFUL"
        assert worker.poll() is None, log.read_text()
    finally:
        code = stop(worker)
    assert code == 0, log.read_text()
