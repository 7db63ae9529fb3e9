from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LogoutView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from prioritering.access import may


class PrioriteringAdminSite(admin.AdminSite):
    """The Django admin, opened by the access function rather than is_staff."""

    site_header = _("Prioritering – administration")
    site_title = _("Prioritering")
    index_title = _("Organisation och behörigheter")

    def has_permission(self, request):
        return may(request.user, "administer")

    def logout(self, request, extra_context=None):
        return LogoutView.as_view()(request)

    def login(self, request, extra_context=None):
        # One sign-in page for everyone, with its throttling and Swedish texts.
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if self.has_permission(request):
            return redirect(next_url)
        raise PermissionDenied("administer")


class AdministerPermission:
    """Admin permissions from the access function's ``administer``, for model
    admins and inlines alike.

    Nothing the municipality records is deleted outright; models that may be
    removed (a membership that ends) set ``allow_delete``.
    """

    allow_delete = False

    def has_module_permission(self, request):
        return may(request.user, "administer")

    def has_view_permission(self, request, obj=None):
        return may(request.user, "administer")

    def has_add_permission(self, request, obj=None):
        return may(request.user, "administer")

    def has_change_permission(self, request, obj=None):
        return may(request.user, "administer")

    def has_delete_permission(self, request, obj=None):
        return self.allow_delete and may(request.user, "administer")


class AccessControlledAdmin(AdministerPermission, admin.ModelAdmin):
    pass


class AccessControlledInline(AdministerPermission):
    """Mixin for inlines: the same permission as their parent."""
