"""Swedish first, English second: the catalogue is complete and compiled, and
numbers and dates are shown the Swedish way."""

import gettext
import re
from datetime import UTC, datetime
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def po_entries(text: str | None = None):
    """(msgid, msgstr, fuzzy) of every entry of the English .po file (or of
    the .po text given)."""
    text = (LOCALE / "django.po").read_text() if text is None else text
    entries = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
            entries.append((fields["msgid"], msgstr, fuzzy))
    return entries


def test_every_string_has_an_english_translation():
    missing = [msgid for msgid, msgstr, fuzzy in po_entries() if not msgstr or fuzzy]
    assert not missing, f"untranslated or fuzzy: {missing}"


def test_the_compiled_catalogue_is_up_to_date():
    with open(LOCALE / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog

    def unescape(text):
        return text.encode().decode("unicode_escape").encode("latin-1").decode()

    for msgid, msgstr, _ in po_entries():
        msgid, msgstr = unescape(msgid), unescape(msgstr)
        compiled = catalogue.get(msgid, catalogue.get((msgid, 0)))
        assert compiled == msgstr, f"not compiled as in the .po: {msgid!r}"


def test_english_start_page(signed_in):
    client = signed_in("tjp-bildning")
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>My tasks</h1>" in html
    assert "Skip to content" in html


def test_language_switch_sets_the_language(signed_in):
    client = signed_in("tjp-bildning")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/organisation/"})
    assert response["Location"] == "/organisation/"
    assert '<html lang="en">' in client.get("/organisation/").content.decode()


def test_numbers_and_dates_in_swedish_format():
    template = Template("{{ amount|signed_number }}|{{ when|date:'j F Y' }}|{{ share }}|{{ year }}")
    with translation.override("sv"):
        text = template.render(
            Context(
                {
                    "amount": 1500000,
                    "when": datetime(2027, 3, 1, tzinfo=UTC),
                    "share": 0.5,
                    "year": 2027,
                }
            )
        )
    assert text == "1\xa0500\xa0000|1 mars 2027|0,5|2027"


def test_swedish_even_when_the_browser_asks_for_english(signed_in):
    client = signed_in("tjp-bildning")
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="sv">' in response.content.decode()
    assert response["Content-Language"] == "sv"


def test_an_unknown_language_cookie_falls_back_to_swedish(signed_in):
    client = signed_in("tjp-bildning")
    client.cookies["django_language"] = "xx"
    assert '<html lang="sv">' in client.get("/").content.decode()


def test_tkr_in_swedish_format():
    template = Template("{{ a|tkr }}|{{ b|tkr }}|{{ c|tkr }}|{{ d|signed_number }}")
    with translation.override("sv"):
        text = template.render(Context({"a": 1500, "b": -300, "c": None, "d": -12000}))
    assert text == "1\xa0500\xa0tkr|\u2212300\xa0tkr||\u221212\xa0000"


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """makemessages, run on a copy of the source, finds no string the
    catalogue lacks: a string marked with an alias xgettext does not know
    (``_lazy(...)``) or added without ``make messages`` fails here."""
    import os
    import shutil
    import subprocess
    import sys

    root = LOCALE.parent.parent.parent
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "bench", "tests", "static", "__pycache__", "*.sqlite3*", "media"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--no-location",
            "--verbosity",
            "0",
        ],
        cwd=copy,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "prioritering.settings"},
    )
    fresh = (copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()
    ours = {msgid for msgid, _msgstr, _fuzzy in po_entries()}
    found = {msgid for msgid, _msgstr, _fuzzy in po_entries(fresh)}
    missing = sorted(msgid for msgid in found if msgid not in ours)
    assert not missing, f"run `make messages` and translate: {missing[:10]}"


def test_a_selects_empty_choice_is_in_the_users_language():
    """Django 6.1's "- Select an option -" has no Swedish: the app names it."""
    from rounds.models import Proposal

    field = Proposal._meta.get_field("svarighetsgrad")
    with translation.override("sv"):
        assert str(field.formfield().choices[0][1]) == "– Välj –"
    with translation.override("en"):
        assert str(field.formfield().choices[0][1]) == "– Choose –"
