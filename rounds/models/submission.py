"""A form submitted once: the submit key a POST form carries, claimed by the
first request that brings it, with the response it got — so a double click,
or a browser sending the form again, gets that response and writes nothing
(``prioritering.transactions``)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a key is kept: long enough for any resubmission of a page.
KEPT = datetime.timedelta(days=2)


class SubmittedForm(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("användare"),
    )
    key = models.CharField(_("nyckel"), max_length=64)
    path = models.CharField(_("adress"), max_length=500)
    created_at = models.DateTimeField(_("skickat"), default=timezone.now, db_index=True)
    # What was sent (a hash of the fields): the same key with other fields is
    # another submission (a form changed after Back), not a repeat.
    fingerprint = models.CharField(_("innehållets kontrollsumma"), max_length=64, blank=True)
    # The response the first request got (what a repeat gets), byte for byte.
    status = models.PositiveSmallIntegerField(_("status"), null=True)
    location = models.CharField(_("vidare till"), max_length=2000, blank=True)
    content = models.BinaryField(_("svar"), blank=True, default=b"")
    content_type = models.CharField(_("innehållstyp"), max_length=100, blank=True)
    headers = models.JSONField(_("htmx-huvuden"), default=dict, blank=True)

    class Meta:
        verbose_name = _("skickat formulär")
        verbose_name_plural = _("skickade formulär")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submittedform_unique_key"),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
