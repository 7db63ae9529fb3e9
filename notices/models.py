"""The mail outbox, each user's notice settings and the reminders sent.

A mail is a row of :class:`OutgoingMail`, written in the transaction of the
event it tells of (a request that is rolled back sends nothing); the task in
``notices.delivery`` sends it afterwards and keeps trying while the mail
server does not answer. Nothing here knows a round or a proposal: the apps
compose their mails (``notices.mail``) and say what work is open
(``notices.work``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    PHASE = "phase", _("En omgång byter fas")
    ANALYSIS_SUBMITTED = "analysis_submitted", _("En verksamhetsanalys lämnas in")
    PUBLISHED = "published", _("En omgång publiceras")
    ANALYSIS_RETURNED = "analysis_returned", _("En verksamhetsanalys återlämnas")
    REPORT_RETURNED = "report_returned", _("En uppföljningsrapport återlämnas")
    DOCUMENT = "document", _("Ett dokument du bad om är klart eller misslyckades")
    REMINDER = "reminder", _("Påminnelse om ditt arbete som snart ska vara klart")


# The notices each user may turn off: news about the round, not about work
# that waits for the user. Returns, documents one asked for and reminders of
# one's own deadlines always come.
OPTIONAL = (NoticeKind.PHASE, NoticeKind.ANALYSIS_SUBMITTED, NoticeKind.PUBLISHED)


class NoticeSettings(models.Model):
    """A user's choices: the mails' language and the optional notices turned
    off. A user without a row gets Swedish and every notice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_settings",
        verbose_name=_("användare"),
    )
    language = models.CharField(
        _("språk i e-post"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    phase = models.BooleanField(_("när en omgång byter fas"), default=True)
    analysis_submitted = models.BooleanField(_("när en verksamhetsanalys lämnas in"), default=True)
    published = models.BooleanField(_("när en omgång publiceras"), default=True)

    class Meta:
        verbose_name = _("aviseringsinställning")
        verbose_name_plural = _("aviseringsinställningar")

    def __str__(self):
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return getattr(self, kind) if kind in OPTIONAL else True


class OutgoingMail(models.Model):
    """One mail to one person, from the moment its event is committed until
    the mail server has taken it (``sent_at``); every failed attempt is
    counted, its error kept, and the next try planned (``next_attempt``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("mottagare"),
    )
    to_address = models.EmailField(_("adress"))
    language = models.CharField(_("språk"), max_length=8)
    kind = models.CharField(_("slag"), max_length=30, choices=NoticeKind.choices)
    subject = models.CharField(_("ämne"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("html"))
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    last_attempt_at = models.DateTimeField(_("senaste försök"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    next_attempt = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["-created"]
        indexes = [
            models.Index(
                fields=["next_attempt"],
                condition=models.Q(sent_at__isnull=True),
                name="mail_unsent",
            )
        ]

    def __str__(self):
        return f"{self.to_address}: {self.subject}"


class ReminderSent(models.Model):
    """That a user was reminded on a day: at most one reminder per user and
    day, held by the database (two runs at once cannot both insert it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("användare"),
    )
    day = models.DateField(_("dag"))
    mail = models.ForeignKey(
        OutgoingMail,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("e-post"),
    )

    class Meta:
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.user} {self.day}"
