"""Forms of the follow-up: the controller's periods, a förvaltning's report on
one decided proposal for one period, the controller's return of it, and the
bodies' decisions on a period's measures, and a decided proposal's
genomförande.

A draft may be incomplete, so every field of the report is optional here;
what a report needs before it can be handed in is the service's
(:func:`followup.services.submit_problems`), and its messages are put
next to the fields they concern."""

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import (
    REFERENCE_MAX,
    SLUGS,
    DecidingBody,
    ImplementationPart,
    PeriodKind,
    Progress,
)
from prioritering.numbers import IntegerField, TkrField
from ranking.forms import MeetingForm
from rounds.forms import ServiceErrorsMixin
from rounds.forms.proposal import field_anchor
from rounds.models import Grad

RELOAD = _("Formuläret är ofullständigt. Ladda om sidan och försök igen.")
TEXT_MAX = 10_000


def _field_name(kind: int) -> str:
    """``delar``, ``tertial_1``: the period's slug as a form field name."""
    return SLUGS[PeriodKind(kind)].replace("-", "_")


def _text(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Texten kan vara högst %(limit_value)d tecken (nu %(show_value)d).")
        },
    )


class PeriodsForm(ServiceErrorsMixin, forms.Form):
    """The last day of each period; an empty field means the round has no such
    period. The order of the days is the service's rule (``set_periods``)."""

    def __init__(self, *args, initial_deadlines: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in PeriodKind:
            self.fields[_field_name(kind)] = forms.DateField(
                label=kind.label,
                required=False,
                initial=initial_deadlines.get(kind),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": _("Ange ett datum, t.ex. 2026-04-30.")},
            )

    def period_fields(self):
        return [self[_field_name(kind)] for kind in PeriodKind]

    def deadlines(self) -> dict[int, object]:
        return {int(kind): self.cleaned_data.get(_field_name(kind)) for kind in PeriodKind}


class ReportForm(ServiceErrorsMixin, forms.Form):
    """The author's part of a report. ``version`` is the version the form was
    loaded at; empty while the report has never been saved."""

    progress = forms.ChoiceField(
        label=_("Genomförandestatus"),
        choices=Progress.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Välj en av genomförandestatusarna.")},
    )
    cost_outcome_tkr = TkrField(
        label=_("Kostnadsutfall hittills i år (tkr)"),
        help_text=_(
            "Utfallet från årets början till och med periodens slut, i hela tusental kronor, "
            "t.ex. 1 200. En besparing skrivs med minus, t.ex. −350."
        ),
    )
    effect_achieved = forms.TypedChoiceField(
        label=_("Uppnådd effekt"),
        choices=Grad.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Samma skala som den förväntade effekten. Kan lämnas tom i ett utkast."),
        error_messages={"invalid_choice": _("Välj en grad på skalan.")},
    )
    effect_text = _text(_("Beskrivning av uppnådd effekt"))
    deviation = _text(
        _("Avvikelse"),
        _(
            "Vad skiljer sig från beslutet, och varför. Krävs vid avvikelse och när "
            "genomförandet har avbrutits."
        ),
    )
    measures = _text(
        _("Föreslagna åtgärder"),
        _("Vad förvaltningen föreslår för att komma tillrätta med avvikelsen."),
    )
    version = IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={"invalid": RELOAD, "min_value": RELOAD},
    )

    REPORT_FIELDS = (
        "progress",
        "cost_outcome_tkr",
        "effect_achieved",
        "effect_text",
        "deviation",
        "measures",
    )

    @classmethod
    def for_report(cls, report) -> "ReportForm":
        """An unbound form showing ``report`` as saved."""
        initial = {name: getattr(report, name) for name in cls.REPORT_FIELDS}
        initial["version"] = report.version if report.pk else None
        return cls(initial=initial)

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.REPORT_FIELDS}

    def error_summary(self) -> list[dict]:
        """Every error with a link to its field, in the form's order."""
        items = [
            {"anchor": "report-form", "label": "", "message": error}
            for error in self.non_field_errors()
        ]
        for name in self.REPORT_FIELDS:
            if name in self.errors:
                bound = self[name]
                items.extend(
                    {"anchor": field_anchor(bound), "label": bound.label, "message": error}
                    for error in bound.errors
                )
        if "version" in self.errors:
            items.append({"anchor": "report-form", "label": "", "message": RELOAD})
        return items


class ReturnReportForm(ServiceErrorsMixin, forms.Form):
    comment = forms.CharField(
        label=_("Kommentar till förvaltningen"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad behöver förvaltningen komplettera eller ändra i rapporten?"),
        error_messages={
            "required": _("Skriv vad förvaltningen behöver komplettera eller ändra."),
            "max_length": _("Kommentaren kan vara högst %(limit_value)d tecken."),
        },
    )


class PeriodDecisionForm(MeetingForm):
    """A decision of a nämnd, KS or KF on the measures a period's reports
    propose. The body is one choice: ``ks``, ``kf`` or ``namnd-<id>``."""

    field_order = ["body", "decision_date", "paragraph", "text"]

    body = forms.ChoiceField(
        label=_("Organ"),
        error_messages={
            "required": _("Välj vilket organ som beslutade."),
            "invalid_choice": _("Välj vilket organ som beslutade."),
        },
    )

    def __init__(self, *args, namnder, **kwargs):
        super().__init__(*args, **kwargs)
        self.namnder = {f"namnd-{namnd.pk}": namnd for namnd in namnder}
        self.fields["body"].choices = [
            ("", _("Välj organ")),
            (DecidingBody.KS.value, DecidingBody.KS.label),
            (DecidingBody.KF.value, DecidingBody.KF.label),
            (_("Nämnder"), [(key, namnd.name) for key, namnd in self.namnder.items()]),
        ]
        self.fields["text"].help_text = _(
            "Kort, t.ex.: Socialnämnden beslutade att åtgärderna för Bostad först genomförs "
            "och att kostnaden hålls inom ramen."
        )

    def body_and_namnd(self) -> tuple[str, object]:
        value = self.cleaned_data["body"]
        if value in self.namnder:
            return DecidingBody.NAMND.value, self.namnder[value]
        return value, None

    @staticmethod
    def value_of(decision) -> str:
        if decision.body == DecidingBody.NAMND:
            return f"namnd-{decision.namnd_id}"
        return decision.body


def _date(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Dagen då dokumentet beslutades, t.ex. 2026-12-15."),
        error_messages={"invalid": _("Ange ett datum som finns, t.ex. 2026-12-15.")},
    )


def _reference(label, example):
    return forms.CharField(
        label=label,
        required=False,
        max_length=REFERENCE_MAX,
        help_text=example,
        error_messages={
            "max_length": _("Referensen kan vara högst %(limit_value)d tecken (nu %(show_value)d).")
        },
    )


class ImplementationForm(ServiceErrorsMixin, forms.Form):
    """Where a decided proposal was taken into the nämnd's verksamhetsplan,
    budget and internkontrollplan: each part a date and a reference, each
    optional (recorded as it happens); the rules are the service's
    (:func:`followup.services.implementation_problems`). ``version`` is the
    version the form was loaded at; empty while nothing is recorded."""

    vp_date = _date(_("Datum"))
    vp_reference = _reference(_("Referens"), _("T.ex. VP 2027 avsnitt 4.2."))
    budget_date = _date(_("Datum"))
    budget_reference = _reference(_("Referens"), _("T.ex. KF § 112."))
    ikp_date = _date(_("Datum"))
    ikp_reference = _reference(_("Referens"), _("T.ex. IKP 2027 punkt 3."))
    comment = _text(_("Kommentar"))
    version = IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={"invalid": RELOAD, "min_value": RELOAD},
    )

    FIELDS = (
        "vp_date",
        "vp_reference",
        "budget_date",
        "budget_reference",
        "ikp_date",
        "ikp_reference",
        "comment",
    )

    @classmethod
    def for_implementation(cls, implementation) -> "ImplementationForm":
        """An unbound form showing ``implementation`` (None: nothing recorded)."""
        if implementation is None:
            return cls()
        initial = {name: getattr(implementation, name) for name in cls.FIELDS}
        initial["version"] = implementation.version
        return cls(initial=initial)

    def parts(self) -> list[dict]:
        """The three parts, each a fieldset: its legend and its two fields."""
        return [
            {
                "key": part.value,
                "legend": part.label,
                "date": self[f"{part.value}_date"],
                "reference": self[f"{part.value}_reference"],
            }
            for part in ImplementationPart
        ]

    def implementation_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
