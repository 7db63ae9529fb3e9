"""A proposal's page, as the PDF documents print it: its assessment field by
field, in the form's sections — shared by the analysis document (here), the
nämnd's ranking and the decision document (``ranking.documents.pdf_content``),
which put how the proposal was ranked and decided on a band above it.

A page is headings and paragraphs only: the short fields of a section joined
in one paragraph, each long text a paragraph of its own, no wrappers, tables,
floats or inline blocks, and no whitespace between tags — every box and text
run costs WeasyPrint time, and a decision document has 1 500 such pages.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from documents.markup import Header, chunks, document, escape, escape_text, labels
from documents.pdf import Part
from prioritering.history import (
    EMPTY,
    LONG_TEXT_FIELDS,
    current_values,
    display,
    list_item_names,
    shown_label,
)
from prioritering.templatetags.formatting import tkr
from rounds.models import Proposal, ProposalType, Round
from rounds.proposal_fields import SECTIONS, fields_for_round

# Proposal pages per render part: small enough to spread over the processes
# and to show progress, large enough that starting a part costs little.
PROPOSALS_PER_PART = 75
# The lists of the analysis and ranking documents are short; should one not
# be, it is sliced like the decision document's tables.
LIST_ROWS_PER_PART = 300
RANSONERING_FIELDS = {"ransonering_kind", "ransonering_detail"}
# The investment's cost per year is shown as one range.
RANGE_FIELDS = {"cost_per_year_min", "cost_per_year_max"}
# Between the short fields of a paragraph; the no-break space keeps the dot
# from starting a line.
SEPARATOR = "\u00a0· "


def proposal_cell(proposal: Proposal) -> str:
    """A proposal in a table's cell: its reference and title."""
    return f"{escape(proposal.reference)} {escape(proposal.title)}"


# --- a proposal's page ------------------------------------------------------------------


@dataclass
class Field:
    label: str
    value: str
    long: bool = False

    def html(self, bold: bool = False) -> str:
        value = escape_text(self.value) if self.long else escape(self.value or EMPTY)
        if bold:
            return f"<b>{escape(self.label)}:</b> {value}"
        return f"{escape(self.label)}: {value}"


@dataclass
class Section:
    legend: str
    fields: list[Field]

    @property
    def solo(self) -> bool:
        """One field named like its section (Typ, Kommentar): no label needed."""
        return len(self.fields) == 1 and self.fields[0].label.lower() == self.legend.lower()


def _paragraphs(fields: Sequence[Field], outcome: bool = False) -> str:
    """The fields in their order: a long text in a paragraph of its own, the
    short fields between (and long ones left empty) joined in one. Only the
    outcome's labels are bold: a bold label is a text run of its own, and
    some 40 of them made a page 60 % slower to lay out."""
    opening = '<p class="o">' if outcome else "<p>"
    out: list[str] = []
    joined: list[str] = []
    for f in fields:
        if f.long and f.value.strip() and f.value != EMPTY:
            if joined:
                out.append(opening + SEPARATOR.join(joined) + "</p>")
                joined = []
            out.append(opening + f.html(outcome) + "</p>")
        else:
            joined.append(Field(f.label, f.value.strip() or EMPTY).html(outcome))
    if joined:
        out.append(opening + SEPARATOR.join(joined) + "</p>")
    return "".join(out)


@dataclass
class ProposalPage:
    """What one proposal's page shows: its assessment, field by field, and
    (in the decision and ranking documents) how it was ranked and decided,
    first, on a tinted band."""

    proposal: Proposal
    reference: str
    namnd: str
    forvaltning: str
    sections: list[Section]
    ranking: list[Field] = field(default_factory=list)
    anchor: str = ""

    def html(self) -> str:
        out = [
            f'<p class="k">{escape(self.namnd)} · {escape(self.forvaltning)}</p>'
            f'<h2 id="{self.anchor}">{escape(self.reference)} {escape(self.proposal.title)}</h2>'
        ]
        if self.ranking:
            out.append(_paragraphs(self.ranking, outcome=True))
        for section in self.sections:
            out.append(f"<h3>{escape(section.legend)}</h3>")
            if section.solo:
                only = section.fields[0]
                out.append(f"<p>{escape_text(only.value) if only.long else escape(only.value)}</p>")
            else:
                out.append(_paragraphs(section.fields))
        return "".join(out)


class Assessment:
    """Turns proposals into their sections of fields, with labels and choice
    words looked up once per document rather than once per value."""

    def __init__(self, round: Round):
        # The title is the page's heading; every other field is listed.
        self.names = tuple(name for name in fields_for_round(round) if name != "title")
        self.items = list_item_names(round.pk)
        # The values say "tkr" themselves.
        self.labels = {name: shown_label(name) for name in self.names}
        # Beside the nämnd's and the forum's ranks, say whose rank this is.
        self.labels["rangordning"] = _("Förvaltningens rangordning")
        self.legends = {section.key: str(section.read_heading) for section in SECTIONS}
        self.choices = {}
        for name in self.names:
            model_field = Proposal._meta.get_field(name)
            if name != "mal" and model_field.choices:
                self.choices[name] = labels(model_field.flatchoices)
        self.range_label = _("Kostnad per år")

    def _display(self, name: str, value) -> str:
        words = self.choices.get(name)
        if words is not None and value not in (None, ""):
            return words.get(value, str(value))
        return display(name, value, self.items)

    def sections(self, proposal: Proposal) -> list[Section]:
        values = current_values(proposal, self.names)
        ransonering = proposal.typ == ProposalType.RANSONERING
        out = []
        for section in SECTIONS:
            fields = [
                Field(
                    self.labels[name], self._display(name, values[name]), name in LONG_TEXT_FIELDS
                )
                for name in section.fields
                if name in values
                and name not in RANGE_FIELDS
                and not (name in RANSONERING_FIELDS and not ransonering)
            ]
            if section.key == "kostnader" and self._has_range(proposal, values):
                fields.append(Field(self.range_label, self._range(proposal)))
            if fields:
                out.append(Section(self.legends[section.key], fields))
        return out

    @staticmethod
    def _has_range(proposal: Proposal, values: dict) -> bool:
        """Kostnad per år belongs to investments (and to any proposal that has one)."""
        return "cost_per_year_min" in values and (
            proposal.typ == ProposalType.INVESTERING
            or proposal.cost_per_year_min is not None
            or proposal.cost_per_year_max is not None
        )

    @staticmethod
    def _range(proposal: Proposal) -> str:
        """The investment's cost per year as one range, e.g. "2 000–2 500 tkr"."""
        low, high = proposal.cost_per_year_min, proposal.cost_per_year_max
        if low is None and high is None:
            return EMPTY
        if low is None or high is None or low == high:
            return tkr(low if high is None else high)
        return f"{tkr(low, '')}–{tkr(high)}"

    def page(self, proposal: Proposal) -> ProposalPage:
        forvaltning = proposal.analysis.forvaltning
        return ProposalPage(
            proposal=proposal,
            reference=proposal.reference,
            namnd=forvaltning.namnd.name,
            forvaltning=forvaltning.name,
            sections=self.sections(proposal),
            anchor=f"forslag-{proposal.pk}",
        )


def page_parts(
    pages: Sequence[ProposalPage],
    per_part: int,
    *,
    title: str,
    header: Header,
    intro: str = "",
) -> list[Part]:
    """The proposal pages, ``per_part`` to a part; the HTML depends on the
    pages only, so an unchanged part can come from the renderer's cache.
    ``intro`` (HTML, the same whatever the pages; headings and paragraphs of
    class ``pages-intro``) opens the first page instead of standing on a page
    of its own."""
    parts = []
    for index, chunk in enumerate(chunks(pages, per_part)):
        body = "".join(page.html() for page in chunk)
        if index == 0 and intro:
            body = intro + body
        parts.append(Part(document(body, title=title, header=header, sheet="pages"), reuse=True))
    return parts
