"""The many marks of the charts — the budget line's bars, the matrix's
bubbles — written in Python rather than mark by mark in their templates
(``ranking/includes/budget_chart.html``, ``matrix_chart.html``): with 1,200
proposals the template loops were about a fifth of the budget line page's
time. The templates keep the rest of the drawing (axes, lines, texts) and
load these filters for the marks. Colours: the palette's (static/css/app.css
:root; tests/test_palette.py reads this file as it reads the templates).
Numbers are written as ``|stringformat:'s'`` wrote them; a label is escaped."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A bar of the budget line: above the line solid, below it hatched.
BAR = {
    True: '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#0b4f6c"></rect>',
    False: (
        '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="url(#budget-hatch)" '
        'stroke="#8a3b12" stroke-width="1"></rect>'
    ),
}

# A bubble of the matrix by its kind, and the legend's mark of that kind: the
# kinds differ in fill and stroke (solid, hatched and dashed, white with a
# thick ring, grey and dotted), not in colour alone.
BUBBLE = {
    "funded": '<circle cx="{cx}" cy="{cy}" r="{r}" {extra}'
    'fill="#0b4f6c" stroke="#083a50" stroke-width="1"></circle>',
    "given_up": '<circle cx="{cx}" cy="{cy}" r="{r}" {extra}'
    'fill="url(#matrix-hatch)" stroke="#8a3b12" stroke-width="1.5" stroke-dasharray="4 2">'
    "</circle>",
    "saving": '<circle cx="{cx}" cy="{cy}" r="{r}" {extra}'
    'fill="#ffffff" stroke="#1c6b37" stroke-width="3"></circle>',
    "outside": '<circle cx="{cx}" cy="{cy}" r="{r}" {extra}'
    'fill="#e4eaef" stroke="#50585f" stroke-width="1.5" stroke-dasharray="1.5 2"></circle>',
}
LABEL = (
    '<text x="{cx}" y="{cy}" dy="0.35em" text-anchor="middle" font-size="{size}" '
    'font-weight="700" fill="{fill}">{label}</text>'
)
# The number in a bubble: white on the dark solid bubble, dark on the others.
LABEL_FILL = {"funded": "#ffffff"}
LABEL_FILL_OTHERWISE = "#1d2327"


def _bubble(kind: str) -> str:
    return BUBBLE.get(kind, BUBBLE["outside"])


@register.filter
def budget_bars(bars) -> SafeString:
    """The bars (``ranking.budget.Bar``), one rect each, in order."""
    return mark_safe(  # noqa: S308 (numbers only)
        "".join(
            BAR[bool(bar.funded)].format(x=bar.x, y=bar.y, width=bar.width, height=bar.height)
            for bar in bars
        )
    )


@register.filter
def matrix_bubbles(bubbles) -> SafeString:
    """The bubbles (``ranking.matrix.Bubble``) in order, each followed by its
    label where it has room for one."""
    out = []
    for b in bubbles:
        out.append(
            _bubble(b.kind).format(cx=b.cx, cy=b.cy, r=b.r, extra=f'class="matrix-{b.kind}" ')
        )
        if b.show_label:
            fill = LABEL_FILL.get(b.kind, LABEL_FILL_OTHERWISE)
            out.append(
                LABEL.format(cx=b.cx, cy=b.cy, size=b.font_size, fill=fill, label=escape(b.label))
            )
    return mark_safe("".join(out))  # noqa: S308 (the label is escaped, the rest numbers)


@register.filter
def matrix_mark(entry) -> SafeString:
    """The legend's mark for one kind (``ranking.matrix.LegendEntry``)."""
    return mark_safe(  # noqa: S308 (numbers only)
        _bubble(entry.kind).format(cx=entry.x, cy=entry.y, r=7, extra="")
    )
