"""The access function: every role × every action, allowed and refused."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from prioritering import access
from prioritering.access import UnknownActionError, may, require
from rounds.models import Membership, Role, User
from tests.helpers import CAST

# Expected answers: action -> the demo users who may do it. Every action in
# access.RULES must have a row (test_every_action_has_a_row), and every demo
# user is checked against every row, so a new action without a decision here
# fails the suite.
EVERYONE = set(CAST)
EXPECTED = {
    "view_start": EVERYONE,
    "view_organisation": EVERYONE,
    "view_people": {"admin", "controller"},
    "administer": {"admin"},
    "change_password": EVERYONE,
    # Signed in with a password (None); with OIDC nobody: tests/test_two_factor_enrol.py
    "enrol_two_factor": {"admin", "controller"},
    "change_notice_settings": EVERYONE,
    "view_round": EVERYONE,
    "manage_round": {"controller"},
    "set_up_round": {"controller"},  # and never once published: tests/test_publication_final.py
    "view_namnd_ranking": EVERYONE,
    "view_forum": EVERYONE,
    # What each reader finds in it follows view_analysis: tests/test_access_rounds.py
    "view_analysis_synthesis": EVERYONE,
    # Follow-up
    "view_follow_up_index": {
        "controller",
        "revisor",
        "chef-bildning",
        "tjp-bildning",
        "tjp-social",
    },
    "export_follow_up": {"controller"},
}
# Actions on analyses and proposals depend on the object's state: their matrix
# is in tests/test_access_rounds.py.
OBJECT_ACTIONS = {
    "view_analysis",
    "edit_analysis",
    "submit_analysis",
    "return_analysis",
    "view_proposal",
    "edit_proposal",
    "withdraw_proposal",
    "rank_in_namnd",
    "record_namnd_result",
    # by round membership and phase: below, and tests/test_forum.py
    "rank_in_forum",
    "view_forum_history",
    "view_own_forum_sheet",
    "name_forum_members",
    "decide_in_forum",
    "publish_round",
    "view_published",
    "move_phase_back",  # by publication: tests/test_publication_final.py
    "correct_decision",
    # by role, phase and publication: tests/test_body_decisions.py
    "record_body_decision",
    "download_body_protocol",
    # Import
    "import_proposals",  # by role and publication: tests/test_import_web.py
    # Documents
    "generate_document",  # by the material's readers: tests/test_document_access.py
    "download_document",
    # Follow-up: (by role, phase and state: tests/followup/test_core.py)
    "view_follow_up_overview",
    "view_follow_up",
    "report_follow_up",
    "return_follow_up_report",
    "carry_over_proposal",
    "record_period_decision",  # by role and phase: tests/followup/test_period_decisions.py
    # by role, förvaltning, decision and publication: tests/followup/test_implementation.py
    "view_implementation",
    "record_implementation",
}


def test_every_action_has_a_row():
    assert set(EXPECTED) | OBJECT_ACTIONS == set(access.RULES)
    assert not set(EXPECTED) & OBJECT_ACTIONS


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_role_matrix(demo, action, username):
    assert may(demo[username], action) is (username in EXPECTED[action])


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_anonymous_may_do_nothing(db, action):
    assert may(AnonymousUser(), action) is False


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_inactive_user_may_do_nothing(demo, action):
    user = demo["admin"]
    user.is_active = False
    user.save()
    assert may(user, action) is False


def test_user_without_membership_only_reaches_own_pages(db):
    user = User.objects.create_user("utan-roll", password="x")
    assert may(user, "view_start")
    assert not may(user, "view_people")
    assert not may(user, "administer")


def test_superuser_counts_as_administrator(db):
    user = User.objects.create_superuser("root", password="x")
    assert may(user, "administer")
    assert may(user, "view_people")


def test_several_memberships_add_up(demo):
    user = demo["tjp-bildning"]
    Membership.objects.create(user=user, role=Role.CONTROLLER)
    user = User.objects.get(pk=user.pk)  # fresh object: roles are cached per object
    assert may(user, "view_people")
    assert not may(user, "administer")


def test_roles_are_read_once_per_user_object(demo, django_assert_num_queries):
    user = User.objects.get(username="controller")
    with django_assert_num_queries(1):
        for action in EXPECTED:
            may(user, action)


def test_unknown_action_is_an_error_not_a_refusal(demo):
    with pytest.raises(UnknownActionError):
        may(demo["admin"], "edti")


def test_require_raises_permission_denied_and_logs(demo, caplog):
    with pytest.raises(PermissionDenied):
        require(demo["revisor"], "administer")
    assert "access refused" in caplog.text
    assert f"user={demo['revisor'].pk}" in caplog.text
    assert "action=administer" in caplog.text


def test_require_passes_when_allowed(demo):
    require(demo["admin"], "administer")


def test_a_broken_rule_refuses(demo, monkeypatch, caplog):
    def broken(user, roles, obj):
        raise ZeroDivisionError

    monkeypatch.setitem(access.RULES, "administer", broken)
    assert may(demo["admin"], "administer") is False
    assert "failed; refusing" in caplog.text


def test_template_tag_gives_the_same_answer(demo, rf):
    from django.template import Context, Template

    template = Template('{% may user "administer" as ok %}{{ ok }}')
    assert template.render(Context({"user": demo["admin"]})) == "True"
    assert template.render(Context({"user": demo["revisor"]})) == "False"


# --- the forum's outcome: by phase and publication ---


def _round_in(phase, published=False, year=2027):
    from django.utils import timezone

    from ranking.models import ForumResult
    from tests.factories import make_round

    round = make_round(year=year, phase=phase)
    if published:
        ForumResult.objects.create(round=round, published_at=timezone.now())
    from rounds.models import Round

    return Round.objects.get(pk=round.pk)


@pytest.mark.parametrize("phase", [1, 2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_only_the_controller_decides_in_the_forum_and_beslut_phases(demo, phase, username):
    round = _round_in(phase)
    expected = username == "controller" and phase in (4, 5)
    assert may(demo[username], "decide_in_forum", round) is expected


@pytest.mark.parametrize("phase", [1, 2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_only_the_controller_publishes_from_the_beslut_phase(demo, phase, username):
    round = _round_in(phase)
    assert may(demo[username], "publish_round", round) is (username == "controller" and phase >= 5)


@pytest.mark.parametrize("action", ["decide_in_forum", "publish_round"])
def test_a_published_round_is_locked_for_the_controller(demo, action):
    assert not may(demo["controller"], action, _round_in(5, published=True))


def test_a_published_round_is_locked_for_the_forum(demo):
    assert may(demo["forum-1"], "rank_in_forum", _round_in(4))
    assert not may(demo["forum-1"], "rank_in_forum", _round_in(4, published=True, year=2026))


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_only_a_published_round_is_public(demo, username):
    unpublished, published = _round_in(5), _round_in(5, published=True, year=2026)
    assert not may(demo[username], "view_published", unpublished)
    assert may(demo[username], "view_published", published)
    assert may(AnonymousUser(), "view_published", published)
    assert not may(AnonymousUser(), "view_published", unpublished)


# --- the forum per round: only a round's members rank in it ---


def _forum_round(year, members=("forum-1",), phase=4):
    from tests.factories import make_round, name_forum_members

    round = make_round(year=year, phase=phase, forum_members=False)
    name_forum_members(round, list(members))
    return round


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_only_a_rounds_forum_members_rank_in_it(demo, username):
    """A member of round A's forum ranks in A, not in B; a user holding the
    role forumdeltagare but not named in the round is refused; so is every
    other role, the controller included."""
    a = _forum_round(2027, members=("forum-1", "ledamot-bildning"))
    b = _forum_round(2028, members=("forum-2",))
    member_of_a = username in ("forum-1", "ledamot-bildning")
    assert may(demo[username], "rank_in_forum", a) is member_of_a
    assert may(demo[username], "view_own_forum_sheet", a) is member_of_a
    assert may(demo[username], "view_forum_history", a) is member_of_a
    assert may(demo[username], "rank_in_forum", b) is False
    assert may(demo[username], "view_own_forum_sheet", b) is False


def test_a_forumdeltagare_not_named_in_the_round_is_refused(demo):
    round = _forum_round(2027, members=("forum-2",))
    assert demo["forum-1"].memberships.filter(role=Role.FORUMDELTAGARE).exists()
    assert not may(demo["forum-1"], "rank_in_forum", round)
    with pytest.raises(PermissionDenied):
        require(demo["forum-1"], "rank_in_forum", round)
    assert may(demo["forum-2"], "rank_in_forum", round)


@pytest.mark.parametrize("phase", [1, 2, 3, 5, 6, 7])
def test_a_member_ranks_only_in_the_forum_phase(demo, phase):
    round = _forum_round(2027, phase=phase)
    assert not may(demo["forum-1"], "rank_in_forum", round)
    # Their sheet is theirs to read from the forum phase on (issue 15).
    assert may(demo["forum-1"], "view_own_forum_sheet", round) is (phase >= 4)


@pytest.mark.parametrize("phase", [1, 2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_the_controller_names_the_forum_members_until_the_forum_phase_ends(demo, phase, username):
    round = _forum_round(2027, phase=phase)
    expected = username == "controller" and phase <= 4
    assert may(demo[username], "name_forum_members", round) is expected


def test_forum_members_are_final_once_published(demo):
    assert may(demo["controller"], "name_forum_members", _round_in(4))
    assert not may(demo["controller"], "name_forum_members", _round_in(4, True, year=2026))


def test_forum_membership_is_read_once_per_user_and_round(demo, django_assert_num_queries):
    from rounds.models import Round

    round = Round.objects.select_related("forum_result").get(pk=_forum_round(2027).pk)
    user = User.objects.get(username="forum-1")
    may(user, "view_start")  # the roles
    with django_assert_num_queries(1):
        for action in ("rank_in_forum", "view_own_forum_sheet", "view_forum_history"):
            assert may(user, action, round)


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_nobody_enrols_a_second_factor_in_a_session_signed_in_through_oidc(demo, username):
    """The provider handles MFA for OIDC accounts (prioritering.two_factor)."""
    assert may(demo[username], "enrol_two_factor", "oidc") is False
    expected = username in {"admin", "controller"}
    assert may(demo[username], "enrol_two_factor", "password") is expected
