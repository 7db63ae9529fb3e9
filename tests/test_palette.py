"""The charts draw in the app's palette (static/css/app.css :root) and their
marks stand out from the white ground (WCAG 2.1 1.4.11: 3:1 for the graphical
objects one needs to read the chart). The charts are SVG drawn on the server,
the same drawing on the web and in the PDFs, so their colours are attribute
values in the templates: these tests read the templates themselves."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CHARTS = [
    "templates/ranking/includes/budget_chart.html",
    "templates/ranking/includes/matrix_chart.html",
    "templates/followup/overview_chart.html",
    "ranking/templatetags/charts.py",
]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
WHITE = "#ffffff"
# Where the bars and bubbles are drawn: the budget line's and the matrix's
# marks are written in Python (their templates draw axes, lines and text).
MARKS = [
    "ranking/templatetags/charts.py",
    "templates/followup/overview_chart.html",
]


def palette() -> set[str]:
    css = (ROOT / "static/css/app.css").read_text(encoding="utf-8")
    root = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    return {value.lower() for value in re.findall(r"--[\w-]+:\s*(#[0-9a-fA-F]{6})\s*;", root)}


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def marks(template: str) -> list[tuple[str, list[str]]]:
    """Each bar or bubble of the chart as (its tag, the colours of its fill and
    stroke), once per {% if %} branch of its attributes; the patterns' own
    shapes (inside <defs>) are not marks."""
    text = (ROOT / template).read_text(encoding="utf-8")
    text = re.sub(r"<defs>.*?</defs>", "", text, flags=re.S)
    found = []
    for tag in re.findall(r"<(?:rect|circle)\b[^>]*>", text):
        parts = re.split(r"\{%\s*(?:if|elif|else|endif)\b[^%]*%\}", tag)
        common = parts[0] + parts[-1]
        branches = parts[1:-1] or [""]
        for branch in branches:
            colours = re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', common + branch)
            found.append((tag, [colour.lower() for colour in colours]))
    return found


def test_the_palette_is_read_from_the_stylesheet():
    colours = palette()
    assert {"#0b4f6c", "#1d2327", "#8a3b12"} <= colours


@pytest.mark.parametrize("template", CHARTS)
def test_a_chart_uses_only_the_palette(template):
    text = (ROOT / template).read_text(encoding="utf-8")
    used = {colour.lower() for colour in HEX.findall(text)}
    assert used, f"{template} names no colour"
    outside = used - palette() - {WHITE}
    assert not outside, f"{template} draws in colours outside the palette: {sorted(outside)}"


@pytest.mark.parametrize("template", MARKS)
def test_every_bar_and_bubble_stands_out_from_the_white_ground(template):
    shapes = marks(template)
    assert shapes, f"{template} draws no bar or bubble"
    for tag, colours in shapes:
        best = max((contrast(colour, WHITE) for colour in colours), default=0)
        assert best >= 3, f"{template}: {tag[:80]}… has no fill or stroke at 3:1 on white"
