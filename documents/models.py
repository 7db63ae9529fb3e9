"""A generated document: one version of one kind, of a round (and of one
analysis, nämnd or follow-up period of it), with who asked for it, how far
the background task has come and — once done — its file."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents import registry

# The kinds whose documents hold a follow-up period, as the database's check
# constraint names them (written when the follow-up report came, and kept as
# it was). The kinds themselves are the apps' (registry); a test holds the
# registered period-scoped ones to these.
PERIOD_KINDS = ("uppfoljning-pdf", "uppfoljning-xlsx")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Skapas")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


def scope_key(
    analysis_id: int | None = None, namnd_id: int | None = None, period_id: int | None = None
) -> str:
    """The scope as one non-null key (see ``Document.scope``)."""
    if analysis_id:
        return f"analys-{analysis_id}"
    if namnd_id:
        return f"namnd-{namnd_id}"
    if period_id:
        return f"period-{period_id}"
    return ""


def document_path(document, filename: str) -> str:
    return f"dokument/{document.round.budget_year}/{filename}"


class Document(models.Model):
    """One generated version of a document: who asked for it, when, how far
    the background task has come, and — once it is done, and only then — the
    file. A file is stored whole before the record says DONE, so a worker that
    dies half-way leaves a record without a file, which can be run again."""

    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("omgång"),
    )
    # Its choices are the kinds the apps register (documents.registry).
    kind = models.CharField(_("slag"), max_length=20, choices=registry.choices)
    analysis = models.ForeignKey(
        "rounds.Analysis",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("verksamhetsanalys"),
    )
    namnd = models.ForeignKey(
        "rounds.Namnd",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("nämnd"),
    )
    # The follow-up report is of one period of the round.
    period = models.ForeignKey(
        "followup.FollowUpPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("uppföljningsperiod"),
    )
    # The scope as one non-null key ("" for the round, "analys-<id>",
    # "namnd-<id>", "period-<id>"), so that versions are unique per scope on
    # every database.
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
        # The table it has had since it was ranking's (moved by migration,
        # rows and all: documents 0001, ranking 0009).
        db_table = "ranking_document"
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
            # A follow-up report is of a period, and only it is.
            models.CheckConstraint(
                condition=Q(kind__in=PERIOD_KINDS, period__isnull=False)
                | (~Q(kind__in=PERIOD_KINDS) & Q(period__isnull=True)),
                name="document_period_only_for_follow_up",
            ),
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

    @property
    def subject_name(self) -> str:
        """How headings name what it is of ("Socialförvaltningen"; "" for a round's)."""
        return registry.subject_name(self)
