"""The kommun's logo on the documents' covers (``settings.PRIORITERING_LOGO``).

The setting is a path to a PNG or JPEG file — relative to the project, or
absolute — inside the project, ``MEDIA_ROOT`` or the static folders; never an
address: nothing is fetched. The file is read here, checked and turned into a
one-page PDF of the image, which the renderer draws in the box the cover
leaves for it (``documents.pdf.place_logo``): WeasyPrint itself still fetches
nothing. Anything amiss — no such file, a file elsewhere, too large, not a PNG
or JPEG — is logged and the cover goes without a logo.
"""

import io
import logging
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

FORMATS = {"PNG", "JPEG"}
MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4000 * 4000


def _folders() -> list[Path]:
    folders = [settings.BASE_DIR, settings.MEDIA_ROOT, settings.STATIC_ROOT]
    folders += list(getattr(settings, "STATICFILES_DIRS", []))
    return [Path(folder).resolve() for folder in folders if folder]


def logo_path(setting: str) -> Path:
    """The logo's file, resolved; ValueError when it names an address or a
    file outside the allowed folders, OSError when there is none."""
    if "://" in setting or setting.startswith(("data:", "//")):
        raise ValueError("an address, not a file")
    path = Path(setting)
    if not path.is_absolute():
        path = Path(settings.BASE_DIR) / path
    path = path.resolve(strict=True)
    if not any(path.is_relative_to(folder) for folder in _folders()):
        raise ValueError("outside the project, MEDIA_ROOT and the static folders")
    if not path.is_file():
        raise ValueError("not a file")
    return path


def logo_pdf(data: bytes) -> bytes:
    """A PNG or JPEG image as a one-page PDF, transparency laid on white
    (the cover's colour); ValueError for anything else."""
    from PIL import Image  # (the worker only)

    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise ValueError(f"not a PNG or JPEG image but {image.format}")
        width, height = image.size
        if not 0 < width * height <= MAX_PIXELS:
            raise ValueError(f"{width} × {height} pixels")
        image.load()
    except (OSError, Image.DecompressionBombError) as error:
        raise ValueError(f"not an image: {error}") from error
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    out = io.BytesIO()
    image.convert("RGB").save(out, "PDF", resolution=300)
    return out.getvalue()


def cover_logo() -> bytes | None:
    """The logo as a one-page PDF, or None: no logo set, or none to be had."""
    setting = str(getattr(settings, "PRIORITERING_LOGO", "") or "").strip()
    if not setting:
        return None
    try:
        path = logo_path(setting)
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES} bytes")
        return logo_pdf(path.read_bytes())
    except (OSError, ValueError) as error:
        log.warning("PRIORITERING_LOGO %r left out: %s", setting[:200], error)
        return None
