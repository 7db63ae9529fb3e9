"""The history of every model a user edits.

We record history with django-simple-history: one shadow table per model,
written on every ``save()`` and ``delete()`` with the user of the request.
It works on SQLite and PostgreSQL alike, but — like every signal-based audit
library — it cannot see ``QuerySet.update()``, ``bulk_create()`` or
``bulk_update()``. Audited models therefore use :class:`AuditedQuerySet`, which
refuses those calls, so no write can slip past the history.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class AuditBypassError(RuntimeError):
    """A bulk write was attempted on an audited model."""


class AuditedQuerySet(models.QuerySet):
    def _refuse(self, operation: str):
        raise AuditBypassError(
            f"{operation}() on {self.model.__name__} would bypass the history; "
            "save() each object instead."
        )

    def update(self, **kwargs):
        self._refuse("update")

    def bulk_create(self, *args, **kwargs):
        self._refuse("bulk_create")

    def bulk_update(self, *args, **kwargs):
        self._refuse("bulk_update")


def history(**kwargs) -> HistoricalRecords:
    """HistoricalRecords as every audited model here uses it."""
    kwargs.setdefault("cascade_delete_history", False)
    return HistoricalRecords(**kwargs)


def is_audited(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def save_as(obj, by, reason: str | None = None, **save_kwargs) -> None:
    """Save ``obj`` with its history row naming ``by`` (and why).

    Inside a request the history middleware names the user; services also run
    from commands and tests, so they say who acts."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    try:
        obj.save(**save_kwargs)
    finally:
        obj.__dict__.pop("_history_user", None)
        obj.__dict__.pop("_change_reason", None)


def delete_as(obj, by, reason: str | None = None) -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.delete()


def set_m2m_as(obj, field: str, values, by) -> None:
    """Set a many-to-many field with its history row naming ``by``."""
    obj._history_user = by
    try:
        getattr(obj, field).set(values)
    finally:
        obj.__dict__.pop("_history_user", None)
