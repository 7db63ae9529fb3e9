"""The demo's forum per round: rounds 2026 and 2027 name forum-1 … forum-5,
representing the kommunstyrelse, three nämnder and a förvaltning; the public
page of round 2026 shows what they represent and never who they are."""

import pytest
from django.urls import reverse

from ranking.models import ForumMember, ForumRank
from rounds.models import Round

DEMO_FORUM = {
    "forum-1": "Kommunstyrelsen",
    "forum-2": "Bildningsnämnden",
    "forum-3": "Socialnämnden",
    "forum-4": "Tekniska nämnden",
    "forum-5": "Kommunledningsförvaltningen",
}


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_demo_rounds_name_their_forum(demo_rounds, db, year):
    round = Round.objects.get(budget_year=year)
    members = {
        member.user.username: member.represents
        for member in ForumMember.objects.filter(round=round).select_related(
            "user", "namnd", "forvaltning"
        )
    }
    assert members == DEMO_FORUM
    rankers = set(ForumRank.objects.filter(round=round).values_list("member__username", flat=True))
    assert rankers <= set(members)


def test_the_public_page_shows_the_representation_and_never_the_names(demo_rounds, client):
    html = client.get(reverse("public_round", args=[2026])).content.decode()
    assert "Forumet som rangordnade förslagen hade representation från:" in html
    for represents in DEMO_FORUM.values():
        assert f"<li>{represents}</li>" in html
    for member in ForumMember.objects.filter(round__budget_year=2026).select_related("user"):
        assert member.user.get_full_name() not in html
        assert member.user.username not in html


def test_the_compilation_shows_who_has_ranked_by_representation(demo_rounds, client):
    from rounds.models import User

    client.force_login(User.objects.get(username="forum-1"))
    html = client.get(reverse("forum_list", args=[2027])).content.decode()
    assert "Forumet har 5 deltagare" in html
    assert "3 har rangordnat" in html
    assert "<strong>Kommunstyrelsen</strong>: Lars Öberg – har inte rangordnat än" in html
