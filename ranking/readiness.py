"""What the nämnd phase leaves undone, for the confirmation page of the move
to the forum (``rounds.readiness``, which does not import ranking: this app
registers the checks in its AppConfig.ready): the nämnder that have not
recorded their decision, and a forum with no members named."""

from django.utils.translation import gettext as _

from ranking.models import ForumMember, NamndResult
from rounds.models import AnalysisStatus, Namnd, Round


def namnder_not_recorded(round: Round) -> tuple[str, list[str]] | None:
    """The nämnder with submitted proposals that have not recorded their
    decision: what they forward does not reach the forum. One query."""
    recorded = NamndResult.objects.filter(round=round, recorded_at__isnull=False)
    names = list(
        Namnd.objects.filter(
            forvaltningar__analyses__round=round,
            forvaltningar__analyses__status=AnalysisStatus.SUBMITTED,
        )
        .exclude(pk__in=recorded.values("namnd_id"))
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    if not names:
        return None
    return _("Nämnder som inte har registrerat sitt beslut:"), names


def forum_not_named(round: Round) -> tuple[str, list[str]] | None:
    """Nobody is named to the round's forum: nobody could rank in it. One
    query."""
    if ForumMember.objects.filter(round=round).exists():
        return None
    return _("Forumets deltagare:"), [
        _(
            "Inga deltagare är utsedda till omgångens forum, så ingen kan rangordna. Utse dem "
            "under Forumets deltagare."
        )
    ]
