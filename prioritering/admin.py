"""Third-party models in our admin, under the same access rule as ours, and in
Swedish.

django-axes' records of sign-in attempts are useful to the administrator (deleting
a user's attempts lifts a lock), but their own admin asks Django's model
permissions; here they answer to ``administer`` like everything else. Axes has
no Swedish, and its model fields' names cannot be renamed without a migration
of its app: so these admins name every column, filter and field themselves (the
models' names are ``prioritering.apps.SignInRecordsConfig``'s). Groups are not
used: roles are memberships.
"""

import logging

from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from prioritering.admin_site import AdministerPermission

security_log = logging.getLogger("prioritering.security")

for model in (AccessAttempt, AccessLog, AccessFailureLog, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def when(value) -> str:
    """A time as the admin's lists show it ("5 december 2026 18:13"), also on
    a record's page (where a callable's value is not formatted); none: "–"."""
    if value is None:
        return "–"
    return formats.localize(timezone.template_localtime(value))


def titled(filter_class, title):
    """A field's list filter under a title of our own (axes' fields are named in English)."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class LockedOutFilter(admin.SimpleListFilter):
    """Whether an attempt has reached the limit and locks its username."""

    title = _("spärrad")
    parameter_name = "sparrad"

    def lookups(self, request, model_admin):
        return (("ja", _("Ja")), ("nej", _("Nej")))

    def queryset(self, request, queryset):
        limit = axes_settings.AXES_FAILURE_LIMIT
        if self.value() == "ja":
            return queryset.filter(failures_since_start__gte=limit)
        if self.value() == "nej":
            return queryset.filter(failures_since_start__lt=limit)
        return queryset


class SignInRecordAdmin(AdministerPermission, admin.ModelAdmin):
    """Read-only records, every column, filter and field named in Swedish."""

    # No date_hierarchy: it names the field in English ("Filter by Attempt
    # Time"); the time filter does the same in Swedish.
    search_fields = ["ip_address", "username", "user_agent", "path_info"]
    ordering = ["-attempt_time"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        """Every field a record's page shows is read-only."""
        return [field for _title, options in self.fieldsets for field in options["fields"]]

    @admin.display(description=_("tidpunkt"), ordering="attempt_time")
    def tidpunkt(self, obj):
        return when(obj.attempt_time)

    @admin.display(description=_("användarnamn"), ordering="username")
    def anvandarnamn(self, obj):
        return obj.username

    @admin.display(description=_("IP-adress"), ordering="ip_address")
    def ip_adress(self, obj):
        return obj.ip_address

    @admin.display(description=_("webbläsare"), ordering="user_agent")
    def webblasare(self, obj):
        return obj.user_agent

    @admin.display(description=_("sökväg"), ordering="path_info")
    def sokvag(self, obj):
        return obj.path_info

    @admin.display(description=_("godtagna format (HTTP Accept)"))
    def godtagna_format(self, obj):
        return obj.http_accept

    about_the_browser = (
        _("Webbläsaren"),
        {"fields": ("webblasare", "ip_adress", "godtagna_format")},
    )
    time_filter = ("attempt_time", titled(admin.DateFieldListFilter, _("tidpunkt")))
    path_filter = ("path_info", titled(admin.AllValuesFieldListFilter, _("sökväg")))


@admin.register(AccessAttempt)
class LockAdmin(SignInRecordAdmin):
    """The failed attempts per username; deleting them lifts the lock."""

    allow_delete = True
    list_display = ["tidpunkt", "anvandarnamn", "misslyckade", "status", "ip_adress"]
    list_filter = [SignInRecordAdmin.time_filter, LockedOutFilter, SignInRecordAdmin.path_filter]
    fieldsets = (
        (None, {"fields": ("anvandarnamn", "sokvag", "misslyckade", "status", "tidpunkt")}),
        (_("Formulärets data"), {"fields": ("get_parametrar", "post_parametrar")}),
        SignInRecordAdmin.about_the_browser,
    )
    actions = ["clean_up_expired"]

    @admin.display(description=_("misslyckade försök"), ordering="failures_since_start")
    def misslyckade(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("status"))
    def status(self, obj):
        limit = axes_settings.AXES_FAILURE_LIMIT
        if obj.failures_since_start >= limit:
            return _("Spärrad")
        left = limit - obj.failures_since_start
        return ngettext("%(count)s försök kvar", "%(count)s försök kvar", left) % {"count": left}

    @admin.display(description=_("GET-data"))
    def get_parametrar(self, obj):
        return obj.get_data

    @admin.display(description=_("POST-data"))
    def post_parametrar(self, obj):
        return obj.post_data

    @admin.action(description=_("Rensa spärrar vars tid har gått ut"))
    def clean_up_expired(self, request, queryset):
        count = AxesDatabaseHandler().clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)s spärr vars tid hade gått ut är borttagen.",
                "%(count)s spärrar vars tid hade gått ut är borttagna.",
                count,
            )
            % {"count": count},
        )


@admin.register(AccessLog)
class SignInLogAdmin(SignInRecordAdmin):
    """Every sign-in, and when it signed out."""

    list_display = ["tidpunkt", "utloggning", "anvandarnamn", "ip_adress", "sokvag"]
    list_filter = [
        SignInRecordAdmin.time_filter,
        ("logout_time", titled(admin.DateFieldListFilter, _("utloggning"))),
        SignInRecordAdmin.path_filter,
    ]
    fieldsets = (
        (None, {"fields": ("anvandarnamn", "sokvag", "tidpunkt", "utloggning")}),
        SignInRecordAdmin.about_the_browser,
    )

    @admin.display(description=_("utloggning"), ordering="logout_time")
    def utloggning(self, obj):
        return when(obj.logout_time)


@admin.register(AccessFailureLog)
class FailedSignInLogAdmin(SignInRecordAdmin):
    """Every failed sign-in, and whether it locked the username."""

    list_display = ["tidpunkt", "anvandarnamn", "ip_adress", "sokvag", "sparrad"]
    list_filter = [
        SignInRecordAdmin.time_filter,
        ("locked_out", titled(admin.BooleanFieldListFilter, _("spärrad"))),
        SignInRecordAdmin.path_filter,
    ]
    fieldsets = (
        (None, {"fields": ("anvandarnamn", "sokvag", "tidpunkt", "sparrad")}),
        SignInRecordAdmin.about_the_browser,
    )

    @admin.display(description=_("spärrad"), boolean=True, ordering="locked_out")
    def sparrad(self, obj):
        return obj.locked_out


# --- Two-factor (TOTP) in the user admin -----------------------------------------
# django-otp's own device admin shows secrets and QR codes, in English, by Django's
# model permissions: it is left out. The user admin shows instead whether a user
# has a confirmed device, and turns it off for one who lost the phone.

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class TwoFactorUserAdmin:
    """A mixin for the user admin: the column and field "tvåstegsverifiering",
    and the action that removes a user's devices (prioritering.two_factor)."""

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(confirmed))

    @admin.display(description=_("tvåstegsverifiering"), boolean=True, ordering="has_two_factor")
    def tvastegsverifiering(self, obj):
        return getattr(obj, "has_two_factor", False)

    @admin.action(description=_("Stäng av tvåstegsverifieringen (till exempel förlorad telefon)"))
    def remove_two_factor(self, request, queryset):
        users = list(queryset.values_list("username", flat=True))
        TOTPDevice.objects.filter(user__in=queryset).delete()
        for username in users:
            security_log.info(
                "two-factor removed for %s by administrator %s", username, request.user.pk
            )
        self.message_user(
            request,
            ngettext(
                "Tvåstegsverifieringen är avstängd för %(count)s användare.",
                "Tvåstegsverifieringen är avstängd för %(count)s användare.",
                len(users),
            )
            % {"count": len(users)},
        )
