"""Forms of the nämnd's ranking: rank and handling per proposal, and the
recording of the nämnd's decision."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ranking.models import Handling
from rounds.forms import ServiceErrorsMixin

RANK_ERRORS = {
    "invalid": gettext_lazy("Ange rangordningen som ett heltal 1–10."),
    "min_value": gettext_lazy("Rangordningen ska vara ett heltal 1–10."),
    "max_value": gettext_lazy("Rangordningen ska vara ett heltal 1–10."),
}


class RankingForm(ServiceErrorsMixin, forms.Form):
    """One rank field and one handling field per proposal; the order comes as
    the repeated ``ordning`` value (proposal ids, top first)."""

    def __init__(self, data=None, *, rankings):
        super().__init__(data)
        self.rankings = rankings
        self.rows = []
        for ranking in rankings:
            proposal = ranking.proposal
            name = f"{proposal.reference} {proposal.title}"
            rank_name, handling_name = f"rank_{proposal.pk}", f"handling_{proposal.pk}"
            self.fields[rank_name] = forms.IntegerField(
                label=_("Rangordning för %(proposal)s") % {"proposal": name},
                required=False,
                min_value=1,
                max_value=10,
                initial=ranking.rank,
                error_messages=RANK_ERRORS,
                widget=forms.NumberInput(attrs={"class": "namnd-rank-input"}),
            )
            self.fields[handling_name] = forms.ChoiceField(
                label=_("Hantering av %(proposal)s") % {"proposal": name},
                required=False,
                choices=Handling.choices,
                initial=ranking.handling,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Välj en hantering bland alternativen.")},
            )
            self.rows.append((ranking, rank_name, handling_name))

    def order(self) -> list[int]:
        values = self.data.getlist("ordning") if self.data else []
        return [int(value) for value in values if value.isdigit()]

    def row_data(self) -> list[dict]:
        return [
            {
                "proposal_id": ranking.proposal_id,
                "rank": self.cleaned_data.get(rank_name),
                "handling": self.cleaned_data.get(handling_name, ""),
            }
            for ranking, rank_name, handling_name in self.rows
        ]

    def bound_rows(self):
        """(ranking, rank field, handling field) for the template."""
        return [(ranking, self[rank], self[handling]) for ranking, rank, handling in self.rows]


class RecordForm(ServiceErrorsMixin, forms.Form):
    decision_date = forms.DateField(
        label=gettext_lazy("Sammanträdesdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Ange sammanträdesdatum.")},
    )
    paragraph = forms.CharField(
        label=gettext_lazy("Paragraf (§)"),
        max_length=20,
        error_messages={"required": gettext_lazy("Ange paragraf (§).")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
