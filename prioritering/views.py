import logging

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from prioritering.access import RoundIsFinal, require
from prioritering.database import describe
from prioritering.forms import PasswordChangeWithoutAutofocusForm
from rounds.start import current_round, tasks_for

log = logging.getLogger(__name__)


@login_required
@require_GET
def start(request):
    require(request.user, "view_start")
    # The round in progress, read once: the page's tasks and the navigation
    # (prioritering.context_processors.shell) both need it.
    request.current_round = current = current_round()
    return render(request, "start.html", {"sections": tasks_for(request.user, current)})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    require(request.user, "change_password")
    form = PasswordChangeWithoutAutofocusForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Ditt lösenord är bytt."))
        return redirect("start")
    return render(request, "registration/password_change.html", {"form": form})


@require_GET
def accessibility(request):
    """Tillgänglighetsredogörelse, required of public sector websites (DOS-lagen)."""
    return render(request, "accessibility.html")


@never_cache
@require_GET
def health(request):
    """For the load balancer and docker: the app answers and reaches its database.
    A database that does not answer is a 503 with one line, not a server error."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        log.warning("health check: database unreachable (%s)", describe(error))
        return HttpResponse(
            "databasen svarar inte", status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    """The 403 page; a refusal because the round is published says so."""
    final = isinstance(exception, RoundIsFinal)
    return render(request, "403.html", {"final": final}, status=403)
