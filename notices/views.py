"""The account's notice settings (``/konto/aviseringar/``): the language of
one's mails and the optional notices turned on or off; the notices that
always come are listed with the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from notices.forms import NoticeSettingsForm
from notices.models import NoticeKind, NoticeSettings
from prioritering.access import require

# The notices that always come, and why: they are about one's own work.
ALWAYS = [
    NoticeKind.ANALYSIS_RETURNED,
    NoticeKind.REPORT_RETURNED,
    NoticeKind.REMINDER,
    NoticeKind.DOCUMENT,
]


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request):
    require(request.user, "change_notice_settings")
    current = NoticeSettings.objects.filter(user=request.user).first() or NoticeSettings(
        user=request.user
    )
    form = NoticeSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dina aviseringar är sparade."))
        return redirect("notice_settings")
    return render(
        request,
        "notices/settings.html",
        {"form": form, "always": [kind.label for kind in ALWAYS], "email": request.user.email},
    )
