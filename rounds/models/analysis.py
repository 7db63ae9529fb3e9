"""The verksamhetsanalys: per förvaltning and round, a grid of perspektiv ×
column, whose items in the last two columns become proposals."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models.organisation import AuditedManager, Forvaltning
from rounds.models.round import ListItem, Phase, Round


class AnalysisStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "inlamnad", _("Inlämnad")
    RETURNED = "aterlamnad", _("Återlämnad")


class AnalysisColumn(models.IntegerChoices):
    NULAGE = 1, _("Nuläge")
    FRAMTID = 2, _("Framtid och omvärld")
    NYA_RESURSER = 3, _("Situationer och åtgärder som behöver nya resurser")
    RANSONERA = 4, _("Situationer och åtgärder som kan ransoneras eller effektiviseras")


# Items in these columns can be turned into proposals.
PROPOSAL_COLUMNS = {AnalysisColumn.NYA_RESURSER, AnalysisColumn.RANSONERA}


class Analysis(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="analyses", verbose_name=_("omgång")
    )
    forvaltning = models.ForeignKey(
        Forvaltning,
        on_delete=models.PROTECT,
        related_name="analyses",
        verbose_name=_("förvaltning"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AnalysisStatus.choices, default=AnalysisStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inlämnad av"),
    )
    returned_at = models.DateTimeField(_("återlämnad"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återlämnad av"),
    )
    return_comment = models.TextField(_("kommentar vid återlämning"), blank=True)
    extended_until = models.DateField(
        _("förlängd till"),
        null=True,
        blank=True,
        help_text=_("Ny sista dag för förvaltningen, satt av controllern."),
    )

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("verksamhetsanalys")
        verbose_name_plural = _("verksamhetsanalyser")
        ordering = ["forvaltning__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "forvaltning"], name="analysis_unique_forvaltning"
            ),
        ]

    def __str__(self):
        return _("Verksamhetsanalys %(year)s, %(forvaltning)s") % {
            "year": self.round.budget_year,
            "forvaltning": self.forvaltning.name,
        }

    @property
    def deadline(self) -> datetime.date | None:
        """The last day the förvaltning may work: an extension, or the phase's."""
        return self.extended_until or self.round.deadline(Phase.VERKSAMHETSANALYS)

    def deadline_passed(self, today: datetime.date | None = None) -> bool:
        deadline = self.deadline
        return deadline is not None and (today or timezone.localdate()) > deadline


class AnalysisItem(models.Model):
    """One line in a cell of the grid."""

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="items", verbose_name=_("analys")
    )
    perspektiv = models.ForeignKey(
        ListItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("perspektiv")
    )
    column = models.PositiveSmallIntegerField(_("kolumn"), choices=AnalysisColumn.choices)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("ordning"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("analyspunkt")
        verbose_name_plural = _("analyspunkter")
        ordering = ["perspektiv__position", "column", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def can_become_proposal(self) -> bool:
        return self.column in PROPOSAL_COLUMNS
