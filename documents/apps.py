from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Dokument")

    def ready(self):
        # Each app's documents module registers its kinds of document and
        # their scopes (documents.registry).
        autodiscover_modules("documents")
