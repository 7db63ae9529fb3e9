"""The forum per round (issue 16): the controller names the round's forum
members and whom each represents; only they rank in that round; the
compilation shows the representation, the public page never the names.

The access matrix rows are in tests/test_access.py; the demo's forum and the
public page in tests/test_forum_members_demo.py; the migration in
tests/test_forum_members_migration.py."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ranking.models import ForumMember, ForumRank, Representation
from ranking.services import forum_members as services
from ranking.services.forum import save_forum_ranks
from rounds.models import Forvaltning, Namnd, Phase, User
from tests.factories import make_proposal, make_round, name_forum_members
from tests.forum_setup import outcome_round, send_on, submitted
from tests.helpers import assert_queries_do_not_grow, cast_except


def _round(phase=Phase.FORUM, members=()):
    round = make_round(phase=phase, forum_members=False)
    name_forum_members(round, list(members))
    return round


def _url(name, round, *args):
    return reverse(name, args=[round.budget_year, *args])


def _add(client, round, username, representation, **fields):
    data = {
        "user": User.objects.get(username=username).pk,
        "representation": representation,
        **fields,
    }
    return client.post(_url("forum_members", round), data)


# --- the controller's page ---


def test_the_controller_sees_the_members_page(signed_in):
    round = _round(members=["forum-1"])
    response = signed_in("controller").get(_url("forum_members", round))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Forumets deltagare 2027" in text
    assert "Utse en deltagare" in text
    assert "Lars Öberg" in text


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_opens_the_members_page(signed_in, username):
    round = _round(members=["forum-1"])
    client = signed_in(username)
    assert client.get(_url("forum_members", round)).status_code == 403
    assert _add(client, round, "forum-2", Representation.KOMMUNSTYRELSEN).status_code == 403
    assert not ForumMember.objects.filter(round=round, user__username="forum-2").exists()


def test_the_controller_names_a_member_representing_a_namnd(signed_in, demo):
    round = _round()
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    response = _add(
        signed_in("controller"), round, "ledamot-bildning", Representation.NAMND, namnd=namnd.pk
    )
    assert response.status_code == 302
    member = ForumMember.objects.get(round=round)
    assert (member.user, member.namnd, member.represents) == (
        demo["ledamot-bildning"],
        namnd,
        "Bildningsnämnden",
    )
    first = member.history.get()
    assert (first.history_type, first.history_user) == ("+", demo["controller"])


def test_a_namnd_member_without_a_namnd_is_refused_and_nothing_is_stored(signed_in):
    round = _round()
    response = _add(signed_in("controller"), round, "forum-1", Representation.NAMND)
    assert response.status_code == 200
    assert "Välj vilken nämnd deltagaren representerar." in response.content.decode()
    assert not ForumMember.objects.exists()


def test_other_without_a_text_is_refused(signed_in):
    round = _round()
    response = _add(signed_in("controller"), round, "forum-1", Representation.ANNAN, other=" ")
    assert "Skriv vem eller vad deltagaren representerar." in response.content.decode()
    assert not ForumMember.objects.exists()


def test_a_member_is_named_once_per_round(demo):
    round = _round(members=["forum-1"])
    with pytest.raises(ValidationError, match="redan med i forumet"):
        services.add_forum_member(
            round, demo["forum-1"], Representation.KOMMUNSTYRELSEN, by=demo["controller"]
        )


def test_a_namnd_of_another_kommun_is_refused(demo):
    from rounds.models import Kommun

    round = _round()
    other = Namnd.objects.create(kommun=Kommun.objects.create(name="Grannkommun"), name="X")
    with pytest.raises(ValidationError, match="Välj vilken nämnd"):
        services.add_forum_member(
            round, demo["forum-1"], Representation.NAMND, namnd=other, by=demo["controller"]
        )


def test_only_the_field_of_the_kind_is_kept(demo):
    round = _round()
    member = services.add_forum_member(
        round,
        demo["forum-1"],
        Representation.FORVALTNING,
        forvaltning=Forvaltning.objects.get(name="Socialförvaltningen"),
        namnd=Namnd.objects.get(name="Socialnämnden"),
        other="ignored",
        by=demo["controller"],
    )
    member.refresh_from_db()
    assert (member.namnd_id, member.other, member.represents) == (None, "", "Socialförvaltningen")


def test_the_controller_changes_a_representation_and_the_history_keeps_both(signed_in, demo):
    round = _round(members=["forum-1"])
    member = ForumMember.objects.get(round=round)
    client = signed_in("controller")
    assert client.get(_url("forum_member_edit", round, member.pk)).status_code == 200
    response = client.post(
        _url("forum_member_edit", round, member.pk),
        {"representation": Representation.KOMMUNSTYRELSEN},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.represents == "Kommunstyrelsen"
    assert [row.representation for row in member.history.order_by("history_id")] == [
        Representation.ANNAN,
        Representation.KOMMUNSTYRELSEN,
    ]


def test_a_member_who_has_not_ranked_can_be_removed(signed_in, demo):
    round = _round(members=["forum-1", "forum-2"])
    member = ForumMember.objects.get(round=round, user__username="forum-2")
    response = signed_in("controller").post(_url("forum_member_remove", round, member.pk))
    assert response.status_code == 302
    assert not ForumMember.objects.filter(pk=member.pk).exists()
    removed = ForumMember.history.filter(id=member.pk).latest()
    assert (removed.history_type, removed.history_user) == ("-", demo["controller"])


def test_a_member_who_has_ranked_cannot_be_removed(signed_in):
    round, proposals = outcome_round()  # forum-1 … forum-3 ranked
    member = ForumMember.objects.get(round=round, user__username="forum-1")
    client = signed_in("controller")
    response = client.post(_url("forum_member_remove", round, member.pk), follow=True)
    assert ForumMember.objects.filter(pk=member.pk).exists()
    assert "har redan rangordnat i forumet och kan inte tas bort" in response.content.decode()
    assert ForumRank.objects.filter(round=round, member=member.user).count() == len(proposals)


def test_removing_is_a_post(signed_in):
    round = _round(members=["forum-1"])
    member = ForumMember.objects.get(round=round)
    assert (
        signed_in("controller").get(_url("forum_member_remove", round, member.pk)).status_code
        == 405
    )


def test_after_the_forum_phase_the_members_are_read_only(signed_in):
    round = _round(phase=Phase.BESLUT, members=["forum-1"])
    client = signed_in("controller")
    response = client.get(_url("forum_members", round))
    assert response.status_code == 200
    assert "Deltagarna kan inte längre ändras" in response.content.decode()
    assert "Utse en deltagare" not in response.content.decode()
    assert _add(client, round, "forum-2", Representation.KOMMUNSTYRELSEN).status_code == 403
    member = ForumMember.objects.get(round=round)
    assert client.post(_url("forum_member_remove", round, member.pk)).status_code == 403


def test_the_members_page_queries_do_not_grow_with_members(signed_in, demo):
    from tests.factories import grow_organisation

    round, _proposals = outcome_round()
    client = signed_in("controller")

    def grow():
        grow_organisation(namnder=2, users=30)
        name_forum_members(round, User.objects.filter(username__startswith="person-"))

    assert_queries_do_not_grow(client, _url("forum_members", round), grow)


# --- only the round's members rank ---


def test_a_member_without_the_role_ranks_and_a_role_holder_not_named_is_refused(signed_in, demo):
    round = _round(members=["ledamot-bildning"])
    proposal = send_on(
        round,
        make_proposal(submitted(round, "Bildningsförvaltningen"), title="Läxhjälp"),
        "Bildningsnämnden",
    )
    member = signed_in("ledamot-bildning")
    assert member.get(_url("forum_sheet", round)).status_code == 200
    response = member.post(_url("forum_sheet", round), {f"rank_{proposal.pk}": "3"})
    assert response.status_code == 302
    assert ForumRank.objects.get(round=round).member == demo["ledamot-bildning"]
    outsider = signed_in("forum-1")
    assert outsider.get(_url("forum_sheet", round)).status_code == 403
    assert (
        outsider.post(_url("forum_sheet", round), {f"rank_{proposal.pk}": "3"}).status_code == 403
    )
    assert ForumRank.objects.count() == 1


def test_a_member_removed_meanwhile_cannot_save(demo):
    """The service asks the membership afresh under the round's lock, not the
    answer the request read before it."""
    from prioritering.access import may
    from ranking.services.forum_members import remove_forum_member

    round, proposals = outcome_round()
    user = User.objects.get(username="forum-4")
    name_forum_members(round, [user])
    assert may(user, "rank_in_forum", round)  # read and kept on the user
    remove_forum_member(ForumMember.objects.get(round=round, user=user), by=demo["controller"])
    with pytest.raises(PermissionDenied):
        save_forum_ranks(round, user, {proposals[0].pk: 1}, by=user)


# --- n av m, the compilation and the public page ---


def test_n_of_m_counts_the_rounds_members(signed_in):
    round, _proposals = outcome_round()  # five named, three ranked every proposal
    ForumMember.objects.filter(round=round, user__username="forum-5").delete()
    html = signed_in("forum-1").get(_url("forum_list", round)).content.decode()
    assert "3 av 4" in html
    assert "3 av 5" not in html


def test_the_compilation_shows_whom_the_members_represent(signed_in):
    round, _proposals = outcome_round()
    member = ForumMember.objects.get(round=round, user__username="forum-1")
    member.representation, member.other = Representation.NAMND, ""
    member.namnd = Namnd.objects.get(name="Socialnämnden")
    member.save()
    html = signed_in("tjp-social").get(_url("forum_list", round)).content.decode()
    assert "Forumets deltagare" in html
    assert "<strong>Socialnämnden</strong>: Lars Öberg – har rangordnat" in html
    assert "har inte rangordnat än" in html  # forum-4 and forum-5


# --- the start page follows membership ---


def test_the_start_page_follows_the_rounds_membership(signed_in):
    round = _round(members=["ledamot-bildning"])
    member = ForumMember.objects.get(round=round)
    member.representation, member.other = Representation.NAMND, ""
    member.namnd = Namnd.objects.get(name="Bildningsnämnden")
    member.save()
    response = signed_in("ledamot-bildning").get(reverse("start"))
    titles = [section.title for section in response.context["sections"]]
    assert "Forumdeltagare, Bildningsnämnden" in titles
    assert _url("forum_sheet", round) in response.content.decode()
    response = signed_in("forum-1").get(reverse("start"))
    text = response.content.decode()
    assert "Du är inte utsedd till deltagare i forumet för omgång 2027." in text
    assert _url("forum_sheet", round) not in text


def test_a_member_is_told_before_the_forum_phase_whom_they_represent(signed_in):
    _round(phase=Phase.NAMND, members=["forum-1"])
    text = signed_in("forum-1").get(reverse("start")).content.decode()
    assert "Du är utsedd till forumet för omgång 2027" in text


# --- the move to the forum says when nobody is named ---


def test_the_move_to_the_forum_says_when_nobody_is_named(signed_in):
    round = _round(phase=Phase.NAMND)
    move = reverse("round_move_phase", args=[round.budget_year])
    client = signed_in("controller")
    text = client.get(move, {"to_phase": Phase.FORUM}).content.decode()
    assert "Inga deltagare är utsedda till omgångens forum" in text
    name_forum_members(round, ["forum-1"])
    text = client.get(move, {"to_phase": Phase.FORUM}).content.decode()
    assert "Inga deltagare är utsedda till omgångens forum" not in text


def test_the_members_page_shows_who_named_changed_and_removed_whom(signed_in):
    round = _round()
    client = signed_in("controller")
    _add(client, round, "forum-1", Representation.KOMMUNSTYRELSEN)
    _add(client, round, "forum-2", Representation.ANNAN, other="Pensionärsrådet")
    member = ForumMember.objects.get(round=round, user__username="forum-1")
    client.post(
        _url("forum_member_edit", round, member.pk),
        {"representation": Representation.FORVALTNING, "forvaltning": _forvaltning("Social")},
    )
    removed = ForumMember.objects.get(round=round, user__username="forum-2")
    client.post(_url("forum_member_remove", round, removed.pk))
    text = client.get(_url("forum_members", round)).content.decode()
    history = text[text.index('id="historik"') :]
    assert "Lars Öberg utsågs till forumet och representerar Kommunstyrelsen." in history
    assert "Lars Öberg representerar nu Socialförvaltningen." in history
    assert "Fatima Karimi utsågs till forumet och representerar Pensionärsrådet." in history
    assert "Fatima Karimi togs bort ur forumet." in history
    assert "Maria Holm" in history  # who did it


def _forvaltning(prefix):
    return Forvaltning.objects.get(name__startswith=prefix).pk


def test_the_controller_is_asked_to_name_the_forum_until_it_is_named(signed_in):
    round = _round(phase=Phase.NAMND)
    client = signed_in("controller")
    assert _url("forum_members", round) in client.get(reverse("start")).content.decode()
    name_forum_members(round, ["forum-1"])
    assert _url("forum_members", round) not in client.get(reverse("start")).content.decode()
