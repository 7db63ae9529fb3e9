"""Faktaunderlag: the facts behind an analysis item or a proposal — a
report, statistics, a survey — as files, checked like every upload
(``rounds.uploads``) and kept in the history when removed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models.analysis import AnalysisItem
from rounds.models.organisation import AuditedManager
from rounds.models.proposal import Proposal
from rounds.models.round import stamped_path

TITLE_MAX = 200


def faktaunderlag_path(instance, filename: str) -> str:
    return stamped_path("faktaunderlag", instance.round_year, filename)


class Faktaunderlag(models.Model):
    """One file of facts, on a proposal or on an analysis item (exactly one)."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="faktaunderlag",
        verbose_name=_("förslag"),
    )
    analysis_item = models.ForeignKey(
        AnalysisItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="faktaunderlag",
        verbose_name=_("punkt i verksamhetsanalysen"),
    )
    title = models.CharField(_("vad underlaget visar"), max_length=TITLE_MAX, blank=True)
    file = models.FileField(_("fil"), upload_to=faktaunderlag_path)
    name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uppladdat"), default=timezone.now)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("faktaunderlag")
        verbose_name_plural = _("faktaunderlag")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, analysis_item__isnull=True)
                | Q(proposal__isnull=True, analysis_item__isnull=False),
                name="faktaunderlag_on_one_thing",
            ),
        ]

    def __str__(self):
        return self.title or self.name

    @property
    def round_year(self) -> int:
        owner = self.proposal or self.analysis_item.analysis
        return owner.round.budget_year

    @property
    def shown_title(self) -> str:
        return self.title or self.name
