"""What the nämnd's ranking and the forumdeltagare's sheets share: the rank
(an integer 1–10, empty for none) read from a form, and the two directions a
row moves in."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from prioritering.numbers import parse_int

UP = "upp"
DOWN = "ned"


def parse_rank(value) -> tuple[int | None, str | None]:
    """(rank, None), or (None, the error in Swedish); empty is (None, None)."""
    if value is None or value == "":
        return None, None
    try:
        return parse_int(value, minimum=1, maximum=10), None
    except ValidationError as error:
        if error.code == "invalid":
            return None, _("Ange rangordningen som ett heltal 1–10.")
        return None, _("Rangordningen ska vara ett heltal 1–10.")
