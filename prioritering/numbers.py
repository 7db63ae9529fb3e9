"""Numbers that come from a request, parsed in one place.

Python is generous with digits: ``"²".isdigit()`` and ``"٣".isdigit()`` are
true, and ``int()`` takes ``"٣"``, ``" 1 "``, ``"1_000"`` and numbers of any
length — which a database then refuses (PostgreSQL's ``integer`` ends at
2 147 483 647, SQLite's at 2**63 − 1) with a server error. Every number a
view, form or service reads from a request goes through one of these:

``parse_id(text) -> int | None``
    An id in a field name, a button's value or a hidden field (``rank_12``,
    ``flytta=upp:12``, ``ordning``) or a URL: 1–18 ASCII digits and nothing
    else (no sign, no space), naming 1 or more. ``None`` for anything else —
    the caller answers 404 or 400.
``parse_int(text, *, minimum, maximum) -> int``
    A whole number a person typed (a rank, a place, a year): ASCII digits
    with an optional minus, surrounding spaces ignored, within the bounds
    (by default those of an ``integer`` column). Raises ``ValidationError``
    in Swedish, with Django's codes ``invalid``, ``min_value`` and
    ``max_value`` (and ``limit_value``, ``min``, ``max`` as parameters), so a
    form field's own messages still apply.
``parse_tkr(text, *, minimum, maximum) -> int | None``
    An amount in whole tkr as Swedes write it: ``1 500``, ``1 500``
    (non-breaking or thin space), ``−300`` (a real minus, a hyphen, or the en
    dash a word processor makes of it), ``+40``. A space may stand only before
    a group of three digits (``15 00`` is refused); no decimals, exponents or
    other digits. ``None``
    for an empty text. At most :data:`MAX_TKR` either way, which every tkr
    column (``integer``) holds.

:class:`IntegerField` and :class:`TkrField` are the same rules as form
fields; every integer field of our forms is one of them, bounded. The ids of
model choices are read by :func:`parse_id` too (:class:`ModelChoiceField`,
:class:`ModelMultipleChoiceField`).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from prioritering.templatetags.formatting import signed_number

MINUS = "\u2212"

# The largest id any of our tables can hold (bigint, SQLite's integer). An id
# of 18 digits always fits; a 19th could not be told apart from an overflow.
MAX_ID = 2**63 - 1
ID_DIGITS = 18
# Django's IntegerField is PostgreSQL's integer.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Amounts in tkr: ±99 999 999 tkr (about 100 billion kronor) is more than any
# municipality's budget and well inside an integer column.
MAX_TKR = 99_999_999
# More digits than this are out of range whatever the bounds, and are never
# given to int() (which refuses more than 4 300 digits with a ValueError).
_LONGEST = 20

_ID = re.compile(rf"[0-9]{{1,{ID_DIGITS}}}")
_INT = re.compile(r"([-\u2212]?)([0-9]+)")
SPACES = " \u00a0\u202f\u2009"  # space, non-breaking, narrow non-breaking, thin
MINUS_SIGNS = "-\u2212\u2013\u2012\u2010"  # hyphen-minus, minus, en dash, dashes
_SIGN = f"[{re.escape('+' + MINUS_SIGNS)}]"
_TKR = re.compile(rf"({_SIGN}?)[{SPACES}]*([0-9]+(?:[{SPACES}][0-9]{{3}})*)")


def parse_id(text) -> int | None:
    """The id ``text`` names, or None when it names none (see the module)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 1 <= text <= MAX_ID else None
    if not isinstance(text, str) or not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def _shown(number: int | None) -> str:
    """A bound in a message: ``-2147483648`` → ``−2 147 483 648`` (in every language)."""
    if number is None:
        return ""
    return (MINUS if number < 0 else "") + f"{abs(number):,}".replace(",", " ")


def _bounds_error(code: str, minimum: int | None, maximum: int | None) -> ValidationError:
    params = {
        "limit_value": minimum if code == "min_value" else maximum,
        "min": _shown(minimum),
        "max": _shown(maximum),
    }
    if minimum is not None and maximum is not None:
        message = _("Ange ett heltal mellan %(min)s och %(max)s.")
    elif code == "min_value":
        message = _("Ange ett heltal från och med %(min)s.")
    else:
        message = _("Ange ett heltal till och med %(max)s.")
    return ValidationError(message, code=code, params=params)


def _bounded(negative: bool, digits: str, minimum, maximum) -> int:
    if len(digits) > _LONGEST:
        raise _bounds_error("min_value" if negative else "max_value", minimum, maximum)
    value = -int(digits) if negative else int(digits)
    if minimum is not None and value < minimum:
        raise _bounds_error("min_value", minimum, maximum)
    if maximum is not None and value > maximum:
        raise _bounds_error("max_value", minimum, maximum)
    return value


def parse_int(text, *, minimum: int | None = INT_MIN, maximum: int | None = INT_MAX) -> int:
    """The whole number typed in ``text`` (see the module); ``None`` as a bound
    means none on that side (for numbers that never reach the database)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return _bounded(text < 0, str(abs(text)), minimum, maximum)
    match = _INT.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValidationError(_("Ange ett heltal."), code="invalid")
    sign, digits = match.groups()
    return _bounded(bool(sign), digits, minimum, maximum)


def parse_tkr(text, *, minimum: int = -MAX_TKR, maximum: int = MAX_TKR) -> int | None:
    """The amount in whole tkr typed in ``text``, or None when it is empty
    (see the module)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return _tkr_bounded(text, minimum, maximum)
    text = str(text if text is not None else "").strip()
    if not text:
        return None
    match = _TKR.fullmatch(text)
    if match is None:
        raise ValidationError(_("Ange ett heltal i tkr, t.ex. 1 500 eller −300."), code="invalid")
    sign, digits = match.groups()
    digits = "".join(c for c in digits if c not in SPACES)
    negative = bool(sign) and sign != "+"
    if len(digits) > _LONGEST:
        return _tkr_bounded(-MAX_TKR - 1 if negative else MAX_TKR + 1, minimum, maximum)
    return _tkr_bounded(-int(digits) if negative else int(digits), minimum, maximum)


def _tkr_bounded(value: int, minimum: int, maximum: int) -> int:
    if minimum <= value <= maximum:
        return value
    params = {"min": _shown(minimum), "max": _shown(maximum)}
    if minimum == 0 and value < 0:
        raise ValidationError(
            _("Ange ett belopp som är 0 eller större, i tkr."), code="min_value", params=params
        )
    if value > maximum:
        message = _("Beloppet kan vara högst %(max)s tkr.")
        code = "max_value"
    else:
        message = _("Beloppet kan vara lägst %(min)s tkr.")
        code = "min_value"
    raise ValidationError(message, code=code, params=params)


# --- form fields ----------------------------------------------------------------------


def _own_message(field: forms.Field, error: ValidationError) -> ValidationError:
    """The error with the field's own message for its code, when it has one."""
    if error.code not in field.error_messages:
        return error
    return ValidationError(field.error_messages[error.code], code=error.code, params=error.params)


class IntegerField(forms.IntegerField):
    """Django's IntegerField read by :func:`parse_int`: ASCII digits only, and
    never beyond an ``integer`` column, bounds given or not. The field's own
    ``invalid``/``min_value``/``max_value`` messages win over ours."""

    default_error_messages = {"invalid": _("Ange ett heltal.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        minimum = INT_MIN if self.min_value is None else self.min_value
        maximum = INT_MAX if self.max_value is None else self.max_value
        try:
            return parse_int(value, minimum=minimum, maximum=maximum)
        except ValidationError as error:
            raise _own_message(self, error) from None


class TkrInput(forms.TextInput):
    """Shows the number as a Swede writes it: ``1 500``, ``−300``."""

    def __init__(self, attrs=None):
        super().__init__({"class": "input-tkr", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return signed_number(value)
        return super().format_value(value)


class TkrField(forms.Field):
    """An amount in whole tkr, read by :func:`parse_tkr` (within ``min_value``
    and ``max_value``, by default ±:data:`MAX_TKR`). Not required unless
    told; an empty field gives ``empty_value``."""

    widget = TkrInput

    def __init__(self, *, empty_value=None, min_value=-MAX_TKR, max_value=MAX_TKR, **kwargs):
        self.empty_value = empty_value
        self.min_value, self.max_value = max(min_value, -MAX_TKR), min(max_value, MAX_TKR)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            number = parse_tkr(value, minimum=self.min_value, maximum=self.max_value)
        except ValidationError as error:
            raise _own_message(self, error) from None
        return self.empty_value if number is None else number


def _not_an_id(field: forms.ModelChoiceField, value) -> bool:
    return isinstance(value, str) and field.to_field_name is None and parse_id(value) is None


class ModelChoiceField(forms.ModelChoiceField):
    """Django's ModelChoiceField with the posted id read by :func:`parse_id`:
    ``"٣"`` or a number past every id is an invalid choice before any query."""

    def to_python(self, value):
        if value not in self.empty_values and _not_an_id(self, value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField with the ids read by :func:`parse_id`
    (its ``in`` query cannot take a number past 64 bits on SQLite)."""

    def _check_values(self, value):
        for pk in value:
            if _not_an_id(self, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
