"""Helpers of the notice tests: run the worker, read a message."""

from django.core.management import call_command


def deliver():
    """What the worker does: run the mail queue's due tasks until none is left."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "mail", verbosity=0)


def address(username: str) -> str:
    return f"{username}@exempelkommun.se"


def parts(message) -> tuple[str, str]:
    """The plain text and the HTML alternative of a message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html
