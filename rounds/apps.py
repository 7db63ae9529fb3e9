from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = _("Organisation och omgångar")

    def ready(self):
        # Reminders and phase notices list the verksamhetsanalys work.
        from notices import work
        from rounds.notices import analysis_work

        work.register(analysis_work)
