"""The organisation: the kommun, its nämnder and förvaltningar, the people and
their memberships (role + unit)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prioritering.audit import AuditedQuerySet, history


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):
    pass


class Kommun(models.Model):
    name = models.CharField(_("namn"), max_length=120, unique=True)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Namnd(models.Model):
    kommun = models.ForeignKey(
        Kommun, on_delete=models.PROTECT, related_name="namnder", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=120)
    short_name = models.CharField(
        _("kortnamn"),
        max_length=60,
        blank=True,
        help_text=_("Namnet i tabeller och kalkylblad, t.ex. ”Bildning”."),
    )
    is_kommunstyrelsen = models.BooleanField(_("är kommunstyrelsen"), default=False)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("nämnd")
        verbose_name_plural = _("nämnder")
        ordering = ["-is_kommunstyrelsen", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kommun", "name"], name="namnd_unique_name"),
            models.UniqueConstraint(
                fields=["kommun"],
                condition=Q(is_kommunstyrelsen=True),
                name="namnd_one_kommunstyrelse",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name_says_kommunstyrelsen(self) -> bool:
        """Whether its name already says it is the kommunstyrelse
        ("Kommunstyrelsen"): then no tag beside the name repeats it."""
        return "kommunstyrelse" in self.name.casefold()


class Forvaltning(models.Model):
    namnd = models.ForeignKey(
        Namnd, on_delete=models.PROTECT, related_name="forvaltningar", verbose_name=_("nämnd")
    )
    name = models.CharField(_("namn"), max_length=120)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["namnd", "name"], name="forvaltning_unique_name"),
        ]

    def __str__(self):
        return self.name


class AuditedUserManager(UserManager.from_queryset(AuditedQuerySet)):
    pass


class SignInMethod(models.TextChoices):
    PASSWORD = "password", _("Lösenord")
    OIDC = "oidc", _("Kommunens konto (OpenID Connect)")


# What a sign-in writes on the user: the security log's business, not the history's.
SIGN_IN_FIELDS = {"last_login", "last_sign_in_method"}


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    # With OIDC_ONLY=1 only these accounts may still sign in with a password: the
    # way back in when the municipality's sign-in service is down or misconfigured.
    emergency_admin = models.BooleanField(
        _("nödadministratör"),
        default=False,
        help_text=_(
            "Får logga in med lösenord även när all annan inloggning sker med kommunens "
            "konto (OIDC_ONLY). Ge det till en eller två administratörer."
        ),
    )
    last_sign_in_method = models.CharField(
        _("senaste inloggningssätt"), max_length=20, blank=True, choices=SignInMethod.choices
    )

    objects = AuditedUserManager()
    history = history(excluded_fields=["password", "last_login", "last_sign_in_method"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # A sign-in only touches last_login; that is the security log's business,
        # not a change to the person worth a history row.
        if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= SIGN_IN_FIELDS:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administratör")
    CONTROLLER = "controller", _("Controller")
    FORVALTNINGSCHEF = "forvaltningschef", _("Förvaltningschef")
    TJANSTEPERSON = "tjansteperson", _("Tjänsteperson")
    NAMNDLEDAMOT = "namndledamot", _("Nämndledamot")
    FORUMDELTAGARE = "forumdeltagare", _("Forumdeltagare")
    LASARE = "lasare", _("Läsare")


FORVALTNING_ROLES = {Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON}
NAMND_ROLES = {Role.NAMNDLEDAMOT}


class Membership(models.Model):
    """One role a user holds, in a unit where the role belongs to one.

    Förvaltningschef and tjänsteperson belong to a förvaltning, nämndledamot to a
    nämnd; the other roles are held for the whole kommun.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("användare")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    namnd = models.ForeignKey(
        Namnd,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("nämnd"),
    )
    forvaltning = models.ForeignKey(
        Forvaltning,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("förvaltning"),
    )

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=sorted(FORVALTNING_ROLES),
                        forvaltning__isnull=False,
                        namnd__isnull=True,
                    )
                    | Q(role__in=sorted(NAMND_ROLES), namnd__isnull=False, forvaltning__isnull=True)
                    | (
                        ~Q(role__in=sorted(FORVALTNING_ROLES | NAMND_ROLES))
                        & Q(namnd__isnull=True, forvaltning__isnull=True)
                    )
                ),
                name="membership_unit_fits_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "forvaltning"],
                condition=Q(forvaltning__isnull=False),
                name="membership_unique_in_forvaltning",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "namnd"],
                condition=Q(namnd__isnull=False),
                name="membership_unique_in_namnd",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(forvaltning__isnull=True, namnd__isnull=True),
                name="membership_unique_kommunwide",
            ),
        ]

    def __str__(self):
        unit = self.unit
        return f"{self.get_role_display()}, {unit}" if unit else self.get_role_display()

    @property
    def unit(self):
        return self.forvaltning or self.namnd

    def clean(self):
        errors = {}
        if self.role in FORVALTNING_ROLES:
            if not self.forvaltning_id:
                errors["forvaltning"] = _("Rollen hör till en förvaltning: välj vilken.")
            if self.namnd_id:
                errors["namnd"] = _("Rollen hör till en förvaltning, inte en nämnd.")
        elif self.role in NAMND_ROLES:
            if not self.namnd_id:
                errors["namnd"] = _("Rollen hör till en nämnd: välj vilken.")
            if self.forvaltning_id:
                errors["forvaltning"] = _("Rollen hör till en nämnd, inte en förvaltning.")
        else:
            if self.namnd_id:
                errors["namnd"] = _("Rollen gäller hela kommunen och har ingen nämnd.")
            if self.forvaltning_id:
                errors["forvaltning"] = _("Rollen gäller hela kommunen och har ingen förvaltning.")
        if errors:
            raise ValidationError(errors)
