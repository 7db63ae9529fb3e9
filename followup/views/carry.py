"""Into the next round: carrying one proposal over (a new proposal in the
next year's round, linked to its origin) and the list of what round N leaves
for round N+1. The proposal page's button is ``{% proposal_follow_up %}``'s
(``followup.templatetags.followup``).

Carrying over is the service's (``followup.services.carry_over``);
who may do it is the access rule ``carry_over_proposal``; whether a proposal
is one to carry is ``may_be_carried``. The views only ask and show.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from followup.lifecycle import PERIOD_SHORT
from followup.models import UNFINISHED, FollowUpReport, Progress
from followup.rules import FOLLOWED_UP, followed_up_proposals, latest_reports, next_round
from followup.services import (
    CARRIED_FIELDS,
    CARRIED_LISTS,
    carry_over,
    may_be_carried,
)
from prioritering.access import may, require
from prioritering.history import label
from ranking.models import Outcome
from rounds.forms import add_service_errors
from rounds.models import Analysis, Proposal, ProposalType, Round
from rounds.views.common import get_proposal

# What the form shows as the copy's identity; the rest of CARRIED_FIELDS is named.
SHOWN_FIELDS = (
    "title",
    "typ",
    "cost_year1",
    "cost_year2",
    "cost_year3",
    "cost_years4_10",
    "cost_per_year_min",
    "cost_per_year_max",
)


class CarryOverForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Skäl för överföringen"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Varför förslaget tas upp igen: vad som avvek eller inte blev klart, och vad som "
            "föreslås nu. Skälet visas med det nya förslaget och i förslagets väg genom åren."
        ),
        error_messages={
            "required": gettext_lazy("Skriv varför förslaget förs över till nästa omgång."),
            "max_length": gettext_lazy("Skälet kan vara högst %(limit_value)d tecken."),
        },
    )


# --- carrying one proposal over ----------------------------------------------


def suggested_reason(proposal: Proposal, report: FollowUpReport | None) -> str:
    """A start for the reason: the latest submitted report's status,
    deviation and measures, else the decision and its motivation."""
    year = proposal.round.budget_year
    if report is not None:
        parts = [
            _("%(period)s %(year)s: %(progress)s.")
            % {
                "period": PERIOD_SHORT[report.period.kind],
                "year": year,
                "progress": Progress(report.progress).label,
            }
        ]
        if report.deviation.strip():
            parts.append(report.deviation.strip())
        if report.measures.strip():
            parts.append(
                _("Föreslagna åtgärder: %(measures)s") % {"measures": report.measures.strip()}
            )
        return " ".join(parts)
    decision = getattr(proposal, "decision", None)
    if decision is None:
        return ""
    if decision.outcome == Outcome.UTREDS:
        text = _("Beslutet %(year)s blev Utreds vidare.") % {"year": year}
    else:
        text = _("Beslutet %(year)s blev %(outcome)s.") % {
            "year": year,
            "outcome": decision.get_outcome_display(),
        }
    motivation = decision.motivation.strip()
    return f"{text} {motivation}" if motivation else text


def _copied(proposal: Proposal) -> dict:
    """What the new proposal takes over: its identity shown, the rest named."""
    shown = []
    for name in SHOWN_FIELDS:
        value = getattr(proposal, name)
        if value is None:
            continue
        if name == "typ":
            value = proposal.get_typ_display()
        shown.append({"name": name, "label": label(name), "value": value})
    ransonering = proposal.typ == ProposalType.RANSONERING
    named = [
        label(name)
        for name in CARRIED_FIELDS
        if name not in SHOWN_FIELDS and (ransonering or not name.startswith("ransonering"))
    ]
    named += [label(name) for name in CARRIED_LISTS]
    named.append(label("mal"))
    return {"shown": shown, "named": named}


@login_required
@require_http_methods(["GET", "POST"])
def proposal_carry_over(request, year, number):
    proposal = get_proposal(request, year, number)
    require(request.user, "carry_over_proposal", proposal)
    if not may_be_carried(proposal):
        return _refused(request, proposal)
    target = next_round(proposal.round)
    report = latest_reports([proposal.pk]).get(proposal.pk)
    if request.method == "POST":
        form = CarryOverForm(request.POST)
        if form.is_valid():
            try:
                carried = carry_over(proposal, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Förslaget %(old)s är överfört till omgången %(year)s som förslag "
                        "%(new)s. Gå igenom det och bedöm det för det nya året."
                    )
                    % {
                        "old": proposal.reference,
                        "year": carried.round.budget_year,
                        "new": carried.reference,
                    },
                )
                return redirect(
                    "proposal_detail", year=carried.round.budget_year, number=carried.number
                )
    else:
        form = CarryOverForm(initial={"reason": suggested_reason(proposal, report)})
    context = {
        "proposal": proposal,
        "round": proposal.round,
        "target": target,
        "forvaltning": proposal.analysis.forvaltning,
        "form": form,
        "report": report,
        "copied": _copied(proposal),
    }
    return render(request, "followup/carry_form.html", context)


def _refused(request, proposal: Proposal):
    """Not one to carry: already carried, or no decision to carry on."""
    carried = Proposal.objects.select_related("round").filter(carried_from=proposal).first()
    context = {
        "proposal": proposal,
        "round": proposal.round,
        "carried": carried,
        "can_view_carried": carried is not None and may(request.user, "view_proposal", carried),
        "decision": getattr(proposal, "decision", None),
    }
    return render(request, "followup/carry_refused.html", context, status=404)


# --- what round N leaves for round N+1 ---------------------------------------


@dataclass
class Candidate:
    """A proposal of round N that may be carried into round N+1."""

    proposal: Proposal
    report: FollowUpReport | None  # the latest submitted report, if any
    carried: Proposal | None
    may_carry: bool

    @property
    def outcome_label(self) -> str:
        return Outcome(self.proposal.decision.outcome).label

    @property
    def period_label(self) -> str:
        """The latest report's period, short, with its year ("Delår 2026")."""
        if self.report is None:
            return ""
        return f"{PERIOD_SHORT[self.report.period.kind]} {self.proposal.round.budget_year}"


def carry_lists(
    user, round: Round, previous: Round, analyses: list[Analysis]
) -> tuple[list[Candidate], list[Proposal]]:
    """Round ``previous``'s proposals to carry on, of the given analyses —
    those followed up whose latest submitted report is unfinished, and those
    to be investigated further — and the proposals of ``round`` carried over
    from those analyses' förvaltningar. Two queries (both lists in one, and
    the reports), plus the access rule's once per förvaltning."""
    forvaltningar = {analysis.forvaltning_id for analysis in analyses}
    to_carry = Q(
        round=previous, withdrawn_at__isnull=True, analysis__in=[a.pk for a in analyses]
    ) & (
        Q(pk__in=followed_up_proposals(previous).values("pk")) | Q(decision__outcome=Outcome.UTREDS)
    )
    carried_here = Q(
        round=round, carried_from__isnull=False, analysis__forvaltning_id__in=forvaltningar
    )
    proposals = list(
        Proposal.objects.filter(to_carry | carried_here)
        .select_related(
            "round",
            "analysis__round",
            "analysis__forvaltning__namnd",
            "decision",
            "carried_into__round",
            "carried_from__round",
        )
        .order_by("analysis__forvaltning__name", "number")
    )
    carried_list = sorted(
        (proposal for proposal in proposals if proposal.round_id == round.pk),
        key=lambda proposal: proposal.number,
    )
    proposals = [proposal for proposal in proposals if proposal.round_id == previous.pk]
    latest = latest_reports([proposal.pk for proposal in proposals])
    # The rule's answer depends on the round, the target round and the
    # förvaltning (the proposals here are none of them withdrawn); for the
    # controller not even on the förvaltning. So it is asked once per
    # förvaltning, or once in all for the controller.
    everyone = may(user, "view_follow_up_overview", previous)
    allowed: dict[int | None, bool] = {}
    result = []
    for proposal in proposals:
        report = latest.get(proposal.pk)
        if proposal.decision.outcome in FOLLOWED_UP and (
            report is None or report.progress not in UNFINISHED
        ):
            continue
        carried = getattr(proposal, "carried_into", None)
        key = None if everyone else proposal.analysis.forvaltning_id
        if key not in allowed:
            allowed[key] = may(user, "carry_over_proposal", proposal)
        result.append(
            Candidate(
                proposal=proposal,
                report=report,
                carried=carried,
                may_carry=carried is None and allowed[key],
            )
        )
    return result, carried_list


@login_required
@require_GET
def followup_carry_list(request, year):
    """For round N+1: what round N leaves to carry on, and what is carried.
    The controller sees every förvaltning; a förvaltning's staff their own."""
    by_year = {
        found.budget_year: found for found in Round.objects.filter(budget_year__in=(year, year - 1))
    }
    round = by_year.get(year)
    if round is None:
        raise Http404
    require(request.user, "view_follow_up_index", round)
    # The round that followup.rules.next_round leads here from.
    previous = by_year.get(year - 1)
    if previous is not None and previous.kommun_id != round.kommun_id:
        previous = None
    candidates: list[Candidate] = []
    carried: list[Proposal] = []
    if previous is None:
        require(request.user, "view_follow_up_overview", round)
    else:
        analyses = [
            analysis
            for analysis in previous.analyses.select_related("forvaltning__namnd")
            if may(request.user, "view_follow_up", analysis)
        ]
        candidates, carried = carry_lists(request.user, round, previous, analyses)
    context = {
        "round": round,
        "previous": previous,
        "candidates": candidates,
        "carried": carried,
        "all_forvaltningar": may(request.user, "view_follow_up_overview", round),
        "can_manage": may(request.user, "manage_round", round),
    }
    return render(request, "followup/carry_list.html", context)
