from axes.apps import AppConfig as AxesAppConfig
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


class SignInRecordsConfig(AxesAppConfig):
    """django-axes, under Swedish names in the admin (axes has no Swedish
    translation). Only the names shown change: the models' Meta, and so their
    migrations, stay axes' own (``makemigrations`` reads the Meta as
    written, not these)."""

    default = False
    verbose_name = _("Inloggningsförsök")

    NAMES = {
        "accessattempt": (_("spärr efter misslyckad inloggning"), _("spärrar och försök")),
        "accessfailurelog": (_("misslyckad inloggning"), _("misslyckade inloggningar")),
        "accesslog": (_("inloggning"), _("inloggningar")),
        "accessattemptexpiration": (_("spärrens utgång"), _("spärrarnas utgång")),
    }

    def ready(self):
        super().ready()
        for model in self.get_models():
            names = self.NAMES.get(model._meta.model_name)
            if names:
                model._meta.verbose_name, model._meta.verbose_name_plural = names
