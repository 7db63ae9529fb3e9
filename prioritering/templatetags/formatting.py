"""Swedish number formats: thousands with a (non-breaking) space, a real minus."""

from django import template
from django.utils.formats import number_format

register = template.Library()

MINUS = "\u2212"
NBSP = "\u00a0"


@register.filter
def tkr(value, unit: str = "tkr"):
    """``1500`` → ``1 500 tkr``; ``-300`` → ``−300 tkr``; empty stays empty."""
    if value is None or value == "":
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    text = number_format(abs(number), force_grouping=True)
    sign = MINUS if number < 0 else ""
    return f"{sign}{text}{NBSP}{unit}" if unit else f"{sign}{text}"


@register.filter
def signed_number(value):
    """A whole number in Swedish format, with a real minus sign, no unit."""
    return tkr(value, "")
