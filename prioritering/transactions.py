"""Every write request in one transaction: claimed once, retried once.

:class:`WriteTransactionMiddleware` runs each POST's view (after the CSRF
check) inside one database transaction, so the services' locks
(``rounds.locks``) are held until the response is decided, and:

- **A form is submitted once.** A POST form carries a ``submit_key`` (a fresh
  random key each time the form is shown, ``{% submit_key %}``). The first
  request that brings it claims it — a row of
  :class:`rounds.models.SubmittedForm`, unique per user and key, inserted in
  the same transaction as the view's writes — and the response is kept with
  it. A second request with the same key and the same fields (a double click,
  a browser sending the form again) waits for the first to finish and gets
  its response again: the same redirect, or the same htmx fragment; nothing
  is written twice. The same key with other fields (the form changed after
  Back) is a submission of its own. A request that fails (an exception, an
  answer of 400 or more) leaves the key unclaimed, so the corrected form can
  be sent again.
- **A deadlock is retried.** Should PostgreSQL still break a deadlock, or
  refuse a serialization (or SQLite's write lock time out), the whole
  transaction is rolled back and the view runs once more; if that fails too,
  the user gets a 503 page in Swedish that says "försök igen" and holds
  everything that was posted, with a button that sends it again. A unique
  violation (a race the services did not foresee) is retried once too, and
  logged.
"""

import hashlib
import json
import logging
import re

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from prioritering.middleware import unavailable_response
from rounds.models import SubmittedForm
from rounds.models.submission import KEPT

log = logging.getLogger("prioritering.transactions")

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_FIELD = "submit_key"
_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")
# What of a response a repeat gets: htmx fragments are small; a larger
# answer is not kept (the key stays unclaimed).
_MAX_KEPT = 512 * 1024
_HX_HEADERS = (
    "HX-Redirect",
    "HX-Refresh",
    "HX-Location",
    "HX-Trigger",
    "HX-Trigger-After-Settle",
    "HX-Trigger-After-Swap",
    "HX-Retarget",
    "HX-Reswap",
    "HX-Push-Url",
    "HX-Replace-Url",
)

# PostgreSQL's SQLSTATEs of a transaction that lost to another and may simply
# be run again: serialization_failure, deadlock_detected, lock_not_available.
_RETRYABLE_STATES = {"40001", "40P01", "55P03"}
_UNIQUE_VIOLATION = "23505"


def _sqlstate(error: DatabaseError) -> str | None:
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    return getattr(cause, "sqlstate", None) or getattr(diag, "sqlstate", None)


def lost_a_race(error: DatabaseError) -> bool:
    """Did the transaction lose to another (and may it be run again)?"""
    if isinstance(error, OperationalError):
        if _sqlstate(error) in _RETRYABLE_STATES:
            return True
        # SQLite: the write lock was not free within the busy timeout.
        return "database is locked" in str(error)
    return False


def _unique_violation(error: DatabaseError) -> bool:
    if not isinstance(error, IntegrityError):
        return False
    state = _sqlstate(error)
    return state == _UNIQUE_VIOLATION or (state is None and "UNIQUE constraint" in str(error))


class WriteTransactionMiddleware:
    """Runs the views of write requests in one transaction (see the module).
    Placed after CsrfViewMiddleware: a forged request never gets this far."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method not in UNSAFE or getattr(view, "_non_atomic_requests", None):
            return None
        try:
            return run_write(request, view, args, kwargs)
        except Exception as error:
            # Django gives the middlewares' process_exception() only the
            # errors of a view it calls itself, not of one called here: the
            # one such hook before this, the 503 of a lost database
            # connection (prioritering.middleware), is asked here instead.
            response = unavailable_response(request, error)
            if response is None:
                raise
            return response


def _key_of(request) -> str | None:
    if not request.user.is_authenticated:
        return None
    key = request.POST.get(KEY_FIELD, "") if request.method == "POST" else ""
    return key if _KEY.fullmatch(key) else None


def _fingerprint(request) -> str:
    """What was sent, as a hash: the fields (but the CSRF token, which a
    repeat may carry anew) and the files' names and sizes."""
    fields = sorted(
        (name, values) for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"
    )
    files = sorted((name, upload.name, upload.size) for name, upload in request.FILES.items())
    text = json.dumps([request.path, fields, files], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _replay(claim: SubmittedForm) -> HttpResponse:
    response = HttpResponse(
        bytes(claim.content), status=claim.status, content_type=claim.content_type or None
    )
    if claim.location:
        response["Location"] = claim.location
    for name, value in claim.headers.items():
        response[name] = value
    return response


def _claim(request, key: str) -> SubmittedForm | HttpResponse | None:
    """The key claimed for this request, or the response its first request
    got (a repeat), or None when the key belongs to another form."""
    user = request.user
    fingerprint = _fingerprint(request)
    existing = SubmittedForm.objects.filter(user=user, key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                SubmittedForm.objects.filter(
                    user=user, created_at__lt=timezone.now() - KEPT
                ).delete()
                return SubmittedForm.objects.create(
                    user=user, key=key, path=request.path[:500], fingerprint=fingerprint
                )
        except IntegrityError:
            # The same key a moment before: its request has committed now.
            existing = SubmittedForm.objects.filter(user=user, key=key).first()
            if existing is None:
                return None
    if existing.status is None or existing.fingerprint != fingerprint:
        # Another form's key, or this form sent again with other values (after
        # Back, say): a submission of its own, not a repeat.
        return None
    log.info("form submitted again: user=%s path=%s; first answer repeated", user.pk, request.path)
    return _replay(existing)


def _keep(claim: SubmittedForm, response) -> bool:
    """Keep ``response`` with the claim; False when it cannot be kept."""
    if response.status_code >= 400 or response.streaming:
        return False
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if len(response.content) > _MAX_KEPT:
        return False
    claim.status = response.status_code
    claim.location = response.get("Location", "")[:2000]
    claim.content = response.content
    claim.content_type = response.get("Content-Type", "")[:100]
    claim.headers = {name: response[name] for name in _HX_HEADERS if response.has_header(name)}
    claim.save(update_fields=["status", "location", "content", "content_type", "headers"])
    return True


def _attempt(request, view, args, kwargs):
    key = _key_of(request)
    with transaction.atomic():
        claim = _claim(request, key) if key else None
        if isinstance(claim, HttpResponse):
            return claim
        response = view(request, *args, **kwargs)
        if claim is not None and not _keep(claim, response):
            claim.delete()
    return response


def run_write(request, view, args, kwargs):
    """Run the view in one transaction, once more if it lost a race; a 503
    page that keeps what was posted if it loses again."""
    for attempt in (1, 2):
        queued = _queued_messages(request)
        before = len(queued)
        try:
            return _attempt(request, view, args, kwargs)
        except DatabaseError as error:
            retry = lost_a_race(error) or (attempt == 1 and _unique_violation(error))
            if not retry:
                raise
            del queued[before:]  # the messages of the attempt go with it
            log.warning(
                "write lost a race (attempt %s): %s %s: %s",
                attempt,
                request.method,
                request.path,
                str(error).splitlines()[0] if str(error) else type(error).__name__,
            )
            for upload in request.FILES.values():
                upload.seek(0)
    return busy(request)


def _queued_messages(request) -> list:
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", None)
    return [] if queued is None else queued


def busy(request) -> HttpResponse:
    """The 503 page of a save that lost twice: nothing was saved, everything
    posted is on the page, and a button sends it again."""
    if getattr(request, "htmx", False):
        return HttpResponse(
            _("Många sparar samtidigt just nu. Inget sparades – försök igen."),
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": "2"},
        )
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    response = render(
        request,
        "busy.html",
        {"fields": fields, "action": request.get_full_path(), "had_files": bool(request.FILES)},
        status=503,
    )
    response["Retry-After"] = "2"
    return response
