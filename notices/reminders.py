"""Reminders: each user whose unfinished work is due within N days gets one
mail listing that work, at most one a day.

The work is what the apps' providers answer (``notices.work``): the same
items as "Mina uppgifter". A reminder is recorded as a :class:`ReminderSent`
row, unique per user and day, written in the transaction that puts the mail
in the outbox: a second run the same day — or one running at the same time
on PostgreSQL, which waits for the first's row and then finds it — sends
nothing twice.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notices import work
from notices.mail import language_of, link, queue_mail, recipients
from notices.models import NoticeKind, ReminderSent

log = logging.getLogger(__name__)

DEFAULT_DAYS = 7


@dataclass
class Reminder:
    user: object
    items: list[work.WorkItem]
    sent: bool = False


def due(items, today: datetime.date, days: int) -> list[work.WorkItem]:
    """The items whose deadline is today or within ``days`` days (work past
    its deadline can no longer be done, and work without one is not due)."""
    last = today + datetime.timedelta(days=days)
    return [item for item in items if item.deadline and today <= item.deadline <= last]


def reminders(days: int = DEFAULT_DAYS, today: datetime.date | None = None) -> list[Reminder]:
    """Whom to remind of what today, in each one's language; nothing is written."""
    today = today or timezone.localdate()
    by_language = work.open_work_by_language(None)
    users = {}
    for found in by_language.values():
        for user in found:
            users.setdefault(user.pk, user)
    result = []
    for user in recipients(users.values(), NoticeKind.REMINDER):
        items = next(
            (
                items
                for person, items in by_language[language_of(user)].items()
                if person.pk == user.pk
            ),
            [],
        )
        items = due(items, today, days)
        if items:
            result.append(Reminder(user, items))
    return result


def send(reminder: Reminder, today: datetime.date) -> bool:
    """Record the day's reminder and put its mail in the outbox, or nothing
    when the user was already reminded today."""
    user = reminder.user
    try:
        with transaction.atomic():
            record = ReminderSent.objects.create(user=user, day=today)
            record.mail = queue_mail(
                user,
                NoticeKind.REMINDER,
                "reminder",
                {
                    "items": [work.linked(item) for item in reminder.items],
                    "start_url": link(reverse("start")),
                },
                kommun=reminder.items[0].kommun,
            )
            record.save(update_fields=["mail"])
    except IntegrityError:
        log.info("reminder: user %s already reminded on %s", user.pk, today)
        return False
    reminder.sent = True
    return True
