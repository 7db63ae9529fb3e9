"""Telling a database that cannot be reached from a query that went wrong.

The pages (DatabaseUnavailableMiddleware, the health check) and the document
worker (``manage.py worker``) wait out the first — a 503 page, a back-off — and
let the second through as the bug it is.
"""

from collections.abc import Iterator

import psycopg
from django.db import InterfaceError, OperationalError, connections

# What a lost or refused connection raises: Django's wrappers, and psycopg's
# own for code that meets the driver directly.
DISCONNECTS = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and those it was raised from or while handling (Django's
    SessionMiddleware turns a failed save into UpdateError, then into
    SessionInterrupted)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def lost_connection(error: BaseException) -> BaseException | None:
    """The database error behind ``error`` if it is a lost or refused connection.

    An OperationalError alone does not say so: SQLite raises it for "no such
    table" too, and PostgreSQL for a deadlock. So the connection must also be
    gone (it could not be opened, or Django dropped it) or no longer answer.
    """
    cause = next((e for e in _chain(error) if isinstance(e, DISCONNECTS)), None)
    if cause is None:
        return None
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or not connection.is_usable():
            return cause
    return None


def describe(error: BaseException) -> str:
    """One line for the log: the error's class and the first line of its message."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}".strip().rstrip(":")
