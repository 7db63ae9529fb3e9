"""``{% riktvarden round %}``: kommunens riktvärden of a round beside the
source's two worked examples, wherever the guide is shown."""

from django import template

from rounds.assessment import riktvarden_rows, source_examples

register = template.Library()


@register.inclusion_tag("rounds/_riktvarden.html")
def riktvarden(round, collapsed=False):
    """``collapsed``: inside a <details> (beside a form's field)."""
    return {
        "rows": riktvarden_rows(round.riktvarden),
        "examples": source_examples(),
        "collapsed": collapsed,
    }


@register.inclusion_tag("rounds/_source_examples.html")
def source_examples_table():
    """The source's two worked examples alone (beside the riktvärden's inputs)."""
    return {"examples": source_examples()}
