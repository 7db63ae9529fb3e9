"""What the bodies above the forum decided on a round: the forum's result goes
on to the kommunstyrelse (KS) and the kommunfullmäktige (KF), each decision
with its date, paragraph (§), what was decided and, when there is one, the
protocol as a file."""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models import AuditedManager, Round


class Body(models.TextChoices):
    KS = "ks", _("Kommunstyrelsen")
    KF = "kf", _("Kommunfullmäktige")


PARAGRAPH_MAX = 20
TEXT_MAX = 2000


def protocol_path(instance, filename: str) -> str:
    # The stored name is not the uploaded one: no path tricks, no clashes.
    suffix = PurePath(filename).suffix.lower()
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"protokoll/{instance.round.budget_year}/{stamp}{suffix}"


class BodyDecision(models.Model):
    """One decision of KS or KF on the round's result. Corrected in place by
    the controller; every version stays in the history."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="body_decisions", verbose_name=_("omgång")
    )
    body = models.CharField(_("organ"), max_length=2, choices=Body.choices)
    decision_date = models.DateField(_("sammanträdesdatum"))
    paragraph = models.CharField(_("paragraf (§)"), max_length=PARAGRAPH_MAX)
    text = models.TextField(_("beslut"))
    protocol = models.FileField(_("protokoll"), upload_to=protocol_path, blank=True)
    protocol_name = models.CharField(_("protokollets filnamn"), max_length=200, blank=True)
    protocol_content_type = models.CharField(_("protokollets filtyp"), max_length=100, blank=True)
    protocol_size = models.PositiveIntegerField(_("protokollets storlek (byte)"), null=True)
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("beslut i KS eller KF")
        verbose_name_plural = _("beslut i KS och KF")
        ordering = ["decision_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(paragraph=""), name="bodydecision_has_paragraph"),
            models.CheckConstraint(condition=~Q(text=""), name="bodydecision_has_text"),
        ]

    def __str__(self):
        return f"{self.get_body_display()} {self.decision_date} § {self.paragraph}"
