"""What the ranking's PDF documents say — the decision document and one
nämnd's ranking — as a :class:`~documents.pdf.Layout`: many small parts, each
a complete HTML document written with ``documents.markup``, that the renderer
lays out in parallel processes and joins in order; and for the decision
document a front (cover and table of contents) laid out last, when the page
each chapter begins on is known.

Why so many parts, and such plain markup (``documents.markup`` says more): a
decision document of 1 500 proposals is some 1 600 pages, and it must be made
in seconds. So

- the long tables (the ranked table, the flagged proposals, the decisions)
  come in slices of ``rows_per_part`` rows: fixed layout, short cells only —
  the long texts are on the proposal pages;
- the proposal pages (``rounds.documents.pages``) come ``per_part`` at a
  time; they, like every part of the decision document but its front (which
  carries the date), are marked ``reuse``: their HTML depends on nothing but
  the proposals, so an unchanged slice is taken from the renderer's cache the
  next time.

The data is read once per document in a fixed number of queries, whatever the
number of proposals; the rules (budget line, review flags) are those of
``ranking.selectors`` and ``ranking.budget``, not recomputed here.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from documents.logo import cover_logo
from documents.markup import (
    Column,
    Header,
    colgroup_of,
    document,
    escape,
    escape_text,
    flow,
    fragment,
    head_cells,
    joined,
    labels,
    long_date,
    sliced,
    table_row,
    thead_of,
)
from documents.pdf import Layout, Part
from prioritering.history import EMPTY
from prioritering.templatetags.formatting import signed_number, tkr
from ranking import budget, matrix, robustness, selectors
from ranking.aggregate import RULE as AGGREGATE_RULE
from ranking.models import Handling, NamndRanking, NamndResult
from ranking.review import QUESTIONS as REVIEW_QUESTIONS
from ranking.review import RULES as REVIEW_RULES
from rounds.assessment import riktvarden_rows, source_examples
from rounds.documents.pages import (
    LIST_ROWS_PER_PART,
    PROPOSALS_PER_PART,
    Assessment,
    Field,
    ProposalPage,
    Section,
    page_parts,
    proposal_cell,
)
from rounds.models import (
    Grad,
    Kostnadseffektivitet,
    ProposalType,
    Round,
    Svarighetsgrad,
)
from rounds.models.proposal import types_text

TEMPLATES = "ranking/documents/"
# The table of contents of the decision document: (id, heading).
DECISION_CHAPTERS = (
    ("sammanfattning", "Sammanfattning"),
    ("budgetlinje", "Budgetlinjen"),
    ("matris", "Förslagen efter svårighetsgrad och nytta"),
    ("sakerhet", "Hur säker är linjen?"),
    ("rangordning", "Förslagen i forumets ordning"),
    ("granskning", "Granskning"),
    ("beslut", "Beslut och motiveringar"),
    ("namnder", "Nämndernas egna beslut"),
    ("forslagen", "Förslagen"),
)


def _decimal(value: float | None) -> str:
    if value is None:
        return EMPTY
    return number_format(value, decimal_pos=1 if value % 1 else 0)


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


PERCENT = robustness.DEFAULT_PERCENT


def _stability_text(stability) -> str:
    """A proposal's robustness (``ranking.robustness``) in a sentence: its
    class, then what moves it."""
    parts = [str(stability.label)]
    if stability.leave_one_out is not None:
        parts.append(
            _("över linjen i %(above)s av %(runs)s omräkningar utan en ledamot")
            % {"above": stability.runs_above, "runs": stability.runs}
        )
    moved = [
        str(robustness.RULE_LABELS[rule]).lower()
        for rule, above in stability.rules.items()
        if above != stability.above
    ]
    if moved:
        parts.append(_("på andra sidan med %(rules)s") % {"rules": ", ".join(moved)})
    if stability.cost_dependent:
        parts.append(_("kan byta sida om kostnaderna är %(percent)s %% fel") % {"percent": PERCENT})
    return "; ".join(parts)


def _decision_ranking(row, ranking: NamndRanking | None, handling: dict) -> list[Field]:
    """The outcome band of a proposal's page: place, ranks, line, decision,
    motivations and the review's flags."""
    place = f"{row.position} {_departure(row)}".strip()
    fields = [
        Field(_("Plats i forumets ordning"), place),
        Field(_("Forumets sammanvägda rangordning"), _combined_text(row.combined)),
        Field(_("Nämndens rangordning"), _namnd_rank_text(ranking, handling)),
        Field(_("Budgetlinjen"), _line_text(row)),
        *(
            [Field(_("Hur säker är platsen"), _stability_text(row.stability))]
            if row.stability
            else []
        ),
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


def _outcome_counts(rows) -> list[tuple[str, int, int, int]]:
    """Per decision: its words, how many proposals, and their costs and their
    savings år 1, apart (the amount granted for partial financing): a
    rejected cost and a rejected saving are two things, not one net sum."""
    counts: dict[str, list] = {}
    for row in rows:
        decision = row.decision
        name = _decision_text(None) if decision is None else decision.get_outcome_display()
        entry = counts.setdefault(name, [0, 0, 0])
        entry[0] += 1
        amount = decision.amount_tkr if decision and decision.amount_tkr is not None else None
        amount = amount if amount is not None else row.proposal.cost_year1
        entry[1 if amount >= 0 else 2] += amount
    return [(name, count, costs, savings) for name, (count, costs, savings) in counts.items()]


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
            body = fragment(TEMPLATES + "decision_front.html", {**self.context, "entries": entries})
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
        self.typ = labels(ProposalType.choices)
        self.svarighetsgrad = labels(Svarighetsgrad.choices)
        self.grad = labels(Grad.choices)
        self.kostnadseffektivitet = labels(Kostnadseffektivitet.choices)
        self.columns = [
            Column(_("Plats"), "c-place", True),
            Column(_("Sammanfattande beskrivning")),
            Column(joined(_("Nämnd"), _("Fokusområde"), _("Verksamhetsområde")), "c-group"),
            Column(joined(_("Typ"), _("Orsak till behov"), _("Effekt på längre sikt")), "c-group"),
            Column(_("År 1"), "c-money", True),
            Column(_("År 2"), "c-money", True),
            Column(_("År 3"), "c-money", True),
            Column(joined(_("Svårighetsgrad"), _("Nyttan"), _("Kostnadseffektivitet")), "c-assess"),
            Column(_("Sammanvägd rangordning"), "c-median", True),
        ]
        # Two header rows, "Kostnader, tkr" over the three years.
        before, years, after = self.columns[:4], self.columns[4:7], self.columns[7:]
        rowspan = ' rowspan="2"'
        self.thead = (
            f"<thead><tr>{head_cells(before, rowspan)}"
            f'<th colspan="3" class="g">{escape(_("Kostnader, tkr"))}</th>'
            f"{head_cells(after, rowspan)}</tr><tr>{head_cells(years)}</tr></thead>"
        )
        self.colgroup = colgroup_of(self.columns)

    @staticmethod
    def _name(item) -> str:
        return item.name if item else EMPTY

    def row(self, row) -> str:
        p = row.proposal
        namnd = p.analysis.forvaltning.namnd
        return table_row(
            [
                str(row.position),
                proposal_cell(p),
                escape(
                    joined(
                        namnd.short_name or namnd.name,
                        self._name(p.fokusomrade),
                        self._name(p.verksamhetsomrade),
                    )
                ),
                escape(
                    joined(
                        types_text(p.typ, p.also_types, self.typ),
                        self._name(p.orsak),
                        self._name(p.effekt_pa_sikt),
                    )
                ),
                signed_number(p.cost_year1),
                signed_number(p.cost_year2),
                signed_number(p.cost_year3),
                escape(
                    joined(
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
        words = budget.line_words(line)
        for row in rows:
            html = self.row(row)
            if not drawn and row.step is not None and not row.step.funded:
                text = words % {"frame": tkr(line.effective_frame)}
                line_row = (
                    f'<tr class="line"><td colspan="{len(self.columns)}">{escape(text)}</td></tr>'
                )
                html = line_row + html
                drawn = True
            out.append(html)
        return out


def _flagged_columns() -> tuple[list[Column], str, str]:
    columns = [
        Column(_("Plats"), "c-place", True),
        Column(_("Förslag"), "c-title"),
        Column(_("Markering")),
    ]
    return columns, colgroup_of(columns), thead_of(columns)


def _flagged_row(row, columns) -> str:
    reasons = "\n".join(escape(flag.reason) for flag in row.flags)
    return table_row([str(row.position), proposal_cell(row.proposal), reasons], columns)


def _decisions_columns() -> tuple[list[Column], str, str]:
    columns = [
        Column(_("Plats"), "c-place", True),
        Column(_("Förslag"), "c-title"),
        Column(_("År 1"), "c-cost", True),
        Column(_("Beslut"), "c-outcome"),
        Column(_("Motivering")),
    ]
    return columns, colgroup_of(columns), thead_of(columns)


def _decision_row(row, columns) -> str:
    decision = row.decision
    outcome = escape(_decision_text(decision)) if decision else EMPTY
    for correction in row.corrections:
        outcome += f"<br>{escape(_correction_text(correction))}"
    motivation = (
        escape_text(decision.motivation) if decision and decision.motivation.strip() else ""
    )
    if row.place is not None and row.place.departs:
        departed = _("Forumet avvek från den sammanvägda rangordningen (plats %(computed)s):") % {
            "computed": row.place.computed_position
        }
        note = f"{escape(departed)} {escape_text(row.place.motivation)}"
        motivation = f"{motivation}\n{note}" if motivation else note
    return table_row(
        [
            str(row.position),
            proposal_cell(row.proposal),
            tkr(row.proposal.cost_year1),
            outcome,
            motivation or EMPTY,
        ],
        columns,
    )


def decision_document(
    round: Round, *, per_part: int = PROPOSALS_PER_PART, rows_per_part: int = 300
) -> Layout:
    """The decision document of ``round``: the front (cover and contents),
    the summary with the charts, the ranked table, the review, the decisions,
    and one page per proposal in the decided order."""
    result = selectors.result_of(round)
    rows = selectors.with_flags(selectors.outcome_rows(round), round)
    line = selectors.with_line(rows, round.frame_tkr, round.purpose)
    analysis = selectors.robustness_of(round, rows, line)
    proposals = [row.proposal for row in rows]
    prefetch_related_objects(proposals, "mal", "faktaunderlag")
    rankings = _namnd_rankings([p.pk for p in proposals])
    kommun = round.kommun.name
    typ_names = labels(ProposalType.choices)
    header = Header(kommun, _("Beslutsunderlag %(year)s") % {"year": round.budget_year})
    title = _("%(kommun)s: beslutsunderlag %(year)s") % {
        "kommun": kommun,
        "year": round.budget_year,
    }
    published = result is not None and result.is_published
    logo = cover_logo()
    front = DecisionFront(
        {
            "kommun": kommun,
            "logo": logo is not None,
            "round_name": str(round),
            "year": round.budget_year,
            "today": long_date(timezone.localdate()),
            "published": published,
            "status": (
                _("Publicerat %(date)s") % {"date": long_date(result.published_at)}
                if published
                else _("Utkast – inte publicerat")
            ),
            "purpose": round.get_purpose_display(),
            "frame": line.frame,
            "frame_label": round.frame_label,
            "count": len(rows),
        },
        header,
        title,
    )
    part = {"title": title, "header": header}
    intro = fragment(TEMPLATES + "divider.html", {}).strip()
    pages = _decision_pages(round, rows, rankings)
    if pages:
        proposal_pages = page_parts(pages, per_part, intro=intro, **part)
    else:  # the contents still point at the chapter, which says there is none
        proposal_pages = [Part(document(intro, sheet="pages", **part), reuse=True)]
    # The sections follow one another on the page (the ranked table on
    # landscape pages of its own); the proposal pages begin a page each.
    parts = flow(
        [
            [_summary_part(round, result, rows, line, typ_names, analysis, **part)],
            _ranked_parts(rows, line, rows_per_part, **part),
            _review_parts(result, rows, rows_per_part, riktvarden=round.riktvarden, **part),
            _decision_parts(rows, rows_per_part, **part),
            _namnd_decision_parts(round, rows_per_part, **part),
            proposal_pages,
        ]
    )
    return Layout(
        parts=parts,
        toc=[anchor for anchor, _heading in DECISION_CHAPTERS],
        front=front,
        logo=logo,
    )


def _summary_part(round, result, rows, line, typ_names, analysis, *, title, header) -> Part:
    by_namnd, namnd_total = totals(rows, lambda r: r.proposal.analysis.forvaltning.namnd.name)
    by_typ, typ_total = totals(rows, lambda r: typ_names.get(r.proposal.typ, r.proposal.typ))
    context = {
        "result": result,
        "count": len(rows),
        "line": line,
        "chart": budget.chart(line),
        "matrix": matrix.matrix_for(rows),
        "budget_rule": budget.rule(round.purpose),
        "figures": budget.figures(line),
        "summary_tables": [
            (_("Per nämnd"), by_namnd, namnd_total, _("Nämnd")),
            (_("Per typ"), by_typ, typ_total, _("Typ")),
        ],
        "outcome_counts": _outcome_counts(rows),
        "savings": any(row.step is None for row in rows),
        "decided": sum(1 for row in rows if row.decision),
        "order_recorded": long_date(result.order_recorded_at) if result else "",
        **selectors.robustness_shown(rows, analysis),
    }
    body = fragment(TEMPLATES + "decision.html", context)
    return Part(document(body, title=title, header=header, sheet="tables"), reuse=True)


def _ranked_note() -> str:
    return _(
        "Plats är forumets beslutade plats; kostnader i tkr. Konsekvensanalysen och hela "
        "bedömningen står på förslagets sida."
    )


def _ranked_parts(rows, line, rows_per_part, *, title, header) -> list[Part]:
    table = RankedTable()
    lead = (
        f'<h2 id="rangordning">{escape(_("Förslagen i forumets ordning"))}</h2>'
        f'<p class="note">{escape(AGGREGATE_RULE)} '
        f"{escape(_ranked_note())}</p>"
    )
    return sliced(
        table.rows(rows, line),
        rows_per_part,
        table=(table.colgroup, table.thead),
        lead=lead,
        wide=True,
        title=title,
        header=header,
    )


def _review_parts(result, rows, rows_per_part, *, riktvarden, title, header) -> list[Part]:
    flagged = [row for row in rows if row.flags]
    lead = fragment(
        TEMPLATES + "decision_review.html",
        {
            "result": result,
            "review_recorded": long_date(result.review_recorded_at) if result else "",
            "questions": _review_questions(result),
            "flag_rules": REVIEW_RULES,
            "riktvarden": riktvarden_rows(riktvarden),
            "examples": source_examples(),
            "flagged": bool(flagged),
        },
    )
    columns, colgroup, thead = _flagged_columns()
    return sliced(
        [_flagged_row(row, columns) for row in flagged],
        rows_per_part,
        table=(colgroup, thead),
        lead=lead,
        title=title,
        header=header,
    )


def _decision_parts(rows, rows_per_part, *, title, header) -> list[Part]:
    columns, colgroup, thead = _decisions_columns()
    return sliced(
        [_decision_row(row, columns) for row in rows],
        rows_per_part,
        table=(colgroup, thead),
        lead=f'<h2 id="beslut">{escape(_("Beslut och motiveringar"))}</h2>',
        title=title,
        header=header,
    )


def _namnd_decision_parts(round, rows_per_part, *, title, header) -> list[Part]:
    """What each nämnd kept within its own frame or stopped: its decision
    (date, §, comment) in the lead, its proposals in one table."""
    groups = selectors.namnd_decisions(round)
    lead = f'<h2 id="namnder">{escape(_("Nämndernas egna beslut"))}</h2>'
    lead += "<p>{}</p>".format(
        escape(
            _(
                "Förslag som en nämnd beslutade att genomföra inom sin egen ram, eller att inte "
                "driva vidare, gick inte till forumet. Nämndens beslut:"
            )
        )
    )
    notes = []
    for group in groups:
        result = group.result
        decided = _("%(namnd)s, %(date)s, § %(paragraph)s.") % {
            "namnd": result.namnd.name,
            "date": long_date(result.decision_date),
            "paragraph": result.paragraph,
        }
        comment = f" {escape_text(result.comment)}" if result.comment.strip() else ""
        notes.append(f"<li>{escape(decided)}{comment}</li>")
    if notes:
        lead += f"<ul>{''.join(notes)}</ul>"
    columns = [
        Column(_("Nämnd"), "c-group"),
        Column(_("Förslag")),
        Column(_("År 1"), "c-cost", True),
        Column(_("Nämndens rangordning"), "c-rank", True),
        Column(_("Beslut"), "c-namnd"),
    ]
    rows = []
    for group in groups:
        for decision in group.kept + group.stopped:
            proposal = decision.proposal
            ranking = getattr(proposal, "namnd_ranking", None)
            rows.append(
                table_row(
                    [
                        escape(group.result.namnd.name),
                        proposal_cell(proposal),
                        tkr(proposal.cost_year1),
                        str(ranking.rank) if ranking and ranking.rank else EMPTY,
                        escape(decision.get_outcome_display()),
                    ],
                    columns,
                )
            )
    return sliced(
        rows,
        rows_per_part,
        table=(colgroup_of(columns), thead_of(columns)),
        lead=lead,
        empty="<p>{}</p>".format(
            escape(_("Ingen nämnd beslutade om förslag inom sin egen ram i den här omgången."))
        ),
        title=title,
        header=header,
    )


def _fakta_line(fakta) -> str:
    """A faktaunderlag on a proposal's page: what it shows and its file."""
    if fakta.title:
        return f"{fakta.title} ({fakta.name})"
    return fakta.name


def _decision_pages(round, rows, rankings) -> list[ProposalPage]:
    assessment = Assessment(round)
    handling = labels(Handling.choices)
    pages = []
    for row in rows:
        page = assessment.page(row.proposal)
        page.ranking = _decision_ranking(row, rankings.get(row.proposal.pk), handling)
        files = list(row.proposal.faktaunderlag.all())  # prefetched
        if files:
            page.sections.append(
                Section(
                    _("Faktaunderlag"),
                    [Field(_("Faktaunderlag"), "\n".join(_fakta_line(f) for f in files), True)],
                )
            )
        pages.append(page)
    return pages


# --- one nämnd's ranking -----------------------------------------------------------------


def ranking_document(namnd_result: NamndResult, *, per_part: int = PROPOSALS_PER_PART) -> Layout:
    """One nämnd's ranking: a title block with the nämnd's decision (date
    and §) and the cost per handling, the ranked list, then each ranked
    proposal's page."""
    result = namnd_result
    round, namnd = result.round, result.namnd
    kommun = round.kommun.name
    rankings = selectors.rankings_for_reading(result) if result.pk else []
    proposals = [ranking.proposal for ranking in rankings]
    prefetch_related_objects(proposals, "mal", "analysis__forvaltning__namnd")
    handling = labels(Handling.choices)
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
        TEMPLATES + "ranking.html",
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
    parts += page_parts(pages, per_part, **part)
    return Layout(parts=parts)


def _ranking_list_parts(rankings, handling, namnd: str, *, title, header) -> list[Part]:
    typ = labels(ProposalType.choices)
    svarighetsgrad, grad = labels(Svarighetsgrad.choices), labels(Grad.choices)
    kostnadseffektivitet = labels(Kostnadseffektivitet.choices)
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
            table_row(
                [
                    str(place),
                    proposal_cell(p),
                    escape(p.analysis.forvaltning.name),
                    escape(types_text(p.typ, p.also_types, typ)),
                    escape(svarighetsgrad.get(p.svarighetsgrad, EMPTY)),
                    escape(grad.get(p.nytta, EMPTY)),
                    escape(kostnadseffektivitet.get(p.kostnadseffektivitet, EMPTY)),
                    str(p.rangordning) if p.rangordning else EMPTY,
                    signed_number(p.cost_year1),
                    signed_number(p.cost_year2),
                    signed_number(p.cost_year3),
                    str(ranking.rank) if ranking.rank else EMPTY,
                    escape(handling.get(ranking.handling, EMPTY)),
                ],
                columns,
            )
        )
    lead = f'<h2 id="rangordning">{escape(_("Rangordning i %(namnd)s") % {"namnd": namnd})}</h2>'
    return sliced(
        rows,
        LIST_ROWS_PER_PART,
        table=(colgroup_of(columns), thead_of(columns)),
        lead=lead,
        wide=True,
        title=title,
        header=header,
    )
