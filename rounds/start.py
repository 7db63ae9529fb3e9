"""What each user is expected to do next: the sections of "Mina uppgifter".

One section per role the user holds, each with a sentence on what the role does
and the concrete things that wait for it now. The queries are fixed in number,
whatever the size of the kommun.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prioritering.access import may, roles_of
from rounds.models import Forvaltning, Membership, Role, User


@dataclass
class Task:
    text: str
    url: str = ""
    link_text: str = ""


@dataclass
class Section:
    title: str
    intro: str
    tasks: list[Task] = field(default_factory=list)


ROLE_INTROS = {
    Role.ADMINISTRATOR: gettext_lazy(
        "Du lägger upp kommunens nämnder och förvaltningar och ger personer deras roller."
    ),
    Role.CONTROLLER: gettext_lazy(
        "Du leder prioriteringsomgången: instruktioner, tidplan, ekonomiskt utrymme, "
        "forumets sammanställning, beslutsunderlag och uppföljning."
    ),
    Role.FORVALTNINGSCHEF: gettext_lazy(
        "Du ansvarar för förvaltningens verksamhetsanalys och lämnar in den med dess "
        "förslag till nämnden."
    ),
    Role.TJANSTEPERSON: gettext_lazy(
        "Du fyller i förvaltningens verksamhetsanalys och bedömer förvaltningens förslag."
    ),
    Role.NAMNDLEDAMOT: gettext_lazy(
        "Du rangordnar nämndens förslag och beslutar vad som hanteras inom nämndens ram "
        "och vad som går vidare till kommungemensam prioritering."
    ),
    Role.FORUMDELTAGARE: gettext_lazy(
        "Du rangordnar de sammanställda förslagen från hela kommunen tillsammans med "
        "forumets övriga deltagare."
    ),
    Role.LASARE: gettext_lazy(
        "Du kan läsa inlämnat material och fattade beslut, men inte ändra något."
    ),
}


def tasks_for(user: User) -> list[Section]:
    roles = roles_of(user)
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("forvaltning__namnd", "namnd")
        .order_by("role", "forvaltning__name", "namnd__name")
    )
    sections: list[Section] = []
    if not memberships and not roles.is_admin:
        return [
            Section(
                _("Du har ingen roll ännu"),
                _(
                    "Ditt konto har ännu ingen roll i Prioritering. Be kommunens administratör "
                    "att ge dig en roll i din förvaltning eller nämnd."
                ),
            )
        ]
    seen_roles: set[str] = set()
    for membership in memberships:
        role = Role(membership.role)
        unit = membership.unit
        title = f"{role.label}, {unit}" if unit else str(role.label)
        section = Section(title, ROLE_INTROS[role])
        if role == Role.ADMINISTRATOR and role not in seen_roles:
            section.tasks += _admin_tasks(user)
        elif role == Role.CONTROLLER and role not in seen_roles:
            section.tasks += _controller_tasks()
        elif role in (Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON):
            section.tasks += _forvaltning_tasks(membership.forvaltning)
        elif role == Role.NAMNDLEDAMOT:
            section.tasks += _namnd_tasks(membership.namnd)
        section.tasks.append(Task(_("Det finns ingen pågående prioriteringsomgång just nu.")))
        seen_roles.add(role)
        sections.append(section)
    if roles.is_superuser and Role.ADMINISTRATOR not in seen_roles:
        section = Section(str(Role.ADMINISTRATOR.label), ROLE_INTROS[Role.ADMINISTRATOR])
        section.tasks += _admin_tasks(user)
        sections.insert(0, section)
    return sections


def _admin_tasks(user) -> list[Task]:
    tasks = []
    without_role = User.objects.filter(is_active=True, memberships__isnull=True).count()
    if without_role:
        tasks.append(
            Task(
                _("%(count)s aktiva användare saknar roll.") % {"count": without_role},
                reverse("admin:rounds_user_changelist") + "?har_roll=nej",
                _("Ge dem roller"),
            )
        )
    tasks.append(
        Task(
            _("Nämnder, förvaltningar, användare och roller hanteras i administrationen."),
            reverse("admin:index") if may(user, "administer") else "",
            _("Öppna administrationen"),
        )
    )
    return tasks


def _controller_tasks() -> list[Task]:
    missing = list(
        Forvaltning.objects.annotate(
            chefs=Count("memberships", filter=Q(memberships__role=Role.FORVALTNINGSCHEF))
        )
        .filter(chefs=0)
        .values_list("name", flat=True)
    )
    tasks = []
    if missing:
        tasks.append(
            Task(
                _("Förvaltningar utan förvaltningschef, som därför inte kan lämna in: %(names)s.")
                % {"names": ", ".join(missing)},
                reverse("people"),
                _("Se personer och roller"),
            )
        )
    return tasks


def _forvaltning_tasks(forvaltning: Forvaltning) -> list[Task]:
    return [
        Task(
            _("Din förvaltning: %(forvaltning)s, under %(namnd)s.")
            % {"forvaltning": forvaltning.name, "namnd": forvaltning.namnd.name},
            reverse("organisation") + f"#forvaltning-{forvaltning.pk}",
            _("Se organisationen"),
        )
    ]


def _namnd_tasks(namnd) -> list[Task]:
    return [
        Task(
            _("Din nämnd: %(namnd)s.") % {"namnd": namnd.name},
            reverse("organisation") + f"#namnd-{namnd.pk}",
            _("Se nämndens förvaltningar"),
        )
    ]
