"""The round's formatted texts: the small markup renders, and nothing in it can
run a script or load anything."""

import pytest
from django.utils.safestring import SafeString

from rounds.formatting import render_instructions


def test_paragraphs_headings_lists_bold_and_links():
    html = render_instructions(
        "## Syfte\n\nVi fördelar **nya resurser**.\n\n"
        "Läs [modellen](https://prioriteringscentrum.se/modell) först.\n"
        "- Steg ett\n- Steg två\n\n### Kontakt\n\nSkriv till [oss](mailto:ekonomi@kommun.se)."
    )
    assert isinstance(html, SafeString)
    assert "<h3>Syfte</h3>" in html
    assert "<h4>Kontakt</h4>" in html
    assert "<strong>nya resurser</strong>" in html
    assert '<a href="https://prioriteringscentrum.se/modell" rel="noopener noreferrer">' in html
    assert '<a href="mailto:ekonomi@kommun.se" rel="noopener noreferrer">oss</a>' in html
    # A list straight under its lead-in line is still a list.
    assert "<ul>\n<li>Steg ett</li>\n<li>Steg två</li>\n</ul>" in html
    assert html.count("<p>") == 3


def test_headings_never_compete_with_the_page():
    html = render_instructions("# Ett\n\n## Två\n\n### Tre\n\n###### Sex")
    assert "<h1>" not in html and "<h2>" not in html
    assert html.count("<h3>") == 2
    assert html.count("<h4>") == 2


def test_headings_one_level_lower_under_a_heading_of_their_own():
    html = render_instructions("## Befolkning\n\n### Barn", top_heading=4)
    assert "<h4>Befolkning</h4>" in html
    assert "<h5>Barn</h5>" in html


def test_empty_text_renders_nothing():
    assert render_instructions("") == ""
    assert render_instructions("   \n\n ") == ""
    assert render_instructions(None) == ""


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "Text <script src=https://evil.example/x.js></script>",
        "<div>\n<script>alert(1)</script>\n</div>",
        "**<script>alert(1)</script>**",
    ],
)
def test_script_is_shown_as_text_never_as_a_tag(text):
    html = render_instructions(text)
    assert "<script" not in html
    assert "&lt;script" in html


@pytest.mark.parametrize(
    "text",
    [
        '<a href="https://x.se" onclick="alert(1)">länk</a>',
        '<p onmouseover="alert(1)">text</p>',
        "<b onmouseover=alert(1)>fet</b>",
        "<img src=x onerror=alert(1)>",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_event_handler_attributes_never_reach_the_page(text):
    html = render_instructions(text)
    # The raw HTML is escaped, so no element carries an on* attribute.
    assert "<img" not in html and "<svg" not in html and "<p onmouseover" not in html
    assert "<a href" not in html and "<b " not in html


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_links_keep_only_web_and_mail_addresses(href):
    html = render_instructions(f"[klicka]({href})")
    assert "klicka" in html
    assert "href" not in html
    assert "script:" not in html.lower()
    assert "data:" not in html


def test_images_are_dropped():
    html = render_instructions("![diagram](https://x.se/a.png) text")
    assert "<img" not in html
    assert "text" in html


@pytest.mark.parametrize(
    "text",
    [
        '<iframe src="https://evil.example"></iframe>',
        '<object data="x.swf"></object>',
        "<style>body{display:none}</style>",
        '<form action="https://evil.example"><input name=x></form>',
        "<!-- dold -->synlig",
    ],
)
def test_raw_html_is_neutralised(text):
    html = render_instructions(text)
    for tag in ("<iframe", "<object", "<style", "<form", "<input", "<!--"):
        assert tag not in html


def test_only_allowed_tags_come_out():
    import re

    html = render_instructions(
        "# A\n\n**b** *c* `d`\n\n1. e\n2. f\n\n> g\n\n---\n\n"
        "<https://x.se> [h](http://y.se 'titel')"
    )
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"p", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "br"}
