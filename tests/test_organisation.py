"""The organisation page: the nämnder with their förvaltningar."""

import re

from rounds.models import Namnd

URL = "/organisation/"


def heading_of(html: str, namnd: Namnd) -> str:
    found = re.search(rf'<h2 id="namnd-{namnd.pk}-rubrik">(.*?)</h2>', html, re.S)
    assert found, namnd.name
    return found.group(1)


def test_the_kommunstyrelsen_is_not_tagged_with_what_its_name_says(signed_in):
    """ "Kommunstyrelsen" needs no "Kommunstyrelse" tag after it."""
    kommunstyrelsen = Namnd.objects.get(is_kommunstyrelsen=True)
    html = signed_in("controller").get(URL).content.decode()
    assert heading_of(html, kommunstyrelsen) == "Kommunstyrelsen"


def test_a_kommunstyrelse_under_another_name_is_tagged(signed_in):
    kommunstyrelsen = Namnd.objects.get(is_kommunstyrelsen=True)
    kommunstyrelsen.name = "KS"
    kommunstyrelsen.save()
    html = signed_in("controller").get(URL).content.decode()
    assert heading_of(html, kommunstyrelsen) == 'KS <span class="tag">Kommunstyrelse</span>'
    other = Namnd.objects.filter(is_kommunstyrelsen=False).first()
    assert "tag" not in heading_of(html, other)
