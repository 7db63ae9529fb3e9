"""The outbox in the admin, read-only: what was sent, what waits and why."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notices.models import OutgoingMail
from prioritering.admin_site import AccessControlledAdmin


@admin.register(OutgoingMail)
class OutgoingMailAdmin(AccessControlledAdmin):
    list_display = ["created", "to_address", "kind", "subject", "attempts", "sent_at", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to_address", "subject"]
    date_hierarchy = "created"
    fields = [
        "user",
        "to_address",
        "language",
        "kind",
        "subject",
        "text",
        "created",
        "attempts",
        "last_attempt_at",
        "last_error",
        "next_attempt",
        "sent_at",
    ]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


OutgoingMailAdmin.empty_value_display = _("–")
