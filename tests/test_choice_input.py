"""``{{ option|choice_input }}`` writes exactly the ``<input>`` that Django's
widget templates write for ``{{ option.tag }}``: for every option of the
proposal form, empty, filled in and with errors, and for radio buttons and
checkboxes whose values and attributes need escaping."""

import pytest
from django import forms
from django.template import Context, Template

from prioritering.templatetags.choices import choice_input
from rounds.forms.proposal import ProposalForm
from rounds.models import Proposal
from tests.factories import analysis_of, make_round
from tests.proposal_helpers import form_data


def options(form):
    """Every option of every radio and checkbox group of ``form``."""
    found = []
    for bound in form:
        if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            found.extend(bound)
    return found


def assert_same(form) -> int:
    found = options(form)
    for option in found:
        assert choice_input(option) == option.tag()
    return len(found)


@pytest.fixture
def round(demo):
    return make_round()


def proposal_form(round, data=None):
    analysis = analysis_of(round, "Bildningsförvaltningen")
    return ProposalForm(data, instance=Proposal(round=round, analysis=analysis), round=round)


def test_the_proposal_forms_options_empty(round):
    assert assert_same(proposal_form(round)) > 40


def test_the_proposal_forms_options_filled_in_with_goals(round):
    form = proposal_form(round, form_data())
    assert form.is_valid(), form.errors
    checked = [option for option in options(form) if option.data["selected"]]
    assert checked, "the filled-in form has chosen options"
    assert assert_same(form) > 40


def test_the_proposal_forms_options_with_errors(round):
    form = proposal_form(round, form_data(nytta="9", mal=["abc"], rekommendation=""))
    assert not form.is_valid()
    assert {"nytta", "mal", "rekommendation"} <= set(form.errors)
    assert assert_same(form) > 40


class Odd(forms.Form):
    radio = forms.ChoiceField(
        choices=[('a"<b>&', "Citat & <tagg>"), ("", "Tomt"), ("2", "Två")],
        widget=forms.RadioSelect(
            attrs={
                "class": 'x" onclick="y',
                "data-on": True,
                "data-off": False,
                "aria-describedby": "h",
            }
        ),
    )
    boxes = forms.MultipleChoiceField(
        choices=[("1", "Ett"), ("<2>", "Två")],
        widget=forms.CheckboxSelectMultiple(attrs={"disabled": True}),
        required=False,
    )


@pytest.mark.parametrize(
    "data", [None, {"radio": 'a"<b>&', "boxes": ["1", "<2>"]}, {"radio": "nej"}]
)
def test_values_and_attributes_are_escaped_as_the_templates_do(data):
    form = Odd(data)
    assert assert_same(form) == 5
    html = "".join(choice_input(option) for option in options(form))
    assert "<b>" not in html and 'onclick="' not in html
    assert " data-on" in html and "data-off" not in html


def test_the_filter_in_a_template():
    form = Odd({"radio": "2"})
    template = Template(
        "{% load choices %}{% for option in form.radio %}{{ option|choice_input }}{% endfor %}"
    )
    expected = "".join(str(option.tag()) for option in form["radio"])
    assert template.render(Context({"form": form})) == expected
    assert 'value="2" ' in expected and " checked" in expected
