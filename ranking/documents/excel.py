"""The ranking's Excel exports in the municipalities' own layouts, written
with the workbook toolkit (``documents.spreadsheet``: write-only, shared
styles, every text cell neutralised against formula injection).

Each writer fills a workbook in the layout of one of the source's tools — the
samples in ``shared/data/`` — with the same header words, so that the importer
(``rounds/importing``) reads our own exports back, and a municipality's people
recognise the sheet they used to mail around:

- :func:`write_base_ranking` — the base ranking tool, one sheet per nämnd;
- :func:`write_investments` — the investment tool, one sheet per nämnd;
- :func:`write_forum_compilation` — the forum's compiled list, two header rows
  with "Kostnader" merged over år 1–3;
- :func:`write_decisions` — the agreed order with each decision and the
  budget line.

(One förvaltning's verksamhetsanalys is the analysis's own:
``rounds.documents.analysis.write_analysis``.)

- **Queries.** Each writer reads through the selectors the pages use
  (``ranking.selectors.eligible_proposals``, ``forum_table``,
  ``selectors.outcome_rows``) with what it shows joined in, so the query count
  does not grow with the number of proposals.
- **Who sees what.** Round-wide exports hold only what every signed-in reader
  of the round may read: the selectors above list shared material only
  (``prioritering.access.shared_proposals``: proposals of submitted analyses),
  not withdrawn.
"""

from collections.abc import Callable
from typing import IO

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.spreadsheet import (
    AMOUNT,
    GROUP_HEADER,
    HEADER,
    LABEL,
    NUMBER,
    RANK_STYLE,
    TEXT,
    TITLE,
    WRAP,
    Book,
    Column,
    Counter,
    Progress,
    Style,
    round_title,
)
from ranking import budget, selectors
from ranking.models import Outcome
from rounds.models import (
    Grad,
    Kostnadseffektivitet,
    ListItem,
    Malomrade,
    Namnd,
    ProposalType,
    Rekommendation,
    Round,
    Svarighetsgrad,
)
from rounds.models.proposal import reference_for, types_text

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


# --- the base ranking and investment tools --------------------------------------


def _per_namnd(round: Round, select) -> list[tuple[Namnd, list]]:
    """The round's proposals per nämnd, through the nämnd page's own selector
    (submitted analyses, not withdrawn), narrowed by ``select``; in the
    förvaltning's rangordning (unranked last), then by number."""
    groups = []
    for namnd in Namnd.objects.filter(kommun_id=round.kommun_id):
        proposals = list(
            select(selectors.eligible_proposals(round, namnd)).order_by(
                F("rangordning").asc(nulls_last=True), "number"
            )
        )
        if proposals:
            groups.append((namnd, proposals))
    return groups


def _write_tool(
    book: Book,
    out: IO[bytes],
    groups: list[tuple[Namnd, list]],
    columns: list[Column],
    row: Callable,
    progress: Progress,
    empty_title: str,
) -> int:
    """A sheet per nämnd (one empty sheet with the header when there is
    nothing to show), saved to ``out``. Returns the rows written."""
    counter = Counter(progress, sum(len(proposals) for _namnd, proposals in groups))
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
    book = Book(round_title(_("Rangordning"), round))
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
    book = Book(round_title(_("Investeringar"), round))
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
    rows = selectors.forum_table(round)
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
    book = Book(round_title(_("Forumsammanställning"), round))
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

    counter = Counter(progress, len(rows))
    styles = [c.style for c in columns]
    for row in rows:
        p = row.proposal
        sheet.append(
            [
                _namnd_name(p.analysis.forvaltning.namnd),
                _name(p.fokusomrade),
                _name(p.verksamhetsomrade),
                p.title,
                types_text(p.typ, p.also_types, typ),
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
        if not row.step.funded:
            return _("Under linjen")
        return _("Ryms i överskottet") if line.reduction else _("Ryms inom ramen")
    if key in line.off_line_keys:
        return _("Inom nämndens ram")
    if row.saving_step is not None and line.reduction:
        if row.saving_step.needed:
            return _("Besparing, behövs för att nå minskningen")
        return _("Besparing utöver kravet på minskning")
    if key in line.saving_keys and line.purpose == budget.OMFORDELA:
        return _("Besparing, finansierar nya behov")
    if key in line.saving_keys:
        return _("Besparing, vidgar ramen")
    if key in line.refused_saving_keys:
        return _("Besparing som inte räknas")
    return ""


def _decision_header(round: Round, line) -> list[tuple[list, list[Style]]]:
    """A few lines above the table for a reader: whose, which round, the
    frame and what it funds; then a blank line. Five amounts for every
    purpose, so the table starts on the same row."""
    if line.reduction:
        amounts = [
            (_("Krav på minskning (tkr)"), line.required),
            (_("Besparingar som genomförs (tkr)"), line.savings),
            (_("Saknas för att nå minskningen (tkr)"), line.shortfall),
            (_("Besparingar utöver kravet (tkr)"), line.surplus),
            (_("Finansieras av överskottet, år 1 (tkr)"), line.funded_total),
        ]
    else:
        amounts = [
            (_("Ekonomiskt utrymme (tkr)"), line.frame),
            (
                _("Besparingar som finansierar nya behov (tkr)")
                if line.purpose == budget.OMFORDELA
                else _("Besparingar som vidgar ramen (tkr)"),
                line.savings,
            ),
            (_("Ram med besparingar (tkr)"), line.effective_frame),
            (_("Finansieras inom ramen, år 1 (tkr)"), line.funded_total),
            (_("Kvar av ramen (tkr)"), line.remaining),
        ]
    pairs = [
        (_("Kommun"), round.kommun.name, TEXT),
        *((label, value, AMOUNT) for label, value in amounts),
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
    rows = selectors.outcome_rows(round)
    line = selectors.with_line(rows, round.frame_tkr, round.purpose)
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
    book = Book(round_title(_("Beslut"), round))
    sheet = book.sheet(_("Beslut"), [c.width for c in columns])
    block = _decision_header(round, line)
    sheet.freeze_below(len(block) + 1, len(block) + 1)
    for values, styles in block:
        sheet.append(values, styles)
    header = sheet.table_header(columns)
    counter = Counter(progress, len(rows))
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
                types_text(p.typ, p.also_types, typ),
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
