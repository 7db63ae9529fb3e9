"""``{{ option|choice_input }}``: one radio button or checkbox of a choice
field, the ``<input>`` that ``{{ option.tag }}`` gives, written in Python.

Django draws each option through three templates (``radio_option.html``,
``input.html``, ``attrs.html``). The proposal form has about a hundred options
(svårighetsgrad, hantering, the model's criteria, the goals), so those
templates were a third of the form's rendering — on every save with an error
too — and the nämnd's ranking draws a hantering choice on every row. The
markup is the same, attribute for attribute (``tests/test_choice_input.py``
compares the two); a label around the input (``wrap_label``) is the
templates' own business and is not written here.
"""

from django import template
from django.forms.boundfield import BoundWidget
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def choice_input(option: BoundWidget) -> SafeString:
    """The option's ``<input>``: type, name, value, then its attributes in
    order (id, required, checked, aria-…), a ``True`` one bare and a
    ``False`` one left out, every value escaped."""
    data = option.data
    kind, name = conditional_escape(data["type"]), conditional_escape(data["name"])
    html = [f'<input type="{kind}" name="{name}"']
    if data["value"] is not None:
        html.append(f' value="{conditional_escape(str(data["value"]))}"')
    for attribute, value in data["attrs"].items():
        if value is False:
            continue
        if value is True:
            html.append(f" {conditional_escape(attribute)}")
        else:
            html.append(f' {conditional_escape(attribute)}="{conditional_escape(str(value))}"')
    html.append(">")
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)
