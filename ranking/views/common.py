"""What the ranking app's views share: the round with its forum result, the
controller's notice of proposals held back from the forum, the texts the
long tables show per proposal, and what a moved row's message says (the
nämnd's ranking and the forum's sheets)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from prioritering.access import may
from prioritering.numbers import parse_int
from prioritering.templatetags.formatting import tkr
from ranking import robustness, selectors
from ranking.ranks import Moved
from ranking.review import QUESTIONS as REVIEW_QUESTIONS
from rounds.models import (
    Grad,
    Kostnadseffektivitet,
    ProposalType,
    Round,
    Svarighetsgrad,
)
from rounds.models.proposal import reference_for, types_text


def review_questions() -> list[tuple[str, str, str]]:
    """The review's questions as (field, question, help) in the language of
    the request."""
    return [(name, str(question), str(hint)) for name, question, hint in REVIEW_QUESTIONS]


def get_forum_round(year) -> Round:
    """The round, with its ForumResult and who recorded what, in one query for
    the page and the rules."""
    round = get_object_or_404(
        Round.objects.select_related(
            "forum_result__order_recorded_by",
            "forum_result__review_recorded_by",
            "forum_result__published_by",
        ),
        budget_year=year,
    )
    selectors.result_of(round)  # kept on the round, with the round on it
    return round


def get_published_round(year) -> Round:
    """The round of the public pages and the open data: an unpublished round
    does not exist for the public (404)."""
    round = get_forum_round(year)
    if not may(None, "view_published", round):
        raise Http404
    return round


def forum_context(round, request=None, **extra):
    result = selectors.result_of(round)
    held = held_back_for(request, round) if request is not None else []
    return {"round": round, "result": result, "held_back": held, **extra}


def held_back_for(request, round) -> list:
    """What the nämnder sent on that is out of the forum because its analysis
    was returned (``selectors.held_back``) — for the controller, who is told
    so on the forum's pages."""
    if not may(request.user, "manage_round", round):
        return []
    return selectors.held_back(round)


def shown_texts(round) -> Callable:
    """A function giving, per proposal, the texts a long table shows: labels
    and amounts computed in Python from choice tables made once per request,
    instead of a template lookup and a translation per cell (600+ rows)."""
    labels = {
        "typ": {value: str(label) for value, label in ProposalType.choices},
        "svarighetsgrad": {value: str(label) for value, label in Svarighetsgrad.choices},
        "nytta": {value: str(label) for value, label in Grad.choices},
        "kostnadseffektivitet": {
            value: str(label) for value, label in Kostnadseffektivitet.choices
        },
    }
    detail = reverse("proposal_detail", kwargs={"year": round.budget_year, "number": 1})
    prefix = detail.removesuffix("1/")

    def texts(proposal) -> dict:
        # Read along by ranking.selectors.outcome_page_rows; otherwise the
        # proposal's nämnd is at hand through its analysis.
        namnd = getattr(proposal, "namnd_shown", None)
        if namnd is None:
            found = proposal.analysis.forvaltning.namnd
            namnd = found.short_name or found.name
        return {
            "reference": reference_for(round.budget_year, proposal.number),
            "url": f"{prefix}{proposal.number}/",
            "namnd": namnd,
            "typ": types_text(proposal.typ, proposal.also_types, labels["typ"]),
            "cost_year1": tkr(proposal.cost_year1),
            **{
                name: labels[name].get(getattr(proposal, name), "–")
                for name in ("svarighetsgrad", "nytta", "kostnadseffektivitet")
            },
        }

    return texts


def moved_message(reference: str, moved: Moved) -> str:
    """Where a "Flytta upp/ned" left the row, said after the page reloads
    (without JavaScript; static/js/ranklist.js says it in the page)."""
    values = {"reference": reference, "place": moved.place, "count": moved.count}
    if not moved.changed:
        return _("%(reference)s står kvar på plats %(place)s av %(count)s.") % values
    if moved.rank is None:
        return (
            _("%(reference)s flyttades till plats %(place)s av %(count)s (utan rangordning).")
            % values
        )
    return _(
        "%(reference)s flyttades till plats %(place)s av %(count)s (rangordning %(rank)s)."
    ) % {**values, "rank": moved.rank}


def percent_from(request) -> tuple[int, str | None, str]:
    """The cost variation to try the line with: ?kostnad= when a whole
    percent from 1 to 50 (trying it saves nothing), else 10 — with the error
    in Swedish and what was typed, to show it again."""
    raw = request.GET.get("kostnad", "").strip()
    if not raw:
        return robustness.DEFAULT_PERCENT, None, ""
    try:
        value = parse_int(raw.removesuffix("%").strip(), minimum=1, maximum=robustness.MAX_PERCENT)
    except ValidationError:
        message = _("Ange ett heltal från 1 till %(max)s, i procent.") % {
            "max": robustness.MAX_PERCENT
        }
        return robustness.DEFAULT_PERCENT, message, raw
    return value, None, str(value)


def robustness_context(rows, analysis, percent_error=None, percent_value="") -> dict:
    """What the robustness section (``ranking/includes/robustness.html``)
    shows (``selectors.robustness_shown``), with the cost variation tried."""
    return {
        **selectors.robustness_shown(rows, analysis),
        "percent_error": percent_error,
        "percent_value": percent_value or analysis.percent,
    }
