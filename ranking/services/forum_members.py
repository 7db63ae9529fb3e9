"""The forum per round: the controller names the round's forum members and
whom each represents (``ranking.ForumMember``), changes a representation, and
removes a member — only one who has not ranked: a member's ranks are part of
the sammanvägd rangordning the forum discusses, and removing the member would
either drop them from it unseen or leave ranks nobody may change. The history
keeps every change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import delete_as, save_as
from ranking.models import ForumMember, ForumRank, Representation
from ranking.models.forum_member import OTHER_MAX
from rounds import locks
from rounds.models import Forvaltning, Namnd, Round, User


def representation_problems(
    round: Round, representation: str, namnd, forvaltning, other: str
) -> dict[str, list[str]]:
    """What is wrong with a representation as given, per field (empty when
    none): a nämnd or förvaltning of the round's kommun where the kind asks
    for one, a text for "Annan"."""
    errors: dict[str, list[str]] = {}
    if representation not in Representation.values:
        errors["representation"] = [
            _(
                "Välj vem deltagaren representerar: kommunstyrelsen, en nämnd, en förvaltning "
                "eller annan."
            )
        ]
    elif representation == Representation.NAMND:
        if namnd is None or namnd.kommun_id != round.kommun_id:
            errors["namnd"] = [_("Välj vilken nämnd deltagaren representerar.")]
    elif representation == Representation.FORVALTNING:
        if forvaltning is None or forvaltning.namnd.kommun_id != round.kommun_id:
            errors["forvaltning"] = [_("Välj vilken förvaltning deltagaren representerar.")]
    elif representation == Representation.ANNAN:
        if not other:
            errors["other"] = [_("Skriv vem eller vad deltagaren representerar.")]
        elif len(other) > OTHER_MAX:
            errors["other"] = [
                _("Texten kan vara högst %(max)s tecken (nu %(count)s).")
                % {"max": OTHER_MAX, "count": len(other)}
            ]
    return errors


def _set_representation(
    member: ForumMember,
    representation: str,
    namnd: Namnd | None,
    forvaltning: Forvaltning | None,
    other: str,
) -> None:
    """Only the field the kind uses is kept (the database checks it too)."""
    member.representation = representation
    member.namnd = namnd if representation == Representation.NAMND else None
    member.forvaltning = forvaltning if representation == Representation.FORVALTNING else None
    member.other = other if representation == Representation.ANNAN else ""


@transaction.atomic
def add_forum_member(
    round: Round,
    user: User,
    representation: str,
    *,
    by: User,
    namnd: Namnd | None = None,
    forvaltning: Forvaltning | None = None,
    other: str = "",
) -> ForumMember:
    """Name ``user`` a member of ``round``'s forum, representing what is given."""
    round = locks.round_to_change(round)
    require(by, "name_forum_members", round)
    other = (other or "").strip()
    errors = representation_problems(round, representation, namnd, forvaltning, other)
    if user is None or not user.is_active:
        errors["user"] = [_("Välj en aktiv användare.")]
    elif ForumMember.objects.filter(round=round, user=user).exists():
        errors["user"] = [
            _("%(name)s är redan med i forumet %(year)s.")
            % {"name": user.get_full_name() or user.username, "year": round.budget_year}
        ]
    if errors:
        raise ValidationError(errors)
    member = ForumMember(round=round, user=user)
    _set_representation(member, representation, namnd, forvaltning, other)
    save_as(member, by, _("Utsedd till forumet"))
    return member


@transaction.atomic
def change_representation(
    member: ForumMember,
    representation: str,
    *,
    by: User,
    namnd: Namnd | None = None,
    forvaltning: Forvaltning | None = None,
    other: str = "",
) -> ForumMember:
    """Change whom a member represents; allowed whether or not they ranked
    (it changes no rank)."""
    round = locks.round_to_change(member.round_id)
    require(by, "name_forum_members", round)
    member = ForumMember.objects.select_related("user").get(pk=member.pk, round=round)
    other = (other or "").strip()
    errors = representation_problems(round, representation, namnd, forvaltning, other)
    if errors:
        raise ValidationError(errors)
    _set_representation(member, representation, namnd, forvaltning, other)
    save_as(member, by, _("Ändrad representation"))
    return member


@transaction.atomic
def remove_forum_member(member: ForumMember, *, by: User) -> None:
    """Remove a member who has not ranked. One who has ranked stays: their
    ranks are in the sammanvägd rangordning (see the module's docstring)."""
    round = locks.round_to_change(member.round_id)
    require(by, "name_forum_members", round)
    member = ForumMember.objects.select_related("user").get(pk=member.pk, round=round)
    if ForumRank.objects.filter(round=round, member_id=member.user_id).exists():
        raise ValidationError(
            _(
                "%(name)s har redan rangordnat i forumet och kan inte tas bort: rangordningen "
                "ingår i den sammanvägda rangordningen. Ändra representationen i stället, eller "
                "be deltagaren att tömma sitt rangordningsark först."
            )
            % {"name": member.user.get_full_name() or member.user.username}
        )
    delete_as(member, by, _("Borttagen ur forumet"))
