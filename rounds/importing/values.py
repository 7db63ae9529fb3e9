"""Reading one cell's value as the proposal stores it.

Every reader takes what openpyxl gives (a number, a text, None) and returns
the stored value, or raises :class:`Unreadable` with what was expected, in
Swedish. People type the same thing many ways, so the readers are lenient
where the meaning is clear — scale words in any case and with stray spaces,
numbers as text with spaces (also non-breaking) between the thousands, a
range with a hyphen or an en dash, types combined as "Effektivisering/
Ransonering" — and strict where it is not: an unknown word is never guessed.
"""

import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from prioritering.numbers import parse_tkr
from rounds.models import (
    Grad,
    Kostnadseffektivitet,
    Malomrade,
    ProposalType,
    Rekommendation,
    Svarighetsgrad,
)

# The characters our own exports put before a text that would start a formula
# (documents.spreadsheet.neutralise): read back, the apostrophe goes.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SPACE = re.compile(r"[\s\u00a0\u202f\u2009]+")
_DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9]+)?")


class Unreadable(ValueError):  # noqa: N818 (a cell's problem, not a bug)
    """The cell holds something the column cannot mean; ``str()`` says what was expected."""


def text(value) -> str:
    """The cell as trimmed text ('' for empty), without the apostrophe our
    exports put before a text that would otherwise start a formula."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if result.startswith("'") and result[1:].startswith(FORMULA_STARTS):
        result = result[1:]
    return result


def key(value) -> str:
    """A word as compared: lower case, one space between words."""
    return SPACE.sub(" ", text(value)).strip().casefold()


# --- scales -------------------------------------------------------------------------


def _words(choices, synonyms: dict[str, int]) -> dict[str, int]:
    words = {str(label).casefold(): value for value, label in choices}
    words.update(synonyms)
    return words


# The investment tool's scale pairs the words: Mycket stor/Mycket hög, Stor/Hög,
# Måttlig, Liten/Låg, Ingen — so either word of a pair is understood.
_PAIRS = {"mycket hög": 4, "hög": 3, "låg": 1}
_PAIRS_BACK = {"mycket stor": 4, "stor": 3, "liten": 1}


@dataclass(frozen=True)
class Scale:
    name: str
    choices: type

    def words(self) -> dict[str, int]:
        if self.choices is Kostnadseffektivitet:
            return _words(self.choices.choices, _PAIRS_BACK)
        return _words(self.choices.choices, _PAIRS)

    def labels(self) -> str:
        return ", ".join(str(label) for _value, label in self.choices.choices)


SVARIGHETSGRAD = Scale("svarighetsgrad", Svarighetsgrad)
GRAD = Scale("grad", Grad)
KOSTNADSEFFEKTIVITET = Scale("kostnadseffektivitet", Kostnadseffektivitet)


def scale(value, which: Scale) -> int | None:
    word = key(value)
    if not word:
        return None
    found = which.words().get(word)
    if found is None or found not in which.choices.values:
        raise Unreadable(
            _("Okänt ord ”%(word)s”. Förväntat ett av: %(words)s.")
            % {"word": text(value), "words": which.labels()}
        )
    return found


# --- numbers --------------------------------------------------------------------------

_TKR_SUFFIX = re.compile(r"\s*t?kr\.?$", re.IGNORECASE)


def tkr(value, *, empty=0) -> int | None:
    """Whole tkr: a number, or a text such as "1 500", "−300" or "1 500 tkr"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return empty
    if isinstance(value, bool):
        raise Unreadable(_("Förväntat ett heltal i tkr."))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise Unreadable(
                _("Förväntat ett heltal i tkr, inte ”%(value)s”.") % {"value": text(value)}
            )
        number = int(value)
    else:
        raw = _TKR_SUFFIX.sub("", text(value))
        try:
            number = parse_tkr(raw)
        except ValidationError as error:
            if error.code != "invalid":  # a number, out of bounds
                raise Unreadable(error.messages[0]) from None
            raise Unreadable(
                _("Förväntat ett heltal i tkr, t.ex. 1 500 eller −300, inte ”%(value)s”.")
                % {"value": text(value)}
            ) from None
        return empty if number is None else number
    try:
        return parse_tkr(number)  # within the bounds
    except ValidationError as error:
        raise Unreadable(error.messages[0]) from None


_RANGE = re.compile(
    r"^(?P<low>[−-]?[\d\s\u00a0\u202f]+?)\s*[-–—]\s*(?P<high>[−-]?[\d\s\u00a0\u202f]+)$"
)


def tkr_range(value) -> tuple[int | None, int | None]:
    """Kostnad per år: a range "2000-2500" or "2 000 – 2 500", or one number."""
    if value is None or not text(value):
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = tkr(value)
        return number, number
    raw = _TKR_SUFFIX.sub("", text(value))
    match = _RANGE.match(raw)
    expected = _(
        "Förväntat ett belopp eller ett intervall i tkr, t.ex. 2000–2500, inte ”%(value)s”."
    )
    if not match:
        try:
            number = tkr(raw)
        except Unreadable:
            raise Unreadable(expected % {"value": text(value)}) from None
        return number, number
    try:
        low, high = tkr(match["low"], empty=None), tkr(match["high"], empty=None)
    except Unreadable:
        raise Unreadable(expected % {"value": text(value)}) from None
    if low is None or high is None:
        raise Unreadable(expected % {"value": text(value)})
    if low > high:
        raise Unreadable(
            _("Intervallet börjar på mer än det slutar (%(value)s).") % {"value": text(value)}
        )
    return low, high


# --- rank -----------------------------------------------------------------------------

NOT_RANKED = {
    "icke-göra": Rekommendation.ICKE_GORA,
    "icke göra": Rekommendation.ICKE_GORA,
    "icke-göra (avveckla)": Rekommendation.ICKE_GORA,
    "fou": Rekommendation.FOU,
}


@dataclass(frozen=True)
class Rank:
    rangordning: int | None
    rekommendation: str = Rekommendation.RANGORDNAS
    rounded_from: str = ""


def rank(value, *, halves: bool = False) -> Rank:
    """Rangordning 1–10, or Icke-göra / FoU. With ``halves`` (the forum's
    sammanvägd rangordning is a median) 2,5 is read as 3: a half never lifts
    a proposal above what the compilation said."""
    expected = _(
        "Förväntat en rangordning, ett heltal från 1 (högst) till 10 (lägst), "
        "eller Icke-göra eller FoU, inte ”%(value)s”."
    )
    if value is None or not text(value):
        return Rank(None)
    word = key(value)
    if word in NOT_RANKED:
        return Rank(None, NOT_RANKED[word])
    if isinstance(value, str):
        compact = SPACE.sub("", word)
        # ASCII digits only: float() also takes "٣", "1_0" and "1e0".
        if not _DECIMAL.fullmatch(compact):
            raise Unreadable(expected % {"value": text(value)})
        number = float(compact.replace(",", "."))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        raise Unreadable(expected % {"value": text(value)})
    rounded_from = ""
    if not number.is_integer():
        if not (halves and (number * 2).is_integer()):
            raise Unreadable(expected % {"value": text(value)})
        rounded_from = text(value)
        number = math.ceil(number)
    if not 1 <= number <= 10:
        raise Unreadable(expected % {"value": text(value)})
    return Rank(int(number), Rekommendation.RANGORDNAS, rounded_from)


# --- typ ------------------------------------------------------------------------------

_TYPES = [
    (
        # The source's words, "Förbisedda behov och åtgärder – öka kvaliteten",
        # and the app's former label "Förbisedda behov (höjd kvalitet)".
        re.compile(
            r"förbisedda? behov(?: och åtgärder)?(?: ?[-\u2013\u2014] ?öka kvaliteten)?"
            r"(?: \(höjd kvalitet\))?|höjd kvalitet"
        ),
        ProposalType.FORBISEDDA,
    ),
    (re.compile(r"befintliga behov(?: och åtgärder)?"), ProposalType.BEFINTLIGA),
    (
        re.compile(r"minskade behov(?: och utmönstrade åtgärder)?|utmönstrade åtgärder"),
        ProposalType.MINSKADE,
    ),
    (re.compile(r"nya behov(?: och åtgärder)?|nytt behov"), ProposalType.NYA_BEHOV),
    (re.compile(r"ransonering(?:ar)?"), ProposalType.RANSONERING),
    (re.compile(r"effektivisering(?:ar)?"), ProposalType.EFFEKTIVISERING),
    (re.compile(r"investering(?:ar)?"), ProposalType.INVESTERING),
]
_SEPARATORS = re.compile(r"^(?:[\s/,+&;]|och)*$")


def types(value) -> list[str]:
    """The types a cell names, in its order: "Nya behov" → [nya_behov];
    "Effektivisering/Ransonering" (or with a space, "och", "+") → both."""
    word = key(value)
    if not word:
        return []
    found: list[tuple[int, str]] = []
    rest = word
    for pattern, typ in _TYPES:
        for match in pattern.finditer(rest):
            found.append((match.start(), typ))
        rest = pattern.sub(lambda m: " " * len(m.group()), rest)
    if not found or not _SEPARATORS.match(rest):
        raise Unreadable(
            _("Okänd typ ”%(value)s”. Förväntat en eller flera av: %(types)s.")
            % {
                "value": text(value),
                "types": ", ".join(str(label) for _v, label in ProposalType.choices),
            }
        )
    ordered = []
    for _start, typ in sorted(found):
        if typ not in ordered:
            ordered.append(typ)
    return ordered


# --- målområde --------------------------------------------------------------------------

_MALOMRADE = [
    ("samhäll", Malomrade.SAMHALLE),
    ("invånar", Malomrade.INVANARE),
    ("organisation", Malomrade.ORGANISATION),
]


def malomrade(value) -> str:
    word = key(value)
    if not word:
        return ""
    for start, choice in _MALOMRADE:
        if word.startswith(start):
            return choice
    raise Unreadable(
        _("Okänt målområde ”%(value)s”. Förväntat Samhälle, Invånare eller Organisation.")
        % {"value": text(value)}
    )
