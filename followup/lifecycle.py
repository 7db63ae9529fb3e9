"""A proposal's life across years: the chain of proposals linked by carrying
over (``Proposal.carried_from`` / ``carried_into``), earlier years first, and
for each what became of it — proposed, ranked, decided, followed up, carried
over.

The way through the ranking is the proposal page's own (the
``proposal_ranking`` selector's data), and each proposal's submitted reports come
in the same query (ranking's ``with_ranking`` with the reports added here, the
result kept for the tag by ``remember_ranking``): the page's own proposal
costs nothing more, and every other proposal of the chain one query, whatever
the size of the rounds.

What the user may not read is not shown: a proposal of the chain the user may
not read shows only its year and reference, and the follow-up only to those
who may read that förvaltning's follow-up (``view_follow_up``).
"""

from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import CharField, F, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from followup.models import FollowUpReport, PeriodKind, Progress
from followup.rules import (
    FOLLOWED_UP,
    IMPLEMENTATION_VALUES,
    PartData,
    decided_amount,
    implementation_parts,
    parts_of,
)
from prioritering.access import may
from ranking.selectors import proposal_ranking, remember_ranking, with_ranking
from rounds.models import AnalysisStatus, Proposal

# The periods named short, as a report is named in running text ("Delår 2026").
PERIOD_SHORT = {
    PeriodKind.TERTIAL_1: _("Tertial 1"),
    PeriodKind.DELAR: _("Delår"),
    PeriodKind.ARSBOKSLUT: _("Årsbokslut"),
}

# Every proposal of a chain is read with what its row needs, and the link to
# the next year's (so the walk knows when to stop without asking again).
RELATED = (
    "round",
    "analysis__round",
    "analysis__forvaltning__namnd",
    "decision",
    "carried_into",
)

# A chain never runs longer than the kommun has rounds; this only guards
# against a loop in damaged data.
MAX_LENGTH = 100


@dataclass(frozen=True)
class Report:
    """One submitted follow-up report, as the life needs it."""

    kind: int
    progress: str
    cost_outcome_tkr: int | None

    @property
    def period_label(self) -> str:
        return str(PERIOD_SHORT[PeriodKind(self.kind)])

    @property
    def progress_label(self) -> str:
        return Progress(self.progress).label if self.progress else ""


@dataclass
class Stage:
    """One proposal of the chain, one budget year."""

    proposal: Proposal
    current: bool
    viewable: bool
    ranking: dict = field(default_factory=dict)
    reports: list[Report] | None = None  # None: the user may not read the follow-up
    carried_to: "Stage | None" = None

    @property
    def year(self) -> int:
        return self.proposal.round.budget_year

    @property
    def reference(self) -> str:
        return self.proposal.reference

    @property
    def analysis_submitted(self) -> bool:
        return self.proposal.analysis.status == AnalysisStatus.SUBMITTED

    @property
    def decision(self):
        return getattr(self.proposal, "decision", None)

    @property
    def shows_follow_up(self) -> bool:
        """The user may read the follow-up, and there is one: reports, or a
        decision to carry the proposal out (whose reports are missing)."""
        return self.reports is not None and (bool(self.reports) or self.decided_tkr is not None)

    @property
    def decided_tkr(self) -> int | None:
        """The amount år 1 decided, for a decision to carry the proposal out."""
        decision = self.decision
        if decision is None or decision.outcome not in FOLLOWED_UP:
            return None
        return decided_amount(decision.outcome, decision.amount_tkr, self.proposal.cost_year1)


@dataclass
class Lifecycle:
    stages: list[Stage]

    @property
    def spans_years(self) -> bool:
        return len(self.stages) > 1

    @property
    def shown(self) -> bool:
        """Worth its own section: the proposal lived more than one year, or
        there is a follow-up the user may read."""
        return self.spans_years or any(stage.reports for stage in self.stages)


# Each proposal's submitted reports are kept on it for the rest of the request,
# and its genomförande (read in the same query).
REPORTS = "_follow_up_reports"
IMPLEMENTATION = "_follow_up_implementation"
# The genomförande's fields as annotations of the proposal.
IMPLEMENTATION_NAMES = {
    value.replace("implementation__", "implementation_"): value for value in IMPLEMENTATION_VALUES
}


def _with_reports(queryset):
    """``queryset`` of proposals read with their way through the ranking and,
    in the same query, their submitted reports as "kind:progress:cost;…"."""
    reports = (
        FollowUpReport.objects.filter(proposal=OuterRef("pk"), state=AnalysisStatus.SUBMITTED)
        .order_by()
        .values("proposal")
        .annotate(
            items=StringAgg(
                Concat(
                    Cast("period__kind", CharField()),
                    Value(":"),
                    "progress",
                    Value(":"),
                    Coalesce(Cast("cost_outcome_tkr", CharField()), Value("")),
                    output_field=CharField(),
                ),
                delimiter=Value(";"),
            )
        )
        .values("items")
    )
    return with_ranking(queryset).annotate(
        follow_up_list=Subquery(reports),
        **{name: F(value) for name, value in IMPLEMENTATION_NAMES.items()},
    )


def _remember(proposal: Proposal, found: Proposal) -> None:
    """Keep ``found``'s (read through :func:`_with_reports`) way through the
    ranking and reports on ``proposal``."""
    remember_ranking(proposal, found)
    proposal.__dict__[IMPLEMENTATION] = implementation_parts(
        tuple(getattr(found, name) for name in IMPLEMENTATION_NAMES)
    )
    proposal.__dict__[REPORTS] = [
        Report(*values)
        for values in sorted(
            (int(kind), progress, int(cost) if cost else None)
            for kind, progress, cost in (
                item.split(":") for item in (found.follow_up_list or "").split(";") if item
            )
        )
    ]


def _reports(proposal: Proposal) -> list[Report]:
    """The proposal's submitted reports, in the periods' order: read with it
    when it is one of the chain's; for the page's own proposal in the query
    that reads its way through the ranking, which the page makes anyway."""
    if REPORTS not in proposal.__dict__:
        found = _with_reports(Proposal.objects.filter(pk=proposal.pk)).first()
        if found is None:
            return []
        _remember(proposal, found)
    return proposal.__dict__[REPORTS]


def implementation(proposal: Proposal) -> tuple[PartData, ...]:
    """The proposal's genomförande (verksamhetsplan, budget,
    internkontrollplan), read with its way through the ranking and its
    reports: for the proposal page's own proposal that is the query the page
    makes anyway (its ranking part then asks nothing more)."""
    if IMPLEMENTATION not in proposal.__dict__:
        _reports(proposal)
    return proposal.__dict__.get(IMPLEMENTATION) or parts_of(None)


def _read(pk: int) -> Proposal | None:
    """A proposal of the chain with its way through the ranking and its
    reports, in one query."""
    found = _with_reports(Proposal.objects.select_related(*RELATED).filter(pk=pk)).first()
    if found is not None:
        _remember(found, found)
    return found


def _next_of(proposal: Proposal) -> Proposal | None:
    """The proposal ``proposal`` was carried into, read in full; no query
    when it was read with ``carried_into`` and was not carried."""
    following = getattr(proposal, "carried_into", None)
    return None if following is None else _read(following.pk)


def chain(proposal: Proposal) -> list[Proposal]:
    """The proposals linked to ``proposal`` by carrying over, earlier years
    first; ``proposal`` itself is the instance passed in. One query per other
    proposal of the chain (read with :data:`RELATED`)."""
    earlier: list[Proposal] = []
    seen = {proposal.pk}
    current = proposal
    while current.carried_from_id and len(seen) < MAX_LENGTH:
        found = _read(current.carried_from_id)
        if found is None or found.pk in seen:
            break
        earlier.append(found)
        seen.add(found.pk)
        current = found
    later: list[Proposal] = []
    current = proposal
    while len(seen) < MAX_LENGTH:
        found = _next_of(current)
        if found is None or found.pk in seen:
            break
        later.append(found)
        seen.add(found.pk)
        current = found
    return [*reversed(earlier), proposal, *later]


def _followed_up(proposal: Proposal) -> bool:
    decision = getattr(proposal, "decision", None)
    return decision is not None and decision.outcome in FOLLOWED_UP


def lifecycle(proposal: Proposal, user) -> Lifecycle:
    """The life of ``proposal`` across years, as ``user`` may see it. The
    proposal should be read with its round, its analysis's round and
    förvaltning (as the proposal page reads it)."""
    members = chain(proposal)
    stages = []
    for member in members:
        viewable = member is proposal or may(user, "view_proposal", member)
        follow_up = viewable and may(user, "view_follow_up", member.analysis)
        stages.append(
            Stage(
                proposal=member,
                current=member is proposal,
                viewable=viewable,
                reports=[] if follow_up else None,
            )
        )
    # Only a decision to carry a proposal out is followed up: without one in
    # the chain the user may read, there are no reports to ask for.
    # Each proposal's reports come with its way through the ranking (one query
    # the page makes anyway for its own proposal, and the chain's read).
    for stage in stages:
        if stage.reports is not None and _followed_up(stage.proposal):
            stage.reports = list(_reports(stage.proposal))
    for stage, following in pairwise(stages):
        stage.carried_to = following
    result = Lifecycle(stages)
    if result.shown:
        # The page's own proposal read with its reports and genomförande,
        # its way through the ranking along: the one query it costs.
        if REPORTS not in proposal.__dict__:
            _reports(proposal)
        for stage in stages:
            if stage.viewable:
                stage.ranking = proposal_ranking(stage.proposal)
    return result
