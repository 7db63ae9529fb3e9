"""The follow-up's part of the start page ("Mina uppgifter", rounds.start):
for a förvaltning's staff the reports still to hand in, for the controller how
each round being followed up stands. Added to rounds.start's lists when the
app is ready (followup.apps), since rounds does not import the follow-up."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followup.models import FollowUpPeriod, FollowUpReport
from followup.rules import FOLLOWED_UP, period_counts
from rounds.models import AnalysisStatus, Membership, Phase, Proposal, Role, Round
from rounds.start import Task


def staff_tasks(memberships: list[Membership]) -> dict[int, list[Task]]:
    """For each förvaltning the user works in: a task per follow-up period of a
    round in the uppföljning phase whose reports on the förvaltning's decided
    proposals are not all handed in, with the period's last day. Three
    queries, whatever the number of rounds, proposals and reports."""
    staff = (Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON)
    forvaltning_ids = {m.forvaltning_id for m in memberships if m.role in staff}
    if not forvaltning_ids:
        return {}
    periods = list(
        FollowUpPeriod.objects.filter(round__phase=Phase.UPPFOLJNING)
        .select_related("round")
        .order_by("round__budget_year", "kind")
    )
    if not periods:
        return {}
    proposals = Proposal.objects.filter(
        round__phase=Phase.UPPFOLJNING,
        analysis__forvaltning_id__in=forvaltning_ids,
        withdrawn_at__isnull=True,
        decision__outcome__in=FOLLOWED_UP,
    )
    decided, submitted = report_counts(proposals)
    today = timezone.localdate()
    tasks: dict[int, list[Task]] = {}
    for forvaltning_id in sorted(forvaltning_ids):
        for period in periods:
            total = decided.get((period.round_id, forvaltning_id), 0)
            missing = total - submitted.get((period.pk, forvaltning_id), 0)
            if missing <= 0:
                continue
            values = {
                "year": period.round.budget_year,
                "period": period.get_kind_display(),
                "missing": missing,
                "total": total,
                "date": date_format(period.deadline, "j F Y"),
            }
            if today > period.deadline:
                text = _(
                    "Uppföljning %(year)s, %(period)s: %(missing)s av %(total)s rapporter är "
                    "inte inlämnade. Sista dagen, %(date)s, har passerat."
                )
            else:
                text = _(
                    "Uppföljning %(year)s, %(period)s: %(missing)s av %(total)s rapporter är "
                    "inte inlämnade. Lämna in dem senast %(date)s."
                )
            url = reverse("followup_index", args=[period.round.budget_year])
            tasks.setdefault(forvaltning_id, []).append(
                Task(
                    text % values,
                    f"{url}#period-{forvaltning_id}-{period.slug}",
                    _("Öppna uppföljningen"),
                )
            )
    return tasks


def controller_tasks() -> list[Task]:
    """For the controller: each round being followed up, at its latest period
    whose last day has passed (else its first): how many reports are in and
    how many deviate. The rounds, their periods, and one query per round."""
    today = timezone.localdate()
    tasks = []
    rounds = Round.objects.filter(phase=Phase.UPPFOLJNING).prefetch_related("follow_up_periods")
    for round in rounds.order_by("budget_year"):
        periods = list(round.follow_up_periods.all())
        if not periods:
            tasks.append(
                Task(
                    _("Uppföljning %(year)s: ange uppföljningsperioderna och deras sista dagar.")
                    % {"year": round.budget_year},
                    reverse("followup_periods", args=[round.budget_year]),
                    _("Ange perioderna"),
                )
            )
            continue
        passed = [period for period in periods if period.deadline < today]
        period = passed[-1] if passed else periods[0]
        counts = period_counts(round, period, today=today)
        values = {
            "year": round.budget_year,
            "period": period.get_kind_display(),
            "reported": counts.reported,
            "total": counts.proposals,
            "late": counts.late,
            "deviations": counts.deviations,
        }
        tasks.append(
            Task(
                _(
                    "Uppföljning %(year)s, %(period)s: %(reported)s av %(total)s rapporter "
                    "inlämnade. Sena: %(late)s. Avvikelser: %(deviations)s."
                )
                % values,
                reverse("followup_overview", args=[round.budget_year, period.slug]),
                _("Öppna översikten"),
            )
        )
    return tasks


def report_counts(proposals) -> tuple[dict, dict]:
    """For the follow-up's open work: the decided ``proposals`` per (round,
    förvaltning), and their submitted reports per (period, förvaltning)."""
    decided = {
        (row["round_id"], row["analysis__forvaltning_id"]): row["n"]
        for row in proposals.values("round_id", "analysis__forvaltning_id").annotate(n=Count("pk"))
    }
    submitted = {
        (row["period_id"], row["proposal__analysis__forvaltning_id"]): row["n"]
        for row in FollowUpReport.objects.filter(
            proposal__in=proposals, state=AnalysisStatus.SUBMITTED
        )
        .values("period_id", "proposal__analysis__forvaltning_id")
        .annotate(n=Count("pk"))
    }
    return decided, submitted
