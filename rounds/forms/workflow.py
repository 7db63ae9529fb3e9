from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar till förvaltningen"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vad behöver förvaltningen komplettera eller ändra?"),
        error_messages={"required": _("Skriv vad förvaltningen behöver komplettera eller ändra.")},
    )
    extended_until = forms.DateField(
        label=_("Ny sista dag"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Krävs när sista dagen för verksamhetsanalysen har passerat."),
        error_messages={"invalid": _("Ange ett datum, t.ex. 2027-03-15.")},
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.analysis = analysis

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's validation errors next to the fields they concern."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
