"""``{% proposal_ranking proposal %}``: a proposal's way through the ranking —
the nämnd's rank and handling, the forum's sammanvägd rangordning, the agreed
place and the decision — for the proposal's page (rounds does not import
ranking; its template asks this tag). One query, whatever the proposal's
history."""

from django import template
from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast

from ranking import aggregate
from ranking.models import ForumRank
from rounds.models import Proposal

register = template.Library()


# The data is kept on the proposal for the rest of the request: the page's
# life across years (followup.lifecycle) asks for it too, and reads it with
# :func:`with_ranking` and :func:`remember_ranking` in its own queries.
CACHED = "_proposal_ranking"


@register.inclusion_tag("ranking/includes/proposal_ranking.html")
def proposal_ranking(proposal):
    cached = proposal.__dict__.get(CACHED)
    if cached is None:
        cached = proposal.__dict__[CACHED] = _proposal_ranking(proposal)
    return dict(cached)


def with_ranking(queryset):
    """``queryset`` of proposals read with what their way through the ranking
    needs, in the same query; :func:`remember_ranking` then keeps each one's
    data for :func:`proposal_ranking`."""
    ranks = (
        ForumRank.objects.filter(proposal=OuterRef("pk"))
        .values("proposal")
        .annotate(ranks=StringAgg(Cast("rank", CharField()), delimiter=Value(",")))
        .values("ranks")
    )
    return queryset.select_related(
        "namnd_ranking__result", "agreed_place__result", "decision"
    ).annotate(forum_rank_list=Subquery(ranks))


def remember_ranking(proposal, found) -> None:
    """Keep ``found``'s (a proposal read through :func:`with_ranking`) way
    through the ranking on ``proposal`` for the rest of the request."""
    proposal.__dict__[CACHED] = _ranking_data(proposal, found)


def _proposal_ranking(proposal):
    found = with_ranking(Proposal.objects.filter(pk=proposal.pk)).first()
    return {} if found is None else _ranking_data(proposal, found)


def _ranking_data(proposal, found) -> dict:
    namnd = getattr(found, "namnd_ranking", None)
    place = getattr(found, "agreed_place", None)
    forum = [int(value) for value in (found.forum_rank_list or "").split(",") if value]
    return {
        "namnd_ranking": namnd if namnd and namnd.result.round_id == proposal.round_id else None,
        "combined": aggregate.combine(forum) if forum else None,
        "place": place if place and place.result.order_recorded_at else None,
        "decision": getattr(found, "decision", None),
    }
