"""What the views of the rounds app share: fetching a round, an analysis or a
proposal the way the access rules want it (404 for what the user may not know of)."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from prioritering.access import may
from rounds.faktaunderlag import with_faktaunderlag
from rounds.models import Analysis, Proposal, Round

# The query parameter (and hidden field) of the proposal form that names the
# analysis item the new proposal is made from.
ITEM_PARAMETER = "punkt"


def cell_anchor(perspektiv_id: int, column: int) -> str:
    """The id of a cell of the analysis grid: a link to the grid lands there."""
    return f"ruta-{perspektiv_id}-{int(column)}"


def grid_cell_url(analysis: Analysis, perspektiv_id: int, column: int) -> str:
    url = reverse(
        "analysis_grid",
        kwargs={"year": analysis.round.budget_year, "forvaltning_id": analysis.forvaltning_id},
    )
    return f"{url}#{cell_anchor(perspektiv_id, column)}"


def new_proposal_from_item_url(analysis: Analysis, item_id: int) -> str:
    """The new proposal's form, pre-filled from the item; nothing is created
    until the form is saved."""
    url = reverse(
        "proposal_create",
        kwargs={"year": analysis.round.budget_year, "forvaltning_id": analysis.forvaltning_id},
    )
    return f"{url}?{ITEM_PARAMETER}={item_id}"


def confirmed(request) -> bool:
    """Whether the POST comes from a confirmation page (it carries
    ``confirm=1``). A step that cannot simply be taken back — moving the
    phase, submitting, returning, publishing, a rättelse — is taken only
    then; any other POST (an old form, a crafted request) is answered with
    the confirmation page and changes nothing."""
    return request.method == "POST" and request.POST.get("confirm") == "1"


def get_round(year: int, *prefetch) -> Round:
    """The round, with its forum result (or none) joined in: whether it is
    published is asked by every write rule (``prioritering.access.is_final``)."""
    return get_object_or_404(
        Round.objects.select_related("forum_result").prefetch_related(*prefetch),
        budget_year=year,
    )


def get_analysis(request, year: int, forvaltning_id: int) -> Analysis:
    """The analysis, or 404 when it does not exist or the user may not know of
    it (another förvaltning's draft)."""
    analysis = get_object_or_404(
        Analysis.objects.select_related(
            "round__forum_result", "forvaltning__namnd"
        ).prefetch_related("round__deadlines"),
        round__budget_year=year,
        forvaltning_id=forvaltning_id,
    )
    if not may(request.user, "view_analysis", analysis):
        raise Http404
    return analysis


def get_proposal(request, year: int, number: int) -> Proposal:
    """The proposal, or 404 when it does not exist or the user may not know of
    it (another förvaltning's draft)."""
    proposal = get_object_or_404(
        with_faktaunderlag(Proposal.objects)
        .select_related(
            "round__forum_result",  # is_final(): the write rules ask it, no query
            "analysis__round",
            "analysis__forvaltning__namnd",
            "analysis_item",
            "verksamhetsomrade",
            "fokusomrade",
            "perspektiv",
            "orsak",
            "effekt_pa_sikt",
            "withdrawn_by",
            "created_by",
            # The proposal's life across years starts from these (no extra queries).
            "decision",
            "carried_into",
        )
        .prefetch_related("analysis__round__deadlines", "mal"),
        round__budget_year=year,
        number=number,
    )
    if not may(request.user, "view_proposal", proposal):
        raise Http404
    return proposal


def file_download(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download under ``filename``, never sniffed as
    anything else; 404 when the file is gone from the storage."""
    try:
        stream = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
