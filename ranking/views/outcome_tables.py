"""The long tables of the forum's outcome pages — the agreed order, the
budget line and the decisions — written here as HTML rather than cell by
cell in their templates. With 600–1,200 forwarded proposals the template
loop was most of each page's time (about 30 template nodes a row, each
resolved, localised and escaped); here the texts that are the same on every
row are translated once per request, and each row is one f-string. Every
value from the database or a user goes through ``escape``; the templates
keep the table's caption and headers, so they still say what is drawn."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from prioritering.templatetags.formatting import tkr
from ranking import budget
from ranking.models import FORUM_OUTCOMES
from ranking.views import cells

# What the budget line shows of a consequence analysis before "…": the whole
# text is on the proposal's page, one click away.
CONSEQUENCE_WORDS = 30


def _proposal_cell(shown: dict, title: str, meta: str) -> str:
    """The row's header: reference and title linked to the proposal, and
    under it what places it (nämnd, type) in a quieter line."""
    return (
        f'<th scope="row" class="outcome-proposal"><a href="{escape(shown["url"])}">'
        f'<span class="proposal-reference">{escape(shown["reference"])}</span> {escape(title)}</a>'
        f'<span class="outcome-meta">{escape(meta)}</span></th>'
    )


# --- the agreed order ---


def order_rows(rows, *, can_decide: bool) -> SafeString:
    """The rows of the agreed order: the place (a field for the controller),
    the place in the sammanvägd rangordning, the proposal, the combined
    ranks, the cost and the motivation (a field for the controller)."""
    count = len(rows)
    number = cells.decimal_writer()
    place_label = _("Plats för %(reference)s %(title)s")
    motivation_label = _("Motivering för platsen för %(reference)s %(title)s")
    departs = escape(_("Avviker:"))
    not_ranked = escape(_("Inte rangordnat"))
    out = []
    for row in rows:
        proposal, shown, combined = row.proposal, row.shown, row.combined
        pk, title = proposal.pk, proposal.title
        names = {"reference": shown["reference"], "title": title}
        place = row.place
        computed = place.computed_position if place else row.computed_position
        if combined.count:
            median = _("Median %(median)s") % {"median": number(combined.median, "-1")}
            spread = _("medel %(mean)s, kvartilavstånd %(iqr)s") % {
                "mean": number(combined.mean, "1"),
                "iqr": number(combined.iqr, "-1"),
            }
            ranks = (
                f'<span class="forum-median">{escape(median)}</span><span>{escape(spread)}</span>'
            )
        else:
            ranks = f"<span>{not_ranked}</span>"
        if can_decide:
            place_id, text_id = f"id_place_{pk}", f"id_motivation_{pk}"
            place_cell = (
                f"<td{cells.error_class(row.place_errors, 'round-numeric outcome-key')}>"
                f'<label for="{place_id}" class="visually-hidden">'
                f"{escape(place_label % names)}</label>"
                f"{cells.errors(place_id, row.place_errors)}"
                f'<input type="number" name="place_{pk}" id="{place_id}"'
                f' value="{escape(row.place_value)}" min="1" max="{count}" step="1"'
                f' inputmode="numeric" class="namnd-rank-input"'
                f"{cells.invalid(place_id, row.place_errors)}></td>"
            )
            motivation_cell = (
                f"<td{cells.error_class(row.motivation_errors, 'outcome-writing')}>"
                f'<label for="{text_id}" class="visually-hidden">'
                f"{escape(motivation_label % names)}</label>"
                f"{cells.errors(text_id, row.motivation_errors)}"
                f'<textarea name="motivation_{pk}" id="{text_id}" rows="2" cols="30"'
                f"{cells.invalid(text_id, row.motivation_errors)}>"
                f"{escape(row.motivation_value)}</textarea></td>"
            )
        else:
            place_cell = f'<td class="round-numeric outcome-key">{row.position}</td>'
            label = (
                f'<strong class="decision-departs-label">{departs}</strong> '
                if place and place.departs
                else ""
            )
            motivation = place.motivation if place else ""
            written = cells.text(motivation) if motivation else "–"
            motivation_cell = f'<td class="outcome-writing">{label}{written}</td>'
        departing = ' class="decision-departs"' if place and place.departs else ""
        out.append(
            f'<tr id="forslag-{pk}"{departing}>{place_cell}'
            f'<td class="round-numeric">{computed}</td>'
            f"{_proposal_cell(shown, title, shown['namnd'])}"
            f'<td class="forum-combined">{ranks}</td>'
            f'<td class="round-numeric">{escape(shown["cost_year1"])}</td>'
            f"{motivation_cell}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


# --- the budget line ---


def budget_rows(on_line, line) -> SafeString:
    """The proposals on the budget line in order, with the line itself drawn
    as a row before the first one that does not fit."""
    columns = 8
    line_text = escape(budget.line_words(line) % {"frame": tkr(line.effective_frame)})
    fits, below = escape(_("Ryms")), escape(_("Under linjen"))
    over_1_3 = escape(_("över ramen år 1–3"))
    partial = _("delvis, av %(cost)s")
    write = cells.tkr_writer()
    stability_badge = stability_badges()
    line_index = line.line_index  # counts the funded steps: once, not per row
    out = []
    for index, row in enumerate(on_line):
        proposal, step, shown = row.proposal, row.step, row.shown
        if not step.funded and index == line_index:
            out.append(
                f'<tr class="budget-line-row"><th scope="row" colspan="{columns}">'
                f"{line_text}</th></tr>"
            )
        cost = escape(write(step.cost))
        if step.partial:
            cost += (
                f'<span class="budget-partial">'
                f"{escape(partial % {'cost': write(proposal.cost_year1)})}</span>"
            )
        cumulative_1_3 = escape(write(step.cumulative_1_3))
        if not step.fits_1_3:
            cumulative_1_3 += f'<span class="budget-partial">{over_1_3}</span>'
        consequence = "" if step.funded else _consequence(proposal)
        out.append(
            f'<tr id="forslag-{proposal.pk}"'
            f' class="{"budget-funded" if step.funded else "budget-given-up"}">'
            f'<td class="round-numeric outcome-key">{row.position}</td>'
            f"{_proposal_cell(shown, proposal.title, shown['namnd'])}"
            f'<td class="round-numeric">{cost}</td>'
            f'<td class="round-numeric">{escape(write(step.cumulative))}</td>'
            f'<td class="round-numeric">{escape(write(step.cost_1_3))}</td>'
            f'<td class="round-numeric">{cumulative_1_3}</td>'
            f"<td><strong>{fits if step.funded else below}</strong>"
            f"{stability_badge(row.stability)}</td>"
            f'<td class="outcome-writing">{consequence}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def stability_badges() -> Callable:
    """A writer of how sure a proposal's side of the line is
    (``ranking.robustness``): words in a badge whose colour only repeats them,
    empty without one; each class's badge made once a table, not once a row."""
    made: dict[str, str] = {}

    def badge(stability) -> str:
        if stability is None:
            return ""
        klass = stability.klass
        if klass not in made:
            made[klass] = (
                f'<span class="stability stability--{klass}">{escape(stability.label)}</span>'
            )
        return made[klass]

    return badge


def _consequence(proposal) -> str:
    text = Truncator(proposal.konsekvensanalys).words(CONSEQUENCE_WORDS)
    return escape(text) if text else "–"


def saving_rows(savings, line) -> SafeString:
    """The savings of a reduction round in order, each with its cumulative
    saving, whether it is needed to reach the required reduction and what it
    costs in konsekvens; the line drawn as a row after the last one needed."""
    columns = 6
    line_text = escape(
        _(
            "Budgetlinjen – kravet på minskning, %(required)s, är nått. Besparingarna "
            "nedanför behövs inte för kravet."
        )
        % {"required": tkr(line.required)}
    )
    needed, not_needed = (
        escape(_("Behövs för att nå minskningen")),
        escape(_("Behövs inte för minskningen")),
    )
    write = cells.tkr_writer()
    stability_badge = stability_badges()
    line_index = len(line.needed_savings)
    out = []
    for index, row in enumerate(savings):
        proposal, step, shown = row.proposal, row.saving_step, row.shown
        if index == line_index and line.reduction_met:
            out.append(
                f'<tr class="budget-line-row"><th scope="row" colspan="{columns}">'
                f"{line_text}</th></tr>"
            )
        out.append(
            f'<tr id="forslag-{proposal.pk}"'
            f' class="{"budget-funded" if step.needed else "budget-given-up"}">'
            f'<td class="round-numeric outcome-key">{row.position}</td>'
            f"{_proposal_cell(shown, proposal.title, shown['namnd'])}"
            f'<td class="round-numeric">{escape(write(step.saving))}</td>'
            f'<td class="round-numeric">{escape(write(step.cumulative))}</td>'
            f"<td><strong>{needed if step.needed else not_needed}</strong>"
            f"{stability_badge(row.stability)}</td>"
            f'<td class="outcome-writing">{_consequence(proposal)}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


# --- the review ---


def review_rows(flagged) -> SafeString:
    """The rows of the review: each flagged proposal with its median, its
    assessment and why its rank and assessment disagree."""
    number = cells.decimal_writer()
    out = []
    for row in flagged:
        proposal, shown = row.proposal, row.shown
        reasons = "".join(f"<li>{escape(flag.reason)}</li>" for flag in row.flags)
        out.append(
            f'<tr id="forslag-{proposal.pk}">'
            f"{_proposal_cell(shown, proposal.title, shown['namnd'])}"
            f'<td class="round-numeric">{number(row.combined.median, "-1")}</td>'
            f"<td>{escape(shown['svarighetsgrad'])}</td>"
            f"<td>{escape(shown['nytta'])}</td>"
            f"<td>{escape(shown['kostnadseffektivitet'])}</td>"
            f'<td class="outcome-writing"><ul class="review-reasons">{reasons}</ul></td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


# --- the decisions ---


@dataclass(frozen=True)
class DecisionTexts:
    """What every row of the decisions says alike, translated once."""

    fits: str
    below: str
    saving: str
    saving_needed: str
    off: str
    none: str
    outcome_label: str
    amount_label: str
    motivation_label: str
    outcomes: list[tuple[str, str]]
    published: str
    correction: str
    holds: str
    reason: str
    correct_link: str

    @classmethod
    def now(cls) -> "DecisionTexts":
        return cls(
            fits=escape(_("Ryms")),
            below=escape(_("Under linjen")),
            saving=escape(_("Besparing")),
            saving_needed=escape(_("Besparing, behövs för att nå minskningen")),
            off=escape(_("Utanför linjen")),
            none=escape(_("Inget beslut")),
            outcome_label=_("Beslut om %(reference)s %(title)s"),
            amount_label=_(
                "Beviljat belopp år 1 i tkr för %(reference)s (vid delvis finansiering)"
            ),
            motivation_label=_("Motivering av beslutet om %(reference)s %(title)s"),
            # str() first: escaping a lazy label gives a lazy result, which
            # every row would translate and escape again (7,200 times a page).
            outcomes=[(o.value, escape(str(o.label))) for o in FORUM_OUTCOMES],
            published=escape(_("Publicerat beslut:")),
            correction=_("Rättelse %(when)s:"),
            holds=escape(_("gäller nu")),
            reason=escape(_("Skäl:")),
            correct_link=_(
                'För in rättelse<span class="visually-hidden"> av beslutet om %(reference)s</span>'
            ),
        )


def _line_status(row, texts: DecisionTexts) -> str:
    step = row.step
    if step is not None:
        return texts.fits if step.funded else texts.below
    if row.saving_step is not None and row.saving_step.needed:
        return texts.saving_needed
    return texts.saving if row.proposal.cost_year1 < 0 else texts.off


def _options(texts: DecisionTexts, chosen: str) -> str:
    """The outcome's options with ``chosen`` selected."""
    options = [f'<option value="">{texts.none}</option>']
    for value, label in texts.outcomes:
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{value}"{selected}>{label}</option>')
    return "".join(options)


def _outcome_select(row, names: dict, texts: DecisionTexts, options: dict) -> str:
    pk = row.proposal.pk
    field_id = f"id_outcome_{pk}"
    chosen = row.outcome_value
    if chosen not in options:
        options[chosen] = _options(texts, chosen)
    return (
        f"<td{cells.error_class(row.outcome_errors, 'outcome-choice')}>"
        f'<label for="{field_id}" class="visually-hidden">'
        f"{escape(texts.outcome_label % names)}</label>"
        f"{cells.errors(field_id, row.outcome_errors)}"
        f'<select name="outcome_{pk}" id="{field_id}"{cells.invalid(field_id, row.outcome_errors)}>'
        f"{options[chosen]}</select></td>"
    )


def _amount_input(row, names: dict, texts: DecisionTexts) -> str:
    pk = row.proposal.pk
    field_id = f"id_amount_{pk}"
    return (
        f"<td{cells.error_class(row.amount_errors)}>"
        f'<label for="{field_id}" class="visually-hidden">'
        f"{escape(texts.amount_label % {'reference': names['reference']})}</label>"
        f"{cells.errors(field_id, row.amount_errors)}"
        f'<input type="text" inputmode="numeric" size="6" name="amount_{pk}" id="{field_id}"'
        f' value="{escape(row.amount_value)}" class="outcome-amount"'
        f"{cells.invalid(field_id, row.amount_errors)}></td>"
    )


def _motivation_field(row, names: dict, texts: DecisionTexts) -> str:
    pk = row.proposal.pk
    field_id = f"id_motivation_{pk}"
    return (
        f"<td{cells.error_class(row.motivation_errors, 'outcome-writing')}>"
        f'<label for="{field_id}" class="visually-hidden">'
        f"{escape(texts.motivation_label % names)}</label>"
        f"{cells.errors(field_id, row.motivation_errors)}"
        f'<textarea name="motivation_{pk}" id="{field_id}" rows="2" cols="40"'
        f"{cells.invalid(field_id, row.motivation_errors)}>"
        f"{escape(row.motivation_value)}</textarea></td>"
    )


def _outcome_text(row, texts: DecisionTexts, labels: dict) -> str:
    """The decision as it reads (``ranking/includes/decision_outcome.html``
    with its motivation): the outcome, the amount, the motivation and any
    rättelser after publication, the last one holding."""
    decision = row.decision
    if decision is None:
        return "–"
    amount = f" ({escape(tkr(decision.amount_tkr))})" if decision.amount_tkr is not None else ""
    published = ""
    if row.corrections:
        published = f'<span class="decision-published">{texts.published}</span> '
    out = [
        f"<p>{published}<strong>{labels.get(decision.outcome, '')}</strong>{amount}</p>",
        f'<p class="decision-motivation">{cells.text(decision.motivation)}</p>',
    ]
    last = len(row.corrections) - 1
    for i, correction in enumerate(row.corrections):
        when = escape(texts.correction % {"when": cells.day_writer()(correction.corrected_at)})
        corrected = (
            f" ({escape(tkr(correction.amount_tkr))})" if correction.amount_tkr is not None else ""
        )
        holds = f' <span class="decision-holds">({texts.holds})</span>' if i == last else ""
        out.append(
            f'<div class="decision-correction"><p><strong>{when}</strong> '
            f"{labels.get(correction.outcome, '')}{corrected}{holds}</p>"
            f'<p class="decision-correction__reason">{texts.reason} '
            f"{cells.text(correction.reason)}</p>"
            f"</div>"
        )
    return "".join(out)


def decision_rows(rows, year: int, *, can_decide: bool, can_correct: bool) -> SafeString:
    """The decisions' rows: the place, the proposal, its cost and where it
    lies against the budget line, and the decision — fields for the
    controller before publication, the decision as it reads after (with a
    link to record a rättelse for who may)."""
    texts = DecisionTexts.now()
    labels = dict(texts.outcomes)
    correction_url = cells.url_writer("forum_correction", year)
    options: dict[str, str] = {}  # the options by the chosen outcome, made once each
    out = []
    for row in rows:
        proposal, shown = row.proposal, row.shown
        names = {"reference": shown["reference"], "title": proposal.title}
        meta = " · ".join(part for part in (shown["namnd"], shown["typ"]) if part)
        if can_decide:
            decision = (
                _outcome_select(row, names, texts, options)
                + _amount_input(row, names, texts)
                + _motivation_field(row, names, texts)
            )
        else:
            link = ""
            if can_correct and row.decision:
                url = correction_url(proposal.number)
                text = texts.correct_link % {"reference": escape(shown["reference"])}
                link = f'<p><a href="{escape(url)}">{text}</a></p>'
            outcome = _outcome_text(row, texts, labels)
            decision = f'<td class="decision-cell outcome-writing">{outcome}{link}</td>'
        out.append(
            f'<tr id="forslag-{proposal.pk}">'
            f'<td class="round-numeric outcome-key">{row.position}</td>'
            f"{_proposal_cell(shown, proposal.title, meta)}"
            f'<td class="round-numeric">{escape(shown["cost_year1"])}</td>'
            f"<td>{_line_status(row, texts)}</td>{decision}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
