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


# --- documents ---


class DocumentKind(models.TextChoices):
    """What can be generated. The scope says what a document is of: the round
    as a whole, one förvaltning's analysis or one nämnd's ranking."""

    DECISION_PDF = "beslut-pdf", _("Beslutsunderlag (PDF)")
    ANALYSIS_PDF = "analys-pdf", _("Verksamhetsanalys (PDF)")
    RANKING_PDF = "namnd-pdf", _("Nämndens rangordning (PDF)")
    ANALYSIS_XLSX = "analys-xlsx", _("Verksamhetsanalys (Excel)")
    BASE_XLSX = "bas-xlsx", _("Rangordningsverktyg, bas (Excel)")
    INVESTMENT_XLSX = "investering-xlsx", _("Rangordningsverktyg, investeringar (Excel)")
    FORUM_XLSX = "forum-xlsx", _("Forumsammanställning (Excel)")
    DECISIONS_XLSX = "beslut-xlsx", _("Beslut (Excel)")
    # --- follow-up overview ---
    FOLLOWUP_PDF = "uppfoljning-pdf", _("Uppföljningsrapport (PDF)")
    FOLLOWUP_XLSX = "uppfoljning-xlsx", _("Uppföljningsrapport (Excel)")
    # --- end follow-up overview ---


# --- follow-up overview ---
# The kinds scoped to a follow-up period (the controller's, prioritering.access).
FOLLOW_UP_KINDS = (DocumentKind.FOLLOWUP_PDF, DocumentKind.FOLLOWUP_XLSX)
# --- end follow-up overview ---


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Skapas")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


def scope_key(analysis_id: int | None, namnd_id: int | None, period_id: int | None = None) -> str:
    if analysis_id:
        return f"analys-{analysis_id}"
    if namnd_id:
        return f"namnd-{namnd_id}"
    # --- follow-up overview ---
    if period_id:
        return f"period-{period_id}"
    # --- end follow-up overview ---
    return ""


def document_path(document, filename: str) -> str:
    return f"dokument/{document.round.budget_year}/{filename}"


class Document(models.Model):
    """One generated version of a document: who asked for it, when, how far
    the background task has come, and — once it is done, and only then — the
    file. A file is stored whole before the record says DONE, so a worker that
    dies half-way leaves a record without a file, which can be run again."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="documents", verbose_name=_("omgång")
    )
    kind = models.CharField(_("slag"), max_length=20, choices=DocumentKind.choices)
    analysis = models.ForeignKey(
        "rounds.Analysis",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("verksamhetsanalys"),
    )
    namnd = models.ForeignKey(
        Namnd,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("nämnd"),
    )
    # --- follow-up overview ---
    # The follow-up report is of one period of the round.
    period = models.ForeignKey(
        "followup.FollowUpPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("uppföljningsperiod"),
    )
    # --- end follow-up overview ---
    # The scope as one non-null key ("" for the round, "analys-<id>", "namnd-<id>",
    # "period-<id>"),
    # so that versions are unique per scope on every database.
    scope = models.CharField(_("omfattning"), max_length=40, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("språk"), max_length=8, default="sv")
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    step = models.CharField(_("steg"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("körningar"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    requested_at = models.DateTimeField(_("beställd"))
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("senast aktiv"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    file = models.FileField(_("fil"), upload_to=document_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rader"), null=True, blank=True)
    public = models.BooleanField(
        _("offentlig"),
        default=False,
        help_text=_("Beslutsunderlag som skapats ur en publicerad omgång kan hämtas av alla."),
    )
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "scope", "version"], name="document_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="document_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="document_done_has_file"
            ),
            # --- follow-up overview ---
            # A follow-up report is of a period, and only it is.
            models.CheckConstraint(
                condition=Q(kind__in=FOLLOW_UP_KINDS, period__isnull=False)
                | (~Q(kind__in=FOLLOW_UP_KINDS) & Q(period__isnull=True)),
                name="document_period_only_for_follow_up",
            ),
            # --- end follow-up overview ---
        ]
        indexes = [models.Index(fields=["round", "kind", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.round.budget_year} v{self.version}"

    def save(self, *args, **kwargs):
        self.scope = scope_key(self.analysis_id, self.namnd_id, self.period_id)
        super().save(*args, **kwargs)

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.DONE, DocumentStatus.FAILED)


# --- end documents ---
