"""Documents made in the background: asking for one, the task's progress and
completion, a failed or stalled run run again, and that no broken or
superseded file is ever offered. What the documents hold is tested in
test_pdf_content.py, test_excel_export.py and test_document_files.py."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from documents import generate
from documents.models import Document, DocumentStatus
from ranking.documents import BASE_XLSX, DECISION_PDF, DECISIONS_XLSX, FORUM_XLSX
from rounds.documents import ANALYSIS_PDF, ANALYSIS_XLSX
from tests.factories import analysis_of, make_round
from tests.helpers import assert_queries_do_not_grow


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def worker_keeps_the_test_connection(monkeypatch):
    """db_worker closes stale connections between tasks, as a long-running
    process must; here the one connection holds the test's transaction
    (closing it does nothing to SQLite's in-memory database, but would end
    the transaction on PostgreSQL)."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda **kwargs: None)


@pytest.fixture
def round(demo):
    return make_round()


@pytest.fixture
def fake_build(monkeypatch):
    """Stands in for the real builders: reports two steps, then returns bytes.
    ``calls`` records the progress seen on the record at each step."""
    seen: list = []

    def build(document, report):
        report(30, "första steget", force=True)
        seen.append(Document.objects.values_list("status", "progress", "step").get(pk=document.pk))
        report(60, "andra steget", force=True)
        seen.append(Document.objects.values_list("status", "progress", "step").get(pk=document.pk))
        return b"%PDF-1.7 test", {"pages": 3}

    monkeypatch.setattr(generate, "_build", build)
    return seen


def work():
    """What `make run`'s worker does, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def ask(round, user, kind=DECISION_PDF, **scope):
    document, _ = generate.request_document(round, kind, by=user, **scope)
    return document


def test_asking_queues_a_task_once_the_record_is_committed(
    round, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = ask(round, demo["controller"])
    assert DBTaskResult.objects.count() == 0  # not before the commit
    assert (document.version, document.status, document.attempts) == (1, "queued", 1)
    for callback in callbacks:
        callback()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [document.pk, 1]
    assert task.queue_name == "documents"


def test_the_worker_makes_it_with_progress_and_stores_the_file(
    round, demo, fake_build, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = ask(round, demo["controller"])
    work()
    assert fake_build == [
        ("running", 30, "första steget"),
        ("running", 60, "andra steget"),
    ]
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    assert document.progress == 100
    assert document.pages == 3
    assert document.size == len(b"%PDF-1.7 test")
    assert document.file.name == "dokument/2027/beslutsunderlag-2027-v1.pdf"
    assert (media / document.file.name).read_bytes() == b"%PDF-1.7 test"
    assert document.started_at <= document.finished_at
    assert not document.public  # the round is not published


def test_versions_count_up_and_a_pending_one_is_not_asked_twice(round, demo):
    first = ask(round, demo["controller"])
    again, new = generate.request_document(round, DECISION_PDF, by=demo["controller"])
    assert (again.pk, new) == (first.pk, False)
    Document.objects.filter(pk=first.pk).update(status=DocumentStatus.FAILED)
    second = ask(round, demo["controller"])
    assert second.version == 2
    other_kind = ask(round, demo["controller"], FORUM_XLSX)
    assert other_kind.version == 1


def test_each_analysis_has_its_own_versions(round, demo):
    bildning = analysis_of(round, "Bildningsförvaltningen")
    social = analysis_of(round, "Socialförvaltningen")
    a = ask(round, demo["controller"], ANALYSIS_PDF, analysis=bildning)
    b = ask(round, demo["controller"], ANALYSIS_PDF, analysis=social)
    assert (a.version, b.version) == (1, 1)
    assert (a.scope, b.scope) == (f"analys-{bildning.pk}", f"analys-{social.pk}")
    with pytest.raises(ValueError, match="scope"):
        ask(round, demo["controller"], ANALYSIS_PDF)


def test_a_failed_task_is_kept_failed_without_a_file_and_runs_again(
    round, demo, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(document, report):
        report(40, "halvvägs", force=True)
        raise RuntimeError("disken tog slut")

    monkeypatch.setattr(generate, "_build", broken)
    with django_capture_on_commit_callbacks(execute=True):
        document = ask(round, demo["controller"])
    work()
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "disken tog slut" in document.error
    assert not document.file
    assert generate.may_rerun(document)

    monkeypatch.setattr(generate, "_build", lambda document, report: (b"klar", {"rows": 2}))
    with django_capture_on_commit_callbacks(execute=True):
        generate.rerun(document, by=demo["controller"])
    work()
    document.refresh_from_db()
    assert (document.status, document.attempts, document.rows) == ("done", 2, 2)
    assert document.error == ""


def test_a_run_whose_worker_died_is_stale_and_its_late_finish_is_thrown_away(
    round, demo, media, monkeypatch, settings, django_capture_on_commit_callbacks
):
    """The worker took attempt 1 and died mid-way: nothing is offered, the
    record goes stale, a re-run makes it; if the dead run came back and
    finished, its file would be thrown away, not offered."""
    settings.DOCUMENT_STALE_SECONDS = 60
    document = ask(round, demo["controller"])
    assert generate._claim(document.pk, 1)  # attempt 1 starts …
    document.refresh_from_db()
    assert document.status == "running" and not generate.is_stale(document)
    assert not generate.may_rerun(document)
    # … and is never heard of again.
    Document.objects.filter(pk=document.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=61)
    )
    document.refresh_from_db()
    assert generate.is_stale(document)
    client_response = _client_for(demo["controller"]).get(
        reverse("document_download", args=[2027, document.pk])
    )
    assert client_response.status_code == 404

    monkeypatch.setattr(generate, "_build", lambda d, r: (b"andra", {"pages": 1}))
    with django_capture_on_commit_callbacks(execute=True):
        generate.rerun(document, by=demo["controller"])
    work()
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("done", 2)
    kept = document.file.name

    # The first run's late finish: not ours any more, its file is removed.
    assert generate._store(document, 1, b"gammal", "sen.pdf", {}) == "superseded"
    document.refresh_from_db()
    assert document.file.name == kept
    assert sorted(p.name for p in (media / "dokument" / "2027").iterdir()) == [
        "beslutsunderlag-2027-v1.pdf"
    ]
    # A stale task still in the queue for attempt 1 does nothing.
    assert generate.run(document.pk, 1) == "skipped"


def test_a_superseded_run_stops_at_its_next_report(round, demo):
    document = ask(round, demo["controller"])
    assert generate._claim(document.pk, 1)
    report = generate.Reporter(document.pk, 1)
    report(20, "steg", force=True)
    Document.objects.filter(pk=document.pk).update(attempts=2, status=DocumentStatus.QUEUED)
    with pytest.raises(generate.SupersededError):
        report(30, "steg", force=True)


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- the pages ----------------------------------------------------------------------


def test_the_progress_page_polls_until_done_then_offers_the_file(
    round, demo, fake_build, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in("controller")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document_request", args=[2027]), {"kind": DECISION_PDF})
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", args=[2027, document.pk])

    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "<progress" in page

    work()
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text
    assert "hx-trigger" not in text  # polling stops
    assert reverse("document_download", args=[2027, document.pk]) in text
    assert fragment["Vary"].count("HX-Request") == 1

    download = client.get(reverse("document_download", args=[2027, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "beslutsunderlag-2027-v1.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"%PDF-1.7 test"


def test_a_stalled_document_offers_to_run_again(round, demo, signed_in, settings):
    settings.DOCUMENT_STALE_SECONDS = 60
    document = ask(round, demo["controller"])
    Document.objects.filter(pk=document.pk).update(
        requested_at=timezone.now() - timedelta(minutes=5)
    )
    client = signed_in("controller")
    page = client.get(reverse("document_detail", args=[2027, document.pk])).content.decode()
    assert "Ingen bakgrundsprocess har börjat på dokumentet" in page
    assert "hx-trigger" not in page
    # Taken by a worker that then fell silent: it has stopped.
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=2)
    )
    page = client.get(reverse("document_detail", args=[2027, document.pk])).content.decode()
    assert "Dokumentet har stannat" in page
    response = client.post(reverse("document_rerun", args=[2027, document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("queued", 2)
    # Running a live document again is refused.
    client.post(reverse("document_rerun", args=[2027, document.pk]))
    document.refresh_from_db()
    assert document.attempts == 2


def test_the_list_shows_latest_versions_and_history(round, demo, signed_in):
    ask(round, demo["controller"])
    page = signed_in("controller").get(reverse("document_list", args=[2027])).content.decode()
    assert "Beslutsunderlag (PDF)" in page
    assert "Forumsammanställning (Excel)" in page
    assert "Bildningsförvaltningen" in page  # its analysis
    assert "Version 1: i kö" in page


def test_the_list_queries_do_not_grow_with_documents(round, demo, signed_in):
    client = signed_in("controller")
    ask(round, demo["controller"])

    def grow():
        for kind in (FORUM_XLSX, BASE_XLSX, DECISIONS_XLSX):
            ask(round, demo["controller"], kind)
        for forvaltning in ("Bildningsförvaltningen", "Socialförvaltningen"):
            ask(
                round,
                demo["controller"],
                ANALYSIS_XLSX,
                analysis=analysis_of(round, forvaltning),
            )

    assert_queries_do_not_grow(client, reverse("document_list", args=[2027]), grow)


def test_the_progress_fragment_has_bounded_queries(
    round, demo, signed_in, django_assert_max_num_queries
):
    document = ask(round, demo["controller"])
    client = signed_in("controller")
    url = reverse("document_detail", args=[2027, document.pk])
    client.get(url)
    with django_assert_max_num_queries(9):
        client.get(url, headers={"HX-Request": "true"})
