"""Faktaunderlag: the page of a proposal's or an analysis item's files of
facts (list, add, remove) and their download. Who may add and remove is who
may edit the proposal or the grid now; who may read is who may read the
proposal or the analysis — another förvaltning's draft is a 404, as the
proposal itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from prioritering.access import may, require
from prioritering.numbers import parse_id
from rounds.faktaunderlag import listed
from rounds.forms import service_errors
from rounds.forms.round import FaktaunderlagForm
from rounds.models import AnalysisItem, Faktaunderlag
from rounds.services.faktaunderlag import add_faktaunderlag, remove_faktaunderlag
from rounds.uploads import refused_size, validate_upload
from rounds.views.common import file_download, get_analysis, get_proposal


@login_required
@require_http_methods(["GET", "POST"])
def proposal_faktaunderlag(request, year, number):
    proposal = get_proposal(request, year, number)
    return _page(
        request,
        owner=proposal,
        can_edit=may(request.user, "edit_proposal", proposal),
        heading=_("Faktaunderlag till %(reference)s %(title)s")
        % {"reference": proposal.reference, "title": proposal.title},
        back=(
            reverse("proposal_detail", kwargs={"year": year, "number": number}),
            _("Tillbaka till förslaget"),
        ),
        round=proposal.round,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_faktaunderlag(request, year, forvaltning_id, item_id):
    analysis = get_analysis(request, year, forvaltning_id)
    item = get_object_or_404(
        AnalysisItem.objects.select_related("perspektiv"), pk=item_id, analysis=analysis
    )
    item.analysis = analysis
    return _page(
        request,
        owner=item,
        can_edit=may(request.user, "edit_analysis", analysis),
        heading=_("Faktaunderlag till punkten ”%(text)s”") % {"text": _short(item.text)},
        back=(
            reverse("analysis_grid", kwargs={"year": year, "forvaltning_id": forvaltning_id})
            + f"#punkt-{item.pk}",
            _("Tillbaka till verksamhetsanalysen"),
        ),
        round=analysis.round,
        item=item,
    )


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _page(request, *, owner, can_edit, heading, back, round, item=None):
    form = FaktaunderlagForm() if can_edit else None
    if request.method == "POST":
        if not can_edit:  # the refusal, logged, as for every write
            if item is None:
                require(request.user, "edit_proposal", owner)
            require(request.user, "edit_analysis", owner.analysis)
        action = request.POST.get("action")
        if action == "upload":
            form = FaktaunderlagForm(request.POST, request.FILES, too_large=refused_size(request))
            if form.is_valid():
                uploaded = form.cleaned_data["file"]
                try:
                    content_type = validate_upload(uploaded)
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    try:
                        fakta = add_faktaunderlag(
                            owner,
                            uploaded,
                            content_type,
                            form.cleaned_data["title"],
                            by=request.user,
                        )
                    except ValidationError as error:
                        for field, problems in service_errors(error).items():
                            form.add_error(field if field in form.fields else None, problems)
                if not form.errors:
                    messages.success(
                        request,
                        _("Faktaunderlaget ”%(name)s” är uppladdat.") % {"name": fakta.shown_title},
                    )
                    return redirect(request.path)
        elif action == "remove":
            pk = parse_id(request.POST.get("faktaunderlag"))
            found = _of(owner, item).filter(pk=pk).first() if pk is not None else None
            if found is None:
                raise Http404
            remove_faktaunderlag(found, by=request.user)
            messages.success(
                request,
                _("Faktaunderlaget ”%(name)s” är borttaget. Det finns kvar i historiken.")
                % {"name": found.shown_title},
            )
            return redirect(request.path)
        else:
            raise BadRequest("unknown action")
    files = listed(_of(owner, item))
    context = {
        "round": round,
        "heading": heading,
        "back_url": back[0],
        "back_text": back[1],
        "files": files,
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "rounds/faktaunderlag.html", context)


def _of(owner, item):
    if item is None:
        return Faktaunderlag.objects.filter(proposal=owner)
    return Faktaunderlag.objects.filter(analysis_item=owner)


@login_required
@require_GET
def faktaunderlag_download(request, year, pk):
    fakta = get_object_or_404(
        Faktaunderlag.objects.select_related(
            "proposal__round__forum_result",
            "proposal__analysis__round",
            "proposal__analysis__forvaltning",
            "analysis_item__analysis__round__forum_result",
            "analysis_item__analysis__forvaltning",
        ),
        pk=pk,
    )
    if fakta.proposal is not None:
        readable = fakta.proposal.round.budget_year == year and may(
            request.user, "view_proposal", fakta.proposal
        )
    else:
        analysis = fakta.analysis_item.analysis
        readable = analysis.round.budget_year == year and may(
            request.user, "view_analysis", analysis
        )
    if not readable:  # another förvaltning's draft does not exist for the reader
        raise Http404
    return file_download(fakta.file, filename=fakta.name, content_type=fakta.content_type)
