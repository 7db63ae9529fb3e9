"""The follow-up report of one period, as PDF and as Excel: the controller's
overview (``rounds.views.followup_overview``) on paper and in a spreadsheet.

Both are made from ``rounds.followup.overview`` — three queries however many
proposals — and word a row's status and deviation as the page does
(``rounds.followup_chart``), so the page, the PDF and the Excel agree.

The PDF is built like the decision document (``ranking.documents.pdf_content``),
with ``documents.markup``: a front with the cover and the table of contents,
laid out last; a summary part with the status counts, the cost per nämnd and
the chart; then the long tables — the missing and late reports, the
deviations with their measures, every followed-up proposal, and the
genomförande (where each was taken into the nämnd's verksamhetsplan, budget
and internkontrollplan) — in slices of
``rows_per_part`` rows, their HTML written in Python. The Excel goes through
``documents.spreadsheet``'s write-only book, its styles and ``neutralise()``:
a sheet "Uppföljning" with a row per proposal (its genomförande in the last
three columns) and a sheet "Per nämnd" with the sums and the total.
"""

from dataclasses import replace
from typing import IO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from documents.logo import cover_logo
from documents.markup import Column as PdfColumn
from documents.markup import (
    Header,
    colgroup_of,
    document,
    escape,
    escape_text,
    flow,
    fragment,
    long_date,
    sliced,
    table_row,
    thead_of,
)
from documents.pdf import Layout, Part
from documents.spreadsheet import (
    AMOUNT,
    LABEL,
    TEXT,
    WRAP,
    Book,
    Column,
    Counter,
    Progress,
    Sheet,
    round_title,
)
from followup.chart import chart, signed_tkr, status_of
from followup.models import FollowUpPeriod
from followup.rules import RULES, Overview, Row, overview
from followup.services import period_decisions
from prioritering.templatetags.formatting import signed_number, tkr
from rounds.models import Round

# The table of contents: (id, heading).
CHAPTERS = (
    ("sammanfattning", "Sammanfattning"),
    ("kostnad", "Kostnad mot budget per nämnd"),
    ("saknas", "Rapporter som saknas eller är sena"),
    ("avvikelser", "Avvikelser och föreslagna åtgärder"),
    ("forslagen", "Alla förslag som följs upp"),
    ("genomforande", "Genomförande i verksamhetsplan, budget och internkontrollplan"),
)
ROWS_PER_PART = 300
# The total line of "Per nämnd": bold, the amounts as tkr.
TOTAL_NUMBER = replace(TEXT, font=Font(bold=True))
TOTAL_AMOUNT = replace(AMOUNT, font=Font(bold=True))


def _reports_text(sums) -> str:
    return _("%(reported)s av %(total)s rapporter inne") % {
        "reported": sums.reported,
        "total": sums.proposals,
    }


def _sums_line(sums, unit: str = "tkr") -> dict:
    return {
        "label": sums.label,
        "decided": tkr(sums.decided_tkr, unit),
        "budget": tkr(sums.budget_tkr, unit),
        "reported_budget": tkr(sums.reported_budget_tkr, unit),
        "outcome": tkr(sums.outcome_tkr, unit),
        "deviation": signed_tkr(sums.deviation_tkr, unit) if sums.reported else "–",
        "reports": _("%(reported)s av %(total)s")
        % {"reported": sums.reported, "total": sums.proposals},
    }


def _proposal(row: Row) -> str:
    return f"{escape(row.reference)} {escape(row.title)}"


# --- the PDF ---------------------------------------------------------------------------


class FollowUpFront:
    """The cover and the table of contents, given the page of each chapter
    (laid out last, in the language the document is made in)."""

    def __init__(self, context: dict, header: Header, title: str):
        self.context = context
        self.header = header
        self.title = title
        self.language = translation.get_language() or settings.LANGUAGE_CODE

    def __call__(self, pages: dict[str, int]) -> str:
        with translation.override(self.language):
            entries = [(_(heading), pages.get(anchor, "–")) for anchor, heading in CHAPTERS]
            body = fragment(
                "followup/documents/followup_front.html", {**self.context, "entries": entries}
            )
            return document(body, title=self.title, header=self.header, sheet="front")


def followup_document(
    round: Round, period: FollowUpPeriod, *, rows_per_part: int = ROWS_PER_PART
) -> Layout:
    """The follow-up report of ``period``: the front, the summary with the
    status counts, the cost per nämnd and the chart, the missing and late
    reports, the deviations with their measures, and every proposal."""
    result = overview(round, period)
    kommun = round.kommun.name
    period_name = period.get_kind_display()
    header = Header(
        kommun,
        _("Uppföljning %(period)s %(year)s") % {"period": period_name, "year": round.budget_year},
    )
    title = _("%(kommun)s: uppföljning %(period)s %(year)s") % {
        "kommun": kommun,
        "period": period_name,
        "year": round.budget_year,
    }
    total = _sums_line(result.total)
    logo = cover_logo()
    front = FollowUpFront(
        {
            "kommun": kommun,
            "logo": logo is not None,
            "round_name": str(round),
            "year": round.budget_year,
            "period": period_name,
            "today": long_date(timezone.localdate()),
            "deadline": long_date(period.deadline),
            "count": len(result.rows),
            "total": total,
        },
        header,
        title,
    )
    part = {"title": title, "header": header}
    context = {
        "period": period,
        "period_name": period_name,
        "deadline": long_date(period.deadline),
        "deadline_passed": result.deadline_passed,
        "count": len(result.rows),
        "rules": RULES,
        "status_counts": result.status_counts,
        # The table's caption says tkr; the chart's description says it in words.
        "namnd_sums": [_sums_line(sums, "") for sums in result.namnder],
        "table_total": _sums_line(result.total, ""),
        "total": total,
        "chart": chart(result.namnder, _reports_text),
        "reports_missing_text": result.reports_missing_text,
        "deviating": len(result.deviations),
    }
    summary = fragment("followup/documents/followup.html", context)
    # The sections follow one another on the page: the summary and the
    # missing reports upright, the two wide tables and the genomförande on
    # landscape pages.
    parts = flow(
        [
            [_summary_part(summary, **part)],
            _missing_parts(result, rows_per_part, **part),
            _deviation_parts(result, period_decisions(period), rows_per_part, **part),
            _proposal_parts(result, rows_per_part, **part),
            _implementation_parts(result, rows_per_part, **part),
        ]
    )
    return Layout(
        parts=parts, toc=[anchor for anchor, _heading in CHAPTERS], front=front, logo=logo
    )


def _summary_part(body: str, *, title, header) -> Part:
    return Part(document(body, title=title, header=header, sheet="tables"), reuse=True)


def _missing_parts(result: Overview, rows_per_part: int, *, title, header):
    rows = [row for row in result.rows if row.timing.is_missing or row.timing.is_late]
    by_forvaltning = "".join(
        f'<tr><td>{escape(name)}</td><td class="n">{signed_number(count)}</td>'
        f'<td class="n">{signed_number(overdue)}</td></tr>'
        for name, count, overdue in result.missing_by_forvaltning
    )
    lead = f'<h2 id="saknas">{escape(_("Rapporter som saknas eller är sena"))}</h2>'
    if by_forvaltning:
        lead += (
            '<table class="compact keep"><caption>'
            f"{escape(_('Rapporter som inte är inlämnade, per förvaltning'))}</caption>"
            '<colgroup><col><col class="c-count"><col class="c-count"></colgroup>'
            f"<thead><tr><th>{escape(_('Förvaltning'))}</th>"
            f'<th class="n">{escape(_("Saknas"))}</th>'
            f'<th class="n">{escape(_("varav försenade"))}</th></tr></thead>'
            f"<tbody>{by_forvaltning}</tbody></table>"
        )
    columns = [
        PdfColumn(_("Förslag")),
        PdfColumn(_("Förvaltning"), "c-title"),
        PdfColumn(_("Rapport"), "c-outcome"),
    ]
    return sliced(
        [
            table_row([_proposal(row), escape(row.forvaltning), escape(row.timing.label)], columns)
            for row in rows
        ],
        rows_per_part,
        table=(colgroup_of(columns), thead_of(columns)),
        lead=lead,
        empty=f"<p>{escape(_('Alla rapporter är inlämnade i tid.'))}</p>",
        title=title,
        header=header,
    )


def _decisions_html(decisions) -> str:
    """The bodies' decisions on the period's measures, below the deviations'
    heading."""
    heading = f"<h3>{escape(_('Beslut i nämnder, KS och KF om åtgärderna'))}</h3>"
    if not decisions:
        return heading + (
            f"<p>{escape(_('Inga beslut om åtgärderna är registrerade för perioden.'))}</p>"
        )
    items = "".join(
        f"<li><strong>{escape(decision.body_name)}</strong> "
        f"{escape(long_date(decision.decision_date))}, §\u00a0{escape(decision.paragraph)}: "
        f"{escape_text(decision.text)}</li>"
        for decision in decisions
    )
    return f"{heading}<ul>{items}</ul>"


def _deviation_parts(result: Overview, decisions, rows_per_part: int, *, title, header):
    columns = [
        PdfColumn(_("Förslag"), "c-title"),
        PdfColumn(_("Status"), "c-word"),
        PdfColumn(_("Avvikelse tkr"), "c-money", True),
        PdfColumn(_("Avvikelse")),
        PdfColumn(_("Föreslagna åtgärder")),
    ]
    rows = []
    for row in result.deviations:
        report = row.submitted
        rows.append(
            table_row(
                [
                    f"{_proposal(row)}\n{escape(row.namnd)} · {escape(row.forvaltning)}",
                    escape(status_of(row).text),
                    signed_tkr(row.deviation_tkr, ""),
                    escape_text(report.deviation),
                    escape_text(report.measures),
                ],
                columns,
            )
        )
    return sliced(
        rows,
        rows_per_part,
        table=(colgroup_of(columns), thead_of(columns)),
        lead=f'<h2 id="avvikelser">{escape(_("Avvikelser och föreslagna åtgärder"))}</h2>'
        + _decisions_html(decisions),
        empty=f"<p>{escape(_('Inga inlämnade rapporter visar någon avvikelse i perioden.'))}</p>",
        wide=True,
        title=title,
        header=header,
    )


def _proposal_parts(result: Overview, rows_per_part: int, *, title, header):
    columns = [
        PdfColumn(_("Förslag")),
        PdfColumn(_("Nämnd · förvaltning"), "c-title"),
        PdfColumn(_("Beslut"), "c-status"),
        PdfColumn(_("Beslutat år 1"), "c-money", True),
        PdfColumn(_("Budget t.o.m. perioden"), "c-money", True),
        PdfColumn(_("Utfall"), "c-money", True),
        PdfColumn(_("Avvikelse"), "c-money", True),
        PdfColumn(_("Senaste status"), "c-status"),
        PdfColumn(_("Rapport"), "c-status"),
    ]
    outcome_labels: dict[str, str] = {}
    rows = []
    for row in result.rows:
        label = outcome_labels.get(row.outcome)
        if label is None:
            label = outcome_labels[row.outcome] = escape(row.outcome_label)
        rows.append(
            table_row(
                [
                    _proposal(row),
                    f"{escape(row.namnd)} · {escape(row.forvaltning)}",
                    label,
                    signed_number(row.decided_tkr),
                    signed_number(row.budget_tkr),
                    signed_number(row.outcome_tkr) if row.outcome_tkr is not None else "–",
                    signed_tkr(row.deviation_tkr, ""),
                    escape(status_of(row).text),
                    escape(row.timing.label),
                ],
                columns,
            )
        )
    note = _(
        "Senaste status är periodens; saknas rapporten, den senaste från en tidigare period "
        "(med periodens namn). Belopp i tkr; avvikelsen är utfallet minus budgeten till och "
        "med perioden."
    )
    return sliced(
        rows,
        rows_per_part,
        table=(colgroup_of(columns), thead_of(columns)),
        lead=(
            f'<h2 id="forslagen">{escape(_("Alla förslag som följs upp"))}</h2>'
            f'<p class="note">{escape(note)}</p>'
        ),
        empty=f"<p>{escape(_('Inga förslag följs upp i omgången.'))}</p>",
        wide=True,
        title=title,
        header=header,
    )


def _part_text(part) -> str:
    """A part of the genomförande in a cell: "12 mars 2027, VP 2027 avsnitt
    4.2", or "Saknas"."""
    if part.date is None:
        return _("Saknas")
    return f"{long_date(part.date)}, {part.reference}"


def _implementation_parts(result: Overview, rows_per_part: int, *, title, header):
    """Where each proposal was taken into its nämnd's verksamhetsplan, budget
    and internkontrollplan (the source's step "Genomförande")."""
    columns = [
        PdfColumn(_("Förslag")),
        # Landscape: room for date and reference on one line each.
        PdfColumn(_("Verksamhetsplan"), "c-title"),
        PdfColumn(_("Budget"), "c-title"),
        PdfColumn(_("Internkontrollplan"), "c-title"),
    ]
    rows = [
        table_row(
            [
                _proposal(row),
                *(escape(_part_text(part)) for part in row.implementation),
            ],
            columns,
        )
        for row in result.rows
    ]
    note = _("Datum och referens när förslaget togs in i nämndens styrdokument.")
    return sliced(
        rows,
        rows_per_part,
        table=(colgroup_of(columns), thead_of(columns)),
        lead=(
            '<h2 id="genomforande">'
            f"{escape(_('Genomförande i verksamhetsplan, budget och internkontrollplan'))}</h2>"
            f'<p class="note">{escape(note)}</p>'
        ),
        empty=f"<p>{escape(_('Inga förslag följs upp i omgången.'))}</p>",
        wide=True,
        title=title,
        header=header,
    )


# --- the Excel ---------------------------------------------------------------------------


def _per_namnd_sheet(book: Book, result: Overview) -> None:
    columns = [
        Column(_("Nämnd"), 32, WRAP),
        Column(_("Förslag"), 10),
        Column(_("Rapporter inne"), 12),
        Column(_("Beslutat år 1 (tkr)"), 14, AMOUNT),
        Column(_("Budget t.o.m. perioden (tkr)"), 14, AMOUNT),
        Column(_("Budget för inlämnade rapporter (tkr)"), 16, AMOUNT),
        Column(_("Utfall (tkr)"), 12, AMOUNT),
        Column(_("Avvikelse (tkr)"), 12, AMOUNT),
    ]
    sheet: Sheet = book.sheet(_("Per nämnd"), [c.width for c in columns])
    sheet.freeze_below(1, 1)
    header = sheet.table_header(columns)
    styles = [c.style for c in columns]

    def values(sums):
        return [
            sums.label,
            sums.proposals,
            sums.reported,
            sums.decided_tkr,
            sums.budget_tkr,
            sums.reported_budget_tkr,
            sums.outcome_tkr,
            sums.deviation_tkr,
        ]

    for sums in result.namnder:
        sheet.append(values(sums), styles)
    last = sheet.rows
    sheet.append(values(result.total), [LABEL] + [TOTAL_NUMBER] * 2 + [TOTAL_AMOUNT] * 5)
    sheet.ws.auto_filter.ref = f"A{header}:H{max(last, header)}"


def write_followup(
    round: Round, period: FollowUpPeriod, out: IO[bytes], progress: Progress = None
) -> int:
    """The follow-up of ``period``: a sheet "Uppföljning" with a row per
    followed-up proposal, and a sheet "Per nämnd" with the sums and the
    total. Written in Swedish, as every export. Returns the rows written."""
    result = overview(round, period)
    columns = [
        Column(_("Förslag"), 11),
        Column(_("Rubrik"), 36, WRAP),
        Column(_("Nämnd"), 22, WRAP),
        Column(_("Förvaltning"), 22, WRAP),
        Column(_("Beslut"), 18, WRAP),
        Column(_("Beslutat år 1 (tkr)"), 13, AMOUNT),
        Column(_("Budget t.o.m. perioden (tkr)"), 14, AMOUNT),
        Column(_("Utfall (tkr)"), 12, AMOUNT),
        Column(_("Avvikelse (tkr)"), 12, AMOUNT),
        Column(_("Status"), 20, WRAP),
        Column(_("Rapport"), 18, WRAP),
        Column(_("Avvikelse"), 44, WRAP),
        Column(_("Föreslagna åtgärder"), 44, WRAP),
        Column(_("Verksamhetsplan"), 30, WRAP),
        Column(_("Budget"), 30, WRAP),
        Column(_("Internkontrollplan"), 30, WRAP),
    ]
    book = Book(
        round_title(_("Uppföljning %(period)s") % {"period": period.get_kind_display()}, round)
    )
    sheet = book.sheet(_("Uppföljning"), [c.width for c in columns])
    sheet.freeze_below(1, 1)
    header = sheet.table_header(columns)
    styles = [c.style for c in columns]
    counter = Counter(progress, len(result.rows))
    outcome_labels: dict[str, str] = {}
    for row in result.rows:
        label = outcome_labels.get(row.outcome)
        if label is None:
            label = outcome_labels[row.outcome] = str(row.outcome_label)
        report = row.submitted
        sheet.append(
            [
                row.reference,
                row.title,
                row.namnd,
                row.forvaltning,
                label,
                row.decided_tkr,
                row.budget_tkr,
                row.outcome_tkr,
                row.deviation_tkr,
                status_of(row).text,
                str(row.timing.label),
                (report.deviation.strip() or None) if report else None,
                (report.measures.strip() or None) if report else None,
                *(_part_text(part) for part in row.implementation),
            ],
            styles,
        )
        counter.step()
    sheet.filter(header, len(columns))
    _per_namnd_sheet(book, result)
    book.save(out)
    counter.finish()
    return len(result.rows)
