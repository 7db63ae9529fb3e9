"""A database that cannot be reached, for real, in the test's own process.

``Outage.start()`` points the connection at a database that is not there — on
SQLite a file in a folder that does not exist, on PostgreSQL a port nobody
listens on — so the next query fails to connect, as it does while the server
restarts. The test's connection is put aside, not closed (closing would drop
SQLite's in-memory test database), and ``end()`` puts it back.

Only for tests with ``transaction=True``: a failed connect forgets the atomic
blocks Django was in, and a plain test runs inside one.
"""

import socket
import tempfile
import uuid
from pathlib import Path

from django.db import connections


def closed_port() -> int:
    """A local port nobody listens on (the system just handed it out and it is
    closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Outage:
    def __init__(self, alias: str = "default"):
        self.connection = connections[alias]
        self.saved = None

    def start(self, **settings) -> None:
        """Cut the connection: it opens ``settings`` (by default, nowhere)."""
        connection = self.connection
        if not settings:
            if connection.vendor == "sqlite":
                missing = Path(tempfile.gettempdir()) / f"no-such-folder-{uuid.uuid4().hex}"
                settings = {"NAME": str(missing / "db.sqlite3")}
            else:
                settings = {"HOST": "127.0.0.1", "PORT": str(closed_port())}
        self.saved = (connection.connection, dict(connection.settings_dict))
        connection.connection = None
        connection.settings_dict.update(settings)

    def end(self) -> None:
        if self.saved is None:
            return
        connection = self.connection
        if connection.connection is not None:
            connection.close()  # whatever was opened at the other settings
        connection.connection, settings = self.saved
        connection.settings_dict.update(settings)
        self.saved = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.end()
