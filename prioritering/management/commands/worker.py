"""``manage.py worker``: django-tasks-db's ``db_worker``, outliving the database.

db_worker stops at the first database error it does not expect: when PostgreSQL
restarts, or the worker's connection is killed, the process ends and a document
asked for afterwards waits for ever. This command takes db_worker's options and
runs its loop — which also closes stale connections between tasks — and when
the database cannot be reached it closes the broken connections, logs one line
and starts the loop again after 1, 2, 4 … at most 30 seconds, until the
database answers and the queued documents are made.

A document that was being made when the connection went is left unfinished;
after DOCUMENT_STALE_SECONDS it may be run again, as after any worker that died
(documents.generate). Any other error stops the worker as before, and
SIGTERM or Ctrl-C stops it while it waits. --max-tasks counts across the waits.
"""

import logging
import os
import time
from collections.abc import Iterator

from django.core.management.base import CommandError
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from prioritering.database import describe, lost_connection

log = logging.getLogger(__name__)

FIRST_WAIT = 1.0
LONGEST_WAIT = 30.0


def waits(first: float = FIRST_WAIT, longest: float = LONGEST_WAIT) -> Iterator[float]:
    """1, 2, 4, 8, 16, 30, 30 … seconds."""
    wait = first
    while True:
        yield wait
        wait = min(wait * 2, longest)


class Worker(db_worker.Worker):
    def run(self) -> None:
        backoff = waits()
        while not self._done():
            started = time.monotonic()
            try:
                return super().run()
            except Exception as error:
                cause = lost_connection(error)
                if cause is None:
                    raise
                connections.close_all()
                if not self.running:
                    log.warning("worker: database unreachable while stopping (%s)", describe(cause))
                    return
                if time.monotonic() - started > LONGEST_WAIT:
                    backoff = waits()  # it had worked for a while: a new outage
                wait = next(backoff)
                log.warning(
                    "worker: database unreachable (%s); trying again in %g s",
                    describe(cause),
                    wait,
                )
                self.wait(wait)

    def wait(self, seconds: float) -> None:
        time.sleep(seconds)  # SIGTERM and Ctrl-C end it (db_worker's handler exits)

    def _done(self) -> bool:
        """--max-tasks reached: a task that met the lost connection counts too."""
        return self.max_tasks is not None and self._run_tasks >= self.max_tasks


class Command(db_worker.Command):
    help = "Run the background worker (documents); it waits out a database that does not answer."

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        """db_worker's own handle(), with this module's Worker."""
        self.configure_logging(verbosity)
        if reload and batch:
            db_worker.logger.warning("--reload and --batch cannot be used together: no reload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child, which runs the worker
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
