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


@register.inclusion_tag("ranking/includes/proposal_ranking.html")
def proposal_ranking(proposal):
    ranks = (
        ForumRank.objects.filter(proposal=OuterRef("pk"))
        .values("proposal")
        .annotate(ranks=StringAgg(Cast("rank", CharField()), delimiter=Value(",")))
        .values("ranks")
    )
    found = (
        Proposal.objects.filter(pk=proposal.pk)
        .select_related("namnd_ranking__result", "agreed_place__result", "decision")
        .annotate(forum_rank_list=Subquery(ranks))
        .first()
    )
    if found is None:
        return {}
    namnd = getattr(found, "namnd_ranking", None)
    place = getattr(found, "agreed_place", None)
    forum = [int(value) for value in (found.forum_rank_list or "").split(",") if value]
    return {
        "namnd_ranking": namnd if namnd and namnd.result.round_id == proposal.round_id else None,
        "combined": aggregate.combine(forum) if forum else None,
        "place": place if place and place.result.order_recorded_at else None,
        "decision": getattr(found, "decision", None),
    }
