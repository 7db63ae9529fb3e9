"""The uploaded workbook kept between the preview and the confirmation.

The confirmation must import exactly what was previewed, without asking for
the file again. The file is kept under ``MEDIA_ROOT/imports/`` with a random
name, and the page carries a signed token naming it, the round, the user, the
chosen förvaltning and the file's SHA-256: a token cannot be forged or moved
to another round or user, and a file changed on disk is refused. The file is
removed once imported (or refused), and files older than :data:`MAX_AGE`
are swept away on each new upload.
"""

import datetime
import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing

SALT = "rounds.importing.stash"
MAX_AGE = 60 * 60  # seconds a preview may be confirmed
FOLDER = "imports"


class StashExpired(Exception):  # noqa: N818 (a situation, not a bug)
    """The token is invalid or too old, or its file is gone."""


@dataclass(frozen=True)
class Stashed:
    data: bytes
    name: str  # the uploaded file's name
    file: str  # the stored file's name
    forvaltning_id: int | None
    previewed_at: datetime.datetime | None = None  # when the preview was shown


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sweep(now: float | None = None) -> None:
    """Remove stashed files older than :data:`MAX_AGE` (abandoned previews)."""
    limit = (now or time.time()) - MAX_AGE
    for path in _folder().glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def stash(data: bytes, *, name: str, round_id: int, user_id: int, forvaltning_id) -> str:
    """Keep ``data`` and return the signed token that names it."""
    sweep()
    file = f"{secrets.token_urlsafe(18)}.xlsx"
    (_folder() / file).write_bytes(data)
    return signing.dumps(
        {
            "file": file,
            "name": name,
            "round": round_id,
            "user": user_id,
            "forvaltning": forvaltning_id,
            "sha256": hashlib.sha256(data).hexdigest(),
            "at": time.time(),
        },
        salt=SALT,
    )


def unstash(token: str, *, round_id: int, user_id: int) -> Stashed:
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise StashExpired from None
    if payload.get("round") != round_id or payload.get("user") != user_id:
        raise StashExpired
    file = str(payload.get("file", ""))
    if "/" in file or "\\" in file or not file.endswith(".xlsx"):
        raise StashExpired
    try:
        data = (_folder() / file).read_bytes()
    except FileNotFoundError:
        raise StashExpired from None
    if hashlib.sha256(data).hexdigest() != payload.get("sha256"):
        raise StashExpired
    at = payload.get("at")
    previewed_at = (
        datetime.datetime.fromtimestamp(at, tz=datetime.UTC)
        if isinstance(at, int | float)
        else None
    )
    return Stashed(
        data, str(payload.get("name", "")), file, payload.get("forvaltning"), previewed_at
    )


def discard(file: str) -> None:
    if file and "/" not in file and "\\" not in file:
        (_folder() / file).unlink(missing_ok=True)
