"""The public page of a published round, readable without signing in: the
list of published rounds, one round's outcome with its budget line, matrix
chart and decisions, the decisions of KS and KF with their protocols, and
its decision document as a PDF."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from documents.models import Document, DocumentStatus
from prioritering.access import may, require
from ranking import budget, selectors
from ranking.aggregate import RULE
from ranking.documents import DECISION_PDF
from ranking.matrix import matrix_for
from ranking.models import Outcome
from ranking.views.common import (
    get_published_round,
    percent_from,
    review_questions,
    robustness_context,
)
from rounds.models import Round
from rounds.views.common import get_round
from rounds.views.documents import file_response


@require_GET
def public_list(request):
    rounds = (
        Round.objects.filter(forum_result__published_at__isnull=False)
        .select_related("kommun", "forum_result")
        .order_by("-budget_year")
    )
    return render(request, "ranking/public/list.html", {"rounds": rounds})


@require_GET
def public_round(request, year):
    round = get_published_round(year)
    rows = selectors.with_flags(selectors.outcome_rows(round), round)
    line = selectors.with_line(rows, round.frame_tkr, round.purpose)
    percent, percent_error, percent_value = percent_from(request)
    analysis = selectors.robustness_of(round, rows, line, percent)
    by_key = {row.proposal.pk: row for row in rows}
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.decision.outcome] = counts.get(row.decision.outcome, 0) + 1
    context = {
        "round": round,
        "result": round.forum_result,
        "rows": rows,
        "line": line,
        "chart": budget.chart(line),
        # The matrix chart: from the rows in hand, no queries
        "matrix": matrix_for(rows),
        "budget_rule": budget.rule(round.purpose),
        "figures": budget.figures(line),
        "rule": RULE,
        "questions": [
            (question, getattr(round.forum_result, name))
            for name, question, _hint in review_questions()
        ],
        "savings": [by_key[key] for key in line.saving_keys],
        "corrected": [row for row in rows if row.corrections],
        "outcome_counts": [
            (label, counts[value]) for value, label in Outcome.choices if value in counts
        ],
        # Documents
        "decision_document": published_document(round),
        # What KS and KF decided on the result
        "body_decisions": selectors.body_decisions(round),
        # What the nämnder kept within their frames or stopped
        "namnd_decisions": selectors.namnd_decisions(round),
        # Whom the forum represented: never who they are
        "representations": selectors.forum_representations(round),
        # How sure the line is (ranking.robustness)
        **robustness_context(rows, analysis, percent_error, percent_value),
    }
    return render(request, "ranking/public/round.html", context)


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
    return file_response(document)


def published_document(round) -> Document | None:
    """The latest decision document made from the published round, if any."""
    return (
        Document.objects.filter(
            round=round,
            kind=DECISION_PDF,
            status=DocumentStatus.DONE,
            public=True,
        )
        .select_related("round__forum_result")
        .order_by("-version")
        .first()
    )
