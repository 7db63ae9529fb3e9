"""The round's formatted texts (instructions, förutsättningar): a small markup,
rendered to HTML that cannot carry a script.

The controller writes paragraphs separated by a blank line, ``## `` headings,
``- `` lists, ``**bold**`` and links. Two locks keep it safe:

1. Markdown is told not to pass raw HTML through: ``<script>`` in the text is
   shown as text, not run.
2. Whatever Markdown produces is cleaned by nh3 (the Rust ``ammonia``
   sanitiser) against an allow-list of tags and attributes, and links keep
   only the http, https and mailto schemes.

Headings are moved down to h3/h4: the page that shows the text has its own
h1 and h2s, and a heading in the text must sit under them.
"""

import re
from xml.etree.ElementTree import Element

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {"p", "h3", "h4", "h5", "ul", "ol", "li", "strong", "em", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

HEADING = re.compile(r"^h([1-6])$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")


class _ListsWithoutBlankLine(Preprocessor):
    """People write a list straight under its lead-in line; Markdown wants a
    blank line first. Add it, so "- " starts a list as the help text says."""

    def run(self, lines):
        result = []
        for line in lines:
            if (
                LIST_ITEM.match(line)
                and result
                and result[-1].strip()
                and not LIST_ITEM.match(result[-1])
                and not result[-1].startswith((" ", "\t"))
            ):
                result.append("")
            result.append(line)
        return result


class _HeadingsUnderThePage(Treeprocessor):
    """``#`` and ``##`` become the top level (h3), ``###`` and deeper the next (h4)."""

    def __init__(self, md, top: int):
        super().__init__(md)
        self.top = top

    def run(self, root: Element) -> None:
        for element in root.iter():
            match = HEADING.match(element.tag)
            if match:
                level = int(match.group(1)) + self.top - 2
                element.tag = f"h{min(max(level, self.top), self.top + 1)}"


class _SafeMarkup(Extension):
    def __init__(self, top: int):
        super().__init__()
        self.top = top

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        # No raw HTML: it is escaped and shown as text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_ListsWithoutBlankLine(md), "lists_without_blank_line", 5)
        md.treeprocessors.register(
            _HeadingsUnderThePage(md, self.top), "headings_under_the_page", 1
        )


def render_instructions(text: str, *, top_heading: int = 3) -> SafeString:
    """The markup as safe HTML for a template; empty text gives an empty string.

    ``top_heading`` is the level of the text's highest heading: 3 (h3) under a
    page's h2, 4 when the text sits under an h3 of its own (a förutsättning)."""
    if top_heading not in (3, 4):
        raise ValueError("top_heading is 3 or 4")
    if not text or not text.strip():
        return mark_safe("")
    html = markdown.markdown(text, extensions=[_SafeMarkup(top_heading)], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 against an allow-list
