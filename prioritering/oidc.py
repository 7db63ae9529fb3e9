"""Sign-in with the municipality's own accounts through OpenID Connect.

Built on mozilla-django-oidc (the library of Open Forms and Open Zaak): its backend
exchanges the code at the token endpoint (client_secret_basic), fetches the
provider's keys and checks the ID token's signature and nonce; its helpers keep
state, nonce and the PKCE verifier in the session. What it leaves to us, here:

- the endpoints come from the issuer's ``/.well-known/openid-configuration``,
  read when first needed and kept an hour, so a municipality sets only
  ``OIDC_ISSUER``, the client id and its secret;
- the ID token's issuer, audience, expiry and issue time are checked too;
- an account is matched by e-mail (``OIDC_USERNAME_CLAIM``), case-insensitively;
  an unknown one is refused unless ``OIDC_CREATE_USERS`` (then it is created
  with no roles — roles stay managed in the app);
- every failure is a Swedish page (:func:`error_page`), never a 500, and the
  security log names the provider and the reason, never a token;
- signing out ends the session at the provider too, when it has an
  end-session endpoint.
"""

import logging
import threading
import time
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import LogoutView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from prioritering import two_factor_views
from prioritering.forms import SignInForm, passwords_restricted

security_log = logging.getLogger("prioritering.security")

DISCOVERY_SECONDS = 3600
SIGN_IN_METHOD = "sign_in_method"  # the session key: "oidc" or "password"
ID_TOKEN = "oidc_id_token"  # noqa: S105 - the session key mozilla-django-oidc stores it under
STATES = "oidc_states"
NEXT = "oidc_login_next"


class OidcUnavailableError(Exception):
    """The provider's configuration could not be read."""


class OidcInvalidError(Exception):
    """The provider's answer cannot be trusted (state, token, signature, claims)."""


class OidcRefusedError(Exception):
    """A valid answer for an account that may not sign in here."""

    def __init__(self, reason: str, account: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.account = account


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def provider_name() -> str:
    """The provider as the security log names it: its host."""
    return urlsplit(settings.OIDC_ISSUER).netloc or "-"


_discovered: dict[str, tuple[float, dict]] = {}
_discovery_lock = threading.Lock()


def discovery() -> dict:
    """The issuer's OpenID configuration, read at most once an hour per process."""
    issuer = settings.OIDC_ISSUER
    now = time.monotonic()
    cached = _discovered.get(issuer)
    if cached and cached[0] > now:
        return cached[1]
    with _discovery_lock:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            config = response.json()
        except (requests.RequestException, ValueError) as error:
            raise OidcUnavailableError(type(error).__name__) from error
        required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(config, dict) or any(not config.get(key) for key in required):
            raise OidcUnavailableError("incomplete configuration")
        if config["issuer"].rstrip("/") != issuer.rstrip("/"):
            # OpenID Connect Discovery 4.3: the document must name the issuer asked.
            raise OidcUnavailableError("issuer mismatch")
        _discovered[issuer] = (now + DISCOVERY_SECONDS, config)
        return config


def forget_discovery() -> None:
    _discovered.clear()


_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def _setting(attr, *args):
    """mozilla-django-oidc's settings, with the endpoints from discovery."""
    if attr in _ENDPOINTS:
        return discovery().get(_ENDPOINTS[attr])
    return import_from_settings(attr, *args)


class PasswordBackend(ModelBackend):
    """Django's password sign-in; with OIDC_ONLY=1 only for emergency administrators."""

    def user_can_authenticate(self, user):
        if passwords_restricted() and not getattr(user, "emergency_admin", False):
            return False
        return super().user_can_authenticate(user)


class OidcBackend(OIDCAuthenticationBackend):
    """Answers only the callback (``nonce`` and ``code_verifier`` given)."""

    get_settings = staticmethod(_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in, password ones included:
        # the provider is asked only when a callback actually comes.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "code_verifier" not in kwargs:
            return None
        config = discovery()
        self.issuer = config["issuer"]
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = config.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The signature against the provider's key, and the ID token's issuer,
        audience (and authorised party), expiry and issue time."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError as error:
            raise OidcInvalidError("unreadable token") from error
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise OidcInvalidError(f"algorithm {header.get('alg')!r}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=settings.OIDC_CLOCK_LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise OidcInvalidError(type(error).__name__) from error
        audience = claims["aud"]
        several = isinstance(audience, list) and len(audience) > 1
        if several and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise OidcInvalidError("azp")
        return claims

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except SuspiciousOperation as error:
            raise OidcInvalidError("no matching key") from error

    def verify_token(self, token, **kwargs):
        if not token:
            raise OidcInvalidError("no ID token")
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as error:  # the nonce
            raise OidcInvalidError("nonce") from error

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims; the userinfo endpoint's added when the ID token
        lacks the claim that names the account (and only for the same subject)."""
        claims = dict(payload)
        if not claims.get(settings.OIDC_USERNAME_CLAIM) and self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
                raise OidcInvalidError("userinfo subject")
            claims = {**info, **payload}
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        account = claims.get(settings.OIDC_USERNAME_CLAIM)
        if not isinstance(account, str) or "@" not in account:
            raise OidcRefusedError("no_account_claim")
        account = account.strip()
        if settings.OIDC_USERNAME_CLAIM == "email" and claims.get("email_verified") is False:
            raise OidcRefusedError("unverified", account)
        users = list(self.UserModel.objects.filter(email__iexact=account)[:2])
        if len(users) > 1:
            raise OidcRefusedError("ambiguous", account)
        if users:
            if not users[0].is_active:
                raise OidcRefusedError("inactive", account)
            return users[0]
        if settings.OIDC_CREATE_USERS:
            return self.create_user_from(claims, account)
        raise OidcRefusedError("unknown", account)

    def create_user_from(self, claims, account):
        from rounds.services.accounts import create_signed_in_user

        user = create_signed_in_user(
            email=account,
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
        )
        if user is None:
            raise OidcRefusedError("username_taken", account)
        security_log.info("oidc: created user=%s provider=%s", user.pk, provider_name())
        return user


# What an answer that cannot be trusted raises: our checks, mozilla-django-oidc's,
# the token endpoint's refusal (requests' HTTPError), a key set or JSON that is not.
UNTRUSTED = (
    OidcInvalidError,
    SuspiciousOperation,
    requests.RequestException,
    jwt.PyJWTError,  # a key in the provider's set that cannot be read, say
    ValueError,
    KeyError,
)


class OidcSignInView(OIDCAuthenticationRequestView):
    """``/konto/oidc/logga-in/``: off to the provider with state, nonce and PKCE."""

    get_settings = staticmethod(_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is read per request, below

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = discovery()["authorization_endpoint"]
        except OidcUnavailableError as error:
            security_log.warning(
                "oidc: provider=%s unavailable: %s", provider_name(), error.args[0]
            )
            return error_page(request, "unavailable", status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class OidcCallbackView(View):
    """``/konto/oidc/callback/``: the provider's answer, checked, then signed in."""

    http_method_names = ["get"]

    def get(self, request):
        if not enabled():
            raise Http404
        states = request.session.get(STATES) or {}
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if state else None
        if entry is not None:
            # Each state is used once, whatever comes of it.
            request.session[STATES] = states
            request.session.save()
        if request.GET.get("error"):
            security_log.info(
                "oidc: provider=%s answered error=%r",
                provider_name(),
                request.GET["error"][:60],
            )
            return error_page(request, "cancelled", status=400)
        if entry is None or not request.GET.get("code"):
            security_log.warning(
                "oidc: provider=%s callback with an unknown state", provider_name()
            )
            return error_page(request, "invalid", status=400)
        try:
            user = auth.authenticate(
                request=request,
                nonce=entry.get("nonce"),
                code_verifier=entry.get("code_verifier"),
            )
        except OidcRefusedError as refusal:
            security_log.warning(
                "oidc: provider=%s refused account=%r reason=%s",
                provider_name(),
                refusal.account,
                refusal.reason,
            )
            return error_page(request, refusal.reason, status=403, account=refusal.account)
        except OidcUnavailableError as error:
            security_log.warning(
                "oidc: provider=%s unavailable: %s", provider_name(), error.args[0]
            )
            return error_page(request, "unavailable", status=503)
        except (
            OidcInvalidError,
            SuspiciousOperation,
            requests.RequestException,
            ValueError,
        ) as error:
            # Never the message of a token endpoint's error: only what kind it was.
            reason = error.args[0] if isinstance(error, OidcInvalidError) else type(error).__name__
            security_log.warning("oidc: provider=%s answer refused: %s", provider_name(), reason)
            return error_page(request, "invalid", status=400)
        if user is None:
            return error_page(request, "invalid", status=400)
        id_token = request.session.get(ID_TOKEN)
        next_url = request.session.get(NEXT)
        request.sign_in_method = "oidc"  # read by the sign-in signal (prioritering.signals)
        auth.login(request, user, backend="prioritering.oidc.OidcBackend")
        request.session[ID_TOKEN] = id_token
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


ERRORS = {
    "cancelled": 400,
    "invalid": 400,
    "unavailable": 503,
    "unknown": 403,
    "inactive": 403,
    "ambiguous": 403,
    "unverified": 403,
    "no_account_claim": 403,
    "username_taken": 403,
}


def error_page(request, reason: str, *, status: int, account: str = ""):
    return render(
        request,
        "registration/oidc_error.html",
        {
            "reason": reason if reason in ERRORS else "invalid",
            "account": account,
            "support_email": settings.SUPPORT_EMAIL,
            "create_users": settings.OIDC_CREATE_USERS,
        },
        status=status,
    )


class SignInView(two_factor_views.SignInView):
    """``/konto/logga-in/``: the municipality's account first when OIDC is on;
    with OIDC_ONLY the password form only for emergency administrators, behind a link.
    A password account with a confirmed app goes on to give its code (two_factor_views)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        oidc = enabled()
        only = passwords_restricted()
        asked = self.request.method == "POST" or self.request.GET.get("losenord") == "1"
        context.update(
            oidc_enabled=oidc,
            oidc_only=only,
            show_password_form=not only or asked,
            oidc_url=_with_next(reverse("oidc_login"), context.get("next")),
            password_url=_with_next(reverse("login"), context.get("next"), losenord="1"),
        )
        return context


def _with_next(url: str, next_url: str | None, **params) -> str:
    if next_url:
        params["next"] = next_url
    return f"{url}?{urlencode(params)}" if params else url


class SignOutView(LogoutView):
    """Sign out here, and at the provider too after an OIDC sign-in."""

    def post(self, request, *args, **kwargs):
        method = request.session.get(SIGN_IN_METHOD)
        id_token = request.session.get(ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if method != "oidc" or not enabled():
            return response
        try:
            end_session = discovery().get("end_session_endpoint")
        except OidcUnavailableError:
            end_session = None
        if not end_session:
            return response
        params = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
        if id_token:
            params["id_token_hint"] = id_token
        return HttpResponseRedirect(f"{end_session}?{urlencode(params)}")
