from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PrioriteringConfig(AppConfig):
    default = True
    name = "prioritering"
    verbose_name = _("Prioritering")

    def ready(self):
        from django.db.models import fields

        from prioritering import (
            converters,
            signals,  # noqa: F401  (security log receivers)
        )

        converters.register()  # <id:…> and <year:…> in every URL
        # A select's empty choice: Django 6.1's "- Select an option -" has no
        # Swedish yet; its deprecation note asks apps to set the label here.
        fields.BLANK_CHOICE_LABEL = _("– Välj –")


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
            if hasattr(model, "attempt_time"):
                # The record as the admin names it (its heading, breadcrumbs,
                # deletion), not axes' "Attempted Access: 2026-12-05 17:13:32.41+00:00".
                model.__str__ = _sign_in_record


def _sign_in_record(record) -> str:
    from django.utils import formats, timezone

    when = formats.localize(timezone.template_localtime(record.attempt_time))
    return _("%(username)s, %(when)s") % {"username": record.username or "–", "when": when}
