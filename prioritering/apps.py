from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PrioriteringConfig(AppConfig):
    default = True
    name = "prioritering"
    verbose_name = _("Prioritering")

    def ready(self):
        from prioritering import (
            converters,
            signals,  # noqa: F401  (security log receivers)
        )

        converters.register()  # <id:…> and <year:…> in every URL


class PrioriteringAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "prioritering.admin_site.PrioriteringAdminSite"
