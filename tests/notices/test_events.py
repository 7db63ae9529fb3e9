"""Each event mails the right people, and no one else, through a real SMTP
server: with the text and HTML parts, the kommun's name before the subject,
links to SITE_URL, in the recipient's language."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from notices.models import NoticeKind, NoticeSettings, OutgoingMail
from rounds.models import Phase, PhaseDeadline
from rounds.services.analysis import return_analysis, submit_analysis
from rounds.services.round import move_phase
from tests.factories import analysis_of, make_proposal, make_round
from tests.notices.conftest import SITE_URL
from tests.notices.helpers import address, deliver, parts

KOMMUN = "Exempelkommun"


@pytest.fixture
def round(demo):
    return make_round()


@pytest.fixture
def bildning(round):
    return analysis_of(round, "Bildningsförvaltningen")


def act(capture, function, *args, **kwargs):
    """Run a service as a request would, its on-commit work included."""
    with capture(execute=True):
        return function(*args, **kwargs)


def test_a_returned_analysis_reaches_its_forvaltnings_staff_only(
    demo, bildning, smtp, django_capture_on_commit_callbacks
):
    make_proposal(bildning)
    act(django_capture_on_commit_callbacks, submit_analysis, bildning, by=demo["chef-bildning"])
    smtp.messages.clear()
    OutgoingMail.objects.all().delete()
    act(
        django_capture_on_commit_callbacks,
        return_analysis,
        bildning,
        by=demo["controller"],
        comment="Komplettera kostnaderna för skolskjutsen.",
    )
    deliver()
    assert smtp.recipients() == {address("chef-bildning"), address("tjp-bildning")}
    message = smtp.to(address("tjp-bildning"))[0]
    assert message["Subject"].startswith(f"{KOMMUN}: ")
    assert "Bildningsförvaltningen" in message["Subject"]
    text, html = parts(message)
    assert "Komplettera kostnaderna för skolskjutsen." in text
    assert "Komplettera kostnaderna för skolskjutsen." in html
    grid = f"{SITE_URL}/omgangar/{bildning.round.budget_year}/analyser/{bildning.forvaltning_id}/"
    assert grid in text
    assert f'href="{grid}' in html
    assert f"{SITE_URL}/konto/aviseringar/" in text


def test_a_submitted_analysis_reaches_the_controller_and_the_namnds_ledamoter(
    demo, bildning, smtp, django_capture_on_commit_callbacks
):
    make_proposal(bildning)
    act(django_capture_on_commit_callbacks, submit_analysis, bildning, by=demo["chef-bildning"])
    deliver()
    # Bildningsnämnden's ledamot, not the other nämnder's; no förvaltning staff.
    assert smtp.recipients() == {address("controller"), address("ledamot-bildning")}
    assert all(m["Subject"].startswith(f"{KOMMUN}: ") for m in smtp.messages)


def test_a_draft_analysis_event_never_reaches_another_forvaltning(
    demo, bildning, smtp, django_capture_on_commit_callbacks
):
    """Moving into the verksamhetsanalys phase: each förvaltning hears of its
    own analysis (a draft), never of another's."""
    round = bildning.round
    round.phase = Phase.PLANERING
    round.save()
    act(django_capture_on_commit_callbacks, move_phase, round, to_phase=2, by=demo["controller"])
    deliver()
    bildning_mail = smtp.to(address("tjp-bildning"))
    social_mail = smtp.to(address("tjp-social"))
    assert len(bildning_mail) == len(social_mail) == 1
    assert "Bildningsförvaltningen" in parts(bildning_mail[0])[0]
    assert "Socialförvaltningen" not in parts(bildning_mail[0])[0]
    assert "Bildningsförvaltningen" not in parts(social_mail[0])[0]


def test_a_phase_move_mails_those_with_work_in_it_and_no_one_else(
    demo, round, smtp, django_capture_on_commit_callbacks
):
    """Into the nämnd phase: the ledamöter rank (with the phase's last day);
    the läsare, the forum and the förvaltningar have no work there."""
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    PhaseDeadline.objects.create(round=round, phase=Phase.NAMND, deadline=deadline)
    act(
        django_capture_on_commit_callbacks,
        move_phase,
        round,
        to_phase=Phase.NAMND,
        by=demo["controller"],
    )
    deliver()
    ledamoter = {u.email for u in demo.values() if u.username.startswith("ledamot-")}
    assert smtp.recipients() == ledamoter
    assert address("revisor") not in smtp.recipients()
    text, html = parts(smtp.to(address("ledamot-bildning"))[0])
    assert "Bildningsnämnden" in text
    assert "Socialnämnden" not in text
    assert f"{deadline.day} " in text
    assert f"{SITE_URL}/omgangar/{round.budget_year}/" in html


def test_a_phase_move_back_mails_nobody(demo, round, smtp, django_capture_on_commit_callbacks):
    act(
        django_capture_on_commit_callbacks,
        move_phase,
        round,
        to_phase=Phase.PLANERING,
        by=demo["controller"],
        comment="Fel fas.",
    )
    deliver()
    assert smtp.messages == []
    assert not OutgoingMail.objects.exists()


def test_a_phase_notice_can_be_turned_off(demo, round, smtp, django_capture_on_commit_callbacks):
    NoticeSettings.objects.create(user=demo["ledamot-bildning"], phase=False)
    act(
        django_capture_on_commit_callbacks,
        move_phase,
        round,
        to_phase=Phase.NAMND,
        by=demo["controller"],
    )
    deliver()
    # The demo's one ledamot with work in the phase turned it off: no mail.
    assert smtp.messages == []
    assert not OutgoingMail.objects.filter(user=demo["ledamot-bildning"]).exists()


def test_a_user_who_chose_english_gets_english(
    demo, bildning, smtp, django_capture_on_commit_callbacks
):
    NoticeSettings.objects.create(user=demo["tjp-bildning"], language="en")
    make_proposal(bildning)
    act(django_capture_on_commit_callbacks, submit_analysis, bildning, by=demo["chef-bildning"])
    smtp.messages.clear()
    new_day = timezone.localdate() + datetime.timedelta(days=40)
    act(
        django_capture_on_commit_callbacks,
        return_analysis,
        bildning,
        by=demo["controller"],
        comment="Komplettera.",
        extended_until=new_day,
    )
    deliver()
    english = smtp.to(address("tjp-bildning"))[0]
    swedish = smtp.to(address("chef-bildning"))[0]
    assert english["Content-Language"] == "en"
    assert swedish["Content-Language"] == "sv"
    with translation.override("en"):
        in_english = date_format(new_day, "j F Y")
    with translation.override("sv"):
        in_swedish = date_format(new_day, "j F Y")
    text, html = parts(english)
    assert in_english in text and in_english in html
    assert in_english != in_swedish and in_swedish not in text
    assert 'lang="en"' in html
    assert in_swedish in parts(swedish)[0]
    assert english["Subject"].startswith(f"{KOMMUN}: ")


def test_a_mail_holds_no_case_content(demo, bildning, smtp, django_capture_on_commit_callbacks):
    """Titles and deadlines only: the proposal's texts are not in a mail."""
    make_proposal(bildning, situation="Hemlig beskrivning av läget")
    act(django_capture_on_commit_callbacks, submit_analysis, bildning, by=demo["chef-bildning"])
    deliver()
    assert smtp.messages
    for message in smtp.messages:
        text, html = parts(message)
        assert "Hemlig" not in text + html


def test_the_kind_is_recorded(demo, bildning, smtp, django_capture_on_commit_callbacks):
    make_proposal(bildning)
    act(django_capture_on_commit_callbacks, submit_analysis, bildning, by=demo["chef-bildning"])
    assert set(OutgoingMail.objects.values_list("kind", flat=True)) == {
        NoticeKind.ANALYSIS_SUBMITTED
    }
