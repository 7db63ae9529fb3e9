"""Codes for the tests' TOTP devices, computed as an authenticator app would
(django_otp.oath.totp), never taken from the server."""

import time
from datetime import timedelta

from django.db.models import F
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now: this time step's, or — when this step's
    code was used already (a code counts once: ``last_t``) — the next step's,
    which the device's tolerance of one step accepts."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step)
    ahead = max(0, device.last_t + 1 - now)
    token = totp(device.bin_key, device.step, device.t0, device.digits, drift=ahead)
    return f"{token:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code the device does not accept now."""
    device.refresh_from_db()
    accepted = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, drift=d):06d}"
        for d in range(-2, 3)
    }
    return next(
        c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in accepted
    )


def wait_out_throttling(device: TOTPDevice) -> None:
    """As if the wait after the last wrong code (django-otp: 1, 2, 4 … s) had passed."""
    TOTPDevice.objects.filter(pk=device.pk, throttling_failure_timestamp__isnull=False).update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(minutes=10)
    )
