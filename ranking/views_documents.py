"""A round's documents: ask for one, watch it being made, download it — and
every earlier version, with who asked for it and when. Reading follows the
material (``generate_document``, ``download_document``); the published
decision document is also on the public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from followup.models import FollowUpPeriod
from prioritering.access import may, require, visible_analyses
from prioritering.numbers import parse_id
from ranking.documents import generate
from ranking.models import Document, DocumentKind, DocumentStatus, NamndResult
from rounds.models import Analysis, Namnd
from rounds.views.common import file_download, get_round

HISTORY_LIMIT = 200
ROUND_KIND_HELP = {
    DocumentKind.DECISION_PDF: gettext_lazy(
        "Beslutsunderlaget till kommunstyrelsen: sammanfattning, budgetlinje, matris, "
        "rangordnad tabell, granskning, beslut och en sida per förslag."
    ),
    DocumentKind.BASE_XLSX: gettext_lazy("Basverktyget för rangordning, ett blad per nämnd."),
    DocumentKind.INVESTMENT_XLSX: gettext_lazy("Verktyget för investeringar: år 1, 2, 3 och 4–10."),
    DocumentKind.FORUM_XLSX: gettext_lazy(
        "Forumets sammanställning av förslagen som nämnderna skickat vidare."
    ),
    DocumentKind.DECISIONS_XLSX: gettext_lazy(
        "Den beslutade ordningen med varje beslut och motivering."
    ),
}


def _documents(round, user):
    """The round's documents the user may read, newest first (one query)."""
    readable = Q(analysis__isnull=True) | Q(analysis__in=visible_analyses(user))
    # --- follow-up overview ---
    # The follow-up report is the controller's (prioritering.access).
    if not may(user, "view_follow_up_overview", round):
        readable &= ~Q(kind__in=generate.PERIOD_KINDS)
    # --- end follow-up overview ---
    return (
        Document.objects.filter(round=round)
        .filter(readable)
        .select_related("requested_by", "analysis__forvaltning", "namnd", "round", "period")
    )


def _latest_by_scope(documents) -> dict:
    latest: dict = {}
    for document in documents:
        latest.setdefault((document.kind, document.scope), document)
    return latest


@login_required
@require_GET
def document_list(request, year):
    round = get_round(year)
    require(request.user, "view_round", round)
    documents = list(_documents(round, request.user)[:HISTORY_LIMIT])
    latest = _latest_by_scope(documents)
    round_rows = [
        {"kind": kind, "help": ROUND_KIND_HELP[kind], "latest": latest.get((kind, ""))}
        for kind in generate.ROUND_KINDS
    ]
    analyses = (
        visible_analyses(request.user, Analysis.objects.filter(round=round))
        .select_related("forvaltning__namnd")
        .order_by("forvaltning__namnd__name", "forvaltning__name")
    )
    analysis_rows = [
        {
            "analysis": analysis,
            "documents": [
                (kind, latest.get((kind, f"analys-{analysis.pk}")))
                for kind in generate.ANALYSIS_KINDS
            ],
        }
        for analysis in analyses
    ]
    namnder = Namnd.objects.filter(
        pk__in=NamndResult.objects.filter(round=round).values("namnd")
    ).order_by("name")
    namnd_rows = [
        {"namnd": namnd, "latest": latest.get((DocumentKind.RANKING_PDF, f"namnd-{namnd.pk}"))}
        for namnd in namnder
    ]
    # --- follow-up overview ---
    period_rows = []
    if may(request.user, "view_follow_up_overview", round):
        for period in FollowUpPeriod.objects.filter(round=round).order_by("kind"):
            period.round = round
            period_rows.append(
                {
                    "period": period,
                    "documents": [
                        (kind, latest.get((kind, f"period-{period.pk}")))
                        for kind in generate.PERIOD_KINDS
                    ],
                }
            )
    # --- end follow-up overview ---
    return render(
        request,
        "ranking/documents/list.html",
        {
            "round": round,
            "round_rows": round_rows,
            "analysis_rows": analysis_rows,
            "namnd_rows": namnd_rows,
            "period_rows": period_rows,  # follow-up overview
            "documents": documents,
            "history_limit": HISTORY_LIMIT,
            "kinds": DocumentKind,
        },
    )


def _requested(request, round) -> Document:
    """An unsaved document of the kind and scope the form names, or 404."""
    kind = request.POST.get("kind", "")
    if kind not in DocumentKind.values:
        raise Http404
    document = Document(round=round, kind=kind)
    if kind in generate.ANALYSIS_KINDS:
        document.analysis = get_object_or_404(
            Analysis.objects.select_related("forvaltning__namnd", "round"),
            round=round,
            pk=_posted_id(request, "analysis"),
        )
    elif kind in generate.NAMND_KINDS:
        result = get_object_or_404(
            NamndResult.objects.select_related("namnd"),
            round=round,
            namnd_id=_posted_id(request, "namnd"),
        )
        document.namnd = result.namnd
    # --- follow-up overview ---
    elif kind in generate.PERIOD_KINDS:
        document.period = get_object_or_404(
            FollowUpPeriod, round=round, pk=_posted_id(request, "period")
        )
    # --- end follow-up overview ---
    return document


def _posted_id(request, name: str) -> int:
    """The posted id, or 404 for anything that is not one."""
    value = parse_id(request.POST.get(name, ""))
    if value is None:
        raise Http404
    return value


@login_required
@require_POST
def document_request(request, year):
    round = get_round(year)
    wanted = _requested(request, round)
    require(request.user, "generate_document", wanted)
    document, new = generate.request_document(
        round,
        wanted.kind,
        by=request.user,
        analysis=wanted.analysis,
        namnd=wanted.namnd,
        language=request.LANGUAGE_CODE,
        period=wanted.period,  # follow-up overview
    )
    if not new:
        messages.info(request, _("Dokumentet skapas redan; här är förloppet."))
    return redirect("document_detail", year, document.pk)


def _get_document(request, year, pk, action="download_document") -> Document:
    document = get_object_or_404(
        Document.objects.select_related(
            "round__forum_result",
            "requested_by",
            "analysis__forvaltning__namnd",
            "namnd",
            "period",  # follow-up overview
        ),
        round__budget_year=year,
        pk=pk,
    )
    require(request.user, action, document)
    return document


def _progress_context(document: Document) -> dict:
    stale = generate.is_stale(document)
    return {
        "document": document,
        "round": document.round,
        "stale": stale,
        "may_rerun": generate.may_rerun(document),
        "polling": not document.is_finished and not stale,
        "file_name": generate.file_name(document),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def document_detail(request, year, pk):
    """The progress page; htmx polls its status region until the document is
    done, failed or stalled, then the region holds the download or the retry."""
    document = _get_document(request, year, pk)
    template = "ranking/documents/detail.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#status"
    return render(request, template, _progress_context(document))


@login_required
@require_POST
def document_rerun(request, year, pk):
    document = _get_document(request, year, pk, action="generate_document")
    if not generate.may_rerun(document):
        messages.error(
            request, _("Dokumentet kan bara köras igen om det misslyckades eller stannat.")
        )
    else:
        generate.rerun(document, by=request.user)
        messages.success(request, _("Dokumentet skapas igen."))
    return redirect("document_detail", year, document.pk)


def _file_response(document: Document) -> FileResponse:
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    return file_download(
        document.file,
        filename=generate.file_name(document),
        content_type=generate.content_type(document),
    )


@login_required
@require_GET
def document_download(request, year, pk):
    return _file_response(_get_document(request, year, pk))


@require_GET
def public_decision_document(request, year):
    """The published round's decision document, for anyone: the latest one
    made after publication."""
    round = get_round(year)
    if not may(request.user, "view_published", round):
        raise Http404
    document = published_document(round)
    if document is None:
        raise Http404
    require(request.user, "download_document", document)
    return _file_response(document)


def published_document(round) -> Document | None:
    """The latest decision document made from the published round, if any."""
    return (
        Document.objects.filter(
            round=round,
            kind=DocumentKind.DECISION_PDF,
            status=DocumentStatus.DONE,
            public=True,
        )
        .select_related("round__forum_result")
        .order_by("-version")
        .first()
    )
