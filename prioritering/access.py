"""Who may do what — the one place that answers it.

Every view asks :func:`require` (or :func:`may`) before it acts, and every
template asks the same question through ``{% may user "action" obj as ok %}``,
so a button is shown exactly when the server would allow its action.

Rules are default-deny: an action with no rule is a programming error
(``UnknownActionError``), and a rule that does not say yes says no. A user's
memberships are read once per request and kept on the user object.

Actions defined so far (later features add theirs here, with a test row each
in ``tests/test_access.py``):

=====================  ==================================================
``view_start``         see one's own start page ("Mina uppgifter")
``view_organisation``  read the kommun's nämnder and förvaltningar
``view_people``        read who holds which role (administratör, controller)
``administer``         the admin site: organisation, users, memberships
``change_password``    change one's own password
=====================  ==================================================
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from rounds.models import Membership, Role

security_log = logging.getLogger("prioritering.security")


class UnknownActionError(LookupError):
    """An action nobody wrote a rule for: a typo or a missing rule."""


@dataclass(frozen=True)
class Roles:
    """A user's memberships, read once, in the shapes the rules need."""

    roles: frozenset[str]
    forvaltning_ids: dict[str, frozenset[int]]
    namnd_ids: dict[str, frozenset[int]]
    is_superuser: bool = False

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def in_forvaltning(self, forvaltning_id: int, *roles: str) -> bool:
        return any(forvaltning_id in self.forvaltning_ids.get(role, ()) for role in roles)

    def in_namnd(self, namnd_id: int, *roles: str) -> bool:
        return any(namnd_id in self.namnd_ids.get(role, ()) for role in roles)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or Role.ADMINISTRATOR in self.roles


NO_ROLES = Roles(frozenset(), {}, {})


def roles_of(user) -> Roles:
    """The user's roles, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_prioritering_roles", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    forvaltningar: dict[str, set[int]] = {}
    namnder: dict[str, set[int]] = {}
    for role, forvaltning_id, namnd_id in Membership.objects.filter(user=user).values_list(
        "role", "forvaltning_id", "namnd_id"
    ):
        roles.add(role)
        if forvaltning_id:
            forvaltningar.setdefault(role, set()).add(forvaltning_id)
        if namnd_id:
            namnder.setdefault(role, set()).add(namnd_id)
    result = Roles(
        frozenset(roles),
        {role: frozenset(ids) for role, ids in forvaltningar.items()},
        {role: frozenset(ids) for role, ids in namnder.items()},
        is_superuser=user.is_superuser,
    )
    user._prioritering_roles = result
    return result


def forget_roles(user) -> None:
    """Drop the cached roles, e.g. after memberships changed in this request."""
    user.__dict__.pop("_prioritering_roles", None)


Rule = Callable[[object, Roles, object], bool]


def _signed_in(user, roles: Roles, obj) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _administer(user, roles: Roles, obj) -> bool:
    return _signed_in(user, roles, obj) and roles.is_admin


def _view_people(user, roles: Roles, obj) -> bool:
    return _signed_in(user, roles, obj) and (roles.is_admin or roles.has(Role.CONTROLLER))


RULES: dict[str, Rule] = {
    "view_start": _signed_in,
    "view_organisation": _signed_in,
    "view_people": _view_people,
    "administer": _administer,
    "change_password": _signed_in,
}


def may(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (on ``obj``) now? Default no."""
    try:
        rule = RULES[action]
    except KeyError:
        raise UnknownActionError(action) from None
    try:
        return bool(rule(user, roles_of(user), obj))
    except UnknownActionError:
        raise
    except Exception:
        # Fail closed: a rule that breaks refuses, and says so in the log.
        security_log.exception("access rule %s failed; refusing", action)
        return False


def require(user, action: str, obj=None) -> None:
    """Raise PermissionDenied unless ``may(user, action, obj)``; log the refusal."""
    if not may(user, action, obj):
        security_log.warning(
            "access refused: user=%s action=%s object=%s",
            getattr(user, "pk", None) or "anonymous",
            action,
            f"{type(obj).__name__}:{getattr(obj, 'pk', '')}" if obj is not None else "-",
        )
        raise PermissionDenied(action)
