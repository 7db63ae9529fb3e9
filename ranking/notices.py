"""The ranking's notices by e-mail: the round is published; and the open work
of the nämnd, forum and Beslut phases that reminders and phase notices list
(registered with ``notices.work`` in ranking.apps)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notices.mail import link, notify
from notices.models import NoticeKind
from notices.work import WorkItem
from prioritering.access import may
from ranking.models import ForumMember, ForumRank, NamndResult
from rounds.models import Membership, Namnd, Phase, Role, Round, User
from rounds.notices import rounds_in_play


def round_published(round: Round) -> int:
    """To everyone signed up in the kommun: every active user with a role
    (a membership). What is published is public, so anyone may read it."""
    users = User.objects.filter(is_active=True, memberships__isnull=False).distinct().order_by("pk")
    context = {
        "year": round.budget_year,
        "url": link(reverse("public_round", args=[round.budget_year])),
    }
    return notify(users, NoticeKind.PUBLISHED, "published", context, kommun=round.kommun.name)


def namnd_work(rounds: list[Round] | None) -> dict:
    """In the nämnd phase: each nämnd that has not recorded its decision,
    for its ledamöter."""
    rounds = [r for r in rounds_in_play(rounds) if r.phase == Phase.NAMND]
    if not rounds:
        return {}
    recorded = set(
        NamndResult.objects.filter(round__in=rounds, recorded_at__isnull=False).values_list(
            "round_id", "namnd_id"
        )
    )
    members = list(
        Membership.objects.filter(
            role=Role.NAMNDLEDAMOT,
            user__is_active=True,
            namnd__kommun__in={r.kommun_id for r in rounds},
        ).select_related("user", "namnd")
    )
    found: dict = {}
    users: dict[int, User] = {}
    for round in rounds:
        for membership in members:
            namnd: Namnd = membership.namnd
            if namnd.kommun_id != round.kommun_id or (round.pk, namnd.pk) in recorded:
                continue
            user = users.setdefault(membership.user_id, membership.user)
            if not may(user, "rank_in_namnd", NamndResult(round=round, namnd=namnd)):
                continue
            found.setdefault(user, []).append(
                WorkItem(
                    _("Rangordna förslagen i %(namnd)s och registrera nämndens beslut (%(year)s).")
                    % {"namnd": namnd.name, "year": round.budget_year},
                    round.deadline(Phase.NAMND),
                    reverse("namnd_ranking", args=[round.budget_year, namnd.pk]),
                    round.kommun.name,
                )
            )
    return found


def forum_work(rounds: list[Round] | None) -> dict:
    """In the forum phase: each of the round's forum members who has not
    ranked yet."""
    rounds = [r for r in rounds_in_play(rounds) if r.phase == Phase.FORUM]
    if not rounds:
        return {}
    ranked = set(ForumRank.objects.filter(round__in=rounds).values_list("round_id", "member_id"))
    found: dict = {}
    users: dict[int, User] = {}
    by_pk = {r.pk: r for r in rounds}
    for member in ForumMember.objects.filter(round__in=rounds, user__is_active=True).select_related(
        "user"
    ):
        round = by_pk[member.round_id]
        if (round.pk, member.user_id) in ranked:
            continue
        user = users.setdefault(member.user_id, member.user)
        if not may(user, "rank_in_forum", round):
            continue
        found.setdefault(user, []).append(
            WorkItem(
                _("Rangordna förslagen från hela kommunen på ditt rangordningsark (%(year)s).")
                % {"year": round.budget_year},
                round.deadline(Phase.FORUM),
                reverse("forum_sheet", args=[round.budget_year]),
                round.kommun.name,
            )
        )
    return found


def decision_work(rounds: list[Round] | None) -> dict:
    """In the Beslut phase, until the round is published: the controller's
    decisions and publication."""
    rounds = [r for r in rounds_in_play(rounds) if r.phase == Phase.BESLUT]
    if not rounds:
        return {}
    published = set(
        Round.objects.filter(
            pk__in=[r.pk for r in rounds], forum_result__published_at__isnull=False
        ).values_list("pk", flat=True)
    )
    controllers = list(
        User.objects.filter(is_active=True, memberships__role=Role.CONTROLLER).distinct()
    )
    found: dict = {}
    for round in rounds:
        if round.pk in published:
            continue
        for user in controllers:
            if not may(user, "publish_round", round):
                continue
            found.setdefault(user, []).append(
                WorkItem(
                    _("Registrera besluten och publicera resultatet (%(year)s).")
                    % {"year": round.budget_year},
                    round.deadline(Phase.BESLUT),
                    reverse("forum_decisions", args=[round.budget_year]),
                    round.kommun.name,
                )
            )
    return found
