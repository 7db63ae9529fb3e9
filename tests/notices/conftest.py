"""A real SMTP server (aiosmtpd) on a free port of 127.0.0.1 for the notice
tests, Django's SMTP mailer pointed at it, and the worker that delivers the
outbox — the rest of the suite keeps Django's locmem mailer."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.management.commands import db_worker

SITE_URL = "https://prioritering.exempelkommun.se"


class Collector:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.handler = Collector()
        self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.envelope_to]

    def recipients(self) -> set[str]:
        return {address for m in self.messages for address in m.envelope_to}


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    settings.SITE_URL = SITE_URL
    settings.DEFAULT_FROM_EMAIL = "prioritering@exempelkommun.se"
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def worker_keeps_the_test_connection(monkeypatch):
    """As in test_documents: db_worker closes stale connections between
    tasks; here the one connection holds the test's transaction."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda **kwargs: None)
