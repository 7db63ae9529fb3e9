"""The decisions of the kommunstyrelse (KS) and the kommunfullmäktige (KF) on
a round's result: who records them and when, each bad input refused in
Swedish with nothing lost, the history of a correction, the public page and
the rules of the protocol's download."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from prioritering.access import may
from prioritering.audit import save_as
from ranking.models import Body, BodyDecision
from ranking.services.bodies import record_body_decision
from rounds.models import Phase, Round, User
from tests.helpers import CAST, assert_queries_do_not_grow
from tests.test_round_uploads import MB, PDF

PUBLISHED, OPEN = 2026, 2027


@pytest.fixture(scope="module")
def demo_rounds(django_db_setup, django_db_blocker):
    """The demo with its published round 2026 and round 2027 in the forum
    phase, loaded once for the module and rolled back after it."""
    from demo.loading import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True)
        # The tests here record their own: the demo's KS and KF decisions on
        # 2026 are tested with the demo (tests/test_demo_round_2026.py).
        for decision in BodyDecision.objects.all():
            decision.delete()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def users(demo_rounds, db):
    return {user.username: user for user in User.objects.filter(username__in=CAST)}


@pytest.fixture
def published(demo_rounds, db):
    return Round.objects.get(budget_year=PUBLISHED)


@pytest.fixture
def in_beslut(demo_rounds, db, users):
    """Round 2027 moved on to the Beslut phase: decided, not published."""
    round = Round.objects.get(budget_year=OPEN)
    round.phase = Phase.BESLUT
    save_as(round, users["controller"])
    return Round.objects.get(pk=round.pk)


def page(year):
    return reverse("body_decisions", kwargs={"year": year})


def valid(**changes):
    data = {
        "body": "kf",
        "decision_date": "2026-03-12",
        "paragraph": "45",
        "text": "Kommunfullmäktige fastställde budgeten med forumets prioriteringar.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def recorded(round, user, protocol=None, **changes):
    data = valid(**changes)
    return record_body_decision(
        round,
        data["body"],
        datetime.date.fromisoformat(data["decision_date"]),
        data["paragraph"],
        data["text"],
        by=user,
        protocol=protocol,
        content_type="application/pdf" if protocol else "",
    )


# --- who may record and download -----------------------------------------


@pytest.mark.parametrize("username", CAST)
def test_only_the_controller_and_the_administrator_record_them(users, published, username):
    allowed = username in ("admin", "controller")
    assert may(users[username], "record_body_decision", published) is allowed


@pytest.mark.parametrize("username", CAST)
def test_before_the_beslut_phase_nobody_records_them(users, demo_rounds, username):
    forum_phase = Round.objects.get(budget_year=OPEN)
    assert forum_phase.phase == Phase.FORUM
    assert not may(users[username], "record_body_decision", forum_phase)


@pytest.mark.parametrize("username", CAST)
def test_the_page_answers_each_role(client, users, published, username):
    client.force_login(users[username])
    expected = 200 if username in ("admin", "controller") else 403
    assert client.get(page(PUBLISHED)).status_code == expected
    posted = client.post(page(PUBLISHED), valid())
    assert posted.status_code == (302 if expected == 200 else 403)
    assert BodyDecision.objects.count() == (1 if expected == 200 else 0)


def test_the_service_refuses_others(users, published):
    with pytest.raises(PermissionDenied):
        recorded(published, users["forum-1"])
    assert not BodyDecision.objects.exists()


@pytest.mark.parametrize("username", [*CAST, None])
def test_a_published_rounds_protocol_is_for_everyone(client, users, published, username):
    decision = recorded(published, users["controller"], SimpleUploadedFile("KF protokoll.pdf", PDF))
    if username:
        client.force_login(users[username])
    assert may(
        users[username] if username else AnonymousUser(), "download_body_protocol", published
    )
    response = client.get(reverse("body_protocol", args=[PUBLISHED, decision.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="KF protokoll.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("username", [*CAST, None])
def test_an_unpublished_rounds_protocol_never_leaks(client, users, in_beslut, username):
    decision = recorded(in_beslut, users["controller"], SimpleUploadedFile("KS.pdf", PDF))
    if username:
        client.force_login(users[username])
    response = client.get(reverse("body_protocol", args=[OPEN, decision.pk]))
    assert response.status_code == (200 if username in ("admin", "controller") else 404)


def test_a_decision_without_protocol_has_nothing_to_download(client, users, published):
    decision = recorded(published, users["controller"])
    assert client.get(reverse("body_protocol", args=[PUBLISHED, decision.pk])).status_code == 404
    # Another round's year does not reach it either.
    with_file = recorded(published, users["controller"], SimpleUploadedFile("a.pdf", PDF))
    assert client.get(reverse("body_protocol", args=[OPEN, with_file.pk])).status_code == 404


# --- recording, correcting, the history ----------------------------------


def test_the_controller_records_a_decision_with_its_protocol(client, users, published, media):
    client.force_login(users["controller"])
    response = client.post(
        page(PUBLISHED),
        {**valid(paragraph="§ 45"), "protocol": SimpleUploadedFile("../Protokoll KF.pdf", PDF)},
    )
    assert response.status_code == 302
    decision = BodyDecision.objects.get()
    assert (decision.body, decision.decision_date, decision.paragraph) == (
        Body.KF,
        datetime.date(2026, 3, 12),
        "45",
    )
    assert decision.recorded_by == users["controller"]
    assert decision.protocol_name == "Protokoll KF.pdf"
    assert decision.protocol_size == len(PDF)
    assert (media / decision.protocol.name).read_bytes() == PDF
    shown = client.get(page(PUBLISHED)).content.decode()
    assert "Kommunfullmäktige</strong> 12 mars 2026, §&nbsp;45" in shown
    assert "Protokoll: Protokoll KF.pdf" in shown


def test_a_correction_keeps_the_earlier_version_in_the_history(client, users, published):
    decision = recorded(published, users["controller"], SimpleUploadedFile("KS.pdf", PDF))
    client.force_login(users["admin"])
    url = reverse("body_decision_edit", args=[PUBLISHED, decision.pk])
    form = client.get(url).content.decode()
    assert 'value="45"' in form and "Nuvarande protokoll: KS.pdf" in form
    response = client.post(url, valid(body="ks", paragraph="112", decision_date="2026-02-20"))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.body, decision.paragraph) == ("ks", "112")
    assert decision.protocol_name == "KS.pdf"  # no new file: the protocol stays
    assert decision.recorded_by == users["admin"]
    versions = list(decision.history.order_by("history_date"))
    assert [(v.body, v.paragraph, v.history_change_reason) for v in versions] == [
        ("kf", "45", "Registrerat"),
        ("ks", "112", "Rättat"),
    ]
    assert BodyDecision.objects.count() == 1


def test_a_decision_of_another_round_is_not_corrected_here(client, users, published, in_beslut):
    decision = recorded(in_beslut, users["controller"])
    client.force_login(users["controller"])
    url = reverse("body_decision_edit", args=[PUBLISHED, decision.pk])
    assert client.post(url, valid(paragraph="9")).status_code == 404
    decision.refresh_from_db()
    assert decision.paragraph == "45"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("decision_date", "", "Ange sammanträdesdatum."),
        ("decision_date", "31/2", "Ange ett datum som finns, t.ex. 2026-03-12."),
        ("decision_date", "2026-02-31", "Ange ett datum som finns, t.ex. 2026-03-12."),
        ("paragraph", "", "Ange paragraf (§)."),
        ("paragraph", "   ", "Ange paragraf (§)."),
        ("paragraph", "§", "Ange paragraf (§)."),
        ("paragraph", "9" * 400, "Paragrafen kan vara högst 20 tecken (nu 400)."),
        ("text", "", "Skriv vad organet beslutade."),
        ("text", "9" * 2001, "Texten kan vara högst 2000 tecken (nu 2001)."),
        ("body", "", "Välj organ: kommunstyrelsen eller kommunfullmäktige."),
        ("body", "namnd", "Välj organ: kommunstyrelsen eller kommunfullmäktige."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_lost(
    client, users, published, field, value, message
):
    client.force_login(users["controller"])
    data = {**valid(text="Budgeten fastställdes."), field: value}
    response = client.post(page(PUBLISHED), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    for other, kept in data.items():  # every value typed stays in the form
        if other != field and other != "body":
            assert kept in html
    assert not BodyDecision.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("protokoll.exe", b"MZ\x90\x00", "Filtypen .exe är inte tillåten. Tillåtna: .pdf"),
        ("protokoll.pdf", b"MZ\x90\x00", "Filens innehåll stämmer inte med filändelsen .pdf."),
        ("protokoll.pdf", PDF + bytes(11 * MB), "Filen är för stor (11,0\xa0MB)."),
    ],
)
def test_a_refused_protocol_is_explained_and_nothing_is_stored(
    client, users, published, media, name, content, message
):
    client.force_login(users["controller"])
    response = client.post(
        page(PUBLISHED), {**valid(), "protocol": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["protocol"][0].startswith(message)
    html = response.content.decode()
    assert "Kommunfullmäktige fastställde budgeten" in html  # the rest is kept
    assert not BodyDecision.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_file_chosen_beside_another_error_is_asked_for_again(client, users, published):
    client.force_login(users["controller"])
    response = client.post(
        page(PUBLISHED),
        {**valid(paragraph=""), "protocol": SimpleUploadedFile("KF.pdf", PDF)},
    )
    assert "Protokollfilen sparades inte eftersom formuläret har fel. Välj filen igen." in (
        response.content.decode()
    )


# --- the public page -------------------------------------------------------


def test_the_public_page_shows_the_decisions_of_a_published_round(client, users, published):
    recorded(published, users["controller"], body="ks", paragraph="30", decision_date="2026-02-20")
    recorded(
        published,
        users["controller"],
        SimpleUploadedFile("KF 2026-03-12.pdf", PDF),
        text="Budgeten fastställd enligt forumets förslag.",
    )
    html = client.get(reverse("public_round", args=[PUBLISHED])).content.decode()
    assert "Beslut i kommunstyrelsen och kommunfullmäktige" in html
    assert "Kommunstyrelsen</strong> 20 februari 2026, §&nbsp;30" in html
    assert "Kommunfullmäktige</strong> 12 mars 2026, §&nbsp;45" in html
    assert html.index("20 februari 2026, §&nbsp;30") < html.index("12 mars 2026, §&nbsp;45")
    assert "Budgeten fastställd enligt forumets förslag." in html
    decision = BodyDecision.objects.get(body="kf")
    assert reverse("body_protocol", args=[PUBLISHED, decision.pk]) in html
    assert "Protokollet från Kommunfullmäktige 12 mars 2026" in html


def test_no_other_rounds_decisions_reach_a_public_page(client, users, published, in_beslut):
    recorded(in_beslut, users["controller"], text="Hemligt beslut om 2027.")
    html = client.get(reverse("public_round", args=[PUBLISHED])).content.decode()
    assert "Hemligt beslut om 2027." not in html
    assert "Beslut i kommunstyrelsen och kommunfullmäktige" not in html  # none for 2026
    assert client.get(reverse("public_round", args=[OPEN])).status_code == 404


def test_the_forum_pages_link_the_controller_to_the_page(client, users, published):
    client.force_login(users["controller"])
    html = client.get(reverse("forum_decisions", args=[PUBLISHED])).content.decode()
    assert f'href="{page(PUBLISHED)}"' in html
    client.force_login(users["revisor"])
    html = client.get(reverse("forum_decisions", args=[PUBLISHED])).content.decode()
    assert f'href="{page(PUBLISHED)}"' not in html


# --- query counts ----------------------------------------------------------


def test_the_public_page_asks_as_many_queries_with_more_decisions(client, users, published):
    recorded(published, users["controller"], SimpleUploadedFile("KF.pdf", PDF))

    def grow():
        for number in range(5):
            recorded(
                published,
                users["controller"],
                SimpleUploadedFile("KS.pdf", PDF),
                body="ks",
                paragraph=str(100 + number),
            )

    assert_queries_do_not_grow(client, reverse("public_round", args=[PUBLISHED]), grow)


def test_the_recording_page_asks_as_many_queries_with_more_decisions(client, users, published):
    client.force_login(users["controller"])
    recorded(published, users["controller"])

    def grow():
        for number in range(5):
            recorded(published, users["admin"], paragraph=str(100 + number))

    assert_queries_do_not_grow(client, page(PUBLISHED), grow)
