"""Two-factor sign-in (TOTP, RFC 6238, with django-otp): the rules in one place.

Administratörer and controllers who sign in with a password may add a second
factor, an authenticator app (``access.py``: ``enrol_two_factor``). Accounts
that signed in through OpenID Connect are left to their provider, which handles
MFA itself: the OIDC sign-in sets ``request.session["sign_in_method"] = "oidc"``,
and a session without the key signed in with a password.

- :func:`needs_second_factor` — whoever has a confirmed device gives a code
  after the password, at ``/konto/tvafaktor/verifiera/``; until then the
  session holds only the pending user's id, for :data:`PENDING_SECONDS`
  (:func:`begin_pending`), and nobody is signed in.
- :func:`is_enforced_for` — with ``REQUIRE_2FA_FOR_ADMINS=1``, one who may
  enrol and has not given a code in this session is sent to
  ``/konto/tvafaktor/`` from every page (:class:`RequireTwoFactorMiddleware`)
  until they have.

The security log says "two-factor ok/failed for <username>", never a code.
"""

import logging
import time
from base64 import b32encode
from dataclasses import asdict, dataclass

import segno
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from prioritering.access import SIGNED_IN_WITH_OIDC, may

security_log = logging.getLogger("prioritering.security")

SIGN_IN_METHOD = "sign_in_method"  # in the session; "oidc" when signed in through OIDC
PASSWORD = "password"  # noqa: S105 (a sign-in method, not a secret)
PENDING = "two_factor_pending"
# How long the step between the password and the code may take.
PENDING_SECONDS = 5 * 60
# Wrong codes in one pending sign-in before it starts again from the password.
# Each one also counts as a failed sign-in for django-axes, per username.
MAX_FAILURES = 5


def sign_in_method(request) -> str:
    """How this session signed in: ``"oidc"``, or ``"password"`` (no key: password)."""
    method = request.session.get(SIGN_IN_METHOD)
    return SIGNED_IN_WITH_OIDC if method == SIGNED_IN_WITH_OIDC else PASSWORD


def may_enrol(request) -> bool:
    return may(request.user, "enrol_two_factor", sign_in_method(request))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def needs_second_factor(user) -> bool:
    """Must ``user`` give a code after the password? Whoever has a confirmed device."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    """Has this session given a valid code (django-otp's ``user.is_verified()``)?"""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def is_enforced_for(request) -> bool:
    """Must this request be sent to enrol (or give a code) first?"""
    if not settings.REQUIRE_2FA_FOR_ADMINS or not request.user.is_authenticated:
        return False
    return may_enrol(request) and not is_verified(request)


# --- the pending sign-in, between the password and the code ---------------------


@dataclass
class PendingSignIn:
    user_id: int
    backend: str
    next_url: str
    until: int
    failures: int = 0

    @property
    def expired(self) -> bool:
        return time.time() >= self.until


def begin_pending(request, user, next_url: str) -> None:
    """The password was right: keep only who, how and where to, for a short while.
    The session gets a new key, as at a sign-in."""
    request.session.cycle_key()
    pending = PendingSignIn(
        user_id=user.pk,
        backend=user.backend,
        next_url=next_url,
        until=int(time.time()) + PENDING_SECONDS,
    )
    request.session[PENDING] = asdict(pending)


def pending_sign_in(request) -> PendingSignIn | None:
    state = request.session.get(PENDING)
    if not isinstance(state, dict):
        return None
    try:
        return PendingSignIn(**state)
    except TypeError:
        return None


def save_pending(request, pending: PendingSignIn) -> None:
    request.session[PENDING] = asdict(pending)


def end_pending(request) -> None:
    request.session.pop(PENDING, None)


# --- the device's secret, for the app -------------------------------------------


def secret_in_groups(device: TOTPDevice) -> str:
    """The secret as the apps take it typed by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as a QR code, an inline SVG drawn with
    presentation attributes only (no style: the CSP allows none inline)."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(scale=4, title=escape(_("QR-kod för autentiseringsappen")))
    return mark_safe(svg.replace("<svg ", '<svg role="img" class="qr-code" ', 1))  # noqa: S308


# --- enforcement ----------------------------------------------------------------


def _exempt_paths() -> tuple[str, ...]:
    static = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    return (
        reverse("two_factor"),  # enrolment, its steps and the verify page
        reverse("logout"),
        reverse("health"),
        reverse("set_language").rsplit("/", 2)[0] + "/",  # /i18n/
        static,
    )


class RequireTwoFactorMiddleware:
    """With ``REQUIRE_2FA_FOR_ADMINS=1``: an administratör or controller who
    signed in with a password and has not given a code is sent to
    ``/konto/tvafaktor/`` from every page (htmx requests by ``HX-Redirect``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_2FA_FOR_ADMINS
            and not request.path.startswith(_exempt_paths())
            and is_enforced_for(request)
        ):
            url = reverse("two_factor")
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)
