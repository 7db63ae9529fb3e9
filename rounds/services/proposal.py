"""Creating, saving (without lost updates) and withdrawing proposals."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from prioritering.access import require
from prioritering.audit import save_as, set_m2m_as
from rounds import locks
from rounds.models import (
    Analysis,
    AnalysisColumn,
    AnalysisItem,
    Proposal,
    ProposalType,
    Round,
    User,
)

TITLE_LENGTH = 200


class ProposalConflict(Exception):  # noqa: N818 (a situation, not a bug)
    """Someone saved the proposal after the editor loaded it."""

    def __init__(self, current: Proposal):
        super().__init__(f"proposal {current.pk} is at version {current.version}")
        self.current = current


def next_number(round: Round) -> int:
    """The next free proposal number in the round. Call inside a transaction
    that holds the round's exclusive lock (``locks.round_to_change``)."""
    highest = Proposal.objects.filter(round=round).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


def _locked_for_new(analysis) -> Analysis:
    """The round (exclusive: it numbers the proposal) and then the analysis,
    locked in the order of ``rounds.locks`` and read afresh."""
    round_id = Analysis.objects.values_list("round_id", flat=True).get(pk=analysis.pk)
    round = locks.round_to_change(round_id)
    return locks.analysis_to_change(analysis, round)


def _create(analysis: Analysis, *, by: User, **fields) -> Proposal:
    """A new proposal in ``analysis``, locked with its round by the caller."""
    require(by, "edit_analysis", analysis)
    goals = fields.pop("mal", None)
    round = analysis.round
    proposal = Proposal(
        round=round, analysis=analysis, number=next_number(round), created_by=by, **fields
    )
    proposal.full_clean(exclude=["mal"])
    save_as(proposal, by, "Skapat")
    if goals is not None:
        set_m2m_as(proposal, "mal", goals, by)
    return proposal


@transaction.atomic
def create_proposal(analysis: Analysis, *, by: User, **fields) -> Proposal:
    """A new proposal in the förvaltning's analysis. ``mal`` (politiska mål)
    may be given as an iterable of list items. The rule is asked of the round
    and analysis as they are under their locks."""
    return _create(_locked_for_new(analysis), by=by, **fields)


def fields_from_item(item: AnalysisItem) -> dict:
    """What a proposal made from an analysis item starts with."""
    text = item.text.strip()
    first_line = text.splitlines()[0] if text else ""
    title = first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1] + "…"
    typ = (
        ProposalType.RANSONERING
        if item.column == AnalysisColumn.RANSONERA
        else ProposalType.NYA_BEHOV
    )
    return {"title": title, "situation": text, "perspektiv": item.perspektiv, "typ": typ}


class ItemHasProposal(Exception):  # noqa: N818 (a situation, not a bug)
    """The item became a proposal already (in another tab, or by a colleague)."""

    def __init__(self, proposal: Proposal):
        super().__init__(f"the item already became proposal {proposal.pk}")
        self.proposal = proposal


@transaction.atomic
def create_proposal_from_item(item: AnalysisItem, *, by: User, **fields) -> Proposal:
    """The proposal made from an item of the last two columns, with the
    fields of its form (which :func:`fields_from_item` pre-filled), linked to
    the item. Nothing exists before this save: opening the form from the item
    and cancelling leaves no proposal and uses no number. An item that became
    a proposal meanwhile raises :class:`ItemHasProposal` and creates nothing.
    Locks round, analysis and item, in that order."""
    analysis = _locked_for_new(Analysis(pk=item.analysis_id))
    item = AnalysisItem.objects.select_for_update(no_key=True).get(pk=item.pk, analysis=analysis)
    item.analysis = analysis
    require(by, "edit_analysis", analysis)
    existing = Proposal.objects.filter(analysis_item=item).first()
    if existing:
        raise ItemHasProposal(existing)
    if not item.can_become_proposal:
        raise ValueError("only needs, rationing and efficiency items become proposals")
    return _create(analysis, by=by, analysis_item=item, **fields)


def _locked_proposal(proposal: Proposal) -> Proposal:
    """The round and the analysis (shared: the proposal's own changes only
    need them to stay as they are), then the proposal, locked in the order of
    ``rounds.locks`` and read afresh."""
    analysis = locks.analysis_and_round(Analysis(pk=proposal.analysis_id), change=False)
    current = Proposal.objects.select_for_update(no_key=True).get(pk=proposal.pk, analysis=analysis)
    current.analysis = analysis
    current.round = analysis.round
    return current


@transaction.atomic
def save_proposal(proposal: Proposal, *, by: User, expected_version: int, goals=None) -> Proposal:
    """Save ``proposal`` (already changed in memory) unless someone else saved
    it since ``expected_version`` was read; then raise :class:`ProposalConflict`
    with the current state, and nothing is written.

    The row is locked for the check and the write, so of two simultaneous saves
    one waits for the other and then sees the new version."""
    current = _locked_proposal(proposal)
    require(by, "edit_proposal", current)
    if current.version != expected_version:
        raise ProposalConflict(current)
    proposal.version = current.version + 1
    proposal.full_clean(exclude=["mal"])
    save_as(proposal, by)
    if goals is not None:
        set_m2m_as(proposal, "mal", goals, by)
    return proposal


@transaction.atomic
def withdraw_proposal(proposal: Proposal, *, by: User, reason: str) -> Proposal:
    proposal = _locked_proposal(proposal)
    require(by, "withdraw_proposal", proposal)
    proposal.withdrawn_at = timezone.now()
    proposal.withdrawn_by = by
    proposal.withdrawn_reason = reason.strip()
    proposal.version += 1
    save_as(proposal, by, "Återkallat")
    return proposal
