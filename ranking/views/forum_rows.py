"""The rows of the forum's long tables — the compilation, the own sheet and the
meeting — written here as HTML rather than cell by cell in the templates: at
1,200 proposals per-cell template work (a lookup, a filter, a translation per
cell) was most of each page's time. Every value is escaped; the labels and
links are made once per request and filled in per row. The templates draw the
table around the rows (head, caption, form) and say what the columns mean."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ranking.selectors import ForumRow, ProposalLine
from ranking.views import cells
from rounds.models import Grad, Kostnadseffektivitet, ProposalType, Svarighetsgrad
from rounds.models.proposal import types_text

DASH = cells.DASH


def _proposal_link(line: ProposalLine, url: Callable[[int], str]) -> str:
    return (
        f'<a href="{url(line.number)}"><span class="proposal-reference">'
        f"{escape(line.reference)}</span> {escape(line.title)}</a>"
    )


@dataclass(frozen=True)
class _Labels:
    """The column names the narrow layout writes before each value."""

    namnd: str
    cost_year1: str
    median: str
    mean: str
    iqr: str
    count: str


def _labels() -> _Labels:
    return _Labels(
        namnd=escape(_("Nämnd")),
        cost_year1=escape(_("År 1")),
        median=escape(_("Median")),
        mean=escape(_("Medel")),
        iqr=escape(_("Kvartilavstånd")),
        count=escape(_("Har rangordnat")),
    )


def _combined_texts() -> dict[str, str]:
    return {
        "counted": _("%(n)s av %(m)s"),
        "flag": f'<strong class="forum-flag">{escape(_("Oenighet – diskutera"))}</strong>',
        "no_flag": f'<span class="visually-hidden">{escape(_("Ingen markering"))}</span>',
    }


def _combined_cells(
    row: ForumRow, members: int, labels: _Labels | None, number, texts: dict
) -> str:
    """Median, mean, spread, how many ranked and the flag: the sammanvägd
    rangordning as the compilation and the meeting show it (``labels``: the
    names the compilation's narrow layout writes before the values)."""
    c = row.combined

    def named(field: str) -> str:
        return f' data-label="{getattr(labels, field)}"' if labels else ""

    counted = escape(texts["counted"] % {"n": c.count, "m": members})
    flag = texts["flag"] if row.disagreement else texts["no_flag"]
    return (
        f'<td class="round-numeric forum-median"{named("median")}>'
        f"{number(c.median, '-1')}</td>"
        f'<td class="round-numeric forum-mean"{named("mean")}>'
        f"{number(c.mean, '1')}</td>"
        f'<td class="round-numeric forum-iqr"{named("iqr")}>'
        f"{number(c.iqr, '-1')}</td>"
        f'<td class="forum-count"{named("count")}>{counted}</td>'
        f"<td>{flag}</td>"
    )


def compilation_rows(
    rows: list[tuple[int, ForumRow]], members: int, year: int, more_url: str
) -> SafeString:
    """The compilation's rows: (place by the rule, row) each. The proposal's
    other fields open per row ("Mer"): with htmx from ``more_url`` when the
    row's details open, and without JavaScript as a link to the proposal."""
    url = cells.proposal_urls(year)
    labels = _labels()
    number = cells.decimal_writer()
    amount = cells.tkr_writer()
    combined = _combined_texts()
    more = escape(_("Mer"))
    whole = _("Hela förslaget %(reference)s")
    about = _("om %(reference)s")
    out = []
    for place, row in rows:
        line = row.proposal
        flagged = ' class="forum-disagreement"' if row.disagreement else ""
        out.append(
            f'<tr id="forslag-{line.pk}"{flagged}>'
            f'<td class="round-numeric forum-place">{place}</td>'
            f'<th scope="row" class="forum-proposal">{_proposal_link(line, url)}'
            f'<details class="forum-more" hx-get="{more_url}?mer={line.pk}" '
            f'hx-trigger="toggle once" hx-target="find .forum-more-body">'
            f'<summary>{more}<span class="visually-hidden"> '
            f"{escape(about % {'reference': line.reference})}</span></summary>"
            f'<div class="forum-more-body"><a href="{url(line.number)}">'
            f"{escape(whole % {'reference': line.reference})}</a></div></details></th>"
            f'<td data-label="{labels.namnd}">{escape(line.namnd)}</td>'
            f'<td class="round-numeric" data-label="{labels.cost_year1}">'
            f"{amount(line.cost_year1)}</td>"
            f"{_combined_cells(row, members, labels, number, combined)}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def meeting_rows(rows: list[ForumRow], members: int) -> SafeString:
    """The meeting's rows, in the rule's order (the big screen: no links)."""
    number = cells.decimal_writer()
    amount = cells.tkr_writer()
    combined = _combined_texts()
    out = []
    for place, row in enumerate(rows, start=1):
        line = row.proposal
        flagged = ' class="forum-disagreement"' if row.disagreement else ""
        out.append(
            f'<tr id="mote-forslag-{line.pk}"{flagged}>'
            f'<td class="round-numeric forum-meeting-place">{place}</td>'
            f'<th scope="row"><span class="proposal-reference">{escape(line.reference)}</span> '
            f"{escape(line.title)}</th>"
            f"<td>{escape(line.namnd)}</td>"
            f'<td class="round-numeric">{amount(line.cost_year1)}</td>'
            f"{_combined_cells(row, members, None, number, combined)}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


# The own sheet


def _grade_labels() -> dict[str, dict]:
    """The choice labels of what the sheet shows, escaped once."""
    return {
        name: {value: escape(str(label)) for value, label in choices.choices}
        for name, choices in (
            ("typ", ProposalType),
            ("svarighetsgrad", Svarighetsgrad),
            ("nytta", Grad),
            ("kostnadseffektivitet", Kostnadseffektivitet),
        )
    }


def _assessment(line: ProposalLine, labels: dict, names: dict) -> str:
    """Svårighetsgrad, nytta and kostnadseffektivitet in one cell, named."""
    parts = []
    for field in ("svarighetsgrad", "nytta", "kostnadseffektivitet"):
        value = labels[field].get(getattr(line, field), DASH)
        parts.append(f"<dt>{names[field]}</dt><dd>{value}</dd>")
    return f'<dl class="forum-grades">{"".join(parts)}</dl>'


def _moments() -> Callable[[object], str]:
    """A moment of the history as the template showed it ("5 december 2026
    18:04:10"), the day written once (``cells.day_writer``)."""
    day = cells.day_writer()

    def moment(at) -> str:
        at = localtime(at)
        return f'<time datetime="{at.isoformat()}">{escape(day(at))} {at:%H:%M:%S}</time>'

    return moment


def _history(entries, reference: str, texts: dict) -> str:
    """The member's own earlier ranks of a proposal, newest first."""
    if not entries:
        return ""
    items = []
    for entry in entries:
        what = texts["removed"] if entry.rank is None else texts["rank"] % {"rank": entry.rank}
        items.append(f"<li>{escape(what)}, {texts['moment'](entry.at)}</li>")
    hidden = escape(texts["for"] % {"reference": reference})
    return (
        f'<details class="forum-history"><summary>{texts["earlier"]}'
        f'<span class="visually-hidden"> {hidden}</span></summary>'
        f"<ul>{''.join(items)}</ul></details>"
    )


def _sheet_texts() -> dict:
    return {
        "earlier": escape(_("Tidigare")),
        "removed": _("Borttagen"),
        "rank": _("Rangordning %(rank)s"),
        "for": _("rangordningar för %(reference)s"),
        "none": escape(_("Ingen")),
        "moment": _moments(),
        "tkr": cells.tkr_writer(),
        "label": _("Din rangordning för %(reference)s %(title)s"),
        "up": escape(_("Flytta upp")),
        "down": escape(_("Flytta ned")),
        "nämnd": escape(_("Nämnd")),
        "typ": escape(_("Typ")),
        "cost_year1": escape(_("År 1")),
        "your_rank": escape(_("Din rangordning")),
        "names": {
            "svarighetsgrad": escape(_("Svårighetsgrad")),
            "nytta": escape(_("Nytta")),
            "kostnadseffektivitet": escape(_("Kostnadseffektivitet")),
        },
    }


def _facts(line: ProposalLine, labels: dict, texts: dict) -> str:
    """Typ, cost year 1 and the assessment: what the member ranks by."""
    typ = types_text(line.typ, line.also_types, labels["typ"])
    return (
        f'<td data-label="{texts["typ"]}">{typ}</td>'
        f'<td class="round-numeric" data-label="{texts["cost_year1"]}">'
        f"{texts['tkr'](line.cost_year1)}</td>"
        f'<td class="forum-assessment">{_assessment(line, labels, texts["names"])}</td>'
    )


def _proposal_cell(line: ProposalLine, url, texts: dict) -> str:
    return (
        f'<th scope="row" class="forum-proposal">{_proposal_link(line, url)}'
        f'<span class="forum-namnd"><span class="visually-hidden">{texts["nämnd"]}: </span>'
        f"{escape(line.namnd)}</span></th>"
    )


def sheet_rows(rows: list[dict], year: int) -> SafeString:
    """The open sheet's rows (``ranking.views.forum._sheet_rows``): the place
    and its hidden ``ordning`` field, the proposal, what it is, the member's
    rank field with its errors and earlier ranks, and the move buttons that
    static/js/ranklist.js takes over."""
    url = cells.proposal_urls(year)
    texts = _sheet_texts()
    labels = _grade_labels()
    out = []
    for row in rows:
        line = row["proposal"]
        pk, name = line.pk, row["name"]
        reference = escape(line.reference)
        field_id = f"id_{name}"
        errors = row["errors"]
        error_list = cells.errors(field_id, errors)
        invalid = cells.invalid(field_id, errors)
        label = escape(texts["label"] % {"reference": line.reference, "title": line.title})
        focus = row["focus"]
        out.append(
            f'<tr id="forslag-{pk}" data-proposal="{pk}" data-number="{line.number}" '
            f'data-reference="{reference}">'
            f'<td class="round-numeric ranklist-place"><span class="ranklist-place-number">'
            f'{row["place"]}</span><input type="hidden" name="ordning" value="{pk}"></td>'
            f"{_proposal_cell(line, url, texts)}{_facts(line, labels, texts)}"
            f'<td class="forum-rank{" field--error" if errors else ""}" '
            f'data-label="{texts["your_rank"]}">'
            f'<label for="{field_id}" class="visually-hidden">{label}</label>{error_list}'
            f'<input type="number" name="{name}" id="{field_id}" value="{escape(row["value"])}" '
            f'min="1" max="10" step="1" inputmode="numeric" '
            f'class="namnd-rank-input ranklist-rank"{invalid}>'
            f"{_history(row['history'], line.reference, texts)}</td>"
            f'<td class="namnd-move forum-move">'
            f'<button type="submit" class="button round-button-small" name="flytta" '
            f'value="upp:{pk}" data-direction="upp"{" autofocus" if focus == "upp" else ""}>'
            f'{texts["up"]}<span class="visually-hidden"> {reference}</span></button>'
            f'<button type="submit" class="button round-button-small" name="flytta" '
            f'value="ned:{pk}" data-direction="ned"{" autofocus" if focus == "ned" else ""}>'
            f'{texts["down"]}<span class="visually-hidden"> {reference}</span></button></td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def closed_sheet_rows(rows: list[dict], year: int) -> SafeString:
    """The sheet after the forum phase, read only: place, the member's rank
    and earlier ranks, the proposal and what it is."""
    url = cells.proposal_urls(year)
    texts = _sheet_texts()
    labels = _grade_labels()
    out = []
    for row in rows:
        line = row["proposal"]
        value = row["value"]
        rank = f'<span class="muted">{texts["none"]}</span>' if value == "" else escape(value)
        out.append(
            f'<tr id="forslag-{line.pk}">'
            f'<td class="round-numeric">{row["place"]}</td>'
            f'<td data-label="{texts["your_rank"]}" class="round-numeric forum-closed-rank">{rank}'
            f"{_history(row['history'], line.reference, texts)}</td>"
            f"{_proposal_cell(line, url, texts)}{_facts(line, labels, texts)}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
