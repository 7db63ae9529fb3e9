"""The review (granskning) flags: proposals whose place in the forum disagrees
with their own assessment. Like rounds.assessment, these flags ask the forum
to look again and explain; they never decide.

The forum's rank of a proposal is its sammanvägd rangordning (the median of
the members' ranks, 1 highest … 10 lowest). "High" is a median of 3 or better,
"low" a median of 8 or worse. How far a median is from what its severity
usually gives is measured against kommunens riktvärden, a setting of the
round (``Round.riktvarden``), not the model's."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rounds.assessment import suggested_ranks
from rounds.models import Grad, Kostnadseffektivitet, Proposal, Svarighetsgrad

HIGH = 3
LOW = 8
# How far (in ranks) outside the severity's usual range counts as "far".
FAR = 2

RULES = [
    gettext_lazy(
        "Högt rangordnat (median 3 eller bättre) trots liten svårighetsgrad och liten "
        "eller ingen nytta."
    ),
    gettext_lazy(
        "Högt rangordnat (median 3 eller bättre) trots låg kostnadseffektivitet – utom när "
        "svårighetsgraden är mycket stor: enligt modellen kan nyttan få kosta mer för dem "
        "med de svåraste tillstånden."
    ),
    gettext_lazy(
        "Lågt rangordnat (median 8 eller sämre) trots mycket stor svårighetsgrad och hög "
        "eller mycket hög kostnadseffektivitet."
    ),
    gettext_lazy("Medianen ligger mer än två steg från kommunens riktvärden för svårighetsgraden."),
]


# The review questions the forum must answer before publishing.
REQUIRED_REVIEW = ("review_sarbehandling", "review_undantrangning", "review_rimlighet")

# The review questions, as the page asks them and the decision document
# prints them: (ForumResult field, question, help).
QUESTIONS = [
    (
        "review_sarbehandling",
        gettext_lazy("Finns det risk för särbehandling?"),
        gettext_lazy(
            "Alla människor har lika värde oberoende av personliga egenskaper och funktioner "
            "i samhället: särbehandlar eller diskriminerar prioriteringen någon "
            "(människovärdesprincipen)?"
        ),
    ),
    (
        "review_undantrangning",
        gettext_lazy("Vad trängs undan?"),
        gettext_lazy(
            "Vad ger kommunen avkall på när dessa förslag finansieras (alternativkostnaden)?"
        ),
    ),
    (
        "review_rimlighet",
        gettext_lazy("Är prioriteringen rimlig?"),
        gettext_lazy(
            "Står kostnaderna i rimlig relation till nyttan, jämfört med annat som nu inte går?"
        ),
    ),
    (
        "review_lagkrav",
        gettext_lazy("Uppfylls lagkraven?"),
        gettext_lazy("Påverkar prioriteringen verksamhet som lagen kräver?"),
    ),
    (
        "review_genomforbarhet",
        gettext_lazy("Går förslagen att genomföra?"),
        gettext_lazy("Finns kompetens, lokaler och tid för det som finansieras?"),
    ),
]


def unanswered(result) -> list[str]:
    """The review questions without an answer (all of them when the forum has
    no result yet): the required ones stop publication
    (``ranking.services.decision.publish_problems``), the rest are named on
    the confirmation page before it."""
    return [
        str(question)
        for name, question, _help in QUESTIONS
        if result is None or not getattr(result, name).strip()
    ]


@dataclass(frozen=True)
class ReviewFlag:
    code: str
    reason: str


def _median(value: float) -> str:
    return number_format(value, decimal_pos=1 if value % 1 else 0)


def review_flags(
    proposal: Proposal, median: float | None, riktvarden: dict[int, tuple[int, int]]
) -> list[ReviewFlag]:
    """Why ``proposal``'s forum rank (``median``) disagrees with its assessment;
    ``riktvarden`` are kommunens riktvärden of its round (``Round.riktvarden``)."""
    if median is None:
        return []
    found: list[ReviewFlag] = []
    severity, nytta, ce = proposal.svarighetsgrad, proposal.nytta, proposal.kostnadseffektivitet
    shown = _median(median)
    if (
        median <= HIGH
        and severity == Svarighetsgrad.LITEN
        and nytta is not None
        and nytta <= Grad.LITEN
    ):
        found.append(
            ReviewFlag(
                "high_rank_small_need",
                _(
                    "Högt rangordnat (median %(median)s) trots liten svårighetsgrad och "
                    "%(nytta)s nytta."
                )
                % {"median": shown, "nytta": Grad(nytta).label.lower()},
            )
        )
    # "Nyttan kan få kosta mer för dem med de svåraste tillstånden" (the source):
    # low cost-effectiveness is no reason to look again at Mycket stor.
    if median <= HIGH and ce == Kostnadseffektivitet.LAG and severity != Svarighetsgrad.MYCKET_STOR:
        found.append(
            ReviewFlag(
                "high_rank_low_cost_effectiveness",
                _("Högt rangordnat (median %(median)s) trots låg kostnadseffektivitet.")
                % {"median": shown},
            )
        )
    if (
        median >= LOW
        and severity == Svarighetsgrad.MYCKET_STOR
        and ce is not None
        and ce >= Kostnadseffektivitet.HOG
    ):
        found.append(
            ReviewFlag(
                "low_rank_great_need",
                _(
                    "Lågt rangordnat (median %(median)s) trots mycket stor svårighetsgrad och "
                    "%(ce)s kostnadseffektivitet."
                )
                % {"median": shown, "ce": Kostnadseffektivitet(ce).label.lower()},
            )
        )
    ranks = suggested_ranks(proposal, riktvarden)
    if ranks and (median < ranks[0] - FAR or median > ranks[1] + FAR):
        found.append(
            ReviewFlag(
                "far_from_severity",
                _(
                    "Medianen %(median)s ligger långt från kommunens riktvärden för "
                    "svårighetsgraden %(severity)s (%(low)s–%(high)s)."
                )
                % {
                    "median": shown,
                    "severity": Svarighetsgrad(severity).label.lower(),
                    "low": ranks[0],
                    "high": ranks[1],
                },
            )
        )
    return found
