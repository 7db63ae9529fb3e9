"""The outbox: a request writes the mail and sends nothing; the task
delivers it; a mail server that is down delays mail and loses none."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notices import delivery
from notices.models import OutgoingMail
from rounds.models import AnalysisStatus
from tests.factories import analysis_of, make_proposal, make_round
from tests.notices.helpers import address, deliver


@pytest.fixture
def bildning(demo):
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    make_proposal(analysis)
    return analysis


def submit_url(analysis):
    return f"/omgangar/{analysis.round.budget_year}/analyser/{analysis.forvaltning_id}/lamna-in/"


def test_the_request_writes_the_outbox_and_sends_nothing(
    bildning, signed_in, smtp, django_capture_on_commit_callbacks
):
    client = signed_in("chef-bildning")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(bildning), {"confirm": "1"})
    assert response.status_code == 302
    bildning.refresh_from_db()
    assert bildning.status == AnalysisStatus.SUBMITTED
    mails = OutgoingMail.objects.all()
    assert {m.to_address for m in mails} == {address("controller"), address("ledamot-bildning")}
    assert smtp.messages == []  # nothing inside the request
    assert all(m.sent_at is None and m.attempts == 0 for m in mails)
    assert DBTaskResult.objects.filter(queue_name="mail").count() == 2
    deliver()
    assert smtp.recipients() == {address("controller"), address("ledamot-bildning")}
    assert all(m.sent_at is not None for m in OutgoingMail.objects.all())


def test_a_rolled_back_event_sends_nothing(
    bildning, demo, smtp, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from rounds.services.analysis import submit_analysis

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit_analysis(bildning, by=demo["chef-bildning"])
        raise RuntimeError("the request failed after the event")
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.filter(queue_name="mail").exists()
    deliver()
    assert smtp.messages == []


def time_passes():
    """The retry's delay is over: its task and its mail are due now."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(queue_name="mail").update(run_after=past)
    OutgoingMail.objects.filter(sent_at__isnull=True).update(next_attempt=past)


def test_a_mail_server_that_is_down_delays_mail_and_loses_none(
    bildning, demo, smtp, django_capture_on_commit_callbacks
):
    from rounds.services.analysis import submit_analysis

    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        submit_analysis(bildning, by=demo["chef-bildning"])
    deliver()
    mails = list(OutgoingMail.objects.all())
    assert len(mails) == 2
    for mail in mails:
        assert mail.sent_at is None
        assert mail.attempts == 1
        assert mail.last_error  # e.g. ConnectionRefusedError
        assert mail.next_attempt > timezone.now()  # tried again later…
    waiting = DBTaskResult.objects.filter(queue_name="mail", status="READY")
    assert waiting.count() == 2  # …by a task of its own, run_after the delay
    assert all(task.run_after > timezone.now() for task in waiting)

    deliver()  # not yet due: nothing is tried
    assert all(m.attempts == 1 for m in OutgoingMail.objects.all())

    time_passes()
    deliver()  # still down: a second attempt, a longer wait
    for mail in OutgoingMail.objects.all():
        assert mail.attempts == 2 and mail.sent_at is None
        assert mail.next_attempt - mail.last_attempt_at > datetime.timedelta(minutes=1)

    smtp.start()
    time_passes()
    deliver()
    assert smtp.recipients() == {address("controller"), address("ledamot-bildning")}
    assert len(smtp.messages) == 2
    for mail in OutgoingMail.objects.all():
        assert mail.sent_at is not None and mail.attempts == 3 and mail.last_error == ""

    # Nothing is sent twice: a late task, or one enqueued again, finds it sent.
    for mail in OutgoingMail.objects.all():
        delivery.enqueue(mail.pk)
    time_passes()
    deliver()
    assert len(smtp.messages) == 2


def test_the_wait_grows_and_has_a_ceiling():
    waits = [delivery.wait_after(n) for n in range(1, 12)]
    assert waits[:3] == [datetime.timedelta(minutes=m) for m in (1, 2, 4)]
    assert waits == sorted(waits)
    assert waits[-1] == delivery.LONGEST_WAIT


def test_a_mail_whose_task_was_lost_is_enqueued_again(
    bildning, demo, smtp, django_capture_on_commit_callbacks
):
    from rounds.services.analysis import submit_analysis

    with django_capture_on_commit_callbacks(execute=False):  # the enqueue never ran
        submit_analysis(bildning, by=demo["chef-bildning"])
    OutgoingMail.objects.update(created=timezone.now() - datetime.timedelta(hours=2))
    assert delivery.requeue_unsent() == 2
    deliver()
    assert len(smtp.messages) == 2
