"""A round's documents: ask for one, watch it being made, download it — and
every earlier version, with who asked for it and when. Reading follows the
material (``generate_document``, ``download_document``); the published
decision document is also on the public page (``ranking.views.public``).

The pages are the round's (by budget year, among its other pages), and know
no document's content: what kinds there are, what each is of, how its
section of the list looks and who may read it, they ask the document registry
(``documents.registry``), where each app registers its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from documents import generate, registry
from documents.models import Document, DocumentStatus, scope_key
from prioritering.access import readable_documents, require
from prioritering.numbers import parse_id
from rounds.views.common import file_download, get_round

HISTORY_LIMIT = 200


def _documents(round, user):
    """The round's documents the user may read, newest first (one query)."""
    return (
        Document.objects.filter(round=round)
        .filter(readable_documents(user, round))
        .select_related("requested_by", "round", *registry.related())
    )


def _latest_by_scope(documents) -> dict:
    latest: dict = {}
    for document in documents:
        latest.setdefault((document.kind, document.scope), document)
    return latest


def _key(scope: str, subject) -> str:
    """The Document.scope of a document of ``subject``, of this scope."""
    return scope_key(**{f"{scope}_id": subject.pk})


@login_required
@require_GET
def document_list(request, year):
    round = get_round(year)
    require(request.user, "view_round", round)
    documents = list(_documents(round, request.user)[:HISTORY_LIMIT])
    latest = _latest_by_scope(documents)
    round_rows = [
        {"kind": kind, "latest": latest.get((kind.value, ""))}
        for kind in registry.kinds(registry.ROUND)
    ]
    # A section per scope (the analyses, the nämnder, the periods), as the app
    # that registered it lists its objects; a row per object, a slot per kind.
    sections = []
    for scope in registry.scopes():
        kinds = registry.kinds(scope.name)
        rows = [
            {
                "subject": subject,
                "documents": [
                    (kind, latest.get((kind.value, _key(scope.name, subject)))) for kind in kinds
                ],
            }
            for subject in scope.listed(request.user, round)
        ]
        sections.append({"template": scope.template, "rows": rows})
    return render(
        request,
        "rounds/documents/list.html",
        {
            "round": round,
            "round_rows": round_rows,
            "sections": sections,
            "documents": documents,
            "history_limit": HISTORY_LIMIT,
        },
    )


def _requested(request, round) -> Document:
    """An unsaved document of the kind and scope the form names, or 404."""
    try:
        kind = registry.get(request.POST.get("kind", ""))
    except registry.UnknownKindError:
        raise Http404 from None
    document = Document(round=round, kind=kind.value)
    if kind.scope != registry.ROUND:
        scope = registry.scope(kind.scope)
        setattr(document, scope.name, scope.find(round, _posted_id(request, scope.name)))
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
        period=wanted.period,
    )
    if not new:
        messages.info(request, _("Dokumentet skapas redan; här är förloppet."))
    return redirect("document_detail", year, document.pk)


def _get_document(request, year, pk, action="download_document") -> Document:
    document = get_object_or_404(
        Document.objects.select_related("round__forum_result", "requested_by", *registry.related()),
        round__budget_year=year,
        pk=pk,
    )
    require(request.user, action, document)
    return document


def _progress_context(document: Document) -> dict:
    stale = generate.is_stale(document)
    kind = registry.get(document.kind)
    subject = registry.subject(document)
    link = None
    if subject is not None and registry.scope(kind.scope).link:
        link = registry.scope(kind.scope).link(subject, document.round)
    return {
        "document": document,
        "round": document.round,
        "link": link,
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
    template = "rounds/documents/detail.html"
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


def file_response(document: Document) -> FileResponse:
    """A finished document's file as its download; 404 for one not finished."""
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
    return file_response(_get_document(request, year, pk))
