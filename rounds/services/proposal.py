"""Creating, saving (without lost updates) and withdrawing proposals."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from prioritering.access import require
from prioritering.audit import save_as, set_m2m_as
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
    that holds the round's lock (see :func:`_lock_round`)."""
    highest = Proposal.objects.filter(round=round).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


def _lock_round(round: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round.pk)


@transaction.atomic
def create_proposal(analysis: Analysis, *, by: User, **fields) -> Proposal:
    """A new proposal in the förvaltning's analysis. ``mal`` (politiska mål)
    may be given as an iterable of list items."""
    require(by, "edit_analysis", analysis)
    goals = fields.pop("mal", None)
    round = _lock_round(analysis.round)
    # Asked again of the analysis and round as they are under the lock.
    analysis = Analysis.objects.select_related("forvaltning__namnd").get(pk=analysis.pk)
    analysis.round = round
    require(by, "edit_analysis", analysis)
    proposal = Proposal(
        round=round, analysis=analysis, number=next_number(round), created_by=by, **fields
    )
    proposal.full_clean(exclude=["mal"])
    save_as(proposal, by, "Skapat")
    if goals is not None:
        set_m2m_as(proposal, "mal", goals, by)
    return proposal


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


@transaction.atomic
def proposal_from_item(item: AnalysisItem, *, by: User) -> Proposal:
    """Turn an item of the last two columns into a proposal, pre-filled. An
    item that already became one returns that proposal."""
    item = (
        AnalysisItem.objects.select_for_update().select_related("analysis__round").get(pk=item.pk)
    )
    existing = Proposal.objects.filter(analysis_item=item).first()
    if existing:
        return existing
    if not item.can_become_proposal:
        raise ValueError("only needs, rationing and efficiency items become proposals")
    return create_proposal(item.analysis, by=by, analysis_item=item, **fields_from_item(item))


@transaction.atomic
def save_proposal(proposal: Proposal, *, by: User, expected_version: int, goals=None) -> Proposal:
    """Save ``proposal`` (already changed in memory) unless someone else saved
    it since ``expected_version`` was read; then raise :class:`ProposalConflict`
    with the current state, and nothing is written.

    The row is locked for the check and the write, so of two simultaneous saves
    one waits for the other and then sees the new version."""
    current = (
        Proposal.objects.select_for_update().select_related("analysis__round").get(pk=proposal.pk)
    )
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
    proposal = (
        Proposal.objects.select_for_update().select_related("analysis__round").get(pk=proposal.pk)
    )
    require(by, "withdraw_proposal", proposal)
    proposal.withdrawn_at = timezone.now()
    proposal.withdrawn_by = by
    proposal.withdrawn_reason = reason.strip()
    proposal.version += 1
    save_as(proposal, by, "Återkallat")
    return proposal
