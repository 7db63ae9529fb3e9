"""Soft checks on a proposal's assessment.

There is no formula from the scales to the rank: the rank is a judgement,
starting from svårighetsgrad and lowered for weak nytta, low
kostnadseffektivitet or weak evidence (Prioriteringscentrum). The app may
suggest and flag, never decide: these flags are shown beside the proposal and
never stop a save.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from rounds.models import (
    Grad,
    Kostnadseffektivitet,
    Proposal,
    ProposalType,
    Rekommendation,
    Svarighetsgrad,
)

# The ranks the severity alone would suggest (1 = highest priority).
RANK_RANGE_BY_SEVERITY = {
    Svarighetsgrad.MYCKET_STOR: (1, 3),
    Svarighetsgrad.STOR: (3, 5),
    Svarighetsgrad.MATTLIG: (5, 7),
    Svarighetsgrad.LITEN: (7, 10),
}

COST_FIELDS = ("cost_year1", "cost_year2", "cost_year3", "cost_years4_10")


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


def suggested_ranks(proposal: Proposal) -> tuple[int, int] | None:
    if proposal.svarighetsgrad is None:
        return None
    return RANK_RANGE_BY_SEVERITY[Svarighetsgrad(proposal.svarighetsgrad)]


def flags(proposal: Proposal) -> list[Flag]:
    found: list[Flag] = []
    severity, nytta = proposal.svarighetsgrad, proposal.nytta
    if severity is not None and nytta is not None and nytta > severity:
        found.append(
            Flag(
                "nytta_over_svarighetsgrad",
                _(
                    "Nyttan (%(nytta)s) är bedömd högre än svårighetsgraden (%(svarighetsgrad)s). "
                    "En åtgärd kan inte ge större nytta än avståndet till målet."
                )
                % {
                    "nytta": Grad(nytta).label.lower(),
                    "svarighetsgrad": Svarighetsgrad(severity).label.lower(),
                },
            )
        )
    ranks = suggested_ranks(proposal)
    if (
        ranks
        and proposal.rekommendation == Rekommendation.RANGORDNAS
        and proposal.rangordning is not None
        and proposal.rangordning < ranks[0]
    ):
        found.append(
            Flag(
                "rank_above_severity",
                _(
                    "Rangordning %(rank)s är högre än svårighetsgraden brukar motivera "
                    "(%(low)s–%(high)s). Motivera bedömningen i kommentaren."
                )
                % {"rank": proposal.rangordning, "low": ranks[0], "high": ranks[1]},
            )
        )
    if (
        proposal.rangordning is not None
        and proposal.rangordning <= 3
        and (
            (nytta is not None and nytta <= Grad.LITEN)
            or proposal.kostnadseffektivitet == Kostnadseffektivitet.LAG
        )
    ):
        found.append(
            Flag(
                "high_rank_weak_case",
                _(
                    "Hög rangordning trots liten nytta eller låg kostnadseffektivitet: "
                    "kontrollera bedömningen."
                ),
            )
        )
    costs = [getattr(proposal, field) or 0 for field in COST_FIELDS]
    if proposal.typ == ProposalType.RANSONERING and any(cost > 0 for cost in costs):
        found.append(
            Flag(
                "ransonering_costs",
                _("En ransonering ger normalt en besparing: ange den som negativ kostnad."),
            )
        )
    if proposal.typ in (
        ProposalType.NYA_BEHOV,
        ProposalType.FORBISEDDA,
        ProposalType.INVESTERING,
    ) and any(cost < 0 for cost in costs):
        found.append(
            Flag(
                "need_with_saving",
                _(
                    "Förslaget är ett nytt behov eller en investering men har en negativ "
                    "kostnad: är typen rätt?"
                ),
            )
        )
    return found
