"""The URL converters for ids and budget years: they match only what the
database can hold, so an id of 25 digits is "not found" (404) before any
view or query sees it — SQLite cannot even compare an integer past 64 bits.
Registered once, in :meth:`prioritering.apps.PrioriteringConfig.ready`;
Django's own ``int`` converter (any number of digits) is not used in our URLs.
"""

from django.urls import register_converter

from prioritering.numbers import ID_DIGITS


class IdConverter:
    """``<id:pk>``: 1–18 ASCII digits (every bigint id, and page and column
    numbers)."""

    regex = f"[0-9]{{1,{ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class YearConverter(IdConverter):
    """``<year:year>``: a budget year, four ASCII digits (rounds are made for
    2000–2100, rounds.forms.round)."""

    regex = "[0-9]{4}"


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")
