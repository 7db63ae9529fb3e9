"""The outcome per proposal: the decision (finansieras, avslås, …) with its
amount and motivation, and the rättelser made after publication. Most are the
forum's; a proposal its nämnd kept within its own frame or stopped has the
nämnd's decision instead, made when the nämnd records its result."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models import AuditedManager, Proposal, Round


class Outcome(models.TextChoices):
    FINANSIERAS = "finansieras", _("Finansieras")
    DELVIS = "delvis", _("Finansieras delvis")
    # The source keeps ransonering (less value) and effektivisering (the same
    # value for less) apart: so do the decisions.
    RANSONERAS = "ransoneras", _("Genomförs (ransonering)")
    EFFEKTIVISERAS = "effektiviseras", _("Genomförs (effektivisering)")
    INOM_RAM = "inom_ram", _("Inom nämndens ram")
    AVSLAS = "avslas", _("Avslås")
    UTREDS = "utreds", _("Utreds vidare")
    DRIVS_INTE = "drivs_inte", _("Drivs inte vidare")


#: What a nämnd decides on its own (its handling "Inom nämndens ram" and
#: "Drivs inte vidare"), and what the forum may decide on a forwarded proposal.
NAMND_OUTCOMES = (Outcome.INOM_RAM, Outcome.DRIVS_INTE)
FORUM_OUTCOMES = tuple(outcome for outcome in Outcome if outcome != Outcome.DRIVS_INTE)


class Decision(models.Model):
    """The decision on one proposal, with its motivation; for partial
    financing the amount granted år 1 (tkr). The forum's, on a forwarded
    proposal; or, with ``namnd_result`` set, the nämnd's own (its date and §
    are the result's, its motivation the result's comment), kept in step
    with the nämnd's recorded handling by ``ranking.services.namnd``."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("omgång")
    )
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="decision", verbose_name=_("förslag")
    )
    outcome = models.CharField(_("beslut"), max_length=20, choices=Outcome.choices)
    amount_tkr = models.IntegerField(_("beviljat belopp år 1 (tkr)"), null=True, blank=True)
    motivation = models.TextField(_("motivering"), blank=True)
    namnd_result = models.ForeignKey(
        "ranking.NamndResult",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("nämndens beslut"),
    )
    decided_at = models.DateTimeField(_("registrerat"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )

    objects = AuditedManager()
    history = history(excluded_fields=["decided_at"])

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="delvis", amount_tkr__isnull=False)
                | (~Q(outcome="delvis") & Q(amount_tkr__isnull=True)),
                name="decision_amount_only_when_partial",
            ),
            models.CheckConstraint(
                condition=(Q(namnd_result__isnull=True) & ~Q(outcome="drivs_inte"))
                | (Q(namnd_result__isnull=False) & Q(outcome__in=["inom_ram", "drivs_inte"])),
                name="decision_namnd_outcomes",
            ),
        ]

    def __str__(self):
        return f"{self.proposal.reference}: {self.get_outcome_display()}"

    @property
    def is_namnd_decision(self) -> bool:
        return self.namnd_result_id is not None


class DecisionCorrection(models.Model):
    """A rättelse of a published decision — kommunfullmäktige decided
    otherwise, say: the outcome that holds instead, why, who recorded it and
    when. The decision stays as it was published, beside its corrections; the
    latest correction is what holds now."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("beslut")
    )
    outcome = models.CharField(_("beslut efter rättelse"), max_length=20, choices=Outcome.choices)
    amount_tkr = models.IntegerField(_("beviljat belopp år 1 (tkr)"), null=True, blank=True)
    reason = models.TextField(_("skäl till rättelsen"))
    corrected_at = models.DateTimeField(_("rättat"), default=timezone.now)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rättat av"),
    )

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("rättelse av beslut")
        verbose_name_plural = _("rättelser av beslut")
        ordering = ["corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="delvis", amount_tkr__isnull=False)
                | (~Q(outcome="delvis") & Q(amount_tkr__isnull=True)),
                name="correction_amount_only_when_partial",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_a_reason"),
        ]

    def __str__(self):
        return f"{self.decision.proposal.reference}: {self.get_outcome_display()}"
