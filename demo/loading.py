"""``load_demo()``: Exempelkommun's organisation and users, and with
``with_round=True`` (what the ``load_demo`` command runs) the demo's rounds:
2026 decided, published and followed up, and 2027 in ``phase`` (the forum
phase unless asked otherwise: ``round_2027.PHASES``). Tests load the
organisation only: they build the rounds they need themselves. Idempotent: it
creates what is missing and leaves what is there (an existing round 2027 keeps
its phase)."""

from dataclasses import dataclass

from demo import followup_2026, round_2026, round_2027
from demo.organisation import load_organisation
from notices.mail import muted
from rounds.models import Forvaltning, Namnd, Round, User


@dataclass
class Summary:
    kommun: str
    namnder: int
    forvaltningar: int
    users: int
    round: Round | None = None


def load_demo(*, with_round: bool = False, phase: str = round_2027.DEFAULT_PHASE) -> Summary:
    # The demo acts out a year of events: nobody is mailed about them.
    with muted():
        kommun, users = load_organisation()
        round = None
        if with_round:
            # Last year's round, published; loaded first, so 2027 stays the current one.
            round_2026.load_demo_round_2026(kommun, users)
            # Round 2026 followed up through the year (2027 carries two of its proposals over).
            followup_2026.load_demo_follow_up()
            round = round_2027.load_demo_round(kommun, users, phase)
    return Summary(
        kommun=kommun.name,
        namnder=Namnd.objects.filter(kommun=kommun).count(),
        forvaltningar=Forvaltning.objects.filter(namnd__kommun=kommun).count(),
        users=User.objects.count(),
        round=round,
    )
