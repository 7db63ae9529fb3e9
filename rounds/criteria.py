"""The model's central criteria: "viktigt att behålla tre centrala kriterier"
(Prioriteringscentrum, Rapport 2023:1) — svårighetsgrad, nytta för
målområdet and kostnadseffektivitet — and, for the budget line, a cost.

A draft may lack them; no proposal reaches a ranking without them. An analysis
is not submitted to its nämnd, a nämnd does not record its ranking, and an
import does not add to a submitted analysis while a proposal lacks one. The
cost counts as missing when every year's cost is 0 tkr: a proposal that costs
nothing in år 1 but later does has had its costs written (the form shows 0
until someone does)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from rounds.models import Proposal
from rounds.models.proposal import reference_for
from rounds.proposal_fields import COST_FIELDS

CENTRAL_CRITERIA = ("svarighetsgrad", "nytta", "kostnadseffektivitet")


def criterion_labels() -> dict[str, str]:
    """Each central criterion's name as the form shows it, and the cost's."""
    labels = {name: str(Proposal._meta.get_field(name).verbose_name) for name in CENTRAL_CRITERIA}
    labels["cost_year1"] = _("kostnad år 1")
    return labels


def missing_fields(values) -> tuple[str, ...]:
    """The central criteria (and the cost) ``values`` — a proposal, or an
    import's row — lacks, by field name."""
    missing = [name for name in CENTRAL_CRITERIA if getattr(values, name) is None]
    if not any(getattr(values, name, 0) for name in COST_FIELDS):
        missing.append("cost_year1")
    return tuple(missing)


@dataclass(frozen=True)
class Incomplete:
    """A proposal a step refuses to hand on, with what it lacks."""

    number: int
    reference: str
    title: str
    missing: tuple[str, ...]  # the labels, in the form's order


def incomplete(proposals, budget_year: int) -> list[Incomplete]:
    """``proposals`` that lack a central criterion or a cost, in their order."""
    labels = criterion_labels()
    found = []
    for proposal in proposals:
        missing = missing_fields(proposal)
        if missing:
            found.append(
                Incomplete(
                    proposal.number,
                    reference_for(budget_year, proposal.number),
                    proposal.title,
                    tuple(labels[name] for name in missing),
                )
            )
    return found


def refusal_text(found: list[Incomplete]) -> str:
    """One sentence naming each proposal and what it lacks (for errors that
    are plain text; the pages list them with links)."""
    return _("Förslag som saknar centrala kriterier: %(list)s.") % {
        "list": "; ".join(
            _("%(reference)s %(title)s saknar %(missing)s")
            % {"reference": p.reference, "title": p.title, "missing": ", ".join(p.missing)}
            for p in found
        )
    }


class IncompleteProposals(Exception):  # noqa: N818 (a refusal, not a bug)
    """A step refused because ``proposals`` lack central criteria."""

    def __init__(self, proposals: list[Incomplete]):
        super().__init__(refusal_text(proposals))
        self.proposals = proposals
