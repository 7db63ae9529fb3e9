"""Shared fixtures: the demo's cast of users, and the rules for optional tests.

Tests that need Chromium or PostgreSQL skip with a message on a machine without
them. CI sets PRIORITERING_REQUIRE_BROWSER=1 and PRIORITERING_REQUIRE_POSTGRES=1,
and then such a skip fails the run instead.
"""

import os

import pytest
from django.db import connection
from django.utils import translation

from demo.loading import load_demo
from demo.organisation import DEMO_PASSWORD
from rounds.importing import workbook as workbook_module
from rounds.models import User

REQUIRE_BROWSER = os.environ.get("PRIORITERING_REQUIRE_BROWSER") == "1"
REQUIRE_POSTGRES = os.environ.get("PRIORITERING_REQUIRE_POSTGRES") == "1"


def skip_or_fail(reason: str, required: bool):
    if required:
        pytest.fail(f"{reason} (required in this run)")
    pytest.skip(reason)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped browser or PostgreSQL test is a failure."""
    if not (REQUIRE_BROWSER or REQUIRE_POSTGRES):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"{len(skipped)} test(s) skipped, but this run requires every test to run.",
            red=True,
        )
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def swedish():
    """Each test starts in Swedish: a request in English must not leak into the next."""
    with translation.override("sv"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the meeting view caches its table
    by round and stamp, and ids repeat from one test's database to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (set DATABASE_URL=postgres://…)", REQUIRE_POSTGRES)


@pytest.fixture(scope="module")
def demo_rounds(django_db_setup, django_db_blocker):
    """The demo with its rounds as `make run` loads them (2026 published and
    followed up, 2027 in the forum phase), loaded once for the module that
    asks for it and rolled back after its last test; each test runs in a
    savepoint within, so what it changes is undone. A module that needs
    another phase defines its own."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(db):
    """The demo municipality, with its users."""
    load_demo()
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def signed_in(client, demo):
    """A function that signs the test client in as a demo user and returns it."""

    def sign_in(username):
        client.force_login(demo[username])
        return client

    return sign_in


@pytest.fixture
def demo_password():
    return DEMO_PASSWORD


@pytest.fixture
def rows_read(monkeypatch) -> list[int]:
    """How many rows the import's limit check read, per sheet
    (rounds.importing.workbook), and no workbook is built while it is
    refused."""
    counts = []
    original = workbook_module._rows

    def counted(*args):
        counts.append(0)
        for row in original(*args):
            counts[-1] += 1
            yield row

    monkeypatch.setattr(workbook_module, "_rows", counted)
    monkeypatch.setattr(
        workbook_module, "load_workbook", lambda *a, **k: pytest.fail("the workbook was built")
    )
    return counts
