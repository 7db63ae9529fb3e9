"""``{% may_follow_up user round as ok %}``: whether the round's follow-up
(its index page) is open to the user — the same answer the view gives."""

from django import template

from rounds.views.followup_reports import may_follow_up as _may_follow_up

register = template.Library()


@register.simple_tag
def may_follow_up(user, round) -> bool:
    return _may_follow_up(user, round)
