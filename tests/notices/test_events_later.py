"""The later events: a round published, a follow-up report returned, a
document ready or failed — each to whom it concerns, through a real SMTP
server."""

import pytest
from django.core.management import call_command

from documents import generate
from followup.models import PeriodKind
from followup.services import return_report
from notices.models import NoticeSettings
from ranking.documents import DECISION_PDF
from ranking.services import decision as decision_services
from rounds.models import User
from tests.factories import make_round
from tests.followup.test_reports import file_report, make_case, make_round_2026, period
from tests.forum_setup import outcome_round
from tests.notices.conftest import SITE_URL
from tests.notices.helpers import address, deliver, parts
from tests.test_forum_outcome import ready


def test_publishing_mails_everyone_with_a_role_who_did_not_turn_it_off(
    demo, smtp, django_capture_on_commit_callbacks
):
    round = ready(outcome_round(), demo)
    NoticeSettings.objects.create(user=demo["forum-2"], published=False)
    nobody = User.objects.create_user("utan-roll", email="utan-roll@exempelkommun.se")
    with django_capture_on_commit_callbacks(execute=True):
        decision_services.publish(round, by=demo["controller"])
    deliver()
    with_role = {
        user.email
        for user in User.objects.filter(memberships__isnull=False).distinct()
        if user.username != "forum-2"
    }
    assert smtp.recipients() == with_role
    assert nobody.email not in smtp.recipients()
    text, html = parts(smtp.to(address("revisor"))[0])
    assert f"{SITE_URL}/oppna-prioriteringar/{round.budget_year}/" in text
    assert f'href="{SITE_URL}/oppna-prioriteringar/{round.budget_year}/"' in html


def test_publishing_twice_mails_once(demo, smtp, django_capture_on_commit_callbacks):
    round = ready(outcome_round(), demo)
    with django_capture_on_commit_callbacks(execute=True):
        decision_services.publish(round, by=demo["controller"])
        decision_services.publish(round, by=demo["controller"])
    deliver()
    assert len(smtp.to(address("revisor"))) == 1


def test_a_returned_report_reaches_its_forvaltnings_staff_only(
    demo, smtp, django_capture_on_commit_callbacks
):
    case = make_case(make_round_2026())
    delar = period(case["round"], PeriodKind.DELAR)
    report = file_report(delar, case["a"], submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        return_report(report, by=demo["controller"], comment="Beskriv avvikelsen närmare.")
    deliver()
    assert smtp.recipients() == {address("chef-bildning"), address("tjp-bildning")}
    message = smtp.to(address("chef-bildning"))[0]
    assert "Läsfrämjande insatser" in message["Subject"]
    text, html = parts(message)
    assert "Beskriv avvikelsen närmare." in text and "Beskriv avvikelsen närmare." in html
    assert f"{SITE_URL}/omgangar/2026/uppfoljning/" in text


@pytest.fixture
def fake_build(monkeypatch):
    def build(document, report):
        return b"%PDF-1.7 test", {"pages": 1}

    monkeypatch.setattr(generate, "_build", build)


def work(capture):
    """The worker makes the document; its notice is committed with it."""
    with capture(execute=True):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--queue-name", "documents", verbosity=0
        )


def test_a_ready_document_is_mailed_to_the_one_who_asked(
    demo, smtp, fake_build, django_capture_on_commit_callbacks
):
    round = make_round()
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = generate.request_document(round, DECISION_PDF, by=demo["revisor"])
    work(django_capture_on_commit_callbacks)
    deliver()
    assert smtp.recipients() == {address("revisor")}
    text, html = parts(smtp.messages[0])
    assert f"{SITE_URL}/omgangar/{round.budget_year}/dokument/{document.pk}/" in text
    assert "%PDF" not in text + html  # a link, never the file


def test_a_failed_document_is_mailed_too(
    demo, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(document, report):
        raise RuntimeError("trasig")

    monkeypatch.setattr(generate, "_build", broken)
    round = make_round()
    with django_capture_on_commit_callbacks(execute=True):
        generate.request_document(round, DECISION_PDF, by=demo["controller"])
    work(django_capture_on_commit_callbacks)
    deliver()
    assert smtp.recipients() == {address("controller")}
    text, _html = parts(smtp.messages[0])
    assert "kunde inte skapas" in text
    assert "trasig" not in text  # the error is for the log, not the mail
