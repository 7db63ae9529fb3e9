"""Rankings and decisions: the nämnd's ranking of its proposals (phase
"Prioritering i nämnd"), each forumdeltagare's ranks, and the forum's outcome —
the agreed order, the review (granskning), the decision per proposal and the
publication (phases "Kommunövergripande prioritering" and "Beslut")."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class ForumRank(models.Model):
    """One forumdeltagare's rank of one forwarded proposal: one row per member
    and proposal, so members never write the same row (no contention); the
    sammanvägd rangordning is computed from these rows."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="forum_ranks", verbose_name=_("omgång")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_ranks",
        verbose_name=_("forumdeltagare"),
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="forum_ranks", verbose_name=_("förslag")
    )
    rank = models.PositiveSmallIntegerField(
        _("rangordning"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    # The member's order on their own sheet, within equal ranks (0 first).
    position = models.PositiveIntegerField(_("ordning"), default=0)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = AuditedManager()
    history = history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("forumrangordning")
        verbose_name_plural = _("forumrangordningar")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "proposal"], name="forumrank_one_per_member_and_proposal"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10), name="forumrank_rank_1_10"
            ),
        ]

    def __str__(self):
        return f"{self.proposal.reference}: {self.rank}"


class ForumResult(models.Model):
    """The forum's outcome in one round: when the agreed order was recorded (its
    rows are AgreedPlace), the answers to the review questions, and when the
    round's result was published to the public."""

    round = models.OneToOneField(
        Round, on_delete=models.PROTECT, related_name="forum_result", verbose_name=_("omgång")
    )
    order_recorded_at = models.DateTimeField(_("ordning registrerad"), null=True, blank=True)
    order_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordning registrerad av"),
    )
    # The review questions (granskning) of the source and DESIGN.md.
    review_sarbehandling = models.TextField(_("risk för särbehandling"), blank=True)
    review_undantrangning = models.TextField(_("undanträngning"), blank=True)
    review_rimlighet = models.TextField(_("rimlighet"), blank=True)
    review_lagkrav = models.TextField(_("lagkrav"), blank=True)
    review_genomforbarhet = models.TextField(_("genomförbarhet"), blank=True)
    review_recorded_at = models.DateTimeField(_("granskning registrerad"), null=True, blank=True)
    review_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granskning registrerad av"),
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicerad av"),
    )

    # The versions of the controller's three whole-form pages: a form saved
    # from an older version is a conflict, not an overwrite.
    order_version = models.PositiveIntegerField(_("version av ordningen"), default=1)
    review_version = models.PositiveIntegerField(_("version av granskningen"), default=1)
    decisions_version = models.PositiveIntegerField(_("version av besluten"), default=1)

    objects = AuditedManager()
    history = history()

    REVIEW_FIELDS = (
        "review_sarbehandling",
        "review_undantrangning",
        "review_rimlighet",
        "review_lagkrav",
        "review_genomforbarhet",
    )

    class Meta:
        verbose_name = _("forumets resultat")
        verbose_name_plural = _("forumets resultat")

    def __str__(self):
        return _("Forumets resultat %(year)s") % {"year": self.round.budget_year}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_review(self) -> bool:
        return self.review_recorded_at is not None

    @property
    def has_order(self) -> bool:
        return self.order_recorded_at is not None


class AgreedPlace(models.Model):
    """A proposal's place in the forum's agreed order, with the place the
    sammanvägd rangordning gave it when the order was recorded and the
    motivation where the two differ."""

    result = models.ForeignKey(
        ForumResult,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("forumets resultat"),
    )
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="agreed_place", verbose_name=_("förslag")
    )
    position = models.PositiveIntegerField(_("plats"))
    computed_position = models.PositiveIntegerField(_("plats enligt sammanvägd rangordning"))
    motivation = models.TextField(_("motivering"), blank=True)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("plats i forumets ordning")
        verbose_name_plural = _("platser i forumets ordning")
        ordering = ["position"]

    def __str__(self):
        return f"{self.position}. {self.proposal.reference}"

    @property
    def departs(self) -> bool:
        return self.position != self.computed_position


class Outcome(models.TextChoices):
    FINANSIERAS = "finansieras", _("Finansieras")
    DELVIS = "delvis", _("Finansieras delvis")
    GENOMFORS = "genomfors", _("Genomförs (ransonering/effektivisering)")
    INOM_RAM = "inom_ram", _("Inom nämndens ram")
    AVSLAS = "avslas", _("Avslås")
    UTREDS = "utreds", _("Utreds vidare")


class Decision(models.Model):
    """The decision on one forwarded proposal, with its motivation; for partial
    financing the amount granted år 1 (tkr)."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("omgång")
    )
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="decision", verbose_name=_("förslag")
    )
    outcome = models.CharField(_("beslut"), max_length=20, choices=Outcome.choices)
    amount_tkr = models.IntegerField(_("beviljat belopp år 1 (tkr)"), null=True, blank=True)
    motivation = models.TextField(_("motivering"))
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
        ]

    def __str__(self):
        return f"{self.proposal.reference}: {self.get_outcome_display()}"


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
