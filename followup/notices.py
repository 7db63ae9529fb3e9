"""The follow-up's notices by e-mail: a report is returned; and the reports
still to hand in, which reminders and the phase notice list (registered with
``notices.work`` in followup.apps)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from followup.models import FollowUpPeriod, FollowUpReport
from followup.rules import FOLLOWED_UP
from followup.start import report_counts
from notices.mail import link, notify
from notices.models import NoticeKind
from notices.work import WorkItem
from prioritering.access import may
from rounds.models import Membership, Phase, Proposal, Role, Round, User
from rounds.notices import rounds_in_play

STAFF = (Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON)


def report_returned(report: FollowUpReport) -> int:
    """To the förvaltning's staff, with the controller's comment."""
    analysis = report.proposal.analysis
    round = analysis.round
    users = [
        user
        for user in User.objects.filter(
            is_active=True,
            memberships__forvaltning_id=analysis.forvaltning_id,
            memberships__role__in=STAFF,
        ).distinct()
        if may(user, "view_follow_up", analysis)
    ]
    url = reverse(
        "followup_report", args=[round.budget_year, report.period.slug, report.proposal.number]
    )
    context = {
        "year": round.budget_year,
        "period": report.period.get_kind_display,
        "title": report.proposal.title,
        "forvaltning": analysis.forvaltning.name,
        "comment": report.return_comment,
        "deadline": report.period.deadline,
        "url": link(url),
    }
    return notify(
        users, NoticeKind.REPORT_RETURNED, "report_returned", context, kommun=round.kommun.name
    )


def report_work(rounds: list[Round] | None) -> dict:
    """In the uppföljning phase: per förvaltning and period, the reports on
    its decided proposals that are not handed in, for its staff who may
    write them."""
    rounds = [r for r in rounds_in_play(rounds) if r.phase == Phase.UPPFOLJNING]
    if not rounds:
        return {}
    periods = list(
        FollowUpPeriod.objects.filter(round__in=rounds)
        .select_related("round__kommun")
        .order_by("round__budget_year", "kind")
    )
    proposals = Proposal.objects.filter(
        round__in=rounds, withdrawn_at__isnull=True, decision__outcome__in=FOLLOWED_UP
    )
    decided, submitted = report_counts(proposals)
    staff: dict[int, list[User]] = {}
    users: dict[int, User] = {}
    for membership in Membership.objects.filter(
        forvaltning_id__in={f for _round, f in decided},
        role__in=STAFF,
        user__is_active=True,
    ).select_related("user", "forvaltning"):
        user = users.setdefault(membership.user_id, membership.user)
        staff.setdefault(membership.forvaltning_id, []).append((user, membership.forvaltning))
    found: dict = {}
    for period in periods:
        for (round_id, forvaltning_id), total in decided.items():
            if round_id != period.round_id:
                continue
            missing = total - submitted.get((period.pk, forvaltning_id), 0)
            if missing <= 0:
                continue
            path = reverse("followup_index", args=[period.round.budget_year])
            for user, forvaltning in staff.get(forvaltning_id, []):
                item = WorkItem(
                    _(
                        "Uppföljning %(year)s, %(period)s, %(forvaltning)s: lämna in "
                        "%(missing)s av %(total)s rapporter."
                    )
                    % {
                        "year": period.round.budget_year,
                        "period": period.get_kind_display(),
                        "forvaltning": forvaltning.name,
                        "missing": missing,
                        "total": total,
                    },
                    period.deadline,
                    f"{path}#period-{forvaltning_id}-{period.slug}",
                    period.round.kommun.name,
                )
                if item not in found.get(user, []):
                    found.setdefault(user, []).append(item)
    return found
