"""The security log: sign-ins, sign-outs and failed sign-ins (never a password)."""

import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from prioritering.middleware import SIGNED_IN_AT

security_log = logging.getLogger("prioritering.security")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    # The OIDC callback says so on the request (prioritering.oidc); every other
    # sign-in is by password.
    method = getattr(request, "sign_in_method", "password")
    if method == "oidc":
        security_log.info(
            "sign-in: user=%s method=oidc provider=%s address=%s",
            user.pk,
            urlsplit(settings.OIDC_ISSUER).netloc or "-",
            _address(request),
        )
    else:
        security_log.info("sign-in: user=%s address=%s", user.pk, _address(request))
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())
        request.session["sign_in_method"] = method
    if getattr(user, "last_sign_in_method", method) != method:
        user.last_sign_in_method = method
        user.save(update_fields=["last_sign_in_method"])


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    security_log.info("sign-out: user=%s address=%s", getattr(user, "pk", "-"), _address(request))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    security_log.warning(
        "failed sign-in: username=%r address=%s",
        (credentials or {}).get("username", ""),
        _address(request),
    )
