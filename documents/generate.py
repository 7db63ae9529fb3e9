"""Asking for a document, making it in the background, and running it again.

A request creates a :class:`Document` record (the next version for its round,
kind and scope) and enqueues :func:`generate_document` (run by ``manage.py
db_worker``) once the record is committed. The task claims the record for its
attempt, reports its progress on it, stores the file whole and only then marks
it DONE. What a kind is made of is its registered builder (``registry``).

Each run carries its attempt number. A run that finds the record at another
attempt (it was run again after its worker was taken to be dead) stops without
touching it, and a late finisher throws its file away, so at most one file is
ever offered per record — and never a half-written one.
"""

import hashlib
import logging
import re
import time
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents import notices, registry
from documents.models import Document, DocumentStatus, scope_key

log = logging.getLogger(__name__)

# How often a run writes its progress at most (seconds), unless it finished.
PROGRESS_EVERY = 1.0


class SupersededError(Exception):
    """This run's attempt is no longer the record's: another run took over."""


def extension(kind: str) -> str:
    return registry.get(kind).format


def content_type(document: Document) -> str:
    return registry.get(document.kind).content_type


def file_name(document: Document) -> str:
    """The name a reader's download gets, e.g. ``beslutsunderlag-2026-v3.pdf``
    or ``verksamhetsanalys-socialforvaltningen-2026-v1.xlsx``."""
    kind = registry.get(document.kind)
    parts = [kind.stem]
    subject = registry.subject(document)
    if subject is not None:
        parts.append(registry.scope(kind.scope).slug(subject))
    parts += [str(document.round.budget_year), f"v{document.version}"]
    return re.sub(r"-+", "-", "-".join(parts)) + "." + kind.format


def is_stale(document: Document, now=None) -> bool:
    """Unfinished, and silent for longer than a live run ever is: its worker
    stopped (or none runs), so the record may be run again."""
    if document.is_finished:
        return False
    last = document.heartbeat_at or document.requested_at
    limit = timedelta(seconds=settings.DOCUMENT_STALE_SECONDS)
    return (now or timezone.now()) - last > limit


def may_rerun(document: Document) -> bool:
    return document.status == DocumentStatus.FAILED or is_stale(document)


def _enqueue(document: Document) -> None:
    document_id, attempt = document.pk, document.attempts
    transaction.on_commit(lambda: generate_document.enqueue(document_id, attempt))


# The Excel exports are the municipalities' own Swedish templates: their header
# and scale words are what the importer (and every other copy of the templates)
# reads, so they are written in Swedish whatever the reader's language.
TEMPLATE_LANGUAGE = "sv"


def _language(kind: str, asked: str | None) -> str:
    if extension(kind) == registry.XLSX:
        return TEMPLATE_LANGUAGE
    return asked or translation.get_language() or settings.LANGUAGE_CODE


def request_document(
    round,
    kind: str,
    *,
    by,
    analysis=None,
    namnd=None,
    language: str | None = None,
    period=None,
) -> tuple[Document, bool]:
    """The next version of a document, queued; or the one already on its way
    for the same scope (asking twice does not make the work twice). Returns
    the document and whether it is new. A document of one analysis, nämnd or
    period (its kind's scope) is given it, of this round; a round's is given
    none."""
    given = {
        name: subject
        for name, subject in (
            (registry.ANALYSIS, analysis),
            (registry.NAMND, namnd),
            (registry.PERIOD, period),
        )
        if subject is not None
    }
    wanted = {registry.get(kind).scope} - {registry.ROUND}
    if set(given) != wanted or any(
        getattr(subject, "round_id", round.pk) != round.pk for subject in given.values()
    ):
        raise ValueError(f"{kind} needs its own scope")
    scope = scope_key(
        analysis.pk if analysis else None,
        namnd.pk if namnd else None,
        period.pk if period else None,
    )
    with transaction.atomic():
        # Versions are numbered under the round's lock (its own model's
        # manager: the machinery imports no app).
        type(round).objects.select_for_update().filter(pk=round.pk).first()
        same = Document.objects.filter(round=round, kind=kind, scope=scope)
        for pending in same.filter(status__in=[DocumentStatus.QUEUED, DocumentStatus.RUNNING]):
            if not is_stale(pending):
                return pending, False
        version = (same.aggregate(last=Max("version"))["last"] or 0) + 1
        now = timezone.now()
        document = Document.objects.create(
            round=round,
            kind=kind,
            analysis=analysis,
            namnd=namnd,
            period=period,
            version=version,
            language=_language(kind, language),
            requested_by=by,
            requested_at=now,
            attempts=1,
            step=_("Väntar på bakgrundsprocessen"),
        )
        _enqueue(document)
    log.info("document requested id=%s kind=%s round=%s", document.pk, kind, round.budget_year)
    return document, True


def rerun(document: Document, *, by) -> Document:
    """Run a failed or stalled document again, as a new attempt."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if not may_rerun(document):
            raise ValueError("document is neither failed nor stalled")
        document.attempts += 1
        document.status = DocumentStatus.QUEUED
        document.progress = 0
        document.step = _("Väntar på bakgrundsprocessen")
        document.error = ""
        document.heartbeat_at = timezone.now()  # staleness counts from the re-run
        document.started_at = None
        document.save(
            update_fields=[
                "attempts",
                "status",
                "progress",
                "step",
                "error",
                "heartbeat_at",
                "started_at",
            ]
        )
        _enqueue(document)
    log.info("document rerun id=%s attempt=%s by=%s", document.pk, document.attempts, by.pk)
    return document


# --- running ------------------------------------------------------------------


@task(queue_name="documents")
def generate_document(document_id: int, attempt: int) -> str:
    """The background task that makes a document."""
    return run(document_id, attempt)


class Reporter:
    """Writes a run's progress on its record — at most once a second, always
    for the first and last step — and notices when the run was superseded."""

    def __init__(self, document_id: int, attempt: int):
        self.document_id = document_id
        self.attempt = attempt
        self.last = 0.0

    def _mine(self):
        return Document.objects.filter(
            pk=self.document_id, attempts=self.attempt, status=DocumentStatus.RUNNING
        )

    def __call__(self, percent: int, step: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        fields = {"progress": max(0, min(100, percent)), "heartbeat_at": timezone.now()}
        if step:
            fields["step"] = step[:200]
        if not self._mine().update(**fields):
            raise SupersededError

    def within(self, start: int, end: int, step: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` callback that maps onto start…end percent."""

        def report(done: int, total: int) -> None:
            share = done / total if total else 1
            self(start + round((end - start) * share), step)

        return report


def _claim(document_id: int, attempt: int) -> bool:
    now = timezone.now()
    return bool(
        Document.objects.filter(
            pk=document_id, attempts=attempt, status=DocumentStatus.QUEUED
        ).update(
            status=DocumentStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            progress=1,
            step=_("Hämtar uppgifterna"),
        )
    )


def run(document_id: int, attempt: int) -> str:
    """Make the document of this attempt. Returns what became of it."""
    if not _claim(document_id, attempt):
        log.info("document %s attempt %s: not ours to run", document_id, attempt)
        return "skipped"
    document = Document.objects.select_related("round__kommun", *registry.related()).get(
        pk=document_id
    )
    report = Reporter(document_id, attempt)
    try:
        with translation.override(document.language):
            data, meta = _build(document, report)
            meta["public"] = _is_public(document)
            name = file_name(document)
            report(97, _("Sparar filen"), force=True)
    except SupersededError:
        log.warning("document %s attempt %s superseded while running", document_id, attempt)
        return "superseded"
    except Exception as error:
        log.exception("document %s attempt %s failed", document_id, attempt)
        Document.objects.filter(pk=document_id, attempts=attempt).update(
            status=DocumentStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
            step=_("Misslyckades"),
        )
        _tell(document, DocumentStatus.FAILED)
        return "failed"
    outcome = _store(document, attempt, data, name, meta)
    if outcome == "done":
        _tell(document, DocumentStatus.DONE)
    return outcome


def _tell(document: Document, status: str) -> None:
    """Mail the one who asked that the document is ready or failed. A mail
    that cannot be written to the outbox is logged: the document stands."""
    document.status = status
    try:
        notices.document_finished(document)
    except Exception:
        log.exception("document %s: the notice could not be queued", document.pk)


def _store(document: Document, attempt: int, data: bytes, name: str, meta: dict) -> str:
    """Save the whole file, then — in one update — say that it is there."""
    stored = default_storage.save(document_path_for(document, name), ContentFile(data))
    done = Document.objects.filter(
        pk=document.pk, attempts=attempt, status=DocumentStatus.RUNNING
    ).update(
        status=DocumentStatus.DONE,
        file=stored,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        progress=100,
        step=_("Klar"),
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        **meta,
    )
    if not done:
        default_storage.delete(stored)
        return "superseded"
    log.info("document %s done: %s (%s bytes)", document.pk, stored, len(data))
    return "done"


def document_path_for(document: Document, name: str) -> str:
    return Document._meta.get_field("file").generate_filename(document, name)


# --- what each kind is made of: its registered builder ---------------------------


def _build(document: Document, report: Reporter) -> tuple[bytes, dict]:
    if extension(document.kind) == registry.PDF:
        return _build_pdf(document, report)
    return _build_excel(document, report)


def _title(document: Document) -> str:
    """The PDF's title: the document's name without its format, the round,
    and what it is of."""
    name = str(registry.get(document.kind).label).rsplit(" (", 1)[0]
    title = f"{name} – {document.round}"
    subject = registry.subject_name(document)
    if subject:
        title += f" – {subject}"
    return title


def _build_pdf(document: Document, report: Reporter) -> tuple[bytes, dict]:
    from documents import pdf  # (heavy: the worker only)

    report(3, _("Hämtar uppgifterna"), force=True)
    layout = registry.get(document.kind).build(document)
    report(10, _("Sätter sidorna"), force=True)
    cache = pdf.PartCache(Path(settings.MEDIA_ROOT) / "dokument" / "delar")
    pdfs = pdf.render(
        layout,
        processes=settings.DOCUMENT_RENDER_PROCESSES,
        progress=report.within(10, 90, _("Sätter sidorna")),
        cache=cache,
    )
    cache.prune()
    report(92, _("Sätter ihop dokumentet"), force=True)
    data, pages = pdf.join(
        pdfs,
        label=lambda page, total: _("Sida %(page)s av %(pages)s") % {"page": page, "pages": total},
        title=_title(document),
        author=document.round.kommun.name,
        language=document.language,
        cover=layout.front is not None,
    )
    return data, {"pages": pages}


def _is_public(document: Document) -> bool:
    """Whether the finished document is for everyone, as its kind says (the
    decision document made from a published round)."""
    public = registry.get(document.kind).public
    return bool(public and public(document))


def _build_excel(document: Document, report: Reporter) -> tuple[bytes, dict]:
    out = BytesIO()
    progress = report.within(5, 95, _("Skriver kalkylbladet"))
    report(5, _("Skriver kalkylbladet"), force=True)
    rows = registry.get(document.kind).build(document, out, progress)
    return out.getvalue(), {"rows": rows}
