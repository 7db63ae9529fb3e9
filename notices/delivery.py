"""Delivering the outbox: a task per mail, tried again until it is sent.

The task claims the mail for one attempt (an UPDATE that only one run can
win), sends it through Django's mail backend (SMTP in production) and records
the outcome. When the mail server is down the mail stays in the outbox with
the attempt and the error, and the task enqueues itself again after a delay
that grows (1, 2, 4 … minutes, at most :data:`LONGEST_WAIT`) — a mail
server that is down delays mail and loses none. A mail that is sent is never
sent again: the claim, and ``sent_at``, see to that.

``requeue_unsent`` picks up mails whose task went missing (a process that
died between the commit and the enqueue); ``send_reminders`` calls it daily.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from notices.models import OutgoingMail

log = logging.getLogger(__name__)

QUEUE = "mail"
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
# How long an attempt holds its claim: a run that died while sending lets
# another try after this.
CLAIM = timedelta(minutes=5)


def wait_after(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the first, second, third failed attempt, at most 6 hours."""
    return min(FIRST_WAIT * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def enqueue(mail_id: int, run_after=None) -> None:
    if run_after is None:
        deliver_mail.enqueue(mail_id)
    else:
        deliver_mail.using(run_after=run_after).enqueue(mail_id)


@task(queue_name=QUEUE)
def deliver_mail(mail_id: int) -> str:
    """The background task that sends one mail."""
    return deliver(mail_id)


def _claim(mail_id: int, now) -> OutgoingMail | None:
    """This run's attempt, or None when the mail is sent or another run holds it."""
    due = Q(next_attempt__isnull=True) | Q(next_attempt__lte=now)
    claimed = OutgoingMail.objects.filter(Q(pk=mail_id, sent_at__isnull=True) & due).update(
        attempts=F("attempts") + 1, last_attempt_at=now, next_attempt=now + CLAIM
    )
    return OutgoingMail.objects.get(pk=mail_id) if claimed else None


def message(mail: OutgoingMail) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_address],
        headers={
            "Auto-Submitted": "auto-generated",
            "Content-Language": mail.language,
            "X-Prioritering-Notice": mail.kind,
        },
    )
    email.attach_alternative(mail.html, "text/html")
    return email


def deliver(mail_id: int) -> str:
    """Send the mail once. Returns what became of it: ``sent``, ``retry``
    (the server refused or did not answer: tried again later) or
    ``skipped`` (already sent, or not ours to try now)."""
    now = timezone.now()
    with transaction.atomic():
        mail = _claim(mail_id, now)
    if mail is None:
        return "skipped"
    try:
        message(mail).send()  # the default mailer (settings.MAILERS)
    except Exception as error:  # the server down, refusing, timing out…
        wait = wait_after(mail.attempts)
        retry_at = timezone.now() + wait
        OutgoingMail.objects.filter(pk=mail.pk, sent_at__isnull=True).update(
            last_error=f"{type(error).__name__}: {error}"[:2000], next_attempt=retry_at
        )
        log.warning(
            "mail %s attempt %s failed (%s); next try in %s",
            mail.pk,
            mail.attempts,
            type(error).__name__,
            wait,
        )
        enqueue(mail.pk, run_after=retry_at)
        return "retry"
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(), next_attempt=None, last_error=""
    )
    log.info("mail %s sent (attempt %s)", mail.pk, mail.attempts)
    return "sent"


def requeue_unsent(older_than: timedelta = timedelta(hours=1)) -> int:
    """Enqueue a task for each unsent mail that should have been tried more
    than ``older_than`` ago: one whose task was lost. A mail that has its
    task still waiting gets a second one, which finds it claimed or sent."""
    now = timezone.now()
    limit = now - older_than
    late = OutgoingMail.objects.filter(sent_at__isnull=True).filter(
        Q(next_attempt__lte=limit) | Q(next_attempt__isnull=True, created__lte=limit)
    )
    ids = list(late.values_list("pk", flat=True))
    for mail_id in ids:
        enqueue(mail_id)
    return len(ids)
