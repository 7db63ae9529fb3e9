"""What the proposal tests share: a complete, valid form as a browser posts it,
the form of a saved proposal posted back unchanged, and the states an
analysis can be in."""

import datetime

from django.utils import timezone

from rounds.forms.proposal import ProposalForm, TkrField
from rounds.models import Phase
from tests.helpers import CAST

USERS = list(CAST)


def form_data(**overrides) -> dict:
    """A valid new proposal, every field as the browser sends it."""
    data = {
        "title": "Fler förskollärare i ytterområdena",
        "verksamhetsomrade": "",
        "fokusomrade": "",
        "perspektiv": "",
        "malomrade": "invanare",
        "situation": "Barngrupperna är för stora och personalen räcker inte till.",
        "atgard": "Anställ tre förskollärare.",
        "jamforelsealternativ": "Dagens bemanning.",
        "orsak": "",
        "effekt_pa_sikt": "",
        "typ": "nya_behov",
        "ransonering_kind": "",
        "ransonering_detail": "",
        "cost_year1": "1 500",
        "cost_year2": "1 500",
        "cost_year3": "1 500",
        "cost_years4_10": "10 500",
        "cost_per_year_min": "",
        "cost_per_year_max": "",
        "svarighetsgrad": "3",
        "effekt": "3",
        "nytta": "3",
        "kostnadseffektivitet": "2",
        "kunskapsunderlag": "2",
        "maluppfyllelse": "2",
        "effekt_framst_for": "individen",
        "rekommendation": "rangordnas",
        "rangordning": "4",
        "konsekvensanalys": "Kön växer och kvaliteten sjunker.",
        "etik_manniskovarde": "forenlig",
        "etik_behov": "forenlig",
        "etik_kostnadseffektivitet": "forenlig",
        "etik_kommentar": "",
        "kommentar": "",
    }
    data.update(overrides)
    return data


def unchanged_post(proposal, **overrides) -> dict:
    """The edit form of ``proposal`` as the browser would post it untouched."""
    return form_post(ProposalForm(instance=proposal, round=proposal.round), **overrides)


def form_post(form, **overrides) -> dict:
    """What the browser posts for ``form`` as it is shown (its values or initial)."""
    data: dict = {}
    for bound in form:
        value = bound.value()
        if bound.name == "mal":
            data["mal"] = [str(getattr(item, "pk", item)) for item in value or []]
        elif isinstance(value, (list, tuple)):  # checkboxes: each checked value
            data[bound.name] = [str(item) for item in value]
        elif value is None:
            data[bound.name] = ""
        elif isinstance(bound.field, TkrField):
            data[bound.name] = bound.field.widget.format_value(value)
        else:
            data[bound.name] = str(value)
    data.update(overrides)
    return data


def set_state(analysis, status=None, phase=None, deadline_days=None):
    """Put the analysis (and its round) in a state; returns it fresh."""
    if status is not None:
        analysis.status = status
        analysis.save()
    round = analysis.round
    if phase is not None:
        round.phase = phase
        round.save()
    if deadline_days is not None:
        deadline = round.deadlines.get(phase=Phase.VERKSAMHETSANALYS)
        deadline.deadline = timezone.localdate() + datetime.timedelta(days=deadline_days)
        deadline.save()
    return type(analysis).objects.select_related("round", "forvaltning__namnd").get(pk=analysis.pk)


def proposal_url(proposal, action="") -> str:
    base = f"/omgangar/{proposal.round.budget_year}/forslag/{proposal.number}/"
    return base + (f"{action}/" if action else "")
