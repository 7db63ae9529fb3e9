import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

SIGNED_IN_AT = "prioritering_signed_in_at"


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
      (app.js puts the new CSRF token in the form when it is sent).
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
