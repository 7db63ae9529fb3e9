"""Composing a notice and putting it in the outbox.

An app calls :func:`queue_mail` where its event happens, inside the event's
transaction: the mail is rendered in the recipient's language from
``templates/notices/<template>/`` (``subject.txt``, ``body.txt``,
``body.html``), its subject prefixed with the kommun's name, and written as an
:class:`OutgoingMail`; the delivery task is enqueued once the transaction
commits. Mails hold titles, deadlines and links — never a token, never the
content of a case.
"""

import contextlib
import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from notices.models import OPTIONAL, NoticeSettings, OutgoingMail

log = logging.getLogger(__name__)

_state = threading.local()


@contextlib.contextmanager
def muted():
    """No notices while inside: the demo's loader acts out a year of events
    that nobody should be mailed about."""
    before = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = before


def is_muted() -> bool:
    """Inside :func:`muted`: a notice that is costly to work out (the open
    work of everyone in a round) need not be worked out at all."""
    return getattr(_state, "muted", False)


def link(path: str) -> str:
    """The public address of one of the app's pages (``SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


def settings_of(users: Iterable) -> dict[int, NoticeSettings]:
    """Each user's settings, the defaults for one without a row (one query)."""
    users = list(users)
    found = {s.user_id: s for s in NoticeSettings.objects.filter(user__in=[u.pk for u in users])}
    return {u.pk: found.get(u.pk) or NoticeSettings(user_id=u.pk) for u in users}


def recipients(users: Iterable, kind: str) -> list:
    """The users a notice of ``kind`` goes to: active, with an address, who
    have not turned it off; each once, in a stable order."""
    unique = {u.pk: u for u in users if u.is_active and u.email}
    chosen = settings_of(unique.values())
    if kind in OPTIONAL:
        unique = {pk: u for pk, u in unique.items() if chosen[pk].wants(kind)}
    for user in unique.values():
        user._notice_settings = chosen[user.pk]
    return sorted(unique.values(), key=lambda u: u.username)


def language_of(user) -> str:
    chosen = getattr(user, "_notice_settings", None) or settings_of([user])[user.pk]
    return chosen.language if chosen.language in dict(settings.LANGUAGES) else "sv"


def compose(user, template: str, context: dict, *, kommun: str) -> tuple[str, str, str, str]:
    """Subject, text, html and language of a notice to ``user``."""
    language = language_of(user)
    context = {
        **context,
        "user": user,
        "kommun": kommun,
        "site_url": settings.SITE_URL.rstrip("/"),
        "settings_url": link("/konto/aviseringar/"),
    }
    with translation.override(language):
        subject = render_to_string(f"notices/{template}/subject.txt", context)
        subject = " ".join(subject.split())  # one line, whatever the template
        text = render_to_string(f"notices/{template}/body.txt", context)
        html = render_to_string(f"notices/{template}/body.html", context)
    return f"{kommun}: {subject}"[:300], text, html, language


def queue_mail(
    user, kind: str, template: str, context: dict, *, kommun: str
) -> OutgoingMail | None:
    """Write the notice to ``user`` in the outbox, to be sent once the
    caller's transaction commits. The caller chose the recipients
    (:func:`recipients`). None while :func:`muted`."""
    from notices.delivery import enqueue  # (the task module imports this one)

    if is_muted():
        return None
    subject, text, html, language = compose(user, template, context, kommun=kommun)
    mail = OutgoingMail.objects.create(
        user=user,
        to_address=user.email,
        language=language,
        kind=kind,
        subject=subject,
        text=text,
        html=html,
    )
    transaction.on_commit(lambda: enqueue(mail.pk))
    log.info("mail queued id=%s kind=%s user=%s", mail.pk, kind, user.pk)
    return mail


def notify(users: Iterable, kind: str, template: str, context_for, *, kommun: str) -> int:
    """Queue a notice of ``kind`` to each of ``users`` who takes it;
    ``context_for(user)`` gives each one's context (or a dict for all).
    Returns how many were queued."""
    if is_muted():
        return 0
    count = 0
    for user in recipients(users, kind):
        context = context_for(user) if callable(context_for) else context_for
        queue_mail(user, kind, template, context, kommun=kommun)
        count += 1
    return count
