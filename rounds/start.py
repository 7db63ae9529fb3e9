"""What each user is expected to do next: the sections of "Mina uppgifter".

One section per role the user holds, each with a sentence on what the role does
and the concrete things that wait for it now. The queries are fixed in number,
whatever the size of the kommun.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prioritering.access import may, roles_of
from rounds.models import (
    Analysis,
    AnalysisStatus,
    Forvaltning,
    Membership,
    Phase,
    Role,
    Round,
    User,
)


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


# The tasks of the later phases, which rounds does not import: their apps add
# a function here when they are ready (followup.apps). A staff function gets
# the user's memberships and answers the tasks by förvaltning id; a controller
# function answers the controller's tasks. Each asks a fixed number of queries.
STAFF_TASKS: list[Callable[[list[Membership]], dict[int, list[Task]]]] = []
CONTROLLER_TASKS: list[Callable[[], list[Task]]] = []


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


def tasks_for(user: User, current: Round | object | None = ...) -> list[Section]:
    """The start page's sections for ``user``; ``current``: the round in
    progress when the caller has read it (:func:`current_round`)."""
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
    if current is ...:
        current = current_round()
    analyses = _analyses_by_forvaltning(current, memberships)
    later = [tasks_of(memberships) for tasks_of in STAFF_TASKS]
    forum_member = _forum_member(user, current)
    seen_roles: set[str] = set()
    for membership in memberships:
        role = Role(membership.role)
        unit = membership.unit
        if role == Role.FORUMDELTAGARE and forum_member is not None:
            unit = forum_member.represents
        title = f"{role.label}, {unit}" if unit else str(role.label)
        section = Section(title, ROLE_INTROS[role])
        if role == Role.ADMINISTRATOR and role not in seen_roles:
            section.tasks += _admin_tasks(user)
        elif role == Role.CONTROLLER and role not in seen_roles:
            section.tasks += _controller_tasks(current)
        elif role in (Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON):
            section.tasks += _forvaltning_tasks(
                user, membership.forvaltning, current, analyses.get(membership.forvaltning_id)
            )
            for tasks in later:
                section.tasks += tasks.get(membership.forvaltning_id, [])
        elif role == Role.NAMNDLEDAMOT:
            section.tasks += _namnd_tasks(membership.namnd, current, analyses)
        elif role == Role.FORUMDELTAGARE and role not in seen_roles:
            section.tasks += _forum_tasks(current, forum_member)
        section.tasks.append(_round_task(current))
        seen_roles.add(role)
        sections.append(section)
    if forum_member is not None and Role.FORUMDELTAGARE not in seen_roles:
        # Named to the round's forum without the role: a ledamot or a chef
        # who represents their nämnd or förvaltning there.
        role = Role.FORUMDELTAGARE
        section = Section(f"{role.label}, {forum_member.represents}", ROLE_INTROS[role])
        section.tasks += _forum_tasks(current, forum_member)
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


def current_round() -> Round | None:
    """The round in progress: the latest one that is not closed."""
    return (
        Round.objects.exclude(phase=Phase.AVSLUTAD)
        .select_related("kommun")
        .prefetch_related("deadlines")
        .order_by("-budget_year")
        .first()
    )


def _analyses_by_forvaltning(current, memberships) -> dict[int, Analysis]:
    """The analyses the user's roles concern, with their proposal counts, in one query."""
    if current is None:
        return {}
    forvaltning_ids = {m.forvaltning_id for m in memberships if m.forvaltning_id}
    namnd_ids = {m.namnd_id for m in memberships if m.namnd_id}
    if not forvaltning_ids and not namnd_ids:
        return {}
    analyses = (
        Analysis.objects.filter(round=current)
        .filter(Q(forvaltning_id__in=forvaltning_ids) | Q(forvaltning__namnd_id__in=namnd_ids))
        .select_related("forvaltning")
        .annotate(proposal_count=Count("proposals", filter=Q(proposals__withdrawn_at__isnull=True)))
    )
    for analysis in analyses:
        analysis.round = current
    return {analysis.forvaltning_id: analysis for analysis in analyses}


def _round_task(current) -> Task:
    if current is None:
        return Task(_("Det finns ingen pågående prioriteringsomgång just nu."))
    deadline = current.deadline(current.phase)
    text = _("Omgång %(year)s är i fasen %(phase)s.") % {
        "year": current.budget_year,
        "phase": current.phase_label,
    }
    if deadline:
        text += " " + _("Sista dag för fasen: %(date)s.") % {"date": date_format(deadline, "j F Y")}
    return Task(text, reverse("round_detail", args=[current.budget_year]), _("Läs instruktionerna"))


def _controller_tasks(current) -> list[Task]:
    tasks = _chef_gaps()
    for tasks_of in CONTROLLER_TASKS:
        tasks += tasks_of()
    if current is None:
        tasks.append(
            Task(_("Ingen omgång pågår."), reverse("round_create"), _("Starta en ny omgång"))
        )
        return tasks
    counts = dict(
        current.analyses.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    total = sum(counts.values())
    submitted = counts.get(AnalysisStatus.SUBMITTED, 0)
    tasks.append(
        Task(
            _("%(submitted)s av %(total)s förvaltningar har lämnat in sin verksamhetsanalys.")
            % {"submitted": submitted, "total": total},
            reverse("analysis_list", args=[current.budget_year]),
            _("Se analyserna"),
        )
    )
    if current.phase <= Phase.FORUM and not _round_members(current):
        # ranking.ForumMember through its reverse relation: rounds does not import ranking.
        tasks.append(
            Task(
                _(
                    "Inga deltagare är utsedda till omgångens forum. Utse dem och vem var och "
                    "en representerar innan forumet rangordnar."
                ),
                reverse("forum_members", args=[current.budget_year]),
                _("Utse forumets deltagare"),
            )
        )
    if current.phase == Phase.FORUM:
        tasks.append(
            Task(
                _(
                    "Forumet rangordnar. Registrera forumets överenskomna ordning, "
                    "granskningen och besluten."
                ),
                reverse("forum_order", args=[current.budget_year]),
                _("Öppna forumets ordning"),
            )
        )
    elif current.phase == Phase.BESLUT:
        tasks.append(
            Task(
                _("Registrera besluten och publicera resultatet."),
                reverse("forum_decisions", args=[current.budget_year]),
                _("Öppna besluten"),
            )
        )
        tasks.append(
            Task(
                _(
                    "Skapa beslutsunderlaget till kommunstyrelsen som PDF, och exporterna "
                    "till Excel."
                ),
                reverse("document_list", args=[current.budget_year]),
                _("Öppna dokumenten"),
            )
        )
    return tasks


def _round_members(current) -> list:
    """The current round's forum members (``ranking.ForumMember``, read
    through its reverse relation: rounds does not import ranking), read once
    per page for both the user's own place and the controller's reminder:
    a forum is a few dozen people, never the proposals."""
    if not hasattr(current, "_start_members"):
        current._start_members = list(current.forum_members.select_related("namnd", "forvaltning"))
    return current._start_members


def _forum_member(user, current):
    """The user's place in the current round's forum, or None (one query,
    shared with :func:`_round_members`)."""
    if current is None:
        return None
    return next((m for m in _round_members(current) if m.user_id == user.pk), None)


def _forum_tasks(current, member) -> list[Task]:
    """The forum follows the round's membership: the role forumdeltagare
    alone does not make one of the round's forum."""
    if current is None:
        return []
    year = current.budget_year
    if member is None:
        return [
            Task(
                _(
                    "Du är inte utsedd till deltagare i forumet för omgång %(year)s. "
                    "Controllern utser omgångens forumdeltagare."
                )
                % {"year": year}
            )
        ]
    if current.phase < Phase.FORUM:
        return [
            Task(
                _(
                    "Du är utsedd till forumet för omgång %(year)s och representerar "
                    "%(represents)s. Du rangordnar när omgången når kommunövergripande "
                    "prioritering."
                )
                % {"year": year, "represents": member.represents}
            )
        ]
    if current.phase == Phase.FORUM:
        return [
            Task(
                _("Rangordna förslagen från hela kommunen på ditt eget rangordningsark."),
                reverse("forum_sheet", args=[year]),
                _("Öppna mitt rangordningsark"),
            ),
            Task(
                _("Följ forumets sammanvägda rangordning under mötet."),
                reverse("forum_meeting", args=[year]),
                _("Öppna mötesvyn"),
            ),
        ]
    return [
        Task(
            _("Forumets rangordning är klar."),
            reverse("forum_list", args=[year]),
            _("Se forumets sammanställning"),
        )
    ]


def _chef_gaps() -> list[Task]:
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


def _forvaltning_tasks(user, forvaltning: Forvaltning, current, analysis) -> list[Task]:
    tasks = [
        Task(
            _("Din förvaltning: %(forvaltning)s, under %(namnd)s.")
            % {"forvaltning": forvaltning.name, "namnd": forvaltning.namnd.name},
            reverse("organisation") + f"#forvaltning-{forvaltning.pk}",
            _("Se organisationen"),
        )
    ]
    if analysis is None:
        return tasks
    grid = reverse("analysis_grid", args=[current.budget_year, forvaltning.pk])
    analysis.forvaltning = forvaltning
    if may(user, "submit_analysis", analysis):
        text = _(
            "Verksamhetsanalysen är inte inlämnad (%(count)s förslag). Lämna in den till "
            "nämnden senast %(date)s."
        )
    elif may(user, "edit_analysis", analysis):
        text = _(
            "Fyll i verksamhetsanalysen och bedöm förslagen (%(count)s förslag) senast %(date)s."
        )
    else:
        text = _("Verksamhetsanalysen: %(status)s, %(count)s förslag.")
    deadline = analysis.deadline
    tasks.append(
        Task(
            text
            % {
                "count": analysis.proposal_count,
                "date": date_format(deadline, "j F Y") if deadline else "—",
                "status": analysis.get_status_display().lower(),
            },
            grid,
            _("Öppna verksamhetsanalysen"),
        )
    )
    if analysis.status == AnalysisStatus.RETURNED:
        tasks.append(
            Task(
                _("Återlämnad med kommentaren: %(comment)s") % {"comment": analysis.return_comment}
            )
        )
    return tasks


def _namnd_tasks(namnd, current, analyses) -> list[Task]:
    tasks = [
        Task(
            _("Din nämnd: %(namnd)s.") % {"namnd": namnd.name},
            reverse("organisation") + f"#namnd-{namnd.pk}",
            _("Se nämndens förvaltningar"),
        )
    ]
    own = [a for a in analyses.values() if a.forvaltning.namnd_id == namnd.pk]
    if current is not None and current.phase == Phase.NAMND:
        tasks.append(
            Task(
                _("Rangordna nämndens förslag och registrera nämndens beslut."),
                reverse("namnd_ranking", args=[current.budget_year, namnd.pk]),
                _("Öppna nämndens rangordning"),
            )
        )
    elif current is not None and own:
        submitted = sum(a.status == AnalysisStatus.SUBMITTED for a in own)
        tasks.append(
            Task(
                _("%(submitted)s av %(total)s förvaltningar under nämnden har lämnat in.")
                % {"submitted": submitted, "total": len(own)},
                reverse("analysis_list", args=[current.budget_year]),
                _("Se analyserna"),
            )
        )
    return tasks
