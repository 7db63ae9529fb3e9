"""Soft checks on a proposal's assessment.

There is no formula from the scales to the rank: the rank is a judgement,
starting from svårighetsgrad and lowered for weak nytta, low
kostnadseffektivitet or weak evidence (Prioriteringscentrum). The app may
suggest and flag, never decide: these flags are shown beside the proposal and
never stop a save.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from rounds import criteria
from rounds.models import (
    Grad,
    Kostnadseffektivitet,
    Proposal,
    ProposalType,
    Rekommendation,
    Svarighetsgrad,
)
from rounds.proposal_fields import COST_FIELDS


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


def suggested_ranks(
    proposal: Proposal, riktvarden: dict[int, tuple[int, int]]
) -> tuple[int, int] | None:
    """The ranks the severity alone would suggest (1 = highest priority), by
    kommunens riktvärden (``Round.riktvarden``: the round's own setting, not
    the model's)."""
    if proposal.svarighetsgrad is None:
        return None
    return riktvarden[proposal.svarighetsgrad]


def flags(proposal: Proposal, riktvarden: dict[int, tuple[int, int]]) -> list[Flag]:
    found: list[Flag] = []
    missing = criteria.missing_fields(proposal)
    if missing:
        labels = criteria.criterion_labels()
        found.append(
            Flag(
                "missing_central_criteria",
                _(
                    "Saknar %(missing)s. Modellens tre centrala kriterier och en kostnad "
                    "krävs innan förslaget kan lämnas in till nämnden."
                )
                % {"missing": ", ".join(labels[name] for name in missing)},
            )
        )
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
    ranks = suggested_ranks(proposal, riktvarden)
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
                    "Rangordning %(rank)s är högre än kommunens riktvärden för "
                    "svårighetsgraden (%(low)s–%(high)s). Motivera bedömningen i kommentaren."
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


@dataclass(frozen=True)
class SourceExample:
    """One of the source's worked examples of the ranking tool (Prioriteringscentrum,
    "Verktyg för rangordning"): how the scales came to a rank, shown beside
    kommunens riktvärden so the reader sees which is the model's."""

    situation: str
    svarighetsgrad: str
    nytta: str
    kostnad: str
    kunskapsunderlag: str
    rangordning: int


def source_examples() -> list[SourceExample]:
    """The source's two worked examples, in the words of the current language."""
    return [
        SourceExample(
            _("Tillstånd A + Åtgärd x, jämfört med nuvarande vård X"),
            _("Liten"),
            _("Liten"),
            _("Hög"),
            _("God"),
            9,
        ),
        SourceExample(
            _("Tillstånd B + Åtgärd y, jämfört med nuvarande vård Y"),
            _("Stor"),
            _("Stor"),
            _("Måttlig"),
            _("God"),
            4,
        ),
    ]


def riktvarden_rows(riktvarden: dict[int, tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Kommunens riktvärden as shown: (svårighetsgrad, from, to), Mycket stor first."""
    return [
        (str(Svarighetsgrad(level).label), low, high)
        for level, (low, high) in sorted(riktvarden.items(), reverse=True)
    ]
