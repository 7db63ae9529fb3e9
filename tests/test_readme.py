"""The README's "Where do I find…" table names files and folders that exist:
it is how a newcomer finds their way, so a move that leaves it behind fails."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _where_table() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    table = text.split("**Where do I find…**", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in table.splitlines()[2:]:
        what, where = (cell.strip() for cell in line.strip("|").split("|"))
        rows += [(what, path) for path in re.findall(r"`([^`]+)`", where)]
    return rows


def test_the_table_has_rows():
    assert len(_where_table()) >= 15


def test_every_place_the_table_names_exists():
    missing = [
        f"{what}: {path}"
        for what, path in _where_table()
        if not path.startswith("manage.py ") and not (ROOT / path.rstrip("/")).exists()
    ]
    assert not missing, "README's 'Where do I find…' names what is not there:\n" + "\n".join(
        missing
    )
