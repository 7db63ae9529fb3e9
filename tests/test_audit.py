"""The history: every model a user edits is audited, and bulk writes that would
slip past the history are refused."""

import pytest
from django.apps import apps
from django.test import Client

from prioritering.audit import AuditBypassError, AuditedQuerySet, is_audited
from rounds.models import Forvaltning, Kommun, Membership, Namnd, Role, User

# Models of our apps that are deliberately not audited, with the reason.
NOT_AUDITED: dict[str, str] = {
    "PhaseTransition": "an append-only log: each row is written once and never changed",
    # Documents
    "Document": "itself the record of who made which version when; the background task "
    "writes its progress and status with update(), filtered on its attempt, which is "
    "how a superseded run is kept from touching it",
    "SubmittedForm": "a form's submit key and the answer it got, kept two days so that a "
    "double click is answered once (prioritering.transactions): a record of requests, not "
    "of the round; the keys of the days before are swept with delete()",
}
# Of those, the models whose own code writes in bulk (nothing a user edits).
BULK_WRITES: set[str] = {"Document", "SubmittedForm"}


def our_models():
    for app in ("documents", "rounds", "ranking", "followup"):
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


@pytest.mark.parametrize("model", list(our_models()), ids=lambda m: m.__name__)
def test_every_model_is_audited_and_refuses_bulk_writes(model):
    if model.__name__ in NOT_AUDITED:
        assert not is_audited(model)
    else:
        assert is_audited(model), f"{model.__name__} has no history"
    for manager in model._meta.managers:
        if manager.name == "history" or model.__name__ in BULK_WRITES:
            continue
        assert isinstance(manager.get_queryset(), AuditedQuerySet), (
            f"{model.__name__}.{manager.name} allows bulk writes that bypass the history"
        )


@pytest.mark.parametrize(
    "call",
    [
        lambda: Namnd.objects.update(name="x"),
        lambda: Namnd.objects.filter(pk=1).update(name="x"),
        lambda: Namnd.objects.bulk_create([]),
        lambda: Namnd.objects.bulk_update([], ["name"]),
        lambda: User.objects.update(first_name="x"),
        lambda: Membership.objects.all().update(role="lasare"),
    ],
)
def test_bulk_writes_are_refused(db, call):
    with pytest.raises(AuditBypassError):
        call()


def test_history_records_who_changed_what(demo, demo_password):
    client = Client()
    client.post("/konto/logga-in/", {"username": "admin", "password": demo_password})
    namnd = Namnd.objects.get(name="Socialnämnden")
    response = client.post(
        f"/admin/rounds/namnd/{namnd.pk}/change/",
        {
            "kommun": namnd.kommun_id,
            "name": "Social- och omsorgsnämnden",
            "short_name": "Social",
            "forvaltningar-TOTAL_FORMS": "1",
            "forvaltningar-INITIAL_FORMS": "1",
            "forvaltningar-MIN_NUM_FORMS": "0",
            "forvaltningar-MAX_NUM_FORMS": "1000",
            "forvaltningar-0-id": namnd.forvaltningar.get().pk,
            "forvaltningar-0-namnd": namnd.pk,
            "forvaltningar-0-name": "Socialförvaltningen",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = namnd.history.latest()
    assert latest.history_user.username == "admin"
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("name", "Socialnämnden", "Social- och omsorgsnämnden")
    ]


def test_history_keeps_removed_memberships(demo):
    membership = Membership.objects.get(user__username="revisor")
    pk = membership.pk
    membership.delete()
    records = Membership.history.filter(id=pk).order_by("history_date")
    assert [r.history_type for r in records] == ["+", "-"]
    assert records.last().role == Role.LASARE


def test_sign_in_does_not_add_a_history_row(demo, demo_password):
    user = demo["controller"]
    before = user.history.count()
    Client().post("/konto/logga-in/", {"username": "controller", "password": demo_password})
    assert user.history.count() == before


def test_user_history_keeps_no_password_hash(demo):
    field_names = {f.name for f in User.history.model._meta.get_fields()}
    assert "password" not in field_names


def test_every_organisation_change_is_kept(db):
    kommun = Kommun.objects.create(name="Testkommun")
    namnd = Namnd.objects.create(kommun=kommun, name="Testnämnden")
    forvaltning = Forvaltning.objects.create(namnd=namnd, name="Testförvaltningen")
    forvaltning.name = "Nya förvaltningen"
    forvaltning.save()
    assert forvaltning.history.count() == 2
    assert kommun.history.count() == 1
