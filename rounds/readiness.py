"""What is missing before a step that cannot simply be taken back: moving the
round to its next phase, submitting an analysis to the nämnd, returning it.
The confirmation pages show it, so that the step is taken knowingly; none of
it refuses the step (the access rules in ``prioritering.access`` do that).

A proposal that lacks one of the model's central criteria or a cost
(``rounds.criteria``) is named first: it stops submitting an analysis (the
service refuses it) and the pages say so. A proposal that lacks a scale the
round uses beyond them — åtgärdens effekt and kunskapsunderlaget
(``rounds.proposal_fields.OPTIONAL_FIELDS``) — is named as a warning."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from rounds import criteria
from rounds.models import Analysis, AnalysisStatus, Phase, Proposal, Round
from rounds.models.proposal import reference_for
from rounds.proposal_fields import fields_for_round

# The assessment's scales, in the form's order; those the round switched off
# are left out (fields_for_round).
ASSESSMENT_SCALES = (
    "svarighetsgrad",
    "effekt",
    "nytta",
    "kostnadseffektivitet",
    "kunskapsunderlag",
)


def required_assessment(round: Round) -> tuple[str, ...]:
    """The scales a proposal of the round must have filled in to count as assessed."""
    used = set(fields_for_round(round))
    return tuple(name for name in ASSESSMENT_SCALES if name in used)


@dataclass(frozen=True)
class Lacking:
    """A proposal named on a confirmation page, with what it lacks."""

    reference: str
    title: str
    missing: tuple[str, ...] = ()  # the labels of its empty scales


@dataclass
class ProposalCheck:
    count: int = 0
    total_year1: int = 0
    # Lacking a central criterion or a cost: a submission is refused.
    incomplete: list[criteria.Incomplete] = field(default_factory=list)
    # Lacking only a scale the round uses beyond them: a warning.
    unassessed: list[Lacking] = field(default_factory=list)


def check_proposals(round: Round, proposals: Iterable[Proposal]) -> ProposalCheck:
    """Count the proposals and name those lacking central criteria, a cost
    or another scale the round assesses."""
    optional = [
        name for name in required_assessment(round) if name not in criteria.CENTRAL_CRITERIA
    ]
    labels = {name: Proposal._meta.get_field(name).verbose_name for name in optional}
    check = ProposalCheck()
    proposals = list(proposals)
    check.incomplete = criteria.incomplete(proposals, round.budget_year)
    for proposal in proposals:
        check.count += 1
        check.total_year1 += proposal.cost_year1
        missing = tuple(str(labels[name]) for name in optional if getattr(proposal, name) is None)
        if missing:
            reference = reference_for(round.budget_year, proposal.number)
            check.unassessed.append(Lacking(reference, proposal.title, missing))
    return check


def _active(queryset):
    return queryset.filter(withdrawn_at__isnull=True).order_by("number")


def analysis_check(analysis: Analysis) -> ProposalCheck:
    """What the förvaltningschef submits (or the controller returns): the
    analysis's proposals that are not withdrawn. One query."""
    return check_proposals(analysis.round, _active(analysis.proposals.all()))


@dataclass
class PhaseMoveCheck:
    """What a move of the round from its phase to ``to_phase`` leaves behind."""

    from_phase: Phase
    to_phase: Phase
    forward: bool
    deadline: datetime.date | None = None  # the current phase's, when it is still ahead
    days_left: int | None = None
    analyses_total: int = 0
    not_submitted: list[Analysis] = field(default_factory=list)
    proposals: ProposalCheck | None = None
    # What the higher apps add (``register``): (heading, [lines]).
    notes: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def analyses_submitted(self) -> int:
        return self.analyses_total - len(self.not_submitted)


# Checks the higher apps contribute, by the phase a round leaves: each takes
# (round) and returns (heading, [lines]) or None. A lower app never imports a
# higher one, so ranking registers what the nämnd and forum leave undone.
PHASE_CHECKS: dict[int, list] = {}


def register(from_phase: int, check) -> None:
    if check not in PHASE_CHECKS.setdefault(from_phase, []):
        PHASE_CHECKS[from_phase].append(check)


def phase_move_check(round: Round, to_phase: int, today: datetime.date | None = None):
    """What is still undone in the phase the round leaves going forward (the
    round's deadlines prefetched saves a query)."""
    check = PhaseMoveCheck(
        from_phase=Phase(round.phase), to_phase=Phase(to_phase), forward=to_phase > round.phase
    )
    if not check.forward:
        return check
    today = today or timezone.localdate()
    deadline = round.deadline(round.phase)
    if deadline is not None and deadline >= today:
        check.deadline, check.days_left = deadline, (deadline - today).days
    if round.phase == Phase.VERKSAMHETSANALYS:
        analyses = list(round.analyses.select_related("forvaltning").order_by("forvaltning__name"))
        check.analyses_total = len(analyses)
        check.not_submitted = [a for a in analyses if a.status != AnalysisStatus.SUBMITTED]
        check.proposals = check_proposals(round, _active(round.proposals.all()))
    for contributed in PHASE_CHECKS.get(round.phase, []):
        note = contributed(round)
        if note:
            check.notes.append(note)
    return check
