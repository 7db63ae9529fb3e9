"""Asking for a document, making it in the background, and running it again.

A request creates a :class:`Document` record (the next version for its round,
kind and scope) and enqueues :func:`ranking.documents.tasks.generate_document`
once the record is committed. The task claims the record for its attempt,
reports its progress on it, stores the file whole and only then marks it DONE.

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
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from followup.models import FollowUpPeriod
from ranking.models import Document, DocumentKind, DocumentStatus, NamndResult, scope_key
from rounds.models import Analysis, Round

log = logging.getLogger(__name__)

ANALYSIS_KINDS = (DocumentKind.ANALYSIS_PDF, DocumentKind.ANALYSIS_XLSX)
NAMND_KINDS = (DocumentKind.RANKING_PDF,)
# --- follow-up overview ---
PERIOD_KINDS = (DocumentKind.FOLLOWUP_PDF, DocumentKind.FOLLOWUP_XLSX)
# --- end follow-up overview ---
ROUND_KINDS = tuple(k for k in DocumentKind if k not in ANALYSIS_KINDS + NAMND_KINDS + PERIOD_KINDS)
# Proposal pages per render part: small enough to spread over the processes
# and to show progress, large enough that starting a part costs little.
PROPOSALS_PER_PART = 75
# How often a run writes its progress at most (seconds), unless it finished.
PROGRESS_EVERY = 1.0

FILE_STEMS = {
    DocumentKind.DECISION_PDF: "beslutsunderlag",
    DocumentKind.ANALYSIS_PDF: "verksamhetsanalys",
    DocumentKind.RANKING_PDF: "rangordning",
    DocumentKind.ANALYSIS_XLSX: "verksamhetsanalys",
    DocumentKind.BASE_XLSX: "rangordning-bas",
    DocumentKind.INVESTMENT_XLSX: "rangordning-investeringar",
    DocumentKind.FORUM_XLSX: "forumsammanstallning",
    DocumentKind.DECISIONS_XLSX: "beslut",
    # --- follow-up overview ---
    DocumentKind.FOLLOWUP_PDF: "uppfoljning",
    DocumentKind.FOLLOWUP_XLSX: "uppfoljning",
    # --- end follow-up overview ---
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class SupersededError(Exception):
    """This run's attempt is no longer the record's: another run took over."""


def extension(kind: str) -> str:
    return "pdf" if kind.endswith("-pdf") else "xlsx"


def content_type(document: Document) -> str:
    return CONTENT_TYPES[extension(document.kind)]


def file_name(document: Document) -> str:
    """The name a reader's download gets, e.g. ``beslutsunderlag-2026-v3.pdf``."""
    parts = [FILE_STEMS[document.kind]]
    if document.analysis_id:
        parts.append(slugify(document.analysis.forvaltning.name))
    elif document.namnd_id:
        parts.append(slugify(document.namnd.name))
    # --- follow-up overview ---
    elif document.period_id:
        parts.append(document.period.slug)
    # --- end follow-up overview ---
    parts += [str(document.round.budget_year), f"v{document.version}"]
    return re.sub(r"-+", "-", "-".join(parts)) + "." + extension(document.kind)


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
    from ranking.documents.tasks import generate_document  # (an import cycle otherwise)

    document_id, attempt = document.pk, document.attempts
    transaction.on_commit(lambda: generate_document.enqueue(document_id, attempt))


# The Excel exports are the municipalities' own Swedish templates: their header
# and scale words are what the importer (and every other copy of the templates)
# reads, so they are written in Swedish whatever the reader's language.
TEMPLATE_LANGUAGE = "sv"


def _language(kind: str, asked: str | None) -> str:
    if extension(kind) == "xlsx":
        return TEMPLATE_LANGUAGE
    return asked or translation.get_language() or settings.LANGUAGE_CODE


def request_document(
    round: Round,
    kind: str,
    *,
    by,
    analysis: Analysis | None = None,
    namnd=None,
    language: str | None = None,
    period: FollowUpPeriod | None = None,
) -> tuple[Document, bool]:
    """The next version of a document, queued; or the one already on its way
    for the same scope (asking twice does not make the work twice). Returns
    the document and whether it is new. A follow-up report is of ``period``
    (by default the one being followed up now: :func:`current_period`)."""
    # --- follow-up overview ---
    if kind in PERIOD_KINDS and period is None:
        period = current_period(round)
    if (kind in PERIOD_KINDS) != (period is not None) or (
        period is not None and period.round_id != round.pk
    ):
        raise ValueError(f"{kind} needs its own scope")
    # --- end follow-up overview ---
    if (kind in ANALYSIS_KINDS) != (analysis is not None) or (kind in NAMND_KINDS) != (
        namnd is not None
    ):
        raise ValueError(f"{kind} needs its own scope")
    scope = scope_key(
        analysis.pk if analysis else None,
        namnd.pk if namnd else None,
        period.pk if period else None,
    )
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round.pk).first()
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


# --- follow-up overview ---
def current_period(round: Round) -> FollowUpPeriod | None:
    """The period being followed up now: the latest whose last day has
    passed, else the first (None when the round has no periods)."""
    periods = list(FollowUpPeriod.objects.filter(round=round).order_by("kind"))
    today = timezone.localdate()
    passed = [period for period in periods if period.deadline < today]
    return passed[-1] if passed else (periods[0] if periods else None)


# --- end follow-up overview ---


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
    document = Document.objects.select_related(
        "round__kommun", "round__forum_result", "analysis__forvaltning__namnd", "namnd", "period"
    ).get(pk=document_id)
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
        return "failed"
    return _store(document, attempt, data, name, meta)


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


# --- what each kind is made of --------------------------------------------------


def _build(document: Document, report: Reporter) -> tuple[bytes, dict]:
    if extension(document.kind) == "pdf":
        return _build_pdf(document, report)
    return _build_excel(document, report)


def _title(document: Document) -> str:
    """The PDF's title: the document's name without its format."""
    name = document.get_kind_display().rsplit(" (", 1)[0]
    title = f"{name} – {document.round}"
    if document.analysis_id:
        title += f" – {document.analysis.forvaltning.name}"
    elif document.namnd_id:
        title += f" – {document.namnd.name}"
    # --- follow-up overview ---
    elif document.period_id:
        title += f" – {document.period.get_kind_display()}"
    # --- end follow-up overview ---
    return title


def _build_pdf(document: Document, report: Reporter) -> tuple[bytes, dict]:
    from ranking.documents import pdf, pdf_content  # (heavy: the worker only)

    report(3, _("Hämtar uppgifterna"), force=True)
    if document.kind == DocumentKind.DECISION_PDF:
        layout = pdf_content.decision_document(document.round, per_part=PROPOSALS_PER_PART)
    elif document.kind == DocumentKind.ANALYSIS_PDF:
        layout = pdf_content.analysis_document(document.analysis, per_part=PROPOSALS_PER_PART)
    # --- follow-up overview ---
    elif document.kind == DocumentKind.FOLLOWUP_PDF:
        from ranking.documents import followup

        layout = followup.followup_document(document.round, document.period)
    # --- end follow-up overview ---
    else:
        result = NamndResult.objects.select_related("round", "namnd").get(
            round=document.round, namnd=document.namnd
        )
        layout = pdf_content.ranking_document(result, per_part=PROPOSALS_PER_PART)
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
    """A decision document made from a published round is the published one."""
    if document.kind != DocumentKind.DECISION_PDF:
        return False
    result = getattr(document.round, "forum_result", None)
    return bool(result and result.published_at)


def _build_excel(document: Document, report: Reporter) -> tuple[bytes, dict]:
    from ranking.documents import excel

    out = BytesIO()
    progress = report.within(5, 95, _("Skriver kalkylbladet"))
    report(5, _("Skriver kalkylbladet"), force=True)
    writers = {
        DocumentKind.BASE_XLSX: excel.write_base_ranking,
        DocumentKind.INVESTMENT_XLSX: excel.write_investments,
        DocumentKind.FORUM_XLSX: excel.write_forum_compilation,
        DocumentKind.DECISIONS_XLSX: excel.write_decisions,
    }
    if document.kind == DocumentKind.ANALYSIS_XLSX:
        rows = excel.write_analysis(document.analysis, out, progress=progress)
    # --- follow-up overview ---
    elif document.kind == DocumentKind.FOLLOWUP_XLSX:
        from ranking.documents import followup

        rows = followup.write_followup(document.round, document.period, out, progress=progress)
    # --- end follow-up overview ---
    else:
        rows = writers[document.kind](document.round, out, progress=progress)
    return out.getvalue(), {"rows": rows}
