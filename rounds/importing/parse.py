"""From a workbook to plain rows, as they will be stored, each with its problems.

Nothing here touches the database: which nämnd a row belongs to, whether the
analysis takes new proposals and which list entries exist is decided in
:mod:`rounds.importing.service`, against the round.

A sheet's layout is recognised by its header words — the words of the source's
tools and of the samples in ``shared/data/`` (which our exports write too):

- the forum compilation: Nämnd … Sammanfattande beskrivning … Typ … Kostnader
  (tkr År 1–3) … Sammanvägd rangordning … Konsekvensanalys;
- the base ranking tool: Situation, Målområde, Åtgärd/Insats, the scales,
  Kostnad, Rangordning;
- the investment tool: Situation + åtgärdsförslag / investeringsförslag, År 1,
  2, 3, 4-10 tkr, the scales, Kostnad/år tkr, Rangordning 1 - 10;
- the verksamhetsanalys grid: Perspektiv, Nuläge, Framtid och omvärld, and the
  two columns of situations, one item per line inside a cell.

The header may sit below title rows and span two or three rows with merged
group cells (Kostnader over År 1–3); blank rows are skipped.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from rounds.importing import values
from rounds.importing.values import Unreadable
from rounds.models import (
    AnalysisColumn,
    Grad,
    Kostnadseffektivitet,
    Malomrade,
    ProposalType,
    Rekommendation,
    Svarighetsgrad,
)
from rounds.models.proposal import join_types, split_types
from rounds.proposal_fields import COST_FIELDS
from rounds.services.analysis_items import MAX_TEXT_LENGTH
from rounds.services.proposal import TITLE_LENGTH

LIST_NAME_LENGTH = 150
HEADER_SEARCH_ROWS = 30  # title rows above the header: at most this many
HEADER_EXTRA_ROWS = 3  # rows a header may continue over (tkr / År 1 under Kostnader)
MAX_COLUMNS = 60
"""A sheet's columns looked at, A–BH: four times the widest layout (the forum
compilation's 15, A–O), room for the header to sit right of notes or helper
columns. The upload's check refuses a value further right."""


class Layout:
    FORUM = "forum"
    BASE = "bas"
    INVESTMENT = "investering"
    ANALYSIS = "analys"

    LABELS = {
        FORUM: gettext_lazy("Forumsammanställning"),
        BASE: gettext_lazy("Basverktyg för rangordning"),
        INVESTMENT: gettext_lazy("Rangordning av investeringar"),
        ANALYSIS: gettext_lazy("Verksamhetsanalys"),
    }


def _p(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# Per layout: (field, header pattern) in the order they are tried — a more
# specific header before one it contains — and the fields that identify it.
COLUMNS = {
    Layout.ANALYSIS: [
        ("perspektiv", _p(r"^perspektiv")),
        ("column_1", _p(r"^nuläge")),
        ("column_2", _p(r"^framtid")),
        ("column_3", _p(r"nya resurser")),
        ("column_4", _p(r"ransoneras|effektiviseras")),
    ],
    Layout.FORUM: [
        ("namnd", _p(r"^nämnd")),
        ("fokusomrade", _p(r"^fokusområde")),
        ("verksamhetsomrade", _p(r"^verksamhetsområde")),
        ("title", _p(r"^sammanfattande beskrivning")),
        ("typ", _p(r"^typ\b")),
        ("orsak", _p(r"^orsak")),
        ("effekt_pa_sikt", _p(r"^effekt på längre sikt")),
        ("cost_year1", _p(r"\bår 1\b")),
        ("cost_year2", _p(r"\bår 2\b")),
        ("cost_year3", _p(r"\bår 3\b")),
        ("svarighetsgrad", _p(r"svårighetsgrad")),
        ("nytta", _p(r"^nytta")),
        ("kostnadseffektivitet", _p(r"^kostnadseffektivitet")),
        ("rangordning", _p(r"rangordning")),
        ("konsekvensanalys", _p(r"^konsekvensanalys")),
    ],
    Layout.INVESTMENT: [
        ("svarighetsgrad", _p(r"svårighetsgrad")),
        ("title", _p(r"^situation\s*\+|investeringsförslag")),
        ("cost_year1", _p(r"^år 1\b")),
        ("cost_year2", _p(r"^år 2\b")),
        ("cost_year3", _p(r"^år 3\b")),
        ("cost_years4_10", _p(r"^år 4")),
        ("typ", _p(r"^typ\b")),
        ("kostnadseffektivitet", _p(r"^kostnadseffektivitet")),
        ("effekt", _p(r"\beffekt\b")),
        ("nytta", _p(r"nytta")),
        ("cost_range", _p(r"^kostnad ?(?:/|per) ?år")),
        ("rangordning", _p(r"^rangordning")),
    ],
    Layout.BASE: [
        ("situation", _p(r"^situation(?!ens)(?!\s*\+)")),
        ("malomrade", _p(r"^målområde")),
        ("atgard", _p(r"^åtgärd(?!ens)")),
        ("svarighetsgrad", _p(r"svårighetsgrad")),
        ("typ", _p(r"^typ\b")),
        ("kostnadseffektivitet", _p(r"^kostnadseffektivitet")),
        ("effekt", _p(r"^effekt")),
        ("nytta", _p(r"^nytta")),
        ("cost_year1", _p(r"^kostnad\b")),
        ("rangordning", _p(r"^rangordning")),
    ],
}
SIGNATURE = {
    Layout.ANALYSIS: ("perspektiv", "column_1"),
    Layout.FORUM: ("namnd", "title"),
    Layout.INVESTMENT: ("title", "cost_years4_10"),
    Layout.BASE: ("situation", "atgard"),
}
# The column whose emptiness tells a header's continuation from a data row.
KEY_FIELD = {
    Layout.ANALYSIS: "perspektiv",
    Layout.FORUM: "namnd",
    Layout.INVESTMENT: "title",
    Layout.BASE: "situation",
}

SCALES = {
    "svarighetsgrad": values.SVARIGHETSGRAD,
    "effekt": values.GRAD,
    "nytta": values.GRAD,
    "kostnadseffektivitet": values.KOSTNADSEFFEKTIVITET,
}
# The proposal's list fields a sheet has a column for (the perspektiv only a grid).
LIST_FIELDS = ("fokusomrade", "verksamhetsomrade", "orsak", "effekt_pa_sikt")
BULLETS = "●•◦▪▫■□‣∙·"


@dataclass
class Problem:
    """What is wrong, and where: the sheet, the row and the column as Excel
    names them (row and column may be unknown for a whole sheet or file)."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [_("Blad ”%(sheet)s”") % {"sheet": self.sheet}] if self.sheet else []
        if self.row:
            where.append(_("rad %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolumn %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ProposalRow:
    """One proposal as it will be stored. The list fields hold names (the
    service finds or creates the round's entries); ``namnd`` is the nämnd as
    written, and the service fills in where the row goes."""

    sheet: str
    row: int
    layout: str
    namnd: str = ""
    title: str = ""
    situation: str = ""
    atgard: str = ""
    konsekvensanalys: str = ""
    kommentar: str = ""
    malomrade: str = ""
    typ: str = ""
    also_types: str = ""
    fokusomrade: str = ""
    verksamhetsomrade: str = ""
    orsak: str = ""
    effekt_pa_sikt: str = ""
    cost_year1: int = 0
    cost_year2: int = 0
    cost_year3: int = 0
    cost_years4_10: int = 0
    cost_per_year_min: int | None = None
    cost_per_year_max: int | None = None
    svarighetsgrad: int | None = None
    effekt: int | None = None
    nytta: int | None = None
    kostnadseffektivitet: int | None = None
    rekommendation: str = Rekommendation.RANGORDNAS
    rangordning: int | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Filled by the service (reset on each planning).
    forvaltning_name: str = ""
    place_problems: list[Problem] = field(default_factory=list)
    place_notes: list[str] = field(default_factory=list)

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + self.place_problems

    @property
    def all_notes(self) -> list[str]:
        return self.notes + self.place_notes

    # Labels for the preview.
    @property
    def typ_label(self) -> str:
        types = [self.typ, *split_types(self.also_types, self.typ)] if self.typ else []
        return " / ".join(str(ProposalType(typ).label) for typ in types)

    @property
    def malomrade_label(self) -> str:
        return Malomrade(self.malomrade).label if self.malomrade else ""

    @property
    def svarighetsgrad_label(self) -> str:
        return _label(Svarighetsgrad, self.svarighetsgrad)

    @property
    def effekt_label(self) -> str:
        return _label(Grad, self.effekt)

    @property
    def nytta_label(self) -> str:
        return _label(Grad, self.nytta)

    @property
    def kostnadseffektivitet_label(self) -> str:
        return _label(Kostnadseffektivitet, self.kostnadseffektivitet)

    @property
    def rank_label(self) -> str:
        if self.rangordning is not None:
            return str(self.rangordning)
        if self.rekommendation != Rekommendation.RANGORDNAS:
            return str(Rekommendation(self.rekommendation).label)
        return ""


def _label(choices, value) -> str:
    return str(choices(value).label) if value is not None else ""


@dataclass
class GridRow:
    """One perspektiv of a verksamhetsanalys grid: its items per column."""

    sheet: str
    row: int
    perspektiv: str
    items: list[tuple[int, str]] = field(default_factory=list)  # (AnalysisColumn, text)
    problems: list[Problem] = field(default_factory=list)
    place_problems: list[Problem] = field(default_factory=list)
    place_notes: list[str] = field(default_factory=list)

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + self.place_problems

    def items_in(self, column: int) -> list[str]:
        return [text for col, text in self.items if col == column]

    @property
    def cells(self) -> list[list[str]]:
        return [self.items_in(column) for column in AnalysisColumn.values]


@dataclass
class ParsedSheet:
    title: str
    layout: str
    header_row: int
    headers: dict[str, str]  # field -> "E (Typ)"
    proposals: list[ProposalRow] = field(default_factory=list)
    grid: list[GridRow] = field(default_factory=list)
    forvaltning_hint: str = ""  # "Förvaltning: X" above a grid
    col: dict[str, int] = field(default_factory=dict)  # field -> column number
    problems: list[Problem] = field(default_factory=list)
    place_problems: list[Problem] = field(default_factory=list)

    @property
    def layout_label(self) -> str:
        return str(Layout.LABELS[self.layout])

    @property
    def has_namnd_column(self) -> bool:
        return "namnd" in self.headers


@dataclass
class ParsedWorkbook:
    name: str
    sheets: list[ParsedSheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)

    @property
    def proposals(self) -> list[ProposalRow]:
        return [row for sheet in self.sheets for row in sheet.proposals]

    @property
    def grid(self) -> list[GridRow]:
        return [row for sheet in self.sheets for row in sheet.grid]

    @property
    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for sheet in self.sheets:
            found += sheet.problems + sheet.place_problems
            for row in sheet.proposals:
                found += row.all_problems
            for row in sheet.grid:
                found += row.all_problems
        return found


# --- reading the header ---------------------------------------------------------------

_JOINED_HYPHEN = re.compile(r"(?<=[^\W\d_])-\s*(?=[^\W\d_])")


def header_key(value) -> str:
    """A header as compared: lower case, single spaces, no stars, and a word
    split by a hyphen joined again ("Kostnads-effektivitet")."""
    word = values.key(value).replace("*", " ").replace("\u00ad", "")
    word = _JOINED_HYPHEN.sub("", word)
    return re.sub(r"\s+", " ", word).strip()


class _Merged:
    """The value a merged range shows in each of its cells, within the area
    looked at (a hostile range may claim a million cells)."""

    def __init__(self, ws: Worksheet, last_row: int, last_col: int):
        self.value: dict[tuple[int, int], object] = {}
        self.horizontal: set[tuple[int, int]] = set()
        for merged in ws.merged_cells.ranges:
            top = _value(ws, merged.min_row, merged.min_col)
            for row in range(merged.min_row, min(merged.max_row, last_row) + 1):
                for col in range(merged.min_col, min(merged.max_col, last_col) + 1):
                    self.value[(row, col)] = top
                    if merged.max_col > merged.min_col:
                        self.horizontal.add((row, col))


def _match(layout: str, texts: dict[int, str]) -> dict[str, int]:
    """Which column each field of ``layout`` is in, by the header texts."""
    found: dict[str, int] = {}
    for col in sorted(texts):
        for name, pattern in COLUMNS[layout]:
            if name not in found and pattern.search(texts[col]):
                found[name] = col
                break
    return found


def _find_header(ws: Worksheet, grid: list[tuple], merged: _Merged):
    """(layout, first header row, last header row, field → column) or None."""
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        r = index + 1
        texts = {
            c: header_key(merged.value.get((r, c), value))
            for c, value in enumerate(row, start=1)
            if merged.value.get((r, c), value) is not None
        }
        for layout, signature in SIGNATURE.items():
            if all(name in _match(layout, texts) for name in signature):
                last = _continuation(grid, r, layout, _match(layout, texts), merged)
                combined = _combined_texts(grid, r, last, merged)
                return layout, r, last, _match(layout, combined), combined
    return None


def _continuation(grid, first: int, layout: str, found: dict[str, int], merged: _Merged) -> int:
    """The last row of a header starting at ``first``: the following rows
    whose texts sit only under a merged group cell or an empty header (tkr,
    År 1 under Kostnader), and whose key column is empty."""
    key_col = found[KEY_FIELD[layout]]
    header = grid[first - 1]
    last = first
    for r in range(first + 1, min(first + HEADER_EXTRA_ROWS, len(grid)) + 1):
        row = grid[r - 1]
        filled = {c: v for c, v in enumerate(row, start=1) if values.text(v)}
        if not filled or key_col in filled:
            break
        if not all(isinstance(v, str) for v in filled.values()):
            break
        under_group = all(
            (first, c) in merged.horizontal
            or (c <= len(header) and header[c - 1] is None and (first, c) not in merged.value)
            for c in filled
        )
        if not under_group:
            break
        last = r
    return last


def _combined_texts(grid, first: int, last: int, merged: _Merged) -> dict[int, str]:
    parts: dict[int, list[str]] = {}
    for r in range(first, last + 1):
        for c, value in enumerate(grid[r - 1], start=1):
            word = header_key(merged.value.get((r, c), value))
            if word and word not in parts.get(c, []):
                parts.setdefault(c, []).append(word)
    return {c: " ".join(words) for c, words in parts.items()}


def _original_header(grid, first: int, last: int, merged: _Merged, col: int) -> str:
    words: list[str] = []
    for r in range(first, last + 1):
        value = merged.value.get(
            (r, col), grid[r - 1][col - 1] if col <= len(grid[r - 1]) else None
        )
        word = re.sub(r"\s+", " ", values.text(value))
        if word and word not in words:
            words.append(word)
    return " ".join(words)


# --- reading the rows -----------------------------------------------------------------


class _Row:
    """One data row: reads a field's cell, or records the problem with it."""

    def __init__(self, sheet: ParsedSheet, cells: dict[int, object], number: int, problems: list):
        self.sheet, self.cells, self.number, self.problems = sheet, cells, number, problems
        self.columns = sheet.col

    def raw(self, name: str):
        col = self.columns.get(name)
        if col is None:
            return None
        cell = self.cells.get(col)
        if cell is None:
            return None
        if cell.data_type == "f" or type(cell.value).__name__ in (
            "ArrayFormula",
            "DataTableFormula",
        ):
            formula = values.text(getattr(cell.value, "text", cell.value))
            self.problem(
                name,
                _("Cellen innehåller en formel (%(formula)s). Skriv in värdet i stället.")
                % {"formula": formula[:60]},
            )
            return None
        if cell.data_type == "e":
            self.problem(
                name,
                _("Cellen innehåller ett fel (%(error)s). Skriv in värdet i stället.")
                % {"error": cell.value},
            )
            return None
        return cell.value

    def problem(self, name: str, message: str) -> None:
        self.problems.append(
            Problem(self.sheet.title, self.number, self.sheet.headers.get(name, ""), message)
        )

    def read(self, name: str, reader, default=None):
        value = self.raw(name)
        try:
            return reader(value)
        except Unreadable as error:
            self.problem(name, str(error))
            return default

    def text(self, name: str) -> str:
        return values.text(self.raw(name))


def _is_blank(cells: dict[int, object]) -> bool:
    return all(cell is None or not values.text(cell.value) for cell in cells.values())


def _short_title(text: str) -> str:
    first_line = text.splitlines()[0].strip() if text else ""
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    return first_line[: TITLE_LENGTH - 1] + "…"


def _proposal(sheet: ParsedSheet, row: _Row) -> ProposalRow:
    p = ProposalRow(sheet=sheet.title, row=row.number, layout=sheet.layout, problems=row.problems)
    p.namnd = row.text("namnd")
    _description(sheet, row, p)
    for name in LIST_FIELDS:
        setattr(p, name, row.text(name))
        if len(getattr(p, name)) > LIST_NAME_LENGTH:
            row.problem(
                name, _("Namnet får vara högst %(limit)d tecken.") % {"limit": LIST_NAME_LENGTH}
            )
    for name in COST_FIELDS:
        setattr(p, name, row.read(name, values.tkr, 0))
    p.cost_per_year_min, p.cost_per_year_max = row.read(
        "cost_range", values.tkr_range, (None, None)
    )
    _typ(sheet, row, p)
    for name, which in SCALES.items():
        setattr(p, name, row.read(name, lambda v, w=which: values.scale(v, w)))
    p.malomrade = row.read("malomrade", values.malomrade, "")
    rank = row.read("rangordning", lambda v: values.rank(v, halves=sheet.layout == Layout.FORUM))
    if rank is not None:
        p.rangordning, p.rekommendation = rank.rangordning, rank.rekommendation
        if rank.rounded_from:
            p.notes.append(
                _("Den sammanvägda rangordningen %(median)s sparas som %(rank)s.")
                % {"median": rank.rounded_from, "rank": rank.rangordning}
            )
    p.konsekvensanalys = row.text("konsekvensanalys")
    return p


def _description(sheet: ParsedSheet, row: _Row, p: ProposalRow) -> None:
    """Title, situation and åtgärd, from the columns the layout has."""
    if sheet.layout == Layout.BASE:
        p.situation, p.atgard = row.text("situation"), row.text("atgard")
        p.title = _short_title(p.situation)
        if not p.situation:
            row.problem(
                "situation",
                _("Situationen saknas: varje förslag behöver en beskrivning av situationen."),
            )
        return
    full = row.text("title")
    if not full:
        row.problem(
            "title",
            _("Beskrivningen saknas: varje förslag behöver en sammanfattande beskrivning."),
        )
        return
    p.title = _short_title(full)
    if p.title != full:
        p.situation = full
        p.notes.append(
            _(
                "Beskrivningen är längre än %(limit)d tecken: rubriken kortas, hela texten "
                "sparas som situation."
            )
            % {"limit": TITLE_LENGTH}
        )
    if sheet.layout == Layout.INVESTMENT and "+" in full and not p.situation:
        situation, _plus, atgard = full.partition("+")
        p.situation, p.atgard = situation.strip(), atgard.strip()


def _typ(sheet: ParsedSheet, row: _Row, p: ProposalRow) -> None:
    found = row.read("typ", values.types, [])
    written = row.text("typ")
    if found:
        # A combined type ("Effektivisering/Ransonering"): the first is the
        # main one, the others are kept beside it.
        p.typ = found[0]
        p.also_types = join_types(found[1:], p.typ)
        return
    if written:  # unreadable: the problem is recorded
        return
    if sheet.layout == Layout.FORUM:
        row.problem(
            "typ",
            _("Typ saknas. Förväntat en eller flera av: %(types)s.")
            % {"types": ", ".join(str(label) for _v, label in ProposalType.choices)},
        )
    elif sheet.layout == Layout.INVESTMENT:
        p.typ = ProposalType.INVESTERING
    else:
        # The base tool has no typ: a saving is a ransonering, the rest new needs.
        p.typ = ProposalType.RANSONERING if p.cost_year1 < 0 else ProposalType.NYA_BEHOV
        p.notes.append(
            _("Filen har ingen typ: förslaget sparas som %(typ)s.")
            % {"typ": ProposalType(p.typ).label}
        )


def _grid_row(sheet: ParsedSheet, row: _Row) -> GridRow:
    g = GridRow(
        sheet=sheet.title, row=row.number, perspektiv=row.text("perspektiv"), problems=row.problems
    )
    for column in AnalysisColumn.values:
        name = f"column_{column}"
        for line in row.text(name).splitlines():
            item = values.text(line.strip().lstrip(BULLETS).strip())
            if not item:
                continue
            if len(item) > MAX_TEXT_LENGTH:
                row.problem(
                    name,
                    _("En punkt får vara högst %(limit)d tecken (den har %(length)d).")
                    % {"limit": MAX_TEXT_LENGTH, "length": len(item)},
                )
                continue
            g.items.append((column, item))
    if not g.perspektiv and g.items:
        row.problem("perspektiv", _("Perspektiv saknas: ange vilket perspektiv raden gäller."))
    if len(g.perspektiv) > LIST_NAME_LENGTH:
        row.problem(
            "perspektiv",
            _("Namnet får vara högst %(limit)d tecken.") % {"limit": LIST_NAME_LENGTH},
        )
    return g


_FORVALTNING_TITLE = re.compile(r"^\s*förvaltning\s*:\s*(?P<name>.+)$", re.IGNORECASE)


def _forvaltning_hint(grid: list[tuple], before: int) -> str:
    for row in grid[: before - 1]:
        for value in row:
            match = _FORVALTNING_TITLE.match(values.text(value))
            if match:
                return match["name"].strip()
    return ""


# The sheet's cells are read from openpyxl's own store of them, ``ws._cells``
# ((row, column) → cell, only the cells the file has): ``ws.cell`` and
# ``iter_rows`` (``values_only`` too) make a cell for every position they pass,
# so a header and one value at row 10 000, column 60, made 600 000 cells.


def _value(ws: Worksheet, row: int, col: int):
    cell = ws._cells.get((row, col))
    return None if cell is None else cell.value


def _rows_below(ws: Worksheet, first: int, columns: set[int]) -> list[tuple[int, dict]]:
    """(row number, column → cell) for each row from ``first`` down that has
    a cell in ``columns``, in order; the rows in between are not made."""
    rows: dict[int, dict] = {}
    for (row, col), cell in ws._cells.items():
        if row >= first and col in columns:
            rows.setdefault(row, {})[col] = cell
    return sorted(rows.items())


def parse_sheet(ws: Worksheet) -> ParsedSheet | None:
    """The sheet's rows, or None when no known header is found in it."""
    last_col = min(ws.max_column or 1, MAX_COLUMNS)
    search = min(ws.max_row or 1, HEADER_SEARCH_ROWS + HEADER_EXTRA_ROWS)
    grid = [
        tuple(_value(ws, row, col) for col in range(1, last_col + 1))
        for row in range(1, search + 1)
    ]
    merged = _Merged(ws, search, last_col)
    header = _find_header(ws, grid, merged)
    if header is None:
        return None
    layout, first, last, col, _texts = header
    sheet = ParsedSheet(
        title=ws.title,
        layout=layout,
        header_row=first,
        headers={
            name: f"{get_column_letter(c)} ({_original_header(grid, first, last, merged, c)})"
            for name, c in col.items()
        },
        col=col,
    )
    if layout == Layout.ANALYSIS:
        sheet.forvaltning_hint = _forvaltning_hint(grid, first)
    for number, by_col in _rows_below(ws, last + 1, set(col.values())):
        if _is_blank(by_col):
            continue
        row = _Row(sheet, by_col, number, [])
        if layout == Layout.ANALYSIS:
            sheet.grid.append(_grid_row(sheet, row))
        else:
            sheet.proposals.append(_proposal(sheet, row))
    return sheet


def parse_workbook(workbook: Workbook, name: str) -> ParsedWorkbook:
    """Every sheet with a known header; a workbook with none is one problem."""
    parsed = ParsedWorkbook(name=name)
    for ws in workbook.worksheets:
        sheet = parse_sheet(ws)
        if sheet is None:
            parsed.skipped_sheets.append(ws.title)
        else:
            parsed.sheets.append(sheet)
    if not parsed.sheets:
        parsed.problems.append(
            Problem(
                "",
                None,
                "",
                _(
                    "Hittade ingen känd tabell i filen. Förväntat rubrikerna i en "
                    "forumsammanställning (Nämnd, Sammanfattande beskrivning, Typ …), ett "
                    "basverktyg för rangordning (Situation, Åtgärd/Insats …), ett verktyg för "
                    "investeringar (Situation + åtgärdsförslag / investeringsförslag, År 1 tkr "
                    "… År 4-10 tkr …) eller en verksamhetsanalys (Perspektiv, Nuläge …)."
                ),
            )
        )
    elif not parsed.proposals and not parsed.grid:
        parsed.problems.append(
            Problem("", None, "", _("Filen har rubriker men inga rader att importera."))
        )
    return parsed
