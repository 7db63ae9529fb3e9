"""What the nämnd phase leaves undone, for the confirmation page of the move
to the forum (``rounds.readiness``, which does not import ranking: this app
registers the check in its AppConfig.ready)."""

from django.utils.translation import gettext as _

from ranking.models import NamndResult
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
