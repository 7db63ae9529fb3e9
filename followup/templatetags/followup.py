"""``{% proposal_follow_up proposal user as follow_up %}``: what the follow-up
adds to a proposal's page — its life across years (``follow_up.lifecycle``,
drawn by ``followup/_lifecycle.html``), whether the user may carry it over
now (``follow_up.can_carry_over``) and its genomförande
(``follow_up.implementation``, drawn by ``followup/_implementation.html``).
Rounds' proposal template asks this tag, as it asks ranking's
``{% proposal_ranking %}``: rounds does not import the follow-up. The queries
are :func:`followup.lifecycle.lifecycle`'s, whose read of the proposal's way
through the ranking brings its genomförande (and serves the page's ranking
part)."""

from django import template

from followup.lifecycle import implementation, lifecycle
from followup.services import may_be_carried
from prioritering.access import may
from rounds.models import Proposal

register = template.Library()


@register.simple_tag
def proposal_follow_up(proposal: Proposal, user) -> dict:
    return proposal_context(user, proposal)


def may_carry_over(user, proposal: Proposal, **known) -> bool:
    """The user may carry the proposal over now, and it is one to carry: the
    button shows exactly when the form would accept. ``known``: the latest
    report's ``progress``, when the caller has it."""
    return may_be_carried(proposal, **known) and may(user, "carry_over_proposal", proposal)


def proposal_context(user, proposal: Proposal) -> dict:
    """What the proposal page adds: the life across years and the button."""
    life = lifecycle(proposal, user)
    own = next(stage for stage in life.stages if stage.current)
    # Who may carry a proposal over may read its follow-up: the reports the
    # life shows are the ones the rule needs.
    can_carry = own.reports is not None and may_carry_over(
        user, proposal, progress=own.reports[-1].progress if own.reports else ""
    )
    return {
        "lifecycle": life,
        "can_carry_over": can_carry,
        "implementation": implementation_context(user, proposal),
    }


def implementation_context(user, proposal: Proposal) -> dict | None:
    """The genomförande's parts and whether the user may record them; None
    when the user may not read it (or it has none: not decided to be carried
    out, or not published). The proposal is read with its decision and its
    round's forum result (``get_proposal``), so the rules ask nothing more."""
    if not may(user, "view_implementation", proposal):
        return None
    return {
        # Read with the proposal's way through the ranking, which the page's
        # ranking part then reuses: no query of its own.
        "parts": implementation(proposal),
        "may_record": may(user, "record_implementation", proposal),
    }
