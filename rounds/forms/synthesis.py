"""The filters of the sammanställning av verksamhetsanalyser (GET)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.models import Analysis, ListItem


class SynthesisFilterForm(forms.Form):
    """Förvaltningar (any number) and one perspektiv. The choices are those the
    reader may see, read by the view already (no query of its own); a value
    that does not fit is ignored, as in the proposal list."""

    forvaltning = forms.TypedMultipleChoiceField(
        label=_("Förvaltningar"),
        help_text=_("Ingen vald visar alla."),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    perspektiv = forms.TypedChoiceField(
        label=_("Perspektiv"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, analyses: list[Analysis], perspektiv: list[ListItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forvaltning"].choices = [
            (analysis.forvaltning_id, analysis.forvaltning.name) for analysis in analyses
        ]
        self.fields["perspektiv"].choices = [("", _("Alla"))] + [
            (item.pk, item.name) for item in perspektiv
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters: ``forvaltning_ids`` and ``perspektiv_id``."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "forvaltning_ids": data.get("forvaltning") or (),
            "perspektiv_id": data.get("perspektiv"),
        }
