from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    name = "ranking"
    verbose_name = _("Rangordning och beslut")

    def ready(self):
        # The confirmation of the move to the forum names the nämnder that
        # have not recorded their decision, and a forum nobody is named to;
        # rounds does not import us.
        from ranking.readiness import forum_not_named, namnder_not_recorded
        from rounds import readiness
        from rounds.models import Phase

        readiness.register(Phase.NAMND, namnder_not_recorded)
        readiness.register(Phase.NAMND, forum_not_named)

        # Reminders and phase notices list the nämnd's, forum's and Beslut's work.
        from notices import work
        from ranking import notices

        work.register(notices.namnd_work)
        work.register(notices.forum_work)
        work.register(notices.decision_work)
