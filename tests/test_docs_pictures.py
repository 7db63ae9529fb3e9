"""The user guide's pictures (docs/bilder/): every picture a guide page shows
is there, has a caption-like alternative text, and is one docs/screenshots.py
takes, so re-running the script renews every picture the guide shows."""

import re
from pathlib import Path

from django.conf import settings

DOCS = Path(settings.BASE_DIR) / "docs"
PICTURE = re.compile(r"!\[([^\]]*)\]\((bilder/[^)]+)\)")


def pictures() -> list[tuple[str, str, str]]:
    return [
        (page.name, alt, path)
        for page in sorted(DOCS.glob("*.md"))
        for alt, path in PICTURE.findall(page.read_text(encoding="utf-8"))
    ]


def test_the_guide_shows_pictures():
    shown = {page for page, _alt, _path in pictures()}
    assert {"forvaltning.md", "namnd.md", "forum.md", "controller.md"} <= shown
    assert {"allmanheten.md", "lasare.md"} <= shown


def test_every_picture_the_guide_shows_is_there_with_an_alternative_text():
    for page, alt, path in pictures():
        assert (DOCS / path).is_file(), f"{page} shows {path}, which is missing"
        assert len(alt) > 15, f"{page}: {path} needs an alternative text that says what it shows"


def test_the_script_takes_every_picture_the_guide_shows():
    script = (DOCS / "screenshots.py").read_text(encoding="utf-8")
    for page, _alt, path in pictures():
        name = Path(path).stem
        assert f'"{name}"' in script, f"{page} shows {path}, which docs/screenshots.py never takes"
