"""Third-party models in our admin, under the same access rule as ours.

django-axes' records of sign-in attempts are useful to the administrator (deleting
a user's attempts lifts a lock), but their own admin asks Django's model
permissions; here they answer to ``administer`` like everything else. Groups are
not used: roles are memberships.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group

from prioritering.admin_site import AdministerPermission

for model in (AccessAttempt, AccessLog, AccessFailureLog, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class SignInRecordAdmin(AdministerPermission):
    """Read-only records; an attempt may be deleted to lift a lock."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessAttempt)
class LockAdmin(SignInRecordAdmin, AccessAttemptAdmin):
    allow_delete = True


@admin.register(AccessLog)
class SignInLogAdmin(SignInRecordAdmin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedSignInLogAdmin(SignInRecordAdmin, AccessFailureLogAdmin):
    pass
