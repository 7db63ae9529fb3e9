"""Excel exports in the municipalities' own layouts (openpyxl).

Each writer fills a workbook in the layout of one of the source's tools — the
samples in ``shared/data/`` — with the same header words, so that the importer
(``rounds/importing``) reads our own exports back, and a municipality's people
recognise the sheet they used to mail around:

- :func:`write_analysis` — one förvaltning's verksamhetsanalys, perspektiv ×
  column, one item per line inside a cell;
- :func:`write_base_ranking` — the base ranking tool, one sheet per nämnd;
- :func:`write_investments` — the investment tool, one sheet per nämnd;
- :func:`write_forum_compilation` — the forum's compiled list, two header rows
  with "Kostnader" merged over år 1–3;
- :func:`write_decisions` — the agreed order with each decision and the
  budget line.

Why the workbook is written the way it is:

- **Formula injection.** openpyxl stores any text starting with ``=`` as a
  formula, and Excel runs ``+``, ``-`` and ``@`` too; every text cell goes
  through :func:`neutralise` (titles and header words included), so no cell an
  export writes is ever a formula. Numbers stay numbers.
- **Speed and memory.** Workbooks are write-only (rows stream to a temporary
  file), and each style is made once and shared by its cells, so 1 500
  proposals take well under a second and memory does not grow with them.
- **Queries.** Each writer reads through the selectors the pages use
  (``ranking.services.eligible_proposals``, ``forum_table``,
  ``decisions.outcome_rows``) with what it shows joined in, so the query count
  does not grow with the number of proposals.
- **Who sees what.** Round-wide exports hold only what every signed-in reader
  of the round may read: the selectors above list shared material only
  (``prioritering.access.shared_proposals``: proposals of submitted analyses),
  not withdrawn.
"""

import re
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass
from typing import IO

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ranking import decisions, services
from ranking.models import Outcome
from rounds.models import (
    Analysis,
    AnalysisColumn,
    AnalysisItem,
    Grad,
    Kostnadseffektivitet,
    ListItem,
    ListKind,
    Malomrade,
    Namnd,
    ProposalType,
    Rekommendation,
    Round,
    Svarighetsgrad,
)
from rounds.models.proposal import reference_for

Progress = Callable[[int, int], None] | None

CREATOR = "Prioritering"
# Whole tkr with a thousands separator: a Swedish Excel shows 1 500.
TKR = "#,##0"
# The sammanvägd rangordning is a median: a whole rank or a half.
RANK = "0.0"
PROGRESS_EVERY = 50

# The first characters that make a spreadsheet read a text as a formula (or
# that hide one behind a control character); OWASP / ASVS V1.2.10.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")

# Målområde as the base tool writes it (its header reads "Målområde Samhälle
# Invånare Organisation"), not the long labels of the form.
MALOMRADE_WORDS = {
    Malomrade.SAMHALLE: gettext_lazy("Samhälle"),
    Malomrade.INVANARE: gettext_lazy("Invånare"),
    Malomrade.ORGANISATION: gettext_lazy("Organisation"),
}
# What the Rangordning column says for a proposal the förvaltning recommends
# not to rank (DESIGN.md: "Icke-göra" or "FoU" instead of 1–10).
NOT_RANKED_WORDS = {
    Rekommendation.ICKE_GORA: gettext_lazy("Icke-göra"),
    Rekommendation.FOU: gettext_lazy("FoU"),
}


def neutralise(value):
    """``value`` made inert for a spreadsheet: a text whose first character
    would start a formula (``=``, ``+``, ``-``, ``@``, tab, CR, NUL) gets a
    leading ``'``; everything else — other texts, numbers, None — is returned
    unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell_value(value):
    """What a cell holds: texts without the control characters an xlsx file
    cannot carry (openpyxl refuses them) — dropped first, so that none can
    hide a formula behind it — and then neutralised."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


# --- styles -------------------------------------------------------------------

_THIN = Side(style="thin", color="808080")
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_PLAIN = Font()
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True, eq=False)
class Style:
    font: Font = _PLAIN
    alignment: Alignment = _TOP
    number_format: str = "General"
    fill: PatternFill | None = None
    border: Border | None = None


HEADER = Style(
    font=Font(bold=True),
    alignment=Alignment(vertical="bottom", wrap_text=True),
    fill=_HEADER_FILL,
    border=Border(bottom=_THIN),
)
GROUP_HEADER = Style(
    font=Font(bold=True),
    alignment=Alignment(horizontal="center", vertical="bottom", wrap_text=True),
    fill=_HEADER_FILL,
)
TITLE = Style(font=Font(bold=True, size=14), alignment=Alignment(vertical="top"))
LABEL = Style(font=Font(bold=True))
TEXT = Style()
WRAP = Style(alignment=_WRAP)
NUMBER = Style()
AMOUNT = Style(number_format=TKR)
RANK_STYLE = Style(number_format=RANK)


@dataclass(frozen=True)
class Column:
    """One column of a table: its header words, width (characters) and the
    style of its data cells."""

    header: str
    width: float
    style: Style = TEXT


class _Sheet:
    """A write-only worksheet whose cells copy one registered style array per
    style (far cheaper than assigning font, fill and format to every cell),
    with the conveniences every export wants."""

    def __init__(self, book: "_Book", title: str, widths: Iterable[float]):
        self.book = book
        self.ws = book.wb.create_sheet(title=book.sheet_title(title))
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.rows = 0
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True

    def cell(self, value, style: Style) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, _cell_value(value))
        cell._style = copy(self.book.prepared(style, self.ws))
        return cell

    def append(self, values: Iterable, styles: Iterable[Style]) -> int:
        self.ws.append([self.cell(v, s) for v, s in zip(values, styles, strict=True)])
        self.rows += 1
        return self.rows

    def table_header(self, columns: list[Column]) -> int:
        return self.append([c.header for c in columns], [HEADER] * len(columns))

    def freeze_below(self, first: int, last: int) -> None:
        """Freeze the panes below the header rows ``first``…``last`` and repeat
        them on every printed page. A write-only sheet needs this before its
        first row."""
        self.ws.freeze_panes = f"A{last + 1}"
        self.ws.print_title_rows = f"{first}:{last}"

    def filter(self, header_row: int, columns: int) -> None:
        """An autofilter over the table from ``header_row`` to the last row."""
        last = max(self.rows, header_row)
        self.ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{last}"


class _Book:
    def __init__(self, title: str):
        self.wb = Workbook(write_only=True)
        self.wb.properties.title = title
        self.wb.properties.creator = CREATOR
        self.wb.properties.lastModifiedBy = CREATOR
        self._titles: set[str] = set()
        # id(style) → (style, its registered StyleArray): styles are registered
        # with the workbook once, not hashed again for every cell.
        self._prepared: dict[int, tuple[Style, object]] = {}

    def prepared(self, style: Style, ws):
        """The workbook's style array for ``style`` (registered through a cell
        of ``ws``; the array is the same for every sheet of the workbook)."""
        found = self._prepared.get(id(style))
        if found is None:
            cell = WriteOnlyCell(ws)
            cell.font = style.font
            cell.alignment = style.alignment
            cell.number_format = style.number_format
            if style.fill is not None:
                cell.fill = style.fill
            if style.border is not None:
                cell.border = style.border
            found = self._prepared[id(style)] = (style, cell._style)
        return found[1]

    def sheet(self, title: str, widths: Iterable[float]) -> _Sheet:
        return _Sheet(self, title, widths)

    def sheet_title(self, name: str) -> str:
        return sheet_title(name, self._titles)

    def save(self, out: IO[bytes]) -> None:
        self.wb.save(out)


_INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts — at most 31 characters, none of ``[]:*?/\\``,
    not starting or ending with ``'`` — unique (ignoring case) among ``taken``,
    which it joins."""
    title = _INVALID_TITLE.sub(" ", str(name))
    title = ILLEGAL_CHARACTERS_RE.sub("", title)
    title = re.sub(r"\s+", " ", title).strip().strip("'").strip()[:MAX_TITLE].strip()
    title = title or _("Blad")
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = title[: MAX_TITLE - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


class _Counter:
    """Calls ``progress(done, total)`` every PROGRESS_EVERY rows and at the end."""

    def __init__(self, progress: Progress, total: int):
        self.progress = progress
        self.total = total
        self.done = 0
        if progress:
            progress(0, total)

    def step(self) -> None:
        self.done += 1
        if self.progress and self.done % PROGRESS_EVERY == 0 and self.done < self.total:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress:
            self.progress(self.total, self.total)


# --- shared texts -------------------------------------------------------------


def _labels(choices) -> dict:
    """A choice table's labels, translated once per export (not per cell)."""
    return {value: str(label) for value, label in choices}


def _namnd_name(namnd: Namnd) -> str:
    return namnd.short_name or namnd.name


def _name(item: ListItem | None) -> str | None:
    return item.name if item is not None else None


def _rank_word(proposal) -> object:
    if proposal.rangordning is not None:
        return proposal.rangordning
    word = NOT_RANKED_WORDS.get(proposal.rekommendation)
    return str(word) if word else None


def _cost_range(low: int | None, high: int | None):
    """Kostnad/år as the investment tool writes it: a range "2000–2500", or
    the one number when there is one."""
    if low is None and high is None:
        return None
    if low is None or high is None or low == high:
        return low if high is None else high
    return f"{low}–{high}"


def _round_title(kind: str, round: Round) -> str:
    return f"{kind} – {round}"


# --- verksamhetsanalys --------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def write_analysis(analysis: Analysis, out: IO[bytes], progress: Progress = None) -> int:
    """One förvaltning's verksamhetsanalys as in the source's grid: a title
    row, then a row per perspektiv with the four columns, one item per line
    inside a cell. Returns the number of items written."""
    round, forvaltning = analysis.round, analysis.forvaltning
    perspektiv = list(ListItem.objects.filter(round_id=round.pk, kind=ListKind.PERSPEKTIV))
    cells: dict[tuple[int, int], list[str]] = {}
    items = (
        AnalysisItem.objects.filter(analysis_id=analysis.pk)
        .order_by("position", "pk")
        .values_list("perspektiv_id", "column", "text")
    )
    count = 0
    for perspektiv_id, column, text in items:
        # Each item is a value of its own (neutralised as one), on one line: a
        # line break inside an item would split it in two.
        line = _LINE_BREAK.sub(" ", neutralise(text))
        cells.setdefault((perspektiv_id, column), []).append(line)
        count += 1
    counter = _Counter(progress, count)

    book = _Book(
        _("Verksamhetsanalys %(year)s – %(forvaltning)s")
        % {"year": round.budget_year, "forvaltning": forvaltning.name}
    )
    columns = [Column(_("Perspektiv"), 24, WRAP)] + [
        Column(str(label), 42, WRAP) for _value, label in AnalysisColumn.choices
    ]
    sheet = book.sheet(forvaltning.name, [c.width for c in columns])
    sheet.freeze_below(1, 2)
    sheet.append([_("Förvaltning: %(name)s") % {"name": forvaltning.name}], [LABEL])
    header = sheet.table_header(columns)
    styles = [c.style for c in columns]
    for item in perspektiv:
        lines = [cells.get((item.pk, column), []) for column in AnalysisColumn.values]
        sheet.append([item.name] + ["\n".join(cell) or None for cell in lines], styles)
        for cell in lines:
            for _line in cell:
                counter.step()
    sheet.filter(header, len(columns))
    book.save(out)
    counter.finish()
    return count


# --- the base ranking and investment tools --------------------------------------


def _per_namnd(round: Round, select) -> list[tuple[Namnd, list]]:
    """The round's proposals per nämnd, through the nämnd page's own selector
    (submitted analyses, not withdrawn), narrowed by ``select``; in the
    förvaltning's rangordning (unranked last), then by number."""
    groups = []
    for namnd in Namnd.objects.filter(kommun_id=round.kommun_id):
        proposals = list(
            select(services.eligible_proposals(round, namnd)).order_by(
                F("rangordning").asc(nulls_last=True), "number"
            )
        )
        if proposals:
            groups.append((namnd, proposals))
    return groups


def _write_tool(
    book: _Book,
    out: IO[bytes],
    groups: list[tuple[Namnd, list]],
    columns: list[Column],
    row: Callable,
    progress: Progress,
    empty_title: str,
) -> int:
    """A sheet per nämnd (one empty sheet with the header when there is
    nothing to show), saved to ``out``. Returns the rows written."""
    counter = _Counter(progress, sum(len(proposals) for _namnd, proposals in groups))
    styles = [c.style for c in columns]
    widths = [c.width for c in columns]
    for namnd, proposals in groups or [(None, [])]:
        sheet = book.sheet(_namnd_name(namnd) if namnd else empty_title, widths)
        sheet.freeze_below(1, 1)
        header = sheet.table_header(columns)
        for proposal in proposals:
            sheet.append(row(proposal), styles)
            counter.step()
        sheet.filter(header, len(columns))
    book.save(out)
    counter.finish()
    return counter.total


def write_base_ranking(round: Round, out: IO[bytes], progress: Progress = None) -> int:
    """The base ranking tool (basverktyg för rangordning), one sheet per nämnd
    with the proposals that are not investments. Returns the rows written."""
    svarighetsgrad, grad = _labels(Svarighetsgrad.choices), _labels(Grad.choices)
    kostnadseffektivitet = _labels(Kostnadseffektivitet.choices)
    malomrade = {value: str(word) for value, word in MALOMRADE_WORDS.items()}
    columns = [
        Column(_("Situation"), 40, WRAP),
        Column(_("Målområde"), 14),
        Column(_("Åtgärd/Insats"), 40, WRAP),
        Column(_("Svårighetsgrad"), 14),
        Column(_("Effekt av åtgärden"), 14),
        Column(_("Nytta för målområdet"), 14),
        Column(_("Kostnad"), 11, AMOUNT),
        Column(_("Kostnads-effektivitet"), 14),
        Column(_("Rangordning"), 12, NUMBER),
    ]

    def row(p):
        return [
            p.situation or p.title,
            malomrade.get(p.malomrade),
            p.atgard,
            svarighetsgrad.get(p.svarighetsgrad),
            grad.get(p.effekt),
            grad.get(p.nytta),
            p.cost_year1,
            kostnadseffektivitet.get(p.kostnadseffektivitet),
            _rank_word(p),
        ]

    groups = _per_namnd(round, lambda qs: qs.exclude(typ=ProposalType.INVESTERING))
    book = _Book(_round_title(_("Rangordning"), round))
    return _write_tool(book, out, groups, columns, row, progress, _("Rangordning"))


def write_investments(round: Round, out: IO[bytes], progress: Progress = None) -> int:
    """The investment tool (rangordning av förslag om investering), one sheet
    per nämnd with its proposals of typ investering. Returns the rows written."""
    svarighetsgrad, grad = _labels(Svarighetsgrad.choices), _labels(Grad.choices)
    kostnadseffektivitet = _labels(Kostnadseffektivitet.choices)
    columns = [
        Column(_("Situation + åtgärdsförslag / investeringsförslag"), 42, WRAP),
        Column(_("År 1 tkr"), 10, AMOUNT),
        Column(_("År 2 tkr"), 10, AMOUNT),
        Column(_("År 3 tkr"), 10, AMOUNT),
        Column(_("År 4-10 tkr"), 10, AMOUNT),
        Column(_("Situationens svårighetsgrad"), 15),
        Column(_("Åtgärdens förväntade effekt"), 15),
        Column(_("Bedömd nytta"), 13),
        Column(_("Kostnad/år tkr"), 13, AMOUNT),
        Column(_("Kostnads-effektivitet"), 14),
        Column(_("Rangordning 1 - 10"), 12, NUMBER),
    ]

    def row(p):
        return [
            p.title,
            p.cost_year1,
            p.cost_year2,
            p.cost_year3,
            p.cost_years4_10,
            svarighetsgrad.get(p.svarighetsgrad),
            grad.get(p.effekt),
            grad.get(p.nytta),
            _cost_range(p.cost_per_year_min, p.cost_per_year_max),
            kostnadseffektivitet.get(p.kostnadseffektivitet),
            _rank_word(p),
        ]

    groups = _per_namnd(round, lambda qs: qs.filter(typ=ProposalType.INVESTERING))
    book = _Book(_round_title(_("Investeringar"), round))
    return _write_tool(book, out, groups, columns, row, progress, _("Investeringar"))


# --- the forum compilation ------------------------------------------------------


def _median(combined):
    if combined.median is None:
        return None
    return int(combined.median) if combined.median.is_integer() else combined.median


def write_forum_compilation(round: Round, out: IO[bytes], progress: Progress = None) -> int:
    """The forum's compilation as in the source's tool for kommunövergripande
    prioritering: the proposals the nämnder forwarded, in the order of the
    compiled list (the sammanvägd rangordning). Returns the rows written."""
    rows = services.forum_table(round)
    typ = _labels(ProposalType.choices)
    svarighetsgrad, grad = _labels(Svarighetsgrad.choices), _labels(Grad.choices)
    kostnadseffektivitet = _labels(Kostnadseffektivitet.choices)
    columns = [
        Column(_("Nämnd"), 16),
        Column(_("Fokusområde"), 18, WRAP),
        Column(_("Verksamhetsområde"), 18, WRAP),
        Column(_("Sammanfattande beskrivning"), 36, WRAP),
        Column(_("Typ"), 16, WRAP),
        Column(_("Orsak till behov"), 18, WRAP),
        Column(_("Effekt på längre sikt"), 18, WRAP),
        Column(_("tkr År 1"), 10, AMOUNT),
        Column(_("tkr År 2"), 10, AMOUNT),
        Column(_("tkr År 3"), 10, AMOUNT),
        Column(_("Svårighetsgrad"), 13),
        Column(_("Nyttan"), 12),
        Column(_("Kostnadseffektivitet"), 15),
        Column(_("Sammanvägd rangordning"), 13, RANK_STYLE),
        Column(_("Konsekvensanalys"), 40, WRAP),
    ]
    costs = slice(7, 10)
    book = _Book(_round_title(_("Forumsammanställning"), round))
    sheet = book.sheet(_("Sammanställning"), [c.width for c in columns])
    sheet.freeze_below(1, 2)
    # Two header rows: "Kostnader" over the three years, the year under it.
    first = [c.header for c in columns]
    first[costs] = [_("Kostnader"), None, None]
    sheet.append(first, [HEADER] * 7 + [GROUP_HEADER] * 3 + [HEADER] * 5)
    second = [None] * len(columns)
    second[costs] = [c.header for c in columns[costs]]
    sheet.append(second, [HEADER] * len(columns))
    sheet.ws.merged_cells.add("H1:J1")

    counter = _Counter(progress, len(rows))
    styles = [c.style for c in columns]
    for row in rows:
        p = row.proposal
        sheet.append(
            [
                _namnd_name(p.analysis.forvaltning.namnd),
                _name(p.fokusomrade),
                _name(p.verksamhetsomrade),
                p.title,
                typ.get(p.typ),
                _name(p.orsak),
                _name(p.effekt_pa_sikt),
                p.cost_year1,
                p.cost_year2,
                p.cost_year3,
                svarighetsgrad.get(p.svarighetsgrad),
                grad.get(p.nytta),
                kostnadseffektivitet.get(p.kostnadseffektivitet),
                _median(row.combined),
                p.konsekvensanalys,
            ],
            styles,
        )
        counter.step()
    sheet.filter(2, len(columns))
    book.save(out)
    counter.finish()
    return len(rows)


# --- the decisions ----------------------------------------------------------------


def _line_word(row, line) -> str:
    """Where the budget line puts the row, in words."""
    key = row.proposal.pk
    if row.step is not None:
        return _("Ryms inom ramen") if row.step.funded else _("Under linjen")
    if key in line.off_line_keys:
        return _("Inom nämndens ram")
    if key in line.saving_keys:
        return _("Besparing, vidgar ramen")
    if key in line.refused_saving_keys:
        return _("Besparing som inte räknas")
    return ""


def _decision_header(round: Round, line) -> list[tuple[list, list[Style]]]:
    """A few lines above the table for a reader: whose, which round, the
    frame and what it funds; then a blank line."""
    pairs = [
        (_("Kommun"), round.kommun.name, TEXT),
        (_("Ekonomiskt utrymme (tkr)"), line.frame, AMOUNT),
        (_("Besparingar som vidgar ramen (tkr)"), line.savings, AMOUNT),
        (_("Ram med besparingar (tkr)"), line.effective_frame, AMOUNT),
        (_("Finansieras inom ramen, år 1 (tkr)"), line.funded_total, AMOUNT),
        (_("Kvar av ramen (tkr)"), line.remaining, AMOUNT),
    ]
    return [
        ([_("Beslut – %(round)s") % {"round": round}], [TITLE]),
        *(([label, value], [LABEL, style]) for label, value, style in pairs),
        ([], []),
    ]


def write_decisions(round: Round, out: IO[bytes], progress: Progress = None) -> int:
    """The forum's agreed order with the decision on each proposal and where
    the budget line (``ranking.budget``) puts it, under a short header with
    the kommun, the round and the frame. Returns the rows written."""
    rows = decisions.outcome_rows(round)
    line = decisions.with_line(rows, round.frame_tkr)
    typ, outcome = _labels(ProposalType.choices), _labels(Outcome.choices)
    columns = [
        Column(_("Plats"), 7, NUMBER),
        Column(_("Plats enligt sammanvägd rangordning"), 12, NUMBER),
        Column(_("Referens"), 11),
        Column(_("Nämnd"), 16),
        Column(_("Rubrik"), 36, WRAP),
        Column(_("Typ"), 16, WRAP),
        Column(_("Kostnad år 1 (tkr)"), 11, AMOUNT),
        Column(_("Kostnad år 2 (tkr)"), 11, AMOUNT),
        Column(_("Kostnad år 3 (tkr)"), 11, AMOUNT),
        Column(_("Beslut"), 18, WRAP),
        Column(_("Beviljat belopp år 1 (tkr)"), 12, AMOUNT),
        Column(_("Motivering"), 44, WRAP),
        Column(_("Motivering till platsen"), 30, WRAP),
        Column(_("Kumulativ kostnad år 1 (tkr)"), 13, AMOUNT),
        Column(_("Budgetlinjen"), 18, WRAP),
        Column(_("Rättelse efter publicering"), 40, WRAP),
    ]
    book = _Book(_round_title(_("Beslut"), round))
    sheet = book.sheet(_("Beslut"), [c.width for c in columns])
    block = _decision_header(round, line)
    sheet.freeze_below(len(block) + 1, len(block) + 1)
    for values, styles in block:
        sheet.append(values, styles)
    header = sheet.table_header(columns)
    counter = _Counter(progress, len(rows))
    styles = [c.style for c in columns]
    for row in rows:
        p, decision = row.proposal, row.decision
        sheet.append(
            [
                row.position,
                row.computed_position,
                reference_for(round.budget_year, p.number),
                _namnd_name(p.analysis.forvaltning.namnd),
                p.title,
                typ.get(p.typ),
                p.cost_year1,
                p.cost_year2,
                p.cost_year3,
                outcome.get(decision.outcome) if decision else None,
                decision.amount_tkr if decision else None,
                decision.motivation if decision else None,
                row.place.motivation if row.place and row.place.motivation else None,
                row.step.cumulative if row.step else None,
                _line_word(row, line),
                "\n".join(
                    _("%(when)s: %(outcome)s%(amount)s. Skäl: %(reason)s")
                    % {
                        "when": timezone.localtime(c.corrected_at).date().isoformat(),
                        "outcome": outcome.get(c.outcome),
                        "amount": f" ({c.amount_tkr} tkr)" if c.amount_tkr is not None else "",
                        "reason": c.reason,
                    }
                    for c in row.corrections
                )
                or None,
            ],
            styles,
        )
        counter.step()
    sheet.filter(header, len(columns))
    book.save(out)
    counter.finish()
    return len(rows)
