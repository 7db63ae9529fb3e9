"""What the PDF documents say, as a :class:`~ranking.documents.pdf.Layout`:
many small parts, each a complete HTML document, that the renderer lays out
in parallel processes and joins in order; and for the decision document a
front (cover and table of contents) laid out last, when the page each chapter
begins on is known.

Why so many parts, and such plain markup: WeasyPrint's time and memory grow
with the pages of one layout, and every box, text run, font and selector on a
page costs. A decision document of 1 500 proposals is some 1 600 pages, and it
must be made in seconds. So

- the long tables (the ranked table, the flagged proposals, the decisions)
  come in slices of ``rows_per_part`` rows: fixed layout, short cells only —
  the long texts are on the proposal pages;
- the proposal pages come ``per_part`` at a time; they, like every part of the
  decision document but its front (which carries the date), are marked ``reuse``:
  their HTML depends on nothing but the proposals, so an unchanged slice is
  taken from the renderer's cache the next time;
- a proposal page is headings and paragraphs only: the short fields of a
  section joined in one paragraph, each long text a paragraph of its own, no
  wrappers, tables, floats or inline blocks, and no whitespace between tags;
- each part inlines the base style sheet and the one sheet it needs.

The HTML of what repeats (table rows, proposal pages) is written here in
Python rather than by templates: Django's template engine spent seconds on
1 500 proposal pages. Templates keep the one-off parts and their long texts.

Every part is self-contained: the CSS is inlined, the charts are inline SVG,
the fonts are the system's DejaVu; the renderer fetches no URL. The data is
read once per document in a fixed number of queries, whatever the number of
proposals; the rules (budget line, review flags) are those of
``ranking.decisions`` and ``ranking.budget``, not recomputed here.
"""

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from prioritering.templatetags.formatting import signed_number, tkr
from ranking import budget, decisions, matrix, services
from ranking.aggregate import RULE as AGGREGATE_RULE
from ranking.documents.pdf import Layout, Part
from ranking.models import Handling, NamndRanking, NamndResult
from ranking.review import QUESTIONS as REVIEW_QUESTIONS
from ranking.review import RULES as REVIEW_RULES
from rounds.forms.proposal import SECTIONS, fields_for_round
from rounds.history import EMPTY, LONG_TEXT_FIELDS, current_values, display, label, list_item_names
from rounds.models import (
    Analysis,
    AnalysisColumn,
    AnalysisItem,
    Grad,
    Kostnadseffektivitet,
    ListItem,
    ListKind,
    Proposal,
    ProposalType,
    Round,
    Svarighetsgrad,
)

HERE = Path(__file__).parent
TEMPLATES = "ranking/documents/"
# The style sheets: the base one goes into every part, with one of the others.
SHEETS = {
    "base": "print.css",
    "front": "print_front.css",
    "tables": "print_tables.css",
    "pages": "print_pages.css",
}
RANSONERING_FIELDS = {"ransonering_kind", "ransonering_detail"}
# The investment's cost per year is shown as one range.
RANGE_FIELDS = {"cost_per_year_min", "cost_per_year_max"}
# Between the short fields of a paragraph; the no-break space keeps the dot
# from starting a line.
SEPARATOR = "\u00a0· "
# The table of contents of the decision document: (id, heading).
DECISION_CHAPTERS = (
    ("sammanfattning", "Sammanfattning"),
    ("budgetlinje", "Budgetlinjen"),
    ("matris", "Förslagen efter svårighetsgrad och nytta"),
    ("rangordning", "Förslagen i forumets ordning"),
    ("granskning", "Granskning"),
    ("beslut", "Beslut och motiveringar"),
    ("forslagen", "Förslagen"),
)


@cache
def style(name: str) -> str:
    """One style sheet, read once per process (each part inlines it)."""
    return (HERE / SHEETS[name]).read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the
    ``<style>`` element it stands in (names come from users)."""
    escaped = (
        str(text)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("<", "\\3C ")
        .replace(">", "\\3E ")
        .replace("\n", " ")
        .replace("\r", " ")
    )
    return f'"{escaped}"'


def long_date(value) -> str:
    """A date as "24 november 2026" (in the active language's words)."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


def _decimal(value: float | None) -> str:
    if value is None:
        return EMPTY
    return number_format(value, decimal_pos=1 if value % 1 else 0)


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    size = max(1, int(size))
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _e(text) -> str:
    """Escaped for HTML text and attributes."""
    return html.escape(str(text), quote=True)


def _text(text) -> str:
    """A user's text, escaped, its line breaks kept as they are: paragraphs
    and cells keep them (white-space: pre-line), cheaper than a <br> each."""
    value = str(text).strip()
    if not value:
        return EMPTY
    return _e(value).replace("\r\n", "\n").replace("\r", "\n")


def _labels(choices) -> dict:
    """A choice field's words, looked up once per document (not per value)."""
    return {value: str(name) for value, name in choices}


# --- parts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The running header in the top margin: kommun left, the document right."""

    left: str
    right: str

    def css(self) -> str:
        return (
            f"@page {{ @top-left {{ content: {css_string(self.left)}; }} "
            f"@top-right {{ content: {css_string(self.right)}; }} }}"
        )


def document(body: str, *, title: str, header: Header, sheet: str) -> str:
    """A complete HTML document: the base style sheet and ``sheet`` inlined,
    the running header, ``body`` (already HTML)."""
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{style('base')}{style(sheet)}"
        f"{header.css()}</style></head><body>{body}</body></html>"
    )


def fragment(template: str, context: dict) -> str:
    """A template's HTML, for the body of a part."""
    return render_to_string(TEMPLATES + template, context)


# --- tables ----------------------------------------------------------------------------


@dataclass
class Column:
    label: str
    width: str = ""  # a col class of print_tables.css; none: the rest of the width
    num: bool = False


def _colgroup(columns: Sequence[Column]) -> str:
    cols = "".join(f'<col class="{c.width}">' if c.width else "<col>" for c in columns)
    return f"<colgroup>{cols}</colgroup>"


def _head_cells(columns: Sequence[Column], attributes: str = "") -> str:
    return "".join(
        f'<th{attributes} class="n">{_e(c.label)}</th>'
        if c.num
        else f"<th{attributes}>{_e(c.label)}</th>"
        for c in columns
    )


def _thead(columns: Sequence[Column]) -> str:
    return f"<thead><tr>{_head_cells(columns)}</tr></thead>"


def _row(cells: Sequence[str], columns: Sequence[Column]) -> str:
    """One row; ``cells`` are HTML already."""
    return (
        "<tr>"
        + "".join(
            f'<td class="n">{cell}</td>' if column.num else f"<td>{cell}</td>"
            for cell, column in zip(cells, columns, strict=True)
        )
        + "</tr>"
    )


def _table(colgroup: str, thead: str, rows: Iterable[str], foot: str = "") -> str:
    return f"<table>{colgroup}{thead}<tbody>{''.join(rows)}</tbody>{foot}</table>"


def _joined(*values: str) -> str:
    """Values that share a cell, in one run of text: "Liten · Stor · Hög"."""
    return " · ".join(" ".join(str(value).split()) or EMPTY for value in values)


def _proposal_cell(proposal: Proposal) -> str:
    return f"{_e(proposal.reference)} {_e(proposal.title)}"


# --- a proposal's page ------------------------------------------------------------------


@dataclass
class Field:
    label: str
    value: str
    long: bool = False

    def html(self, bold: bool = False) -> str:
        value = _text(self.value) if self.long else _e(self.value or EMPTY)
        if bold:
            return f"<b>{_e(self.label)}:</b> {value}"
        return f"{_e(self.label)}: {value}"


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
            f'<p class="k">{_e(self.namnd)} · {_e(self.forvaltning)}</p>'
            f'<h2 id="{self.anchor}">{_e(self.reference)} {_e(self.proposal.title)}</h2>'
        ]
        if self.ranking:
            out.append(_paragraphs(self.ranking, outcome=True))
        for section in self.sections:
            out.append(f"<h3>{_e(section.legend)}</h3>")
            if section.solo:
                only = section.fields[0]
                out.append(f"<p>{_text(only.value) if only.long else _e(only.value)}</p>")
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
        self.labels = {name: label(name).removesuffix(" (tkr)") for name in self.names}
        # Beside the nämnd's and the forum's ranks, say whose rank this is.
        self.labels["rangordning"] = _("Förvaltningens rangordning")
        self.legends = {section.key: str(section.legend) for section in SECTIONS}
        self.choices = {}
        for name in self.names:
            model_field = Proposal._meta.get_field(name)
            if name != "mal" and model_field.choices:
                self.choices[name] = _labels(model_field.flatchoices)
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


def _page_parts(
    pages: Sequence[ProposalPage], per_part: int, *, title: str, header: Header
) -> list[Part]:
    """The proposal pages, ``per_part`` to a part; the HTML depends on the
    pages only, so an unchanged part can come from the renderer's cache."""
    return [
        Part(
            document(
                "".join(page.html() for page in chunk), title=title, header=header, sheet="pages"
            ),
            reuse=True,
        )
        for chunk in _chunks(pages, per_part)
    ]


# --- what the decision document says of one proposal -----------------------------------


def _namnd_rankings(proposal_ids: list[int]) -> dict[int, NamndRanking]:
    return {
        ranking.proposal_id: ranking
        for ranking in NamndRanking.objects.filter(proposal_id__in=proposal_ids).select_related(
            "result"
        )
    }


def _paragraph(result) -> str:
    """The § of a nämnd's decision, without a § typed into the field."""
    return (result.paragraph or "").strip().lstrip("§").strip() or EMPTY


def _namnd_rank_text(ranking: NamndRanking | None, handling: dict) -> str:
    if ranking is None:
        return EMPTY
    text = str(ranking.rank) if ranking.rank else _("Inte rangordnat")
    if ranking.handling:
        text += f" – {handling.get(ranking.handling, ranking.handling)}"
    result = ranking.result
    if result.decision_date:
        text += " " + _("(beslut %(date)s § %(paragraph)s)") % {
            "date": long_date(result.decision_date),
            "paragraph": _paragraph(result),
        }
    return text


def _combined_text(combined) -> str:
    if not combined.count:
        return _("Inte rangordnat i forumet")
    return _("Median %(median)s (medel %(mean)s, %(count)s deltagare)") % {
        "median": _decimal(combined.median),
        "mean": _decimal(round(combined.mean, 1)),
        "count": combined.count,
    }


def _line_text(row) -> str:
    kind = matrix.kind_of(row)
    if kind == matrix.FUNDED:
        return _("Ryms över budgetlinjen")
    if kind == matrix.GIVEN_UP:
        return _("Under budgetlinjen – det kommunen avstår")
    if kind == matrix.SAVING:
        return _("Besparing som vidgar ramen")
    return _("Utanför budgetlinjen")


def _decision_text(decision) -> str:
    if decision is None:
        return _("Inget beslut registrerat")
    text = decision.get_outcome_display()
    if decision.amount_tkr is not None:
        text += f" ({tkr(decision.amount_tkr)})"
    return text


def _correction_text(correction) -> str:
    """A rättelse after publication, as the documents word it beside the
    published decision."""
    return _("Rättelse %(when)s: %(outcome)s. Skäl: %(reason)s") % {
        "when": long_date(correction.corrected_at),
        "outcome": _decision_text(correction),
        "reason": correction.reason,
    }


def _departure(row) -> str:
    """The computed place, when the forum decided another."""
    if row.place is not None and row.place.departs:
        return _("(sammanvägd rangordning: plats %(computed)s)") % {
            "computed": row.place.computed_position
        }
    return ""


def _decision_ranking(row, ranking: NamndRanking | None, handling: dict) -> list[Field]:
    """The outcome band of a proposal's page: place, ranks, line, decision,
    motivations and the review's flags."""
    place = f"{row.position} {_departure(row)}".strip()
    fields = [
        Field(_("Plats i forumets ordning"), place),
        Field(_("Forumets sammanvägda rangordning"), _combined_text(row.combined)),
        Field(_("Nämndens rangordning"), _namnd_rank_text(ranking, handling)),
        Field(_("Budgetlinjen"), _line_text(row)),
        Field(_("Beslut"), _decision_text(row.decision)),
    ]
    for correction in row.corrections:
        fields.append(Field(_("Rättelse efter publicering"), _correction_text(correction), True))
    if row.decision is not None:
        fields.append(Field(_("Motivering"), row.decision.motivation, True))
    if row.place is not None and row.place.departs and row.place.motivation:
        fields.append(Field(_("Motivering till platsen"), row.place.motivation, True))
    if row.flags:
        reasons = "\n".join(flag.reason for flag in row.flags)
        fields.append(Field(_("Granskningens markering"), reasons, True))
    return fields


# --- the decision document -------------------------------------------------------------


@dataclass
class Total:
    """A line of the summary's tables: count and cost år 1 of a group of
    proposals, and how the budget line splits it."""

    label: str
    count: int = 0
    cost: int = 0
    funded_count: int = 0
    funded: int = 0
    given_up_count: int = 0
    given_up: int = 0

    def add(self, row) -> None:
        self.count += 1
        self.cost += row.proposal.cost_year1
        if row.step is not None and row.step.funded:
            self.funded_count += 1
            self.funded += row.step.cost
        elif row.step is not None:
            self.given_up_count += 1
            self.given_up += row.step.cost


def totals(rows, key) -> tuple[list[Total], Total]:
    """Per group (``key(row)`` gives its label), sorted by label, and the sum of all."""
    groups: dict[str, Total] = {}
    overall = Total(_("Totalt"))
    for row in rows:
        name = key(row)
        groups.setdefault(name, Total(name)).add(row)
        overall.add(row)
    return [groups[name] for name in sorted(groups)], overall


def _outcome_counts(rows) -> list[tuple[str, int, int]]:
    """Per decision: its words, how many proposals, and their cost år 1 (the
    amount granted for partial financing)."""
    counts: dict[str, list] = {}
    for row in rows:
        decision = row.decision
        name = _decision_text(None) if decision is None else decision.get_outcome_display()
        entry = counts.setdefault(name, [0, 0])
        entry[0] += 1
        amount = decision.amount_tkr if decision and decision.amount_tkr is not None else None
        entry[1] += amount if amount is not None else row.proposal.cost_year1
    return [(name, count, cost) for name, (count, cost) in counts.items()]


def _review_questions(result) -> list[tuple[str, str]]:
    return [
        (str(question), getattr(result, name, "") if result else "")
        for name, question, _hint in REVIEW_QUESTIONS
    ]


class DecisionFront:
    """The cover and the table of contents, given the page of each chapter;
    everything else is read when the document is made, so the renderer can
    call it late (and in the language the document was made in)."""

    def __init__(self, context: dict, header: Header, title: str):
        self.context = context
        self.header = header
        self.title = title
        self.language = translation.get_language() or settings.LANGUAGE_CODE

    def __call__(self, pages: dict[str, int]) -> str:
        with translation.override(self.language):
            entries = [
                (_(heading), pages.get(anchor, EMPTY)) for anchor, heading in DECISION_CHAPTERS
            ]
            body = fragment("decision_front.html", {**self.context, "entries": entries})
            return document(body, title=self.title, header=self.header, sheet="front")


class RankedTable:
    """The ranked table in the forum compilation's columns, sliced. Related
    columns share a cell, their values joined in the order the heading names
    them (nämnd · fokusområde · verksamhetsområde; …): every cell and every
    line of text costs WeasyPrint time, and 15 cells a row made the 1 500
    rows take a third as long as all the proposal pages. The costs keep a
    column each, to be read down. The konsekvensanalys is on each proposal's
    page."""

    def __init__(self):
        self.typ = _labels(ProposalType.choices)
        self.svarighetsgrad = _labels(Svarighetsgrad.choices)
        self.grad = _labels(Grad.choices)
        self.kostnadseffektivitet = _labels(Kostnadseffektivitet.choices)
        self.columns = [
            Column(_("Plats"), "c-place", True),
            Column(_("Sammanfattande beskrivning")),
            Column(_joined(_("Nämnd"), _("Fokusområde"), _("Verksamhetsområde")), "c-group"),
            Column(_joined(_("Typ"), _("Orsak till behov"), _("Effekt på längre sikt")), "c-group"),
            Column(_("År 1"), "c-money", True),
            Column(_("År 2"), "c-money", True),
            Column(_("År 3"), "c-money", True),
            Column(
                _joined(_("Svårighetsgrad"), _("Nyttan"), _("Kostnadseffektivitet")), "c-assess"
            ),
            Column(_("Sammanvägd rangordning"), "c-median", True),
        ]
        # Two header rows, "Kostnader, tkr" over the three years.
        before, years, after = self.columns[:4], self.columns[4:7], self.columns[7:]
        rowspan = ' rowspan="2"'
        self.thead = (
            f"<thead><tr>{_head_cells(before, rowspan)}"
            f'<th colspan="3" class="g">{_e(_("Kostnader, tkr"))}</th>'
            f"{_head_cells(after, rowspan)}</tr><tr>{_head_cells(years)}</tr></thead>"
        )
        self.colgroup = _colgroup(self.columns)

    @staticmethod
    def _name(item) -> str:
        return item.name if item else EMPTY

    def row(self, row) -> str:
        p = row.proposal
        namnd = p.analysis.forvaltning.namnd
        return _row(
            [
                str(row.position),
                _proposal_cell(p),
                _e(
                    _joined(
                        namnd.short_name or namnd.name,
                        self._name(p.fokusomrade),
                        self._name(p.verksamhetsomrade),
                    )
                ),
                _e(
                    _joined(
                        self.typ.get(p.typ, p.typ),
                        self._name(p.orsak),
                        self._name(p.effekt_pa_sikt),
                    )
                ),
                signed_number(p.cost_year1),
                signed_number(p.cost_year2),
                signed_number(p.cost_year3),
                _e(
                    _joined(
                        self.svarighetsgrad.get(p.svarighetsgrad, EMPTY),
                        self.grad.get(p.nytta, EMPTY),
                        self.kostnadseffektivitet.get(p.kostnadseffektivitet, EMPTY),
                    )
                ),
                _decimal(row.combined.median) if row.combined.count else EMPTY,
            ],
            self.columns,
        )

    def rows(self, rows, line) -> list[str]:
        """Every row, and the budget line drawn above the first row below it
        (in the same item: the slices count proposals)."""
        out, drawn = [], False
        words = _("Budgetlinjen – ramen %(frame)s. Förslagen nedanför är det kommunen avstår.")
        for row in rows:
            html = self.row(row)
            if not drawn and row.step is not None and not row.step.funded:
                text = words % {"frame": tkr(line.effective_frame)}
                html = (
                    f'<tr class="line"><td colspan="{len(self.columns)}">{_e(text)}</td></tr>{html}'
                )
                drawn = True
            out.append(html)
        return out


def _flagged_columns() -> tuple[list[Column], str, str]:
    columns = [
        Column(_("Plats"), "c-place", True),
        Column(_("Förslag"), "c-title"),
        Column(_("Markering")),
    ]
    return columns, _colgroup(columns), _thead(columns)


def _flagged_row(row, columns) -> str:
    reasons = "\n".join(_e(flag.reason) for flag in row.flags)
    return _row([str(row.position), _proposal_cell(row.proposal), reasons], columns)


def _decisions_columns() -> tuple[list[Column], str, str]:
    columns = [
        Column(_("Plats"), "c-place", True),
        Column(_("Förslag"), "c-title"),
        Column(_("År 1"), "c-cost", True),
        Column(_("Beslut"), "c-outcome"),
        Column(_("Motivering")),
    ]
    return columns, _colgroup(columns), _thead(columns)


def _decision_row(row, columns) -> str:
    decision = row.decision
    outcome = _e(_decision_text(decision)) if decision else EMPTY
    for correction in row.corrections:
        outcome += f"<br>{_e(_correction_text(correction))}"
    motivation = _text(decision.motivation) if decision and decision.motivation.strip() else ""
    if row.place is not None and row.place.departs:
        departed = _("Forumet avvek från den sammanvägda rangordningen (plats %(computed)s):") % {
            "computed": row.place.computed_position
        }
        note = f"{_e(departed)} {_text(row.place.motivation)}"
        motivation = f"{motivation}\n{note}" if motivation else note
    return _row(
        [
            str(row.position),
            _proposal_cell(row.proposal),
            tkr(row.proposal.cost_year1),
            outcome,
            motivation or EMPTY,
        ],
        columns,
    )


def _sliced(
    rows: Sequence[str],
    rows_per_part: int,
    *,
    table: tuple[str, str],
    lead: str = "",
    empty: str = "",
    wide: bool = False,
    title: str,
    header: Header,
) -> list[Part]:
    """A long table in parts of ``rows_per_part`` rows; the first part opens
    with ``lead`` (the chapter's heading and text), and each repeats the
    table's head. No rows: the lead and ``empty``."""
    colgroup, thead = table
    wrap = ('<div class="wide">', "</div>") if wide else ("", "")
    chunks = list(_chunks(rows, rows_per_part)) or [None]
    parts = []
    for index, chunk in enumerate(chunks):
        body = lead if index == 0 else ""
        body += _table(colgroup, thead, chunk) if chunk else empty
        # Its HTML holds nothing but its rows: an unchanged slice is reused.
        html = document(f"{wrap[0]}{body}{wrap[1]}", title=title, header=header, sheet="tables")
        parts.append(Part(html, reuse=True))
    return parts


def decision_document(round: Round, *, per_part: int = 75, rows_per_part: int = 300) -> Layout:
    """The decision document of ``round``: the front (cover and contents),
    the summary with the charts, the ranked table, the review, the decisions,
    and one page per proposal in the decided order."""
    result = decisions.result_of(round)
    rows = decisions.with_flags(decisions.outcome_rows(round))
    line = decisions.with_line(rows, round.frame_tkr)
    proposals = [row.proposal for row in rows]
    prefetch_related_objects(proposals, "mal")
    rankings = _namnd_rankings([p.pk for p in proposals])
    kommun = round.kommun.name
    typ_names = _labels(ProposalType.choices)
    header = Header(kommun, _("Beslutsunderlag %(year)s") % {"year": round.budget_year})
    title = _("%(kommun)s: beslutsunderlag %(year)s") % {
        "kommun": kommun,
        "year": round.budget_year,
    }
    published = result is not None and result.is_published
    front = DecisionFront(
        {
            "kommun": kommun,
            "round_name": str(round),
            "today": long_date(timezone.localdate()),
            "status": (
                _("Publicerat %(date)s") % {"date": long_date(result.published_at)}
                if published
                else _("Utkast")
            ),
            "purpose": round.get_purpose_display(),
            "frame": round.frame_tkr,
            "count": len(rows),
        },
        header,
        title,
    )
    part = {"title": title, "header": header}
    parts = [_summary_part(round, result, rows, line, typ_names, **part)]
    parts += _ranked_parts(rows, line, rows_per_part, **part)
    parts += _review_parts(result, rows, rows_per_part, **part)
    parts += _decision_parts(rows, rows_per_part, **part)
    parts.append(
        Part(
            document(fragment("divider.html", {"count": len(rows)}), sheet="tables", **part),
            reuse=True,
        )
    )
    parts += _page_parts(_decision_pages(round, rows, rankings), per_part, **part)
    return Layout(parts=parts, toc=[anchor for anchor, _heading in DECISION_CHAPTERS], front=front)


def _summary_part(round, result, rows, line, typ_names, *, title, header) -> Part:
    by_namnd, namnd_total = totals(rows, lambda r: r.proposal.analysis.forvaltning.namnd.name)
    by_typ, typ_total = totals(rows, lambda r: typ_names.get(r.proposal.typ, r.proposal.typ))
    context = {
        "result": result,
        "count": len(rows),
        "line": line,
        "chart": budget.chart(line),
        "matrix": matrix.matrix_for(rows),
        "budget_rule": budget.RULE,
        "summary_tables": [
            (_("Per nämnd"), by_namnd, namnd_total, _("Nämnd")),
            (_("Per typ"), by_typ, typ_total, _("Typ")),
        ],
        "outcome_counts": _outcome_counts(rows),
        "savings": any(row.step is None for row in rows),
        "decided": sum(1 for row in rows if row.decision),
        "order_recorded": long_date(result.order_recorded_at) if result else "",
    }
    body = fragment("decision.html", context)
    return Part(document(body, title=title, header=header, sheet="tables"), reuse=True)


def _ranked_note() -> str:
    return _(
        "Plats är forumets beslutade plats; kostnader i tkr. Konsekvensanalysen och hela "
        "bedömningen står på förslagets sida."
    )


def _ranked_parts(rows, line, rows_per_part, *, title, header) -> list[Part]:
    table = RankedTable()
    lead = (
        f'<h2 id="rangordning">{_e(_("Förslagen i forumets ordning"))}</h2>'
        f'<p class="note">{_e(AGGREGATE_RULE)} '
        f"{_e(_ranked_note())}</p>"
    )
    return _sliced(
        table.rows(rows, line),
        rows_per_part,
        table=(table.colgroup, table.thead),
        lead=lead,
        wide=True,
        title=title,
        header=header,
    )


def _review_parts(result, rows, rows_per_part, *, title, header) -> list[Part]:
    flagged = [row for row in rows if row.flags]
    lead = fragment(
        "decision_review.html",
        {
            "result": result,
            "review_recorded": long_date(result.review_recorded_at) if result else "",
            "questions": _review_questions(result),
            "flag_rules": REVIEW_RULES,
            "flagged": bool(flagged),
        },
    )
    columns, colgroup, thead = _flagged_columns()
    return _sliced(
        [_flagged_row(row, columns) for row in flagged],
        rows_per_part,
        table=(colgroup, thead),
        lead=lead,
        title=title,
        header=header,
    )


def _decision_parts(rows, rows_per_part, *, title, header) -> list[Part]:
    columns, colgroup, thead = _decisions_columns()
    return _sliced(
        [_decision_row(row, columns) for row in rows],
        rows_per_part,
        table=(colgroup, thead),
        lead=f'<h2 id="beslut">{_e(_("Beslut och motiveringar"))}</h2>',
        title=title,
        header=header,
    )


def _decision_pages(round, rows, rankings) -> list[ProposalPage]:
    assessment = Assessment(round)
    handling = _labels(Handling.choices)
    pages = []
    for row in rows:
        page = assessment.page(row.proposal)
        page.ranking = _decision_ranking(row, rankings.get(row.proposal.pk), handling)
        pages.append(page)
    return pages


# --- one förvaltning's verksamhetsanalys ------------------------------------------------

# The lists of the analysis and ranking documents are short; should one not
# be, it is sliced like the decision document's tables.
LIST_ROWS_PER_PART = 300


def analysis_document(analysis: Analysis, *, per_part: int = 75) -> Layout:
    """One förvaltning's verksamhetsanalys: a title block and the perspektiv ×
    column grid, the list of its proposals, then each proposal's page."""
    round = analysis.round
    kommun = round.kommun.name
    forvaltning = analysis.forvaltning
    perspektiv = list(ListItem.objects.filter(round_id=round.pk, kind=ListKind.PERSPEKTIV))
    by_cell: dict[tuple[int, int], list[str]] = {}
    for perspektiv_id, column, text in (
        AnalysisItem.objects.filter(analysis=analysis)
        .order_by("position", "pk")
        .values_list("perspektiv_id", "column", "text")
    ):
        by_cell.setdefault((perspektiv_id, column), []).append(text)
    grid = [
        {
            "perspektiv": item.name,
            "cells": [by_cell.get((item.pk, column), []) for column in AnalysisColumn.values],
        }
        for item in perspektiv
    ]
    proposals = list(
        Proposal.objects.filter(analysis=analysis)
        .select_related("round", "analysis__forvaltning__namnd")
        .prefetch_related("mal")
        .order_by("number")
    )
    header = Header(
        kommun,
        _("Verksamhetsanalys %(year)s, %(forvaltning)s")
        % {"year": round.budget_year, "forvaltning": forvaltning.name},
    )
    part = {"title": header.right, "header": header}
    first = fragment(
        "analysis.html",
        {
            "round_name": str(round),
            "forvaltning": forvaltning,
            "namnd": forvaltning.namnd,
            "today": long_date(timezone.localdate()),
            "status": analysis.get_status_display(),
            "submitted": long_date(analysis.submitted_at),
            "columns": [str(name) for name in AnalysisColumn.labels],
            "grid": grid,
            "count": len(proposals),
        },
    )
    parts = [Part(document(first, sheet="tables", **part))]
    parts += _analysis_list_parts(proposals, **part)
    assessment = Assessment(round)
    pages = []
    for proposal in proposals:
        page = assessment.page(proposal)
        if proposal.is_withdrawn:
            page.ranking = [
                Field(_("Återkallat"), long_date(proposal.withdrawn_at)),
                Field(_("Skäl"), proposal.withdrawn_reason or EMPTY, True),
            ]
        pages.append(page)
    parts += _page_parts(pages, per_part, **part)
    return Layout(parts=parts)


def _analysis_list_parts(proposals, *, title, header) -> list[Part]:
    typ = _labels(ProposalType.choices)
    svarighetsgrad, grad = _labels(Svarighetsgrad.choices), _labels(Grad.choices)
    kostnadseffektivitet = _labels(Kostnadseffektivitet.choices)
    columns = [
        Column(_("Förslag")),
        Column(_("Typ"), "c-word"),
        Column(_("Svårighetsgrad"), "c-scale"),
        Column(_("Nytta"), "c-scale"),
        Column(_("Kostnadseffektivitet"), "c-scale"),
        Column(_("Förvaltningens rangordning"), "c-median", True),
        Column(_("År 1"), "c-cost", True),
    ]
    withdrawn = _("återkallat")
    rows = [
        _row(
            [
                _proposal_cell(p) + (f" <i>({_e(withdrawn)})</i>" if p.is_withdrawn else ""),
                _e(typ.get(p.typ, p.typ)),
                _e(svarighetsgrad.get(p.svarighetsgrad, EMPTY)),
                _e(grad.get(p.nytta, EMPTY)),
                _e(kostnadseffektivitet.get(p.kostnadseffektivitet, EMPTY)),
                str(p.rangordning) if p.rangordning else EMPTY,
                tkr(p.cost_year1),
            ],
            columns,
        )
        for p in proposals
    ]
    total = sum(p.cost_year1 for p in proposals if not p.is_withdrawn)
    foot = (
        f'<tfoot><tr><td colspan="6">{_e(_("Totalt år 1 (utom återkallade)"))}</td>'
        f'<td class="n">{tkr(total)}</td></tr></tfoot>'
    )
    lead = f'<h2 id="forslagslista">{_e(_("Förvaltningens förslag"))}</h2>'
    if rows:
        note = _(
            "Varje förslag står med hela sin bedömning på en egen sida på de följande sidorna."
        )
        lead += f'<p class="note">{_e(note)}</p>'
    parts = _sliced(
        rows,
        LIST_ROWS_PER_PART,
        table=(_colgroup(columns), _thead(columns)),
        lead=lead,
        empty=f"<p>{_e(_('Förvaltningen har inga förslag i omgången.'))}</p>",
        title=title,
        header=header,
    )
    if rows:  # the total under the last slice
        last = parts[-1]
        last.html = last.html.replace("</tbody></table>", f"</tbody>{foot}</table>")
    return parts


# --- one nämnd's ranking -----------------------------------------------------------------


def ranking_document(namnd_result: NamndResult, *, per_part: int = 75) -> Layout:
    """One nämnd's ranking: a title block with the nämnd's decision (date
    and §) and the cost per handling, the ranked list, then each ranked
    proposal's page."""
    result = namnd_result
    round, namnd = result.round, result.namnd
    kommun = round.kommun.name
    rankings = services.rankings_for_reading(result) if result.pk else []
    proposals = [ranking.proposal for ranking in rankings]
    prefetch_related_objects(proposals, "mal", "analysis__forvaltning__namnd")
    handling = _labels(Handling.choices)
    handling_totals = {value: [0, 0] for value in Handling.values}
    unset = [0, 0]
    for ranking in rankings:
        entry = handling_totals.get(ranking.handling, unset)
        entry[0] += 1
        entry[1] += ranking.proposal.cost_year1
    header = Header(
        kommun,
        _("Rangordning %(year)s, %(namnd)s") % {"year": round.budget_year, "namnd": namnd.name},
    )
    part = {"title": header.right, "header": header}
    first = fragment(
        "ranking.html",
        {
            "round_name": str(round),
            "result": result,
            "namnd": namnd,
            "today": long_date(timezone.localdate()),
            "decision_date": long_date(result.decision_date),
            "paragraph": _paragraph(result),
            "recorded": long_date(result.recorded_at),
            "count": len(rankings),
            "handling_totals": [
                (name, *handling_totals[value]) for value, name in Handling.choices
            ],
            "unset": unset,
            "total": sum(p.cost_year1 for p in proposals),
        },
    )
    parts = [Part(document(first, sheet="tables", **part))]
    if rankings:
        parts += _ranking_list_parts(rankings, handling, namnd.name, **part)
    assessment = Assessment(round)
    pages = []
    for place, ranking in enumerate(rankings, start=1):
        page = assessment.page(ranking.proposal)
        page.ranking = [
            Field(_("Plats i nämndens ordning"), str(place)),
            Field(_("Nämndens rangordning"), str(ranking.rank) if ranking.rank else EMPTY),
            Field(_("Hantering"), handling.get(ranking.handling) or _("Inte bestämd")),
        ]
        pages.append(page)
    parts += _page_parts(pages, per_part, **part)
    return Layout(parts=parts)


def _ranking_list_parts(rankings, handling, namnd: str, *, title, header) -> list[Part]:
    typ = _labels(ProposalType.choices)
    svarighetsgrad, grad = _labels(Svarighetsgrad.choices), _labels(Grad.choices)
    kostnadseffektivitet = _labels(Kostnadseffektivitet.choices)
    columns = [
        Column(_("Ordning"), "c-place", True),
        Column(_("Förslag")),
        Column(_("Förvaltning"), "c-word"),
        Column(_("Typ"), "c-word"),
        Column(_("Svårighetsgrad"), "c-scale"),
        Column(_("Nytta"), "c-scale"),
        Column(_("Kostnadseffektivitet"), "c-scale"),
        Column(_("Förvaltningens rangordning"), "c-median", True),
        Column(_("År 1"), "c-money", True),
        Column(_("År 2"), "c-money", True),
        Column(_("År 3"), "c-money", True),
        Column(_("Nämndens rangordning"), "c-median", True),
        Column(_("Hantering"), "c-outcome"),
    ]
    rows = []
    for place, ranking in enumerate(rankings, start=1):
        p = ranking.proposal
        rows.append(
            _row(
                [
                    str(place),
                    _proposal_cell(p),
                    _e(p.analysis.forvaltning.name),
                    _e(typ.get(p.typ, p.typ)),
                    _e(svarighetsgrad.get(p.svarighetsgrad, EMPTY)),
                    _e(grad.get(p.nytta, EMPTY)),
                    _e(kostnadseffektivitet.get(p.kostnadseffektivitet, EMPTY)),
                    str(p.rangordning) if p.rangordning else EMPTY,
                    signed_number(p.cost_year1),
                    signed_number(p.cost_year2),
                    signed_number(p.cost_year3),
                    str(ranking.rank) if ranking.rank else EMPTY,
                    _e(handling.get(ranking.handling, EMPTY)),
                ],
                columns,
            )
        )
    lead = f'<h2 id="rangordning">{_e(_("Rangordning i %(namnd)s") % {"namnd": namnd})}</h2>'
    return _sliced(
        rows,
        LIST_ROWS_PER_PART,
        table=(_colgroup(columns), _thead(columns)),
        lead=lead,
        wide=True,
        title=title,
        header=header,
    )
