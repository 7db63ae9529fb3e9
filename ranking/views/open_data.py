"""The published round as open data, for anyone without signing in: the data
as JSON and CSV, the forum's anonymous ranks as a Pabulib file (when the round
publishes them), the JSON Schema, and a page explaining them.

The files are the same for every reader (always in Swedish), so they carry an
ETag of their body and may be cached for five minutes by anyone; a matching
``If-None-Match`` gets 304. Nothing of an unpublished round exists here (404)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET

from ranking import aggregate, budget, open_data, robustness
from ranking.views.common import get_published_round

CACHE_CONTROL = "public, max-age=300"


def _cached(request, body: bytes, content_type: str, filename: str | None = None):
    """``body`` with its ETag and cache headers, or 304 when the reader has it."""
    response = HttpResponse(body, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f"attachment; filename={filename}"
    response["ETag"] = open_data.etag(body)
    response["Cache-Control"] = CACHE_CONTROL
    # Django's own If-None-Match handling: 304 with the ETag and cache headers.
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _data(year) -> dict:
    round = get_published_round(year)
    return open_data.document(open_data.read(round))


@require_GET
def open_data_json(request, year):
    body = open_data.as_json(_data(year))
    return _cached(request, body, "application/json; charset=utf-8")


@require_GET
def open_data_csv(request, year):
    body = open_data.as_csv(_data(year))
    return _cached(request, body, "text/csv; charset=utf-8", f"prioriteringar-{year}.csv")


@require_GET
def open_data_pabulib(request, year):
    round = get_published_round(year)
    if not open_data.ballots_published(round):
        raise Http404
    data = open_data.document(open_data.read(round))
    body = open_data.as_pabulib(data).encode("utf-8")
    return _cached(request, body, "text/plain; charset=utf-8", f"rangordningar-{year}.pb")


@require_GET
def open_data_schema(request):
    body = open_data.SCHEMA_PATH.read_bytes()
    return _cached(request, body, "application/schema+json; charset=utf-8")


@require_GET
def open_data_page(request, year):
    """What the files are, their fields (from the schema), how the order and
    the line are computed and how to recompute them from the ballots. Not
    cached as the files are: the page carries the reader's header and a
    CSRF token."""
    round = get_published_round(year)
    schema = open_data.schema()
    context = {
        "round": round,
        "ballots": open_data.ballots_published(round),
        "fields": open_data.schema_fields(schema, "proposal"),
        "top_fields": open_data.schema_fields(schema, None),
        "stability_fields": open_data.schema_fields(schema, "stability"),
        "rule": aggregate.RULE,
        "budget_rule": budget.rule(round.purpose),
        "robustness_rule": robustness.RULE,
        "licence_name": settings.OPEN_DATA_LICENCE_NAME,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
    }
    return render(request, "ranking/public/open_data.html", context)
