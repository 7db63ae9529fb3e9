"""``{% proposal_ranking proposal %}``: a proposal's way through the ranking —
the nämnd's rank and handling, the forum's sammanvägd rangordning, the agreed
place and the decision — for the proposal's page (rounds does not import
ranking; its template asks this tag). The tag only draws: the read is
:func:`ranking.selectors.proposal_ranking`'s, one query, kept for the request."""

from django import template

from ranking import selectors

register = template.Library()


@register.inclusion_tag("ranking/includes/proposal_ranking.html")
def proposal_ranking(proposal):
    return selectors.proposal_ranking(proposal)
