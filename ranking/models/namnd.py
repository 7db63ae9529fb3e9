"""The nämnd's ranking of its proposals (phase "Prioritering i nämnd"): one
result per nämnd and round, recorded as the nämnd's decision, and a row per
proposal with its rank and what happens to it (Handling)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models import AuditedManager, Namnd, Proposal, Round


class Handling(models.TextChoices):
    INOM_RAM = "inom_ram", _("Inom nämndens ram")
    KOMMUNGEMENSAM = "kommungemensam", _("Till kommungemensam prioritering")
    DRIVS_INTE = "drivs_inte", _("Drivs inte vidare")


class NamndResult(models.Model):
    """One nämnd's ranking in one round: recorded as the nämnd's decision with
    its date and paragraph (§). Its rows are the NamndRanking of each proposal."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="namnd_results", verbose_name=_("omgång")
    )
    namnd = models.ForeignKey(
        Namnd, on_delete=models.PROTECT, related_name="results", verbose_name=_("nämnd")
    )
    decision_date = models.DateField(_("sammanträdesdatum"), null=True, blank=True)
    paragraph = models.CharField(_("paragraf (§)"), max_length=20, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    recorded_at = models.DateTimeField(_("registrerat"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerat av"),
    )

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("nämndens rangordning")
        verbose_name_plural = _("nämndernas rangordningar")
        constraints = [
            models.UniqueConstraint(fields=["round", "namnd"], name="namndresult_unique"),
        ]

    def __str__(self):
        return f"{self.namnd} {self.round.budget_year}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None


class NamndRanking(models.Model):
    """The nämnd's judgement of one proposal: rank 1–10, its place among the
    nämnd's proposals (the order within equal ranks) and what happens to it."""

    result = models.ForeignKey(
        NamndResult,
        on_delete=models.CASCADE,
        related_name="rankings",
        verbose_name=_("nämndens rangordning"),
    )
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="namnd_ranking", verbose_name=_("förslag")
    )
    rank = models.PositiveSmallIntegerField(
        _("rangordning"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    handling = models.CharField(_("hantering"), max_length=20, choices=Handling.choices, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("nämndens bedömning av förslag")
        verbose_name_plural = _("nämndens bedömningar av förslag")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1, rank__lte=10),
                name="namndranking_rank_1_10",
            ),
        ]

    def __str__(self):
        return f"{self.proposal.reference}: {self.rank or '–'}"
