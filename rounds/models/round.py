"""The prioriteringsomgång: one per budget year, its phases and deadlines, the
instructions and förutsättningar, and the lists its proposals choose from."""

import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models.organisation import AuditedManager, Kommun


class Phase(models.IntegerChoices):
    PLANERING = 1, _("Planering och instruktioner")
    VERKSAMHETSANALYS = 2, _("Verksamhetsanalys")
    NAMND = 3, _("Prioritering i nämnd")
    FORUM = 4, _("Kommunövergripande prioritering")
    BESLUT = 5, _("Beslut")
    UPPFOLJNING = 6, _("Genomförande och uppföljning")
    AVSLUTAD = 7, _("Avslutad")


class Purpose(models.TextChoices):
    NYA = "nya", _("Fördela nya resurser")
    MINSKADE = "minskade", _("Fördela minskade resurser")
    OMFORDELA = "omfordela", _("Omfördela befintliga resurser")


# Kommunens riktvärden: the ranks (1 highest … 10 lowest) a svårighetsgrad
# usually gives. The source has no such table, only worked examples, so this
# is the municipality's own guide and a setting of each round; new rounds and
# those from before the setting start from this table. The keys are
# Svarighetsgrad's values (4 Mycket stor … 1 Liten), with the fields' names.
RIKTVARDE_LEVELS = ((4, "mycket_stor"), (3, "stor"), (2, "mattlig"), (1, "liten"))
RIKTVARDEN_DEFAULT = {4: (1, 3), 3: (3, 5), 2: (5, 7), 1: (7, 10)}
RANK_MIN, RANK_MAX = 1, 10
RIKTVARDE_ORDER = _("”Till” ska vara samma tal som ”från” eller ett större.")


def riktvarde_fields(name: str) -> tuple[str, str]:
    """The fields of one level's range: from (the highest rank) and to."""
    return f"riktvarde_{name}_fran", f"riktvarde_{name}_till"


def _riktvarde(label, default: int):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(RANK_MIN), MaxValueValidator(RANK_MAX)],
    )


def _riktvarde_constraint(name: str) -> models.CheckConstraint:
    low, high = riktvarde_fields(name)
    return models.CheckConstraint(
        condition=Q(**{f"{low}__gte": RANK_MIN, f"{high}__lte": RANK_MAX})
        & Q(**{f"{low}__lte": models.F(high)}),
        name=f"round_riktvarde_{name}_valid",
        violation_error_message=_(
            "Kommunens riktvärden är rangordningar från 1 till 10, och ”från” är högst ”till”."
        ),
    )


# What the round's frame_tkr is, by purpose (ranking.budget reads it so):
# new money, a required reduction (positive), or unused when reallocating.
FRAME_LABELS = {
    Purpose.NYA: _("Ekonomiskt utrymme"),
    Purpose.MINSKADE: _("Krav på minskning"),
    Purpose.OMFORDELA: _("Ekonomiskt utrymme (0 vid omfördelning)"),
}
FRAME_HELP = {
    Purpose.NYA: _(
        "Det utrymme som kan fördelas till nya behov år 1, i tusental kronor. Besparingar "
        "vidgar det."
    ),
    Purpose.MINSKADE: _(
        "Hur mycket kostnaderna år 1 ska minska, i tusental kronor, som ett positivt tal. "
        "Besparingarna i forumets ordning ska nå kravet; det de sparar utöver kravet kan "
        "finansiera nya behov."
    ),
    Purpose.OMFORDELA: _(
        "Vid omfördelning tillförs inga nya pengar: ramen är 0 och besparingarna finansierar "
        "nya behov. Ange 0."
    ),
}


class Round(models.Model):
    kommun = models.ForeignKey(
        Kommun, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("kommun")
    )
    budget_year = models.PositiveSmallIntegerField(_("budgetår"))
    purpose = models.CharField(
        _("syfte"), max_length=20, choices=Purpose.choices, default=Purpose.NYA
    )
    phase = models.PositiveSmallIntegerField(
        _("fas"), choices=Phase.choices, default=Phase.PLANERING
    )
    frame_tkr = models.IntegerField(
        _("ekonomiskt utrymme (tkr)"),
        default=0,
        help_text=_("Det utrymme som kan fördelas till nya behov, i tusental kronor."),
    )
    instructions = models.TextField(
        _("instruktioner"),
        blank=True,
        help_text=_(
            "Syfte, tidplan, roller, process och verktyg. Formatera med tom rad mellan "
            "stycken, ”## ” för rubrik, ”- ” för punktlista och **fetstil**."
        ),
    )
    # The best and worst conceivable state of each målområde, against which
    # svårighetsgrad is judged: the source gives examples for the municipality
    # to describe, so they are the round's own (rounds.guidance.DEFAULT_STATES).
    best_state_samhalle = models.TextField(
        _("bästa tänkbara läge, samhällets livskraft"), blank=True, max_length=1000
    )
    worst_state_samhalle = models.TextField(
        _("sämsta tänkbara läge, samhällets livskraft"), blank=True, max_length=1000
    )
    best_state_invanare = models.TextField(
        _("bästa tänkbara läge, invånares hälsa och välbefinnande"), blank=True, max_length=1000
    )
    worst_state_invanare = models.TextField(
        _("sämsta tänkbara läge, invånares hälsa och välbefinnande"), blank=True, max_length=1000
    )
    best_state_organisation = models.TextField(
        _("bästa tänkbara läge, organisationens effektivitet"), blank=True, max_length=1000
    )
    worst_state_organisation = models.TextField(
        _("sämsta tänkbara läge, organisationens effektivitet"), blank=True, max_length=1000
    )
    # The three central criteria are always assessed; these can be switched off.
    uses_effekt = models.BooleanField(_("bedöm åtgärdens effekt"), default=True)
    uses_kunskapsunderlag = models.BooleanField(
        _("bedöm kvalitet i kunskapsunderlaget"), default=True
    )
    uses_maluppfyllelse = models.BooleanField(_("bedöm måluppfyllelse"), default=True)
    uses_effekt_framst_for = models.BooleanField(_("ange effekt främst för"), default=True)
    uses_etisk_granskning = models.BooleanField(_("etisk granskning"), default=True)
    # Kommunens riktvärden (see RIKTVARDE_LEVELS), a range per svårighetsgrad.
    riktvarde_mycket_stor_fran = _riktvarde(_("riktvärde mycket stor, från"), 1)
    riktvarde_mycket_stor_till = _riktvarde(_("riktvärde mycket stor, till"), 3)
    riktvarde_stor_fran = _riktvarde(_("riktvärde stor, från"), 3)
    riktvarde_stor_till = _riktvarde(_("riktvärde stor, till"), 5)
    riktvarde_mattlig_fran = _riktvarde(_("riktvärde måttlig, från"), 5)
    riktvarde_mattlig_till = _riktvarde(_("riktvärde måttlig, till"), 7)
    riktvarde_liten_fran = _riktvarde(_("riktvärde liten, från"), 7)
    riktvarde_liten_till = _riktvarde(_("riktvärde liten, till"), 10)
    # Open data (ranking.open_data): whether the published round's open data
    # carries the forum's ranks, one list per member, never whose.
    publish_ballots = models.BooleanField(
        _("Publicera anonymiserade rangordningar"),
        default=False,
        help_text=_(
            "När omgången publiceras kommer varje forumdeltagares rangordningar med i de öppna "
            "data, utan namn och i en slumpad ordning som bestäms vid publiceringen. Då kan vem "
            "som helst räkna om den sammanvägda rangordningen."
        ),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("kopierad från"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # The version of the settings form (settings and deadlines): a form saved
    # from an older version is a conflict, not an overwrite.
    settings_version = models.PositiveIntegerField(_("version av inställningarna"), default=1)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("prioriteringsomgång")
        verbose_name_plural = _("prioriteringsomgångar")
        ordering = ["-budget_year"]
        constraints = [
            models.UniqueConstraint(fields=["kommun", "budget_year"], name="round_unique_year"),
            models.CheckConstraint(
                condition=Q(phase__gte=1, phase__lte=7), name="round_phase_valid"
            ),
            *(_riktvarde_constraint(name) for _level, name in RIKTVARDE_LEVELS),
        ]

    def __str__(self):
        return _("Prioriteringsomgång %(year)s") % {"year": self.budget_year}

    def clean(self):
        super().clean()
        errors = {}
        for _level, name in RIKTVARDE_LEVELS:
            low_name, high_name = riktvarde_fields(name)
            low, high = getattr(self, low_name), getattr(self, high_name)
            if low is not None and high is not None and low > high:
                errors[high_name] = RIKTVARDE_ORDER
        if errors:
            raise ValidationError(errors)

    @property
    def riktvarden(self) -> dict[int, tuple[int, int]]:
        """Kommunens riktvärden: svårighetsgrad (4 … 1) → (from, to) rank."""
        return {
            level: tuple(getattr(self, field) for field in riktvarde_fields(name))
            for level, name in RIKTVARDE_LEVELS
        }

    @property
    def frame_label(self):
        """What frame_tkr is for this round's purpose (FRAME_LABELS)."""
        return FRAME_LABELS.get(self.purpose, FRAME_LABELS[Purpose.NYA])

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label

    def deadline(self, phase: int) -> datetime.date | None:
        """The deadline of ``phase``; uses prefetched deadlines when there are."""
        for item in self.deadlines.all():
            if item.phase == phase:
                return item.deadline
        return None

    def deadline_passed(self, phase: int, today: datetime.date | None = None) -> bool:
        deadline = self.deadline(phase)
        return deadline is not None and (today or timezone.localdate()) > deadline


class PhaseDeadline(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("omgång")
    )
    phase = models.PositiveSmallIntegerField(_("fas"), choices=Phase.choices)
    deadline = models.DateField(_("sista dag"))

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("sista dag för fas")
        verbose_name_plural = _("sista dagar för faser")
        ordering = ["phase"]
        constraints = [
            models.UniqueConstraint(fields=["round", "phase"], name="deadline_unique_phase"),
        ]

    def __str__(self):
        return f"{Phase(self.phase).label}: {self.deadline}"


class PhaseTransition(models.Model):
    """A move of the round from one phase to another: who, when, from, to.

    Append-only: a row is written once and never changed, so it is its own
    history."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("omgång")
    )
    from_phase = models.PositiveSmallIntegerField(_("från fas"), choices=Phase.choices)
    to_phase = models.PositiveSmallIntegerField(_("till fas"), choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("av"),
    )
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("fasbyte")
        verbose_name_plural = _("fasbyten")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{Phase(self.from_phase).label} → {Phase(self.to_phase).label}"

    @property
    def is_backwards(self) -> bool:
        return self.to_phase < self.from_phase


class ForutsattningKind(models.TextChoices):
    DEMOGRAFI = "demografi", _("Demografi")
    EKONOMI = "ekonomi", _("Ekonomi")
    NULAGE = "nulage", _("Nuläge")
    PROGNOSER = "prognoser", _("Prognoser")
    ANNAT = "annat", _("Annan information")


class Forutsattning(models.Model):
    """One of the kommun's förutsättningar for the round: text and attachments."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="forutsattningar", verbose_name=_("omgång")
    )
    kind = models.CharField(_("slag"), max_length=20, choices=ForutsattningKind.choices)
    text = models.TextField(_("text"), blank=True)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("förutsättning")
        verbose_name_plural = _("förutsättningar")
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="forutsattning_unique_kind"),
        ]

    def __str__(self):
        return self.get_kind_display()


def stamped_path(folder: str, year: int, filename: str) -> str:
    """Where an upload is stored: the stored name is not the uploaded one (no
    path tricks, no clashes), only its extension is kept."""
    suffix = PurePath(filename).suffix.lower()
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"{folder}/{year}/{stamp}{suffix}"


def attachment_path(instance, filename: str) -> str:
    return stamped_path("bilagor", instance.forutsattning.round.budget_year, filename)


class Attachment(models.Model):
    forutsattning = models.ForeignKey(
        Forutsattning,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("förutsättning"),
    )
    file = models.FileField(_("fil"), upload_to=attachment_path)
    name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name


class ListKind(models.TextChoices):
    PERSPEKTIV = "perspektiv", _("Perspektiv")
    FOKUSOMRADE = "fokusomrade", _("Fokusområden")
    VERKSAMHETSOMRADE = "verksamhetsomrade", _("Verksamhetsområden")
    ORSAK = "orsak", _("Orsaker till behov")
    EFFEKT_PA_SIKT = "effekt_pa_sikt", _("Effekter på längre sikt")
    POLITISKT_MAL = "politiskt_mal", _("Politiska mål")


class ListItem(models.Model):
    """An entry of one of the round's lists (a perspektiv, a fokusområde…)."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="list_items", verbose_name=_("omgång")
    )
    kind = models.CharField(_("lista"), max_length=20, choices=ListKind.choices)
    name = models.CharField(_("namn"), max_length=150)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("listval")
        verbose_name_plural = _("listval")
        ordering = ["kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "kind", "name"], name="listitem_unique_name"),
        ]

    def __str__(self):
        return self.name
