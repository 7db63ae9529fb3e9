"""The demo municipality: loaded by `load_demo`, idempotent, refused in production."""

import pytest
from django.core.management import CommandError, call_command

from rounds.models import Forvaltning, Membership, Namnd, Role, User


@pytest.fixture(autouse=True)
def development(settings):
    """The command runs in development (tests otherwise run with DEBUG off)."""
    settings.DEBUG = True


def test_load_demo_creates_the_organisation_and_users(db, capsys):
    call_command("load_demo")
    assert list(Namnd.objects.values_list("name", "forvaltningar__name").order_by("name")) == [
        ("Bildningsnämnden", "Bildningsförvaltningen"),
        ("Kommunstyrelsen", "Kommunledningsförvaltningen"),
        ("Plan- och miljönämnden", "Samhällsbyggnadsförvaltningen"),
        ("Socialnämnden", "Socialförvaltningen"),
        ("Tekniska nämnden", "Tekniska förvaltningen"),
    ]
    assert Namnd.objects.get(is_kommunstyrelsen=True).name == "Kommunstyrelsen"
    out = capsys.readouterr().out
    assert "chef-bildning" in out
    assert "lösenord: demo" in out


@pytest.mark.parametrize(
    ("username", "role", "unit"),
    [
        ("admin", Role.ADMINISTRATOR, None),
        ("controller", Role.CONTROLLER, None),
        ("chef-bildning", Role.FORVALTNINGSCHEF, "Bildningsförvaltningen"),
        ("tjp-bildning", Role.TJANSTEPERSON, "Bildningsförvaltningen"),
        ("tjp-social", Role.TJANSTEPERSON, "Socialförvaltningen"),
        ("ledamot-bildning", Role.NAMNDLEDAMOT, "Bildningsnämnden"),
        ("forum-1", Role.FORUMDELTAGARE, None),
        ("forum-5", Role.FORUMDELTAGARE, None),
        ("revisor", Role.LASARE, None),
    ],
)
def test_demo_users_hold_their_roles(demo, username, role, unit):
    membership = Membership.objects.get(user__username=username)
    assert membership.role == role
    assert (str(membership.unit) if membership.unit else None) == unit
    assert demo[username].check_password("demo")


def test_load_demo_is_idempotent(db):
    call_command("load_demo")
    counts = (Namnd.objects.count(), Forvaltning.objects.count(), User.objects.count())
    memberships = Membership.objects.count()
    call_command("load_demo")
    assert (Namnd.objects.count(), Forvaltning.objects.count(), User.objects.count()) == counts
    assert Membership.objects.count() == memberships


def test_load_demo_keeps_a_changed_password(db):
    call_command("load_demo")
    user = User.objects.get(username="admin")
    user.set_password("ett-eget-losenord")
    user.save()
    call_command("load_demo")
    assert User.objects.get(username="admin").check_password("ett-eget-losenord")


def test_load_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG är av"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_load_demo_runs_with_force_in_production(db, settings):
    settings.DEBUG = False
    call_command("load_demo", "--force")
    assert User.objects.filter(username="controller").exists()
