"""Two-factor sign-in (TOTP): the sign-in's second step, and enrolling a device.

The rules — who may enrol, who must give a code, who is sent to enrol — are
in :mod:`prioritering.two_factor`; the device is django-otp's ``TOTPDevice``.
"""

import logging

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from prioritering import two_factor
from prioritering.access import require
from prioritering.forms import TwoFactorCodeForm
from rounds.models import User

security_log = logging.getLogger("prioritering.security")


def _wrong_code() -> str:
    return _(
        "Koden stämmer inte. Skriv koden som appen visar just nu. Har du nyss använt "
        "en kod, vänta på nästa: varje kod gäller bara en gång."
    )


def _throttled() -> str:
    return _("För många felaktiga koder i rad. Vänta en stund och försök sedan igen.")


def _safe_next(request, url: str, default: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _check_code(device: TOTPDevice, form: TwoFactorCodeForm) -> bool:
    """Verify the form's code against ``device`` (locked: two requests cannot
    both use one code); a refusal is written on the form."""
    if not form.is_valid():
        return False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _throttled())
            return False
        if device.verify_token(form.cleaned_data["code"]):
            return True
    form.add_error("code", _wrong_code())
    return False


# --- signing in: the password, then the code -------------------------------------


class SignInView(LoginView):
    """Django's sign-in; an account with a confirmed device is not signed in
    by its password, but sent on to give a code."""

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.needs_second_factor(user):
            return super().form_valid(form)
        two_factor.begin_pending(self.request, user, self.get_success_url())
        return redirect("two_factor_verify")


def _back_to_password(request, text: str | None = None):
    two_factor.end_pending(request)
    if text:
        messages.info(request, text)
    return redirect("login")


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the app of the account whose
    password was given a moment ago."""
    if request.user.is_authenticated:
        return redirect("start")
    pending = two_factor.pending_sign_in(request)
    if pending is None:
        return redirect("login")
    if pending.expired:
        return _back_to_password(request, _("Tiden för att ange koden gick ut. Logga in igen."))
    user = User.objects.filter(pk=pending.user_id, is_active=True).first()
    device = two_factor.confirmed_device(user) if user is not None else None
    if device is None:
        return _back_to_password(request)
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        two_factor.end_pending(request)
        return get_lockout_response(request, credentials=credentials)

    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _check_code(device, form):
            two_factor.end_pending(request)
            auth_login(request, user, backend=pending.backend)  # a new session key
            django_otp.login(request, device)
            security_log.info("two-factor ok for %s", user.get_username())
            return redirect(_safe_next(request, pending.next_url, "/"))
        security_log.warning("two-factor failed for %s", user.get_username())
        # A failed sign-in for django-axes too: wrong codes lock the username
        # as wrong passwords do, from any session.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        pending.failures += 1
        if getattr(request, "axes_locked_out", False):
            two_factor.end_pending(request)
            return get_lockout_response(request, credentials=credentials)
        if pending.failures >= two_factor.MAX_FAILURES:
            return _back_to_password(
                request, _("För många felaktiga koder. Logga in igen med ditt lösenord.")
            )
        two_factor.save_pending(request, pending)
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "username": user.get_username()},
    )


# --- enrolling: the page, and its steps -------------------------------------------


def _require_enrol(request) -> None:
    require(request.user, "enrol_two_factor", two_factor.sign_in_method(request))


def _devices(user) -> tuple[TOTPDevice | None, TOTPDevice | None]:
    """The user's confirmed device and the one being added, each or None."""
    confirmed = new = None
    for device in TOTPDevice.objects.filter(user=user).order_by("pk"):
        if device.confirmed:
            confirmed = confirmed or device
        else:
            new = device
    return confirmed, new


def _enrol_page(request, form=None, status=200):
    confirmed, new = _devices(request.user)
    context = {
        "confirmed": confirmed,
        "new": new,
        "form": form or TwoFactorCodeForm(),
        # With REQUIRE_2FA_FOR_ADMINS=1 the page says the account must have it.
        "enforced": settings.REQUIRE_2FA_FOR_ADMINS,
        "verified": two_factor.is_verified(request),
        "next": _safe_next(request, request.POST.get("next") or request.GET.get("next", ""), ""),
    }
    if new is not None:
        context["qr_code"] = two_factor.qr_code_svg(new)
        context["secret"] = two_factor.secret_in_groups(new)
    return render(request, "registration/two_factor.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def enrol(request):
    _require_enrol(request)
    return _enrol_page(request)


def _back_to_enrol(request):
    url = redirect("two_factor").url
    next_url = _safe_next(request, request.POST.get("next", ""), "")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return redirect(url)


@login_required
@require_POST
def start(request):
    """Begin adding a device: a new secret, not confirmed until a code from it is given."""
    _require_enrol(request)
    confirmed, new = _devices(request.user)
    if confirmed is None and new is None:
        TOTPDevice.objects.create(user=request.user, name="Prioritering", confirmed=False)
    return _back_to_enrol(request)


@login_required
@require_POST
def confirm(request):
    """The first code from the new device confirms it; it then replaces any
    earlier one, and this session counts as verified."""
    _require_enrol(request)
    _confirmed, new = _devices(request.user)
    if new is None:
        return _back_to_enrol(request)
    form = TwoFactorCodeForm(request.POST)
    if not _check_code(new, form):
        security_log.warning("two-factor failed for %s (enrolment)", request.user.get_username())
        return _enrol_page(request, form)
    TOTPDevice.objects.filter(user=request.user).exclude(pk=new.pk).delete()
    new.confirmed = True
    new.save(update_fields=["confirmed"])
    django_otp.login(request, new)
    security_log.info("two-factor enrolled for %s", request.user.get_username())
    messages.success(
        request,
        _("Tvåstegsverifieringen är på. Nästa gång du loggar in anger du också en kod från appen."),
    )
    next_url = _safe_next(request, request.POST.get("next", ""), "")
    return redirect(next_url) if next_url else redirect("two_factor")


@login_required
@require_POST
def cancel(request):
    """Stop adding a device: the unconfirmed secret is thrown away."""
    _require_enrol(request)
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    return _back_to_enrol(request)


@login_required
@require_POST
def replace(request):
    """A new phone or app: with a code from the present one, begin adding a
    new device; the present one holds until the new one is confirmed."""
    _require_enrol(request)
    confirmed, new = _devices(request.user)
    if confirmed is None:
        return _back_to_enrol(request)
    form = TwoFactorCodeForm(request.POST)
    if not _check_code(confirmed, form):
        security_log.warning("two-factor failed for %s (replace)", request.user.get_username())
        return _enrol_page(request, form)
    django_otp.login(request, confirmed)  # the code was good: this session is verified
    if new is None:
        TOTPDevice.objects.create(user=request.user, name="Prioritering", confirmed=False)
    return _back_to_enrol(request)


@login_required
@require_POST
def remove(request):
    """Turn the second factor off, with a code from the device."""
    _require_enrol(request)
    confirmed, _new = _devices(request.user)
    if confirmed is None:
        return _back_to_enrol(request)
    form = TwoFactorCodeForm(request.POST)
    if not _check_code(confirmed, form):
        security_log.warning("two-factor failed for %s (removal)", request.user.get_username())
        return _enrol_page(request, form)
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    security_log.info("two-factor removed for %s", request.user.get_username())
    messages.success(request, _("Tvåstegsverifieringen är avstängd."))
    return redirect("two_factor")
