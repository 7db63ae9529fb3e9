"""The round's notices by e-mail: a phase moves forward, an analysis is
submitted or returned; and the verksamhetsanalys work that reminders list
(registered with ``notices.work`` in rounds.apps).

Called from the services where the event happens, inside their transaction:
the mails go to the outbox and are sent by the background task after the
commit. Who gets a mail is decided by the access rules (``may``): nobody is
told about an analysis they may not read, or given work they may not do.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from notices import work
from notices.mail import is_muted, language_of, link, notify, queue_mail, recipients
from notices.models import NoticeKind
from prioritering.access import may
from rounds.models import Analysis, AnalysisStatus, Membership, Phase, Role, Round, User

STAFF = (Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON)


def _users_with(**membership) -> list[User]:
    """The active users holding a membership like ``membership``, each once."""
    return list(
        User.objects.filter(is_active=True, memberships__in=Membership.objects.filter(**membership))
        .distinct()
        .order_by("username")
    )


def _analysis_context(analysis: Analysis) -> dict:
    round = analysis.round
    return {
        "year": round.budget_year,
        "forvaltning": analysis.forvaltning.name,
        "url": link(reverse("analysis_grid", args=[round.budget_year, analysis.forvaltning_id])),
    }


def analysis_submitted(analysis: Analysis) -> int:
    """To the controller(s) and the nämnd's ledamöter (who may now read it)."""
    namnd = analysis.forvaltning.namnd
    users = [
        user
        for user in _users_with(role=Role.CONTROLLER) + _users_with(namnd=namnd)
        if may(user, "view_analysis", analysis)
    ]
    context = {**_analysis_context(analysis), "namnd": namnd.name}
    return notify(
        users,
        NoticeKind.ANALYSIS_SUBMITTED,
        "analysis_submitted",
        context,
        kommun=analysis.round.kommun.name,
    )


def analysis_returned(analysis: Analysis) -> int:
    """To the förvaltning's staff, with the controller's comment and the
    (new) last day."""
    users = [
        user
        for user in _users_with(forvaltning=analysis.forvaltning, role__in=STAFF)
        if may(user, "view_analysis", analysis)
    ]
    context = {
        **_analysis_context(analysis),
        "comment": analysis.return_comment,
        "deadline": analysis.deadline,
    }
    return notify(
        users,
        NoticeKind.ANALYSIS_RETURNED,
        "analysis_returned",
        context,
        kommun=analysis.round.kommun.name,
    )


def phase_moved(round: Round) -> int:
    """To everyone with work in the round's new phase, listing that work and
    its deadline (the providers of ``notices.work``, as reminders): a
    forward move only — a move back corrects a mistake, and its comment is
    in the round's history."""
    if is_muted():
        return 0
    kommun = round.kommun.name
    everyone = {}
    for language, found in work.open_work_by_language([round]).items():
        for user, items in found.items():
            everyone.setdefault(user.pk, (user, {}))[1][language] = items
    takers = recipients([user for user, _ in everyone.values()], NoticeKind.PHASE)
    context = {
        "year": round.budget_year,
        "phase": round.get_phase_display,
        "url": link(reverse("round_detail", args=[round.budget_year])),
    }
    count = 0
    for user in takers:
        by_language = everyone[user.pk][1]
        items = by_language.get(language_of(user)) or next(iter(by_language.values()))
        queue_mail(
            user,
            NoticeKind.PHASE,
            "phase",
            {**context, "items": [work.linked(item) for item in items]},
            kommun=kommun,
        )
        count += 1
    return count


# --- open work: the verksamhetsanalys --------------------------------------------


def rounds_in_play(rounds: list[Round] | None) -> list[Round]:
    """The rounds a work provider looks at: those given, or every round not
    closed (reminders), with their kommun and deadlines."""
    if rounds is not None:
        return rounds
    return list(
        Round.objects.exclude(phase=Phase.AVSLUTAD)
        .select_related("kommun")
        .prefetch_related("deadlines")
        .order_by("budget_year")
    )


def analysis_work(rounds: list[Round] | None) -> dict:
    """Each analysis still open for the förvaltning's work (a draft, or
    returned) in a round in the verksamhetsanalys phase — or returned in the
    nämnd phase — for each of its staff who may work on it now: the chef to
    submit it, the tjänstepersoner to fill it in."""
    rounds = [
        r for r in rounds_in_play(rounds) if r.phase in (Phase.VERKSAMHETSANALYS, Phase.NAMND)
    ]
    if not rounds:
        return {}
    analyses = list(
        Analysis.objects.filter(
            round__in=rounds, status__in=[AnalysisStatus.DRAFT, AnalysisStatus.RETURNED]
        )
        .select_related("round__kommun", "forvaltning__namnd")
        .prefetch_related("round__deadlines")
        .order_by("round__budget_year", "forvaltning__name")
    )
    staff: dict[int, list] = {}
    for membership in Membership.objects.filter(
        forvaltning__in=[a.forvaltning_id for a in analyses], role__in=STAFF, user__is_active=True
    ).select_related("user"):
        staff.setdefault(membership.forvaltning_id, []).append(membership.user)
    users: dict[int, User] = {}
    found: dict = {}
    for analysis in analyses:
        for person in staff.get(analysis.forvaltning_id, []):
            user = users.setdefault(person.pk, person)
            if may(user, "submit_analysis", analysis):
                text = _("Lämna in verksamhetsanalysen %(year)s för %(forvaltning)s till nämnden.")
            elif may(user, "edit_analysis", analysis):
                text = _("Fyll i verksamhetsanalysen %(year)s för %(forvaltning)s.")
            else:
                continue
            item = work.WorkItem(
                text % {"year": analysis.round.budget_year, "forvaltning": analysis.forvaltning},
                analysis.deadline,
                reverse(
                    "analysis_grid", args=[analysis.round.budget_year, analysis.forvaltning_id]
                ),
                analysis.round.kommun.name,
            )
            if item not in found.get(user, []):
                found.setdefault(user, []).append(item)
    return found
