"""Genomförande och uppföljning: the round's follow-up periods and the
förvaltningar's reports on each decided proposal (see DESIGN.md, phase 6, and
the source's "Moment för uppföljningsarbete": tertial-, delårs- and
årsrapporter propose measures for deviations and are the ground for the next
round).

The models were born in ``rounds`` and keep its tables, their history tables
included (``db_table``, ``table_name``): moving them to this app changed no
row (migrations ``followup.0001_initial``, ``ranking.0008`` and
``rounds.0005`` change Django's state only)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models.analysis import AnalysisStatus
from rounds.models.organisation import AuditedManager
from rounds.models.proposal import Grad, Proposal
from rounds.models.round import Round


class PeriodKind(models.IntegerChoices):
    """The three reports of the municipal year, in their order."""

    TERTIAL_1 = 1, _("Tertial 1 (januari–april)")
    DELAR = 2, _("Delår (januari–augusti)")
    ARSBOKSLUT = 3, _("Årsbokslut")


# How many months of the budget year each period's outcome covers: the
# decided amount for the year is spread evenly over them (periodiserad budget).
PERIOD_MONTHS = {PeriodKind.TERTIAL_1: 4, PeriodKind.DELAR: 8, PeriodKind.ARSBOKSLUT: 12}


class FollowUpPeriod(models.Model):
    """One follow-up period of a round, with the day its reports are due."""

    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="follow_up_periods",
        verbose_name=_("omgång"),
    )
    kind = models.PositiveSmallIntegerField(_("period"), choices=PeriodKind.choices)
    deadline = models.DateField(_("sista dag för rapporten"))

    objects = AuditedManager()
    history = history(table_name="rounds_historicalfollowupperiod")

    class Meta:
        db_table = "rounds_followupperiod"
        verbose_name = _("uppföljningsperiod")
        verbose_name_plural = _("uppföljningsperioder")
        ordering = ["round", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="followup_period_unique_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.round.budget_year}"

    @property
    def months(self) -> int:
        return PERIOD_MONTHS[PeriodKind(self.kind)]

    @property
    def slug(self) -> str:
        return SLUGS[PeriodKind(self.kind)]


# The periods in URLs: /omgangar/2026/uppfoljning/delar/
SLUGS = {
    PeriodKind.TERTIAL_1: "tertial-1",
    PeriodKind.DELAR: "delar",
    PeriodKind.ARSBOKSLUT: "arsbokslut",
}
KIND_BY_SLUG = {slug: kind for kind, slug in SLUGS.items()}


class Progress(models.TextChoices):
    """Where the carrying out of a decided proposal stands (genomförandestatus)."""

    EJ_PABORJAD = "ej_paborjad", _("Ej påbörjad")
    ENLIGT_PLAN = "enligt_plan", _("Enligt plan")
    MINDRE_AVVIKELSE = "mindre_avvikelse", _("Mindre avvikelse")
    STORRE_AVVIKELSE = "storre_avvikelse", _("Större avvikelse")
    GENOMFORD = "genomford", _("Genomförd")
    AVBRUTEN = "avbruten", _("Avbruten")


# A report with one of these states what deviates, and (but for a cancelled
# proposal, whose measures are its ending) what the förvaltning proposes.
DEVIATING = frozenset({Progress.MINDRE_AVVIKELSE, Progress.STORRE_AVVIKELSE, Progress.AVBRUTEN})
NEEDS_MEASURES = frozenset({Progress.MINDRE_AVVIKELSE, Progress.STORRE_AVVIKELSE})
# Not finished: what may be carried over into the next round.
UNFINISHED = frozenset(
    {
        Progress.EJ_PABORJAD,
        Progress.MINDRE_AVVIKELSE,
        Progress.STORRE_AVVIKELSE,
        Progress.AVBRUTEN,
    }
)


class FollowUpReport(models.Model):
    """The responsible förvaltning's report on one decided proposal for one
    period: a draft until submitted; the controller may return it, as an
    analysis, with a comment."""

    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("period"),
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        related_name="follow_up_reports",
        verbose_name=_("förslag"),
    )
    state = models.CharField(
        _("status för rapporten"),
        max_length=20,
        choices=AnalysisStatus.choices,
        default=AnalysisStatus.DRAFT,
    )
    progress = models.CharField(
        _("genomförandestatus"), max_length=20, choices=Progress.choices, blank=True
    )
    cost_outcome_tkr = models.IntegerField(
        _("kostnadsutfall hittills i år (tkr)"),
        null=True,
        blank=True,
        help_text=_("Utfallet från årets början till och med periodens slut, i tusental kronor."),
    )
    effect_achieved = models.PositiveSmallIntegerField(
        _("uppnådd effekt"), choices=Grad.choices, null=True, blank=True
    )
    effect_text = models.TextField(_("beskrivning av uppnådd effekt"), blank=True)
    deviation = models.TextField(_("avvikelse"), blank=True)
    measures = models.TextField(_("föreslagna åtgärder"), blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
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

    objects = AuditedManager()
    history = history(excluded_fields=["updated_at"], table_name="rounds_historicalfollowupreport")

    class Meta:
        db_table = "rounds_followupreport"
        verbose_name = _("uppföljningsrapport")
        verbose_name_plural = _("uppföljningsrapporter")
        ordering = ["period", "proposal__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "proposal"], name="followup_report_unique_proposal"
            ),
            models.CheckConstraint(
                condition=~Q(state="inlamnad") | ~Q(progress=""),
                name="followup_report_submitted_has_progress",
            ),
        ]

    def __str__(self):
        return f"{self.proposal.reference} – {self.period.get_kind_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.state == AnalysisStatus.SUBMITTED

    @property
    def is_deviating(self) -> bool:
        return self.progress in DEVIATING


class DecidingBody(models.TextChoices):
    """Who decides on the measures a period's reports propose (the source:
    "Beslut i nämnder, KS och KF om hantering")."""

    NAMND = "namnd", _("Nämnd")
    KS = "ks", _("Kommunstyrelsen")
    KF = "kf", _("Kommunfullmäktige")


class PeriodDecision(models.Model):
    """A decision of a nämnd, the kommunstyrelse or the kommunfullmäktige on
    the measures proposed in one follow-up period: its date, paragraph (§) and
    what was decided. Recorded by the controller, corrected in place with the
    history kept."""

    period = models.ForeignKey(
        FollowUpPeriod,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("uppföljningsperiod"),
    )
    body = models.CharField(_("organ"), max_length=5, choices=DecidingBody.choices)
    namnd = models.ForeignKey(
        "rounds.Namnd",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nämnd"),
    )
    decision_date = models.DateField(_("sammanträdesdatum"))
    paragraph = models.CharField(_("paragraf (§)"), max_length=20)
    text = models.TextField(_("beslut"))
    recorded_at = models.DateTimeField(_("registrerat"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("beslut om åtgärder i uppföljningen")
        verbose_name_plural = _("beslut om åtgärder i uppföljningen")
        ordering = ["decision_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body="namnd", namnd__isnull=False)
                | (~Q(body="namnd") & Q(namnd__isnull=True)),
                name="period_decision_namnd_only_for_a_namnd",
            ),
            models.CheckConstraint(condition=~Q(paragraph=""), name="period_decision_paragraph"),
            models.CheckConstraint(condition=~Q(text=""), name="period_decision_text"),
        ]

    def __str__(self):
        return f"{self.body_name} {self.decision_date} § {self.paragraph}"

    @property
    def body_name(self) -> str:
        """The nämnd's name, or Kommunstyrelsen / Kommunfullmäktige."""
        if self.body == DecidingBody.NAMND and self.namnd_id:
            return self.namnd.name
        return self.get_body_display()


class ImplementationPart(models.TextChoices):
    """Where a decided proposal is taken in: the three steering documents of
    the nämnd (the source's step "Genomförande")."""

    VERKSAMHETSPLAN = "vp", _("Verksamhetsplan")
    BUDGET = "budget", _("Budget")
    INTERNKONTROLLPLAN = "ikp", _("Internkontrollplan")


# Short names of the parts, as the overview and the report name them ("VP 12 mars 2027").
PART_SHORT = {
    ImplementationPart.VERKSAMHETSPLAN: _("VP"),
    ImplementationPart.BUDGET: _("Budget"),
    ImplementationPart.INTERNKONTROLLPLAN: _("IKP"),
}
REFERENCE_MAX = 200


class Implementation(models.Model):
    """Genomförande: where a decided proposal was taken into its nämnd's
    verksamhetsplan, budget and internkontrollplan — each part with the date
    and a reference (e.g. "VP 2027 avsnitt 4.2", "KF § 112", "IKP 2027 punkt
    3"), recorded as it happens, so each part is optional — and a comment.
    One per proposal decided to be carried out; written by
    ``followup.services.record_implementation``, its history kept."""

    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.PROTECT,
        related_name="implementation",
        verbose_name=_("förslag"),
    )
    vp_date = models.DateField(_("datum i verksamhetsplanen"), null=True, blank=True)
    vp_reference = models.CharField(
        _("referens i verksamhetsplanen"), max_length=REFERENCE_MAX, blank=True
    )
    budget_date = models.DateField(_("datum i budgeten"), null=True, blank=True)
    budget_reference = models.CharField(
        _("referens i budgeten"), max_length=REFERENCE_MAX, blank=True
    )
    ikp_date = models.DateField(_("datum i internkontrollplanen"), null=True, blank=True)
    ikp_reference = models.CharField(
        _("referens i internkontrollplanen"), max_length=REFERENCE_MAX, blank=True
    )
    comment = models.TextField(_("kommentar"), blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    objects = AuditedManager()
    history = history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("genomförande")
        verbose_name_plural = _("genomföranden")
        constraints = [
            # A part is recorded with both its date and its reference, or not at all.
            models.CheckConstraint(
                condition=Q(**{f"{part}_date__isnull": True, f"{part}_reference": ""})
                | (Q(**{f"{part}_date__isnull": False}) & ~Q(**{f"{part}_reference": ""})),
                name=f"implementation_{part}_date_and_reference",
            )
            for part in ("vp", "budget", "ikp")
        ]

    def __str__(self):
        return f"{self.proposal.reference} – {_('genomförande')}"

    def part(self, part: str) -> tuple:
        """(date, reference) of one part; (None, "") when not recorded."""
        return getattr(self, f"{part}_date"), getattr(self, f"{part}_reference")
