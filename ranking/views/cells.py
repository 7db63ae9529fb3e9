"""What the long tables written in Python (``forum_rows``, ``outcome_tables``)
write alike in their cells: numbers, amounts, dates, links and a field's
errors, each formatted as the templates would, with what is the same on every
row worked out once per request. Every value from the database or a user is
escaped by the caller or here, as each function says."""

from collections.abc import Callable

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.timezone import localtime

from prioritering.templatetags.formatting import MINUS, NBSP, tkr

DASH = "–"

# A number no object has, to reverse an address once and fill it in per row.
SENTINEL = 987654321


def url_writer(name: str, *args) -> Callable[[int], str]:
    """The address ``name`` takes with ``args`` and, last, a number that
    changes per row: reversed once, the number filled in per row."""
    before, after = reverse(name, args=[*args, SENTINEL]).split(str(SENTINEL))
    return lambda number: f"{before}{number}{after}"


def proposal_urls(year: int) -> Callable[[int], str]:
    """The proposal page's address by number."""
    return url_writer("proposal_detail", year)


def decimal_writer() -> Callable[[float | None, str], str]:
    """``floatformat`` as the templates use it ("1": one decimal, "-1": one
    decimal unless it is zero; none: "–"), remembered per value: a page shows
    a few dozen distinct medians and means over hundreds of rows."""
    known: dict[tuple[float | None, str], str] = {}

    def write(value: float | None, arg: str) -> str:
        key = (value, arg)
        if key not in known:
            known[key] = DASH if value is None else str(floatformat(value, arg))
        return known[key]

    return write


def tkr_writer() -> Callable[[object], str]:
    """``tkr`` for the many amounts of one table: the request's thousands
    separator found once, then plain string formatting (``tkr`` asks the
    locale for every number, a fifth of the budget line's rows' time). Where
    the language does not group by three, ``tkr`` itself. Digits, spaces and
    a minus sign only: nothing to escape."""
    separator = number_format(1000, force_grouping=True)[1:-3]

    def write(value) -> str:
        if value is None or value == "":
            return ""
        number = int(value)
        grouped = f"{abs(number):,}".replace(",", separator)
        return f"{MINUS if number < 0 else ''}{grouped}{NBSP}tkr"

    probe = -1234567
    return write if write(probe) == tkr(probe) else tkr


def day_writer() -> Callable[[object], str]:
    """A moment's day as the templates write it ("5 december 2026"),
    worked out once per day: Django's date formatting is most of a long
    history's time."""
    days: dict[object, str] = {}

    def write(moment) -> str:
        day = localtime(moment).date()
        if day not in days:
            days[day] = str(date_filter(day, "j F Y"))
        return days[day]

    return write


def text(value: str) -> str:
    """A user's text: escaped, its line breaks kept."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br>")


def errors(field_id: str, messages: list[str]) -> str:
    """A field's errors as the forms write them, for ``aria-describedby``."""
    if not messages:
        return ""
    items = "".join(f"<li>{escape(message)}</li>" for message in messages)
    return f'<ul class="errorlist" id="{field_id}_error">{items}</ul>'


def invalid(field_id: str, messages: list[str]) -> str:
    """The attributes of a field with errors: invalid, described by them."""
    return f' aria-invalid="true" aria-describedby="{field_id}_error"' if messages else ""


def error_class(messages: list[str], others: str = "") -> str:
    """A cell's class attribute: ``others``, and ``field--error`` with errors."""
    classes = " ".join(part for part in (others, "field--error" if messages else "") if part)
    return f' class="{classes}"' if classes else ""
