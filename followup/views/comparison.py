"""Two rounds compared per nämnd (the controller's): proposals, costs, what
was funded, the funded share and the cost outcome so far. The numbers and
their rules are ``followup.comparison``'s."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from followup.comparison import RULES, compare
from prioritering.access import require
from prioritering.numbers import parse_id
from rounds.models import Round
from rounds.views.common import get_round


def _year(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    year = parse_id(value)
    if year is None:
        raise Http404
    return year


@login_required
@require_GET
def round_comparison(request, year):
    """``?med=<year>`` picks the other round; by default the year before."""
    round = get_round(year)
    require(request.user, "view_follow_up_overview", round)
    others = [
        other
        for other in Round.objects.filter(kommun_id=round.kommun_id).order_by("-budget_year")
        if other.pk != round.pk
    ]
    asked = _year(request.GET.get("med"))
    if asked is None:
        other = next((r for r in others if r.budget_year == year - 1), None)
    else:
        other = next((r for r in others if r.budget_year == asked), None)
        if other is None:
            raise Http404
    comparison = None
    if other is not None:
        require(request.user, "view_follow_up_overview", other)
        comparison = compare(round, other)
    context = {
        "round": round,
        "other": other,
        "others": others,
        "comparison": comparison,
        "rules": RULES,
    }
    return render(request, "followup/comparison.html", context)
