"""The organisation's rules hold in the database as well as in forms."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rounds.models import Forvaltning, Kommun, Membership, Namnd, Role


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.TJANSTEPERSON, None),
        (Role.FORVALTNINGSCHEF, "namnd"),
        (Role.NAMNDLEDAMOT, "forvaltning"),
        (Role.CONTROLLER, "forvaltning"),
        (Role.LASARE, "namnd"),
    ],
)
def test_a_role_must_sit_in_the_right_kind_of_unit(demo, role, unit):
    forvaltning = Forvaltning.objects.get(name="Socialförvaltningen")
    membership = Membership(
        user=demo["revisor"],
        role=role,
        forvaltning=forvaltning if unit == "forvaltning" else None,
        namnd=forvaltning.namnd if unit == "namnd" else None,
    )
    with pytest.raises(ValidationError):
        membership.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_the_same_role_twice_is_refused(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=demo["controller"], role=Role.CONTROLLER)
    forvaltning = Forvaltning.objects.get(name="Bildningsförvaltningen")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=demo["tjp-bildning"], role=Role.TJANSTEPERSON, forvaltning=forvaltning
        )


def test_the_same_role_in_two_units_is_allowed(demo):
    forvaltning = Forvaltning.objects.get(name="Socialförvaltningen")
    Membership.objects.create(
        user=demo["tjp-bildning"], role=Role.TJANSTEPERSON, forvaltning=forvaltning
    )
    assert demo["tjp-bildning"].memberships.count() == 2


def test_only_one_kommunstyrelse(db):
    kommun = Kommun.objects.create(name="K")
    Namnd.objects.create(kommun=kommun, name="KS", is_kommunstyrelsen=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Namnd.objects.create(kommun=kommun, name="KS 2", is_kommunstyrelsen=True)


def test_membership_reads_well(demo):
    membership = Membership.objects.get(user=demo["tjp-bildning"])
    assert str(membership) == "Tjänsteperson, Bildningsförvaltningen"
    assert str(Membership.objects.get(user=demo["controller"])) == "Controller"
    assert str(demo["tjp-bildning"]) == "Sara Nilsson"
