from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from prioritering.admin import TwoFactorUserAdmin
from prioritering.admin_site import AccessControlledAdmin, AccessControlledInline
from rounds.models import Forvaltning, Kommun, Membership, Namnd, User


class HistoryAdmin(AccessControlledAdmin, SimpleHistoryAdmin):
    """Admin with the access function's permissions and a "Historik" page."""


@admin.register(Kommun)
class KommunAdmin(HistoryAdmin):
    list_display = ["name"]


class ForvaltningInline(AccessControlledInline, admin.TabularInline):
    model = Forvaltning
    extra = 0
    fields = ["name"]
    show_change_link = True


@admin.register(Namnd)
class NamndAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kommun", "is_kommunstyrelsen"]
    list_filter = ["kommun"]
    search_fields = ["name", "short_name"]
    inlines = [ForvaltningInline]


@admin.register(Forvaltning)
class ForvaltningAdmin(HistoryAdmin):
    list_display = ["name", "namnd"]
    list_filter = ["namnd"]
    list_select_related = ["namnd"]
    search_fields = ["name", "namnd__name"]


class MembershipInline(AccessControlledInline, admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["role", "forvaltning", "namnd"]
    # A role that ends is removed; its history row keeps who had it and when.
    allow_delete = True


class HasRoleFilter(admin.SimpleListFilter):
    title = _("har roll")
    parameter_name = "har_roll"

    def lookups(self, request, model_admin):
        return [("ja", _("Ja")), ("nej", _("Nej"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(memberships__isnull=False).distinct()
        if self.value() == "nej":
            return queryset.filter(memberships__isnull=True)
        return queryset


@admin.register(User)
class UserAdmin(TwoFactorUserAdmin, HistoryAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "last_sign_in_method",
        "last_login",
    ]
    # Two-factor (TOTP): whether the user has a confirmed device; turning it off.
    list_display += ["tvastegsverifiering"]
    actions = ["remove_two_factor"]
    list_filter = [
        HasRoleFilter,
        "is_active",
        "memberships__role",
        "last_sign_in_method",
        "emergency_admin",
    ]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _("Konto"),
            {
                "fields": [
                    "is_active",
                    "emergency_admin",
                    "last_sign_in_method",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
        (_("Tvåstegsverifiering"), {"fields": ["tvastegsverifiering"]}),
    ]
    readonly_fields = ["last_sign_in_method", "last_login", "date_joined", "tvastegsverifiering"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    allow_delete = True
    list_display = ["user", "role", "forvaltning", "namnd"]
    list_filter = ["role", "forvaltning", "namnd"]
    list_select_related = ["user", "forvaltning", "namnd"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    # Plain selects for the few units; search only among the many users.
    autocomplete_fields = ["user"]
