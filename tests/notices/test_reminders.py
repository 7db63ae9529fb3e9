"""``manage.py send_reminders``: one mail per user and day listing their
unfinished work due within N days, through a real SMTP server."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from notices.models import NoticeKind, NoticeSettings, OutgoingMail, ReminderSent
from rounds.models import Phase
from rounds.services.analysis import submit_analysis
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import run_together
from tests.notices.conftest import SITE_URL
from tests.notices.helpers import address, deliver, parts

# The staff of the demo's förvaltningar who have an analysis to fill in.
BILDNING = {address("chef-bildning"), address("tjp-bildning")}


def remind(capture=None, *args) -> str:
    out = StringIO()
    if capture is None:
        call_command("send_reminders", *args, stdout=out)
    else:
        with capture(execute=True):
            call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due_in_5(demo):
    return make_round(deadline_days=5)


def test_each_user_gets_one_mail_listing_their_work_with_deadline_and_link(
    due_in_5, smtp, django_capture_on_commit_callbacks
):
    remind(django_capture_on_commit_callbacks)
    deliver()
    assert BILDNING | {address("tjp-social")} <= smtp.recipients()
    assert address("revisor") not in smtp.recipients()
    assert address("ledamot-bildning") not in smtp.recipients()  # no work of theirs is due
    message = smtp.to(address("chef-bildning"))[0]
    assert message["Subject"].startswith("Exempelkommun: Påminnelse")
    text, html = parts(message)
    deadline = due_in_5.deadline(Phase.VERKSAMHETSANALYS)
    assert "Lämna in verksamhetsanalysen 2027 för Bildningsförvaltningen" in text
    assert "Socialförvaltningen" not in text
    assert f"{deadline.day} " in text
    bildning = analysis_of(due_in_5, "Bildningsförvaltningen")
    assert f'href="{SITE_URL}/omgangar/2027/analyser/{bildning.forvaltning_id}/"' in html


def test_running_it_twice_sends_nothing_twice(due_in_5, smtp, django_capture_on_commit_callbacks):
    remind(django_capture_on_commit_callbacks)
    first = OutgoingMail.objects.count()
    output = remind(django_capture_on_commit_callbacks)
    deliver()
    assert first > 0
    assert OutgoingMail.objects.count() == first
    assert "0 reminder(s) queued" in output
    assert len(smtp.to(address("tjp-bildning"))) == 1
    assert ReminderSent.objects.filter(day=timezone.localdate()).count() == first


def test_work_due_later_than_the_days_is_not_reminded(demo, smtp):
    make_round(deadline_days=10)
    remind(None, "--days", "7")
    assert not OutgoingMail.objects.exists()
    remind(None, "--days", "10")
    assert OutgoingMail.objects.exists()


def test_work_past_its_deadline_is_not_reminded(demo, smtp):
    make_round(deadline_days=-1)
    remind()
    assert not OutgoingMail.objects.exists()


def test_finished_work_is_not_reminded(due_in_5, demo, smtp, django_capture_on_commit_callbacks):
    bildning = analysis_of(due_in_5, "Bildningsförvaltningen")
    make_proposal(bildning)
    submit_analysis(bildning, by=demo["chef-bildning"])
    OutgoingMail.objects.all().delete()  # (the submission's own notices)
    remind(django_capture_on_commit_callbacks)
    deliver()
    assert not BILDNING & smtp.recipients()
    assert address("tjp-social") in smtp.recipients()


def test_reminders_of_ones_own_deadlines_cannot_be_turned_off(
    due_in_5, demo, smtp, django_capture_on_commit_callbacks
):
    NoticeSettings.objects.create(
        user=demo["tjp-bildning"], phase=False, analysis_submitted=False, published=False
    )
    remind(django_capture_on_commit_callbacks)
    deliver()
    assert address("tjp-bildning") in smtp.recipients()


def test_a_user_without_an_address_is_skipped(due_in_5, demo, smtp):
    demo["tjp-bildning"].email = ""
    demo["tjp-bildning"].save()
    remind()
    assert not OutgoingMail.objects.filter(user=demo["tjp-bildning"]).exists()
    assert OutgoingMail.objects.filter(user=demo["chef-bildning"]).exists()


def test_dry_run_prints_and_sends_and_records_nothing(due_in_5, smtp):
    output = remind(None, "--dry-run")
    assert "chef-bildning <chef-bildning@exempelkommun.se>:" in output
    assert "Lämna in verksamhetsanalysen 2027 för Bildningsförvaltningen" in output
    assert "nothing was sent" in output
    assert not OutgoingMail.objects.exists()
    assert not ReminderSent.objects.exists()
    deliver()
    assert smtp.messages == []


def test_the_forum_members_who_have_not_ranked_are_reminded(demo, smtp):
    round = make_round(phase=Phase.FORUM)
    round.deadlines.create(
        phase=Phase.FORUM, deadline=timezone.localdate() + datetime.timedelta(days=3)
    )
    remind()
    reminded = set(OutgoingMail.objects.values_list("to_address", flat=True))
    assert reminded == {address(f"forum-{n}") for n in range(1, 6)}
    assert {m.kind for m in OutgoingMail.objects.all()} == {NoticeKind.REMINDER}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_reminder_each(postgres, demo):
    make_round(deadline_days=5)

    def run(barrier):
        barrier.wait()
        call_command("send_reminders", stdout=StringIO())

    results = run_together(run, run, run)
    assert all(result is None for result in results), results
    per_user = {}
    for user_id in OutgoingMail.objects.values_list("user_id", flat=True):
        per_user[user_id] = per_user.get(user_id, 0) + 1
    assert per_user and set(per_user.values()) == {1}
