"""Building a round in the forum phase for tests: submitted analyses, proposals
the nämnder send on, and members' ranks."""

from ranking.models import ForumRank, Handling, NamndRanking, NamndResult
from rounds.models import (
    AnalysisStatus,
    Grad,
    Kostnadseffektivitet,
    Namnd,
    Phase,
    ProposalType,
    Svarighetsgrad,
    User,
)


def submitted(round, name):
    from tests.factories import analysis_of

    analysis = analysis_of(round, name)
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    return analysis


def result_of(round, namnd_name):
    namnd = Namnd.objects.get(name=namnd_name)
    return NamndResult.objects.get_or_create(round=round, namnd=namnd)[0]


def send_on(round, proposal, namnd_name, handling=Handling.KOMMUNGEMENSAM):
    NamndRanking.objects.create(
        result=result_of(round, namnd_name), proposal=proposal, rank=1, handling=handling
    )
    return proposal


def rank(round, username, proposal, value):
    return ForumRank.objects.create(
        round=round, member=User.objects.get(username=username), proposal=proposal, rank=value
    )


def outcome_round():
    """Round 2027 in the forum phase, frame 1 000 tkr: three proposals sent on
    and ranked by three members so the computed order is second, first, third;
    and a saving."""
    from tests.factories import make_proposal, make_round

    round = make_round(phase=Phase.FORUM)
    round.frame_tkr = 1000
    round.save()
    bildning = submitted(round, "Bildningsförvaltningen")
    social = submitted(round, "Socialförvaltningen")
    first = send_on(
        round,
        make_proposal(
            bildning,
            title="Förstärkt stöd",
            cost_year1=600,
            konsekvensanalys="Elever utan stöd",
            svarighetsgrad=Svarighetsgrad.LITEN,
            nytta=Grad.LITEN,
            kostnadseffektivitet=Kostnadseffektivitet.MATTLIG,
        ),
        "Bildningsnämnden",
    )
    second = send_on(
        round, make_proposal(social, title="Hemtjänst", cost_year1=400), "Socialnämnden"
    )
    third = send_on(
        round,
        make_proposal(
            bildning, title="Skolskjuts", cost_year1=300, konsekvensanalys="Längre resor"
        ),
        "Bildningsnämnden",
    )
    saving = send_on(
        round,
        make_proposal(
            social, title="Samordnade inköp", cost_year1=-200, typ=ProposalType.EFFEKTIVISERING
        ),
        "Socialnämnden",
    )
    for member, ranks in {
        "forum-1": (2, 1, 5, 6),
        "forum-2": (2, 1, 6, 6),
        "forum-3": (3, 2, 4, 7),
    }.items():
        for proposal, value in zip((first, second, third, saving), ranks, strict=True):
            rank(round, member, proposal, value)
    return round, [first, second, third, saving]
