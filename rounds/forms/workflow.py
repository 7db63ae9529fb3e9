from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.forms import ServiceErrorsMixin


class ReturnForm(ServiceErrorsMixin, forms.Form):
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
