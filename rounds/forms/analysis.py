"""Forms of the verksamhetsanalys grid: a new item in a cell, a changed item.

Every cell of the grid has its own forms on the same page, so each form gets
ids of its own (``auto_id``) while the field names stay the same for the
views."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prioritering.numbers import IntegerField, ModelChoiceField
from rounds.forms import ServiceErrorsMixin
from rounds.models import AnalysisColumn, ListItem, ListKind
from rounds.services.analysis_items import MAX_TEXT_LENGTH

TEXT_ERRORS = {
    "required": _("Skriv något i punkten."),
    "max_length": _("Punkten får vara högst %(limit_value)d tecken (den har %(show_value)d)."),
}


def _text_field():
    return forms.CharField(
        label=_("Text"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_ERRORS,
    )


class ItemFormMixin(ServiceErrorsMixin):
    """Forms of an item, with a service's errors next to the text."""


class CellChoiceForm(forms.Form):
    """Which cell: a perspektiv of the round and a column (hidden fields)."""

    perspektiv = ModelChoiceField(queryset=ListItem.objects.none(), widget=forms.HiddenInput)
    column = forms.TypedChoiceField(
        coerce=int, choices=AnalysisColumn.choices, widget=forms.HiddenInput
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perspektiv"].queryset = ListItem.objects.filter(
            round=round, kind=ListKind.PERSPEKTIV
        )


class AddItemForm(ItemFormMixin, forms.Form):
    text = _text_field()

    def __init__(self, *args, cell_key: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_%s_ny_{cell_key}")
        super().__init__(*args, **kwargs)


class EditItemForm(ItemFormMixin, forms.Form):
    """The item's text and the version it was read at (for the conflict check)."""

    text = _text_field()
    version = IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, item_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_%s_punkt_{item_id}")
        super().__init__(*args, **kwargs)
