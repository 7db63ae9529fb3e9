import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render, resolve_url
from django.template.loader import get_template
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from prioritering.database import describe, lost_connection

SIGNED_IN_AT = "prioritering_signed_in_at"
database_log = logging.getLogger(__name__)


class SessionLifetimeMiddleware:
    """End a session SESSION_MAX_HOURS after sign-in, however active it is.

    The idle timeout is the session cookie's age (renewed on every request);
    this adds the absolute limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            now = int(time.time())
            if started is None:
                request.session[SIGNED_IN_AT] = now
            elif now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(
                    request, _("Du har varit inloggad länge och har loggats ut. Logga in igen.")
                )
        return self.get_response(request)


class SessionExpiredMiddleware:
    """When the session has expired, nothing the user typed may be lost.

    A request that needs a signed-in user gets sent to sign in. That is right
    for a page, but not for a save: the posted text would be gone. So:

    - an htmx GET sends the whole browser to sign in (not the sign-in page
      swapped into a fragment);
    - an htmx POST answers 401 and leaves the page as it is; static/js/app.js
      offers sign-in in a new tab, after which the user saves again;
    - a plain form POST answers 401 with a page that holds everything that was
      posted, offers sign-in in a new tab and a button that sends it all again
      (app.js puts the new CSRF token in the form when it is sent) — but only
      when its CSRF token was valid. A post whose token was never checked (a
      forged cross-site post reaching a view that skips the check) is refused
      with 403 and nothing of it is shown; no view here skips the check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only the redirect of a view that needs a signed-in user: it carries
        # ?next= (signing out also ends on the sign-in page, without it).
        location = response.get("Location", "") if response.status_code == 302 else ""
        if not (
            location.startswith(resolve_url(settings.LOGIN_URL) + f"?{REDIRECT_FIELD_NAME}=")
            and not request.user.is_authenticated
        ):
            return response
        if getattr(request, "htmx", False):
            if request.method == "GET":
                return HttpResponseClientRedirect(response["Location"])
            return HttpResponse(
                _("Du har blivit utloggad. Inget sparades."),
                status=401,
                content_type="text/plain; charset=utf-8",
            )
        if request.method == "POST":
            if not getattr(request, "csrf_processing_done", False):
                # Only a post whose CSRF token was checked is given back to be
                # sent again: a forged cross-site post must not come back as
                # a form for the user to send with a fresh token.
                csrf_failure = import_string(settings.CSRF_FAILURE_VIEW)
                return csrf_failure(request, reason="CSRF token not verified")
            fields = [
                (name, value)
                for name, values in request.POST.lists()
                if name != "csrfmiddlewaretoken"
                for value in values
            ]
            return render(
                request,
                "registration/session_expired.html",
                {
                    "fields": fields,
                    "action": request.get_full_path(),
                    "had_files": bool(request.FILES),
                },
                status=401,
            )
        return response


class PrivateCacheMiddleware:
    """Pages for a signed-in user hold case data: no shared or browser cache,
    so Back on a shared PC after sign-out shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class SwedishFirstLocaleMiddleware:
    """Swedish unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and
    a municipal PC set up in English would get an English UI; here only the
    language cookie (set by the switch) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseUnavailableMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, and the 503 page when the database cannot be reached.

    The session is where a request first meets the database (its session is
    read on every request, by SessionLifetimeMiddleware) and where it last does
    (it is saved after every response). Django turns a failure there into a 500
    with a traceback — or, for the save, into a 400 "the session was deleted",
    since it takes any error on save for a session deleted meanwhile. So this
    takes the session middleware's place: it reads the session at once and
    answers templates/503.html if that fails, and answers it too for a view or
    a save that meets a lost connection. An error that is not a lost connection
    (prioritering.database.lost_connection) stays what it was.
    """

    def process_request(self, request):
        super().process_request(request)
        try:
            request.session.keys()  # the query SessionLifetimeMiddleware would make anyway
        except Exception as error:
            response = self._unavailable(request, error)
            if response is None:
                raise
            return response
        return None

    def process_exception(self, request, exception):
        return self._unavailable(request, exception)

    def process_response(self, request, response):
        if getattr(request, "database_unavailable", False):
            return response  # the session stays as it was: nothing can be saved
        try:
            return super().process_response(request, response)
        except Exception as error:
            unavailable = self._unavailable(request, error)
            if unavailable is None:
                raise
            return unavailable

    def _unavailable(self, request, error) -> HttpResponse | None:
        return unavailable_response(request, error)


def unavailable_response(request, error) -> HttpResponse | None:
    """The 503 answer if ``error`` is a lost connection, else None."""
    cause = lost_connection(error)
    if cause is None:
        return None
    request.database_unavailable = True
    database_log.warning(
        "database unreachable: %s %s (%s)", request.method, request.path, describe(cause)
    )
    text = _("Databasen går inte att nå just nu. Inget sparades. Försök igen om några minuter.")
    if request.headers.get("HX-Request") == "true":
        # htmx does not swap an error: static/js/app.js announces this text.
        response = HttpResponse(text, status=503, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(_unavailable_page(request), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def _unavailable_page(request) -> str:
    """templates/503.html, rendered without the context processors: they read
    the session, the user and the current round, and the database is down."""
    return get_template("503.html").render(
        {
            "request": request,
            "contact_email": settings.KOMMUN_CONTACT_EMAIL,
            "csrf_token": get_token(request),  # the language switch's form
        }
    )


class SignOutAtProviderMiddleware:
    """With OIDC on, the pages' CSP lets a form lead to the provider.

    Signing out after an OIDC sign-in posts the sign-out form and is redirected
    to the provider's end-session endpoint; CSP's ``form-action`` covers a form's
    redirects too, so the issuer's origin is allowed beside 'self' (and nothing
    else changes). Read per response, so the setting may change without a restart
    of this code path (tests)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        issuer = urlsplit(settings.OIDC_ISSUER) if settings.OIDC_ISSUER else None
        if issuer and issuer.scheme and issuer.netloc and not hasattr(response, "_csp_config"):
            config = dict(settings.SECURE_CSP)
            origin = f"{issuer.scheme}://{issuer.netloc}"
            config["form-action"] = [*config.get("form-action", []), origin]
            response._csp_config = config
        return response
