"""The controller's follow-up overview of one period: the status of every
followed-up proposal, cost against budget per nämnd and in total (as a table
and as a chart), the reports that are missing or late, the deviations with
the measures the förvaltningar propose with the bodies' decisions on them,
and the table of every proposal, filtered and paged, with where each was
taken into the nämnd's verksamhetsplan, budget and internkontrollplan. The numbers are
``followup.rules.overview``'s (three queries however many proposals); this
view only shapes them for reading.

The proposals' table shows one page at a time, and its rows are worded here
in Python rather than by template filters per cell, so the page stays fast
with 1,500 proposals (``bench/followup.py``). Filtering swaps only the table
(htmx); the same URL gives the whole page.
"""

from collections import Counter
from html import escape

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from documents import registry
from documents.models import Document
from followup.chart import MISSING, chart, signed_tkr, status_of
from followup.documents import FOLLOWUP_KINDS, FOLLOWUP_PDF
from followup.models import KIND_BY_SLUG, FollowUpPeriod, Progress
from followup.rules import RULES, Overview, Row, Sums, Timing, overview
from followup.services import period_decisions
from prioritering.access import may, require
from prioritering.templatetags.formatting import tkr
from rounds.views.common import get_round

PER_PAGE = 50
# The table's filters beside the statuses themselves.
DEVIATING = "avvikelse"
LATE = "sen"


class OverviewFilterForm(forms.Form):
    """The table's filters (GET): a nämnd, and a status, a missing or late
    report, or a deviation."""

    namnd = forms.TypedChoiceField(
        label=gettext_lazy("Nämnd"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=gettext_lazy("Visa"), required=False)

    def __init__(self, data, *, namnder: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["namnd"].choices = [("", _("Alla nämnder")), *namnder]
        self.fields["status"].choices = [
            ("", _("Alla förslag")),
            (DEVIATING, _("Med avvikelse")),
            (MISSING, _("Rapport saknas")),
            (LATE, _("Försenad rapport")),
            (_("Status i perioden"), list(Progress.choices)),
        ]

    def filters(self) -> dict:
        """The valid, non-empty filters (an invalid one is shown as an error
        beside its field and not applied)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}


def matches(row: Row, filters: dict) -> bool:
    namnd = filters.get("namnd")
    if namnd is not None and row.namnd_id != namnd:
        return False
    status = filters.get("status")
    if status == DEVIATING:
        return row.is_deviating
    if status == MISSING:
        return row.timing.is_missing
    if status == LATE:
        return row.timing.is_late
    return status is None or row.progress == status


def reports_in(sums: Sums) -> str:
    return _("%(reported)s av %(total)s") % {"reported": sums.reported, "total": sums.proposals}


def reports_text(sums: Sums) -> str:
    return _("%(reported)s av %(total)s rapporter inne") % {
        "reported": sums.reported,
        "total": sums.proposals,
    }


def shown_sums(sums: Sums) -> dict:
    """A line of the cost table, worded (Swedish numbers, signed deviation)."""
    return {
        "label": sums.label,
        "decided": tkr(sums.decided_tkr),
        "budget": tkr(sums.budget_tkr),
        "reported_budget": tkr(sums.reported_budget_tkr),
        "outcome": tkr(sums.outcome_tkr),
        "deviation": signed_tkr(sums.deviation_tkr) if sums.reported else "–",
        "direction": _direction(sums.deviation_tkr if sums.reported else None),
        "reports": reports_in(sums),
        "missing": sums.missing,
    }


def _direction(deviation: int | None) -> str:
    if not deviation:
        return ""
    return "over" if deviation > 0 else "under"


# A number no proposal has, to reverse a URL once and fill in each row's.
SENTINEL = 987654321


class Links:
    """The proposal's page and its report's: each URL reversed once with a
    stand-in number, then filled in per row (a reverse() per row cost more
    than the rest of a row). The report page belongs to the förvaltningar's
    part of the follow-up; without its URL a row links to the proposal only."""

    def __init__(self, year: int, slug: str):
        self.proposal_url = reverse("proposal_detail", args=[year, SENTINEL]).split(str(SENTINEL))
        self.implementation_url = reverse("proposal_implementation", args=[year, SENTINEL]).split(
            str(SENTINEL)
        )
        try:
            report = reverse("followup_report", args=[year, slug, SENTINEL])
        except NoReverseMatch:
            self.report_url = None
        else:
            self.report_url = report.split(str(SENTINEL))

    def proposal(self, row: Row) -> str:
        return f"{self.proposal_url[0]}{row.number}{self.proposal_url[1]}"

    def implementation(self, row: Row) -> str:
        return f"{self.implementation_url[0]}{row.number}{self.implementation_url[1]}"

    def report(self, row: Row) -> str:
        if self.report_url is None:
            return ""
        return f"{self.report_url[0]}{row.number}{self.report_url[1]}"


def shown_row(row: Row, links: Links) -> dict:
    """One proposal of the table, worded."""
    deviation = row.deviation_tkr
    return {
        "reference": row.reference,
        "title": row.title,
        "proposal_url": links.proposal(row),
        "report_url": links.report(row),
        "namnd": row.namnd,
        "forvaltning": row.forvaltning,
        "outcome_label": row.outcome_label,
        "decided": tkr(row.decided_tkr),
        "budget": tkr(row.budget_tkr),
        "outcome": tkr(row.outcome_tkr) if row.outcome_tkr is not None else "–",
        "deviation": signed_tkr(deviation),
        "direction": _direction(deviation),
        "status": status_of(row),
        "timing": row.timing,
        "implementation": [
            {"text": part.text, "recorded": part.date is not None, "reference": part.reference}
            for part in row.implementation
        ],
        "implementation_url": links.implementation(row),
    }


def _paragraphs(text: str) -> str:
    """A user's text as HTML: escaped, its line breaks kept; "–" when empty."""
    text = text.strip().replace("\r\n", "\n").replace("\r", "\n")
    return escape(text).replace("\n", "<br>") if text else "–"


def deviation_rows(rows: list[Row], links: Links) -> str:
    """The deviations' table rows as HTML, written here rather than by the
    template: with 1,500 proposals a few hundred deviate, each with two long
    texts, and per-cell template work was a fifth of the page's time."""
    out = []
    for row in rows:
        report = row.submitted
        status = status_of(row)
        direction = _direction(row.deviation_tkr)
        out.append(
            f'<tr><th scope="row"><a href="{escape(links.report(row) or links.proposal(row))}">'
            f"{escape(row.reference)} {escape(row.title)}</a>"
            f'<span class="overview-unit">{escape(row.namnd)} · {escape(row.forvaltning)}</span>'
            f'</th><td><span class="overview-status overview-status--{escape(status.key)}">'
            f"{escape(status.text)}</span></td>"
            f'<td class="proposal-num overview-deviation'
            f'{" overview-deviation--" + direction if direction else ""}">'
            f"{escape(signed_tkr(row.deviation_tkr))}</td>"
            f'<td class="overview-text">{_paragraphs(report.deviation)}</td>'
            f'<td class="overview-text">{_paragraphs(report.measures)}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def late_by_forvaltning(result: Overview) -> list[dict]:
    """Per förvaltning with any: reports not in, of which overdue, and
    reports handed in after the last day."""
    late = Counter(row.forvaltning for row in result.rows if row.timing == Timing.SUBMITTED_LATE)
    missing = {name: (count, overdue) for name, count, overdue in result.missing_by_forvaltning}
    return [
        {
            "forvaltning": name,
            "missing": missing.get(name, (0, 0))[0],
            "overdue": missing.get(name, (0, 0))[1],
            "late": late.get(name, 0),
        }
        for name in sorted(set(missing) | set(late))
    ]


def _latest_documents(round, period) -> list[tuple[registry.Kind, Document | None]]:
    latest: dict = {}
    for document in Document.objects.filter(
        round=round, period=period, kind__in=FOLLOWUP_KINDS
    ).order_by("-version"):
        latest.setdefault(document.kind, document)
    return [(registry.get(kind), latest.get(kind)) for kind in FOLLOWUP_KINDS]


def _query(request, drop=(), **values) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    for name, value in values.items():
        params[name] = value
    return params.urlencode()


@login_required
@require_GET
@vary_on_headers("HX-Request")
def followup_overview(request, year, period):
    round = get_round(year)
    require(request.user, "view_follow_up_overview", round)
    kind = KIND_BY_SLUG.get(period)
    periods = list(FollowUpPeriod.objects.filter(round=round).order_by("kind"))
    current = next((p for p in periods if p.kind == kind), None)
    if current is None:
        raise Http404
    for each in periods:
        each.round = round
    result = overview(round, current)
    namnder = sorted({(row.namnd_id, row.namnd) for row in result.rows}, key=lambda n: n[1])
    filter_form = OverviewFilterForm(request.GET or None, namnder=namnder)
    filters = filter_form.filters()
    rows = [row for row in result.rows if matches(row, filters)]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("sida"))
    links = Links(round.budget_year, current.slug)
    context = {
        "round": round,
        "period": current,
        "overview": result,
        "filter_form": filter_form,
        "filtered": bool(filters),
        "page": page,
        "rows": [shown_row(row, links) for row in page.object_list],
        "page_query": _query(request, drop=("sida",)),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    if partial:
        return render(request, "followup/overview.html#results", context)
    url = reverse("followup_overview", args=[round.budget_year, current.slug])
    deviations = result.deviations
    context |= {
        "periods": [
            {"period": each, "url": reverse("followup_overview", args=[year, each.slug])}
            for each in periods
        ],
        "rules": RULES,
        "status_counts": [
            {
                "key": value or MISSING,
                "label": label,
                "count": count,
                "url": f"{url}?status={value or MISSING}#forslagen",
            }
            for value, label, count in result.status_counts
        ],
        "namnd_sums": [shown_sums(sums) for sums in result.namnder],
        "total": shown_sums(result.total),
        "chart": chart(result.namnder, reports_text),
        "late_by_forvaltning": late_by_forvaltning(result),
        "reports_missing_text": result.reports_missing_text,
        "deviation_count": len(deviations),
        "deviation_rows": deviation_rows(deviations, links),
        "documents": _latest_documents(round, current),
        # The bodies' decisions on the period's measures
        "period_decisions": period_decisions(current),
        "may_record_decisions": may(request.user, "record_period_decision", current),
        "may_export": may(
            request.user,
            "generate_document",
            Document(round=round, kind=FOLLOWUP_PDF, period=current),
        ),
        "url": url,
    }
    return render(request, "followup/overview.html", context)
