"""PostgreSQL-only behaviour (skipped on SQLite, required in CI)."""

import psycopg
import pytest
from django.db import close_old_connections, connection

from rounds.models import Namnd


def other_connection():
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_app_survives_a_database_restart(postgres):
    """A connection the server dropped (restart, failover) is replaced on the next
    request instead of failing it: CONN_HEALTH_CHECKS with persistent connections."""
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    Namnd.objects.count()
    pid = connection.connection.info.backend_pid
    with other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    close_old_connections()  # what Django does at the start of every request
    assert Namnd.objects.count() == 0
    assert connection.connection.info.backend_pid != pid
