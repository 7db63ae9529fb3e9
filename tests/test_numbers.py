"""The one parser of numbers from a request (prioritering.numbers) and the URL
converters: what Swedes type is read, what Python would misread is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from prioritering.numbers import (
    MAX_ID,
    MAX_TKR,
    IntegerField,
    TkrField,
    parse_id,
    parse_int,
    parse_tkr,
)

NINES = "9" * 400
MISREAD = ["²", "٣", "1_000", "1e5", "1.0", "0x10", "+1", "1 0", "\x00", "", " "]


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("007", 7), ("1" * 18, int("1" * 18))])
def test_an_id_is_ascii_digits(text, value):
    assert parse_id(text) == value


@pytest.mark.parametrize(
    "text", [*MISREAD, "0", "-1", " 1", "1 ", "1" * 19, NINES, None, 1.0, True]
)
def test_anything_else_is_no_id(text):
    assert parse_id(text) is None


def test_every_id_fits_the_database():
    assert parse_id("9" * 18) < MAX_ID == 2**63 - 1
    assert parse_id(MAX_ID) == MAX_ID and parse_id(MAX_ID + 1) is None


@pytest.mark.parametrize(("text", "value"), [("3", 3), (" 3 ", 3), ("-2", -2), ("−2", -2), (4, 4)])
def test_a_whole_number_is_read(text, value):
    assert parse_int(text, minimum=-10, maximum=10) == value


@pytest.mark.parametrize("text", [*MISREAD, None])
def test_a_misread_number_is_refused_in_swedish(text):
    with pytest.raises(ValidationError) as refused:
        parse_int(text)
    assert refused.value.code == "invalid"
    assert refused.value.messages == ["Ange ett heltal."]


@pytest.mark.parametrize(
    ("text", "code"),
    [("0", "min_value"), ("11", "max_value"), (NINES, "max_value"), ("-" + NINES, "min_value")],
)
def test_a_number_out_of_bounds_is_refused_with_them(text, code):
    with pytest.raises(ValidationError) as refused:
        parse_int(text, minimum=1, maximum=10)
    assert refused.value.code == code
    assert refused.value.messages == ["Ange ett heltal mellan 1 och 10."]


def test_the_default_bounds_are_an_integer_columns():
    assert parse_int(str(2**31 - 1)) == 2**31 - 1
    with pytest.raises(ValidationError, match="2 147 483 647"):
        parse_int(str(2**31))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 500", 1500),
        ("1\u00a0500", 1500),
        ("1\u202f500", 1500),
        ("12 345 678", 12345678),
        ("1500", 1500),
        ("−300", -300),
        ("-300", -300),
        ("– 1 200", -1200),
        ("+40", 40),
        (" 0 ", 0),
        ("", None),
        (None, None),
        (250, 250),
    ],
)
def test_an_amount_is_read_as_swedes_write_it(text, value):
    assert parse_tkr(text) == value


@pytest.mark.parametrize(
    "text", ["²", "٣٠٠", "1_000", "1e5", "1,5", "1.5", "15 00", "1 5000", "--3", "\x00", "12 tkr"]
)
def test_anything_else_is_no_amount(text):
    with pytest.raises(ValidationError) as refused:
        parse_tkr(text)
    assert refused.value.messages == ["Ange ett heltal i tkr, t.ex. 1 500 eller −300."]


def test_an_amount_is_bounded():
    assert parse_tkr("99 999 999") == MAX_TKR
    with pytest.raises(ValidationError, match="högst 99 999 999 tkr"):
        parse_tkr(NINES)
    with pytest.raises(ValidationError, match="lägst −99 999 999 tkr"):
        parse_tkr("−100 000 000")
    with pytest.raises(ValidationError, match="0 eller större"):
        parse_tkr("-1", minimum=0)


def test_the_integer_field_keeps_its_own_messages():
    field = IntegerField(
        min_value=1,
        max_value=10,
        error_messages={"invalid": "Fel.", "max_value": "Högst %(limit_value)s."},
    )
    assert field.clean("4") == 4
    for text, message in (
        ("٣", "Fel."),
        (NINES, "Högst 10."),
        ("0", "Ange ett heltal mellan 1 och 10."),
    ):
        with pytest.raises(ValidationError) as refused:
            field.clean(text)
        assert refused.value.messages == [message]


def test_an_unbounded_integer_field_still_fits_the_database():
    with pytest.raises(ValidationError):
        IntegerField().clean("1" * 25)


def test_the_tkr_field_reads_and_bounds():
    field = TkrField(min_value=0)
    assert field.clean("15 000") == 15000
    assert field.clean("") is None
    with pytest.raises(ValidationError):
        field.clean("-5")
    assert TkrField(required=True).widget.format_value(-1500) == "\u22121\u00a0500"


def test_urls_take_ids_and_years_the_database_can_hold():
    assert resolve("/omgangar/2027/forslag/12/").kwargs == {"year": 2027, "number": 12}
    for url in ("/omgangar/2027/forslag/" + "1" * 19 + "/", "/omgangar/20271/", "/omgangar/²/"):
        with pytest.raises(Resolver404):
            resolve(url)
    assert (
        reverse("proposal_detail", kwargs={"year": 2027, "number": 3})
        == "/omgangar/2027/forslag/3/"
    )
