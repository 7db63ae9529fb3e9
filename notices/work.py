"""Open work with a deadline, by user: what the reminders list, and what a
phase notice tells each person who has work in the new phase.

Each domain app registers a provider when it is ready (its ``apps.py``), as
the start page's tasks are registered: notices imports no app. A provider gets
the rounds to look at and answers, per user, the unfinished work waiting for
that user in them, each item with its deadline and a link — the same work
"Mina uppgifter" lists. It decides the recipients by the access rules: work
is only ever listed for a user who may do it.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from notices.mail import link


@dataclass(frozen=True)
class WorkItem:
    text: str  # translated when the provider runs: call it in the recipient's language
    deadline: datetime.date | None
    path: str  # the page where the work is done, without the site's address
    kommun: str = ""


# provider(rounds) -> {user: [WorkItem, …]}: rounds is a list of Round objects
# (their kommun and deadlines read), or None for every round in play; the
# provider reads the rest.
Provider = Callable[[list | None], dict]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def open_work(rounds: Iterable | None) -> dict:
    """Every provider's work in ``rounds`` (None: every round in play), by
    user (a user object as key, one object per user), each user's items by
    deadline."""
    rounds = None if rounds is None else list(rounds)
    found: dict = {}
    users: dict = {}
    for provider in PROVIDERS:
        for user, items in provider(rounds).items():
            user = users.setdefault(user.pk, user)
            found.setdefault(user, []).extend(items)
    far = datetime.date.max
    return {
        user: sorted(items, key=lambda item: (item.deadline or far, item.text))
        for user, items in found.items()
    }


def open_work_by_language(rounds: Iterable | None) -> dict[str, dict]:
    """:func:`open_work` in each of the site's languages, its texts in that
    language: a mail lists the work in its recipient's language."""
    rounds = None if rounds is None else list(rounds)
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found[code] = open_work(rounds)
    return found


def linked(item: WorkItem) -> dict:
    """An item as a mail's template shows it: text, deadline and full address."""
    return {"text": item.text, "deadline": item.deadline, "url": link(item.path)}
