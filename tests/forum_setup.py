"""Building a round in the forum phase for tests: submitted analyses, proposals
the nämnder send on, and members' ranks."""

from ranking.models import ForumRank, Handling, NamndRanking, NamndResult
from rounds.models import AnalysisStatus, Namnd, User


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
