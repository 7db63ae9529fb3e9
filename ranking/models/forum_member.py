"""The forum of a round: who the controller named as its members and whom
each represents (source: "forum med representation från styrelse, nämnder,
förvaltningar"). Only a round's members rank in its forum; the compilation
and the public page show what they represent, the public page never who they
are."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prioritering.audit import history
from rounds.models import AuditedManager, Forvaltning, Namnd, Round

OTHER_MAX = 120


class Representation(models.TextChoices):
    KOMMUNSTYRELSEN = "kommunstyrelsen", _("Kommunstyrelsen")
    NAMND = "namnd", _("En nämnd")
    FORVALTNING = "forvaltning", _("En förvaltning")
    ANNAN = "annan", _("Annan")


# The order the lists show the members in: the styrelse first, then the
# nämnder, the förvaltningar and the rest.
REPRESENTATION_ORDER = {value: index for index, value in enumerate(Representation.values)}


def represents(member) -> str:
    """What ``member`` — a ForumMember or one of its history rows — represents,
    as the pages show it."""
    if member.representation == Representation.NAMND and member.namnd_id:
        return member.namnd.name
    if member.representation == Representation.FORVALTNING and member.forvaltning_id:
        return member.forvaltning.name
    if member.representation == Representation.ANNAN:
        return member.other
    return str(Representation.KOMMUNSTYRELSEN.label)


class ForumMember(models.Model):
    """One member of one round's forum and what they represent: the
    kommunstyrelse, a nämnd, a förvaltning or something else (a free text)."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="forum_members", verbose_name=_("omgång")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_memberships",
        verbose_name=_("person"),
    )
    representation = models.CharField(
        _("representerar"), max_length=20, choices=Representation.choices
    )
    namnd = models.ForeignKey(
        Namnd,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nämnd"),
    )
    forvaltning = models.ForeignKey(
        Forvaltning,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("förvaltning"),
    )
    other = models.CharField(_("annan representation"), max_length=OTHER_MAX, blank=True)

    objects = AuditedManager()
    history = history()

    class Meta:
        verbose_name = _("forumdeltagare i omgången")
        verbose_name_plural = _("forumdeltagare i omgången")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="forummember_once_per_round"),
            models.CheckConstraint(
                condition=(
                    Q(
                        representation=Representation.KOMMUNSTYRELSEN,
                        namnd__isnull=True,
                        forvaltning__isnull=True,
                    )
                    | Q(
                        representation=Representation.NAMND,
                        namnd__isnull=False,
                        forvaltning__isnull=True,
                    )
                    | Q(
                        representation=Representation.FORVALTNING,
                        namnd__isnull=True,
                        forvaltning__isnull=False,
                    )
                    | (
                        Q(
                            representation=Representation.ANNAN,
                            namnd__isnull=True,
                            forvaltning__isnull=True,
                        )
                        & ~Q(other="")
                    )
                ),
                name="forummember_representation_complete",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.represents}"

    @property
    def represents(self) -> str:
        """Whom the member represents, as the pages show it: "Kommunstyrelsen",
        the nämnd's or förvaltning's name, or the free text. (Read the
        nämnd and förvaltning along: ``select_related``.)"""
        return represents(self)

    @property
    def sort_key(self) -> tuple:
        return (REPRESENTATION_ORDER.get(self.representation, 99), self.represents.casefold())
