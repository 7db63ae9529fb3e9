from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Genomförande och uppföljning")

    def ready(self):
        # The start page lists the follow-up's tasks; rounds does not import us.
        from followup import start
        from rounds import start as rounds_start

        rounds_start.STAFF_TASKS.append(start.staff_tasks)
        rounds_start.CONTROLLER_TASKS.append(start.controller_tasks)

        # Reminders and phase notices list the reports still to hand in.
        from followup.notices import report_work
        from notices import work

        work.register(report_work)
