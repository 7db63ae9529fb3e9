"""Forms of a round's set-up: create, settings, phase move, förutsättningar,
attachments and the round's lists."""

from itertools import pairwise

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prioritering.numbers import IntegerField, TkrField
from rounds.conflicts import RELOAD, deadline_name
from rounds.forms import ServiceErrorsMixin
from rounds.forms.proposal import KUNSKAPSUNDERLAG_ADDITION
from rounds.guidance import STATE_FIELD_NAMES
from rounds.models import ForutsattningKind, ListItem, Phase, Purpose, Round, Svarighetsgrad
from rounds.models.round import FRAME_HELP, RANK_MAX, RANK_MIN, RIKTVARDE_LEVELS, riktvarde_fields
from rounds.uploads import ACCEPT, MAX_SIZE_MB, allowed_list, too_large_message

MARKUP_HELP = _(
    "Skriv stycken med en tom rad emellan. Börja en rad med ”## ” för en rubrik och med "
    "”- ” för en punktlista. Skriv **så här** för fetstil och [texten](https://adress) för "
    "en länk (webbadresser och e-post). Annan HTML visas som text."
)
STATE_TOO_LONG = _("Beskrivningen får vara högst %(limit_value)d tecken (den har %(show_value)d).")
DEADLINE_PHASES = [phase for phase in Phase if phase != Phase.AVSLUTAD]
FROM_SCRATCH = ""


def _year_field(**kwargs):
    return IntegerField(
        label=_("Budgetår"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Ange budgetåret."),
            "invalid": _("Ange budgetåret med fyra siffror, t.ex. 2028."),
            "min_value": _("Ange ett budgetår från och med %(limit_value)s."),
            "max_value": _("Ange ett budgetår till och med %(limit_value)s."),
        },
        **kwargs,
    )


FRAME_ERRORS = {
    "required": _("Ange det ekonomiska utrymmet i tkr (0 om det inte är känt än)."),
    "invalid": _("Ange det ekonomiska utrymmet som ett heltal i tkr, t.ex. 15000."),
}


PURPOSE_HELP = _(
    "Syftet avgör vad beloppet nedan är: det ekonomiska utrymmet för nya behov, ett krav "
    "på minskning, eller 0 vid omfördelning av befintliga resurser."
)
FRAME_FORM_LABELS = {
    Purpose.NYA: _("Ekonomiskt utrymme (tkr)"),
    Purpose.MINSKADE: _("Krav på minskning (tkr)"),
    Purpose.OMFORDELA: _("Ekonomiskt utrymme (tkr)"),
}
NOT_ZERO_WHEN_REALLOCATING = _(
    "Vid omfördelning av befintliga resurser är ramen 0: besparingarna finansierar nya "
    "behov. Ange 0, eller välj ett annat syfte."
)


class PurposeFrameMixin:
    """The frame's label and help text follow the purpose — the one posted,
    else the one the form starts from — and a reallocating round refuses a
    frame other than 0: it is not used by the budget line (``ranking.budget``),
    so a number there would only mislead whoever reads the round."""

    def purpose_now(self) -> str:
        posted = self.data.get(self.add_prefix("purpose")) if self.is_bound else None
        if posted in Purpose.values:
            return posted
        return self.initial.get("purpose") or getattr(
            getattr(self, "instance", None), "purpose", Purpose.NYA
        )

    def follow_purpose(self):
        purpose = self.purpose_now()
        self.fields["purpose"].help_text = PURPOSE_HELP
        self.fields["frame_tkr"].label = FRAME_FORM_LABELS.get(purpose, FRAME_FORM_LABELS["nya"])
        self.fields["frame_tkr"].help_text = FRAME_HELP.get(purpose, FRAME_HELP["nya"])

    def refuse_frame_when_reallocating(self, cleaned):
        if cleaned.get("purpose") == Purpose.OMFORDELA and cleaned.get("frame_tkr"):
            self.add_error("frame_tkr", NOT_ZERO_WHEN_REALLOCATING)


def _frame_field():
    return TkrField(
        label=_("Ekonomiskt utrymme (tkr)"),
        help_text=_("Det utrymme som kan fördelas till nya behov, i tusental kronor."),
        required=True,
        error_messages=FRAME_ERRORS,
    )


class RoundCreateForm(PurposeFrameMixin, ServiceErrorsMixin, forms.Form):
    budget_year = _year_field()
    purpose = forms.ChoiceField(
        label=_("Syfte"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj omgångens syfte.")},
    )
    frame_tkr = _frame_field()
    copy_from = forms.ChoiceField(
        label=_("Kopiera upplägget från"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "En kopia tar med instruktioner, bedömningar, listor, förutsättningarnas text och "
            "tidplanen (flyttad till det nya året) — aldrig analyser, förslag eller bilagor."
        ),
    )

    def __init__(self, *args, kommun, **kwargs):
        self.kommun = kommun
        self.previous = list(Round.objects.filter(kommun=kommun).order_by("-budget_year"))
        latest = self.previous[0] if self.previous else None
        initial = kwargs.setdefault("initial", {})
        if latest is not None:
            initial.setdefault("budget_year", latest.budget_year + 1)
            initial.setdefault("purpose", latest.purpose)
            initial.setdefault("frame_tkr", latest.frame_tkr)
            initial.setdefault("copy_from", str(latest.pk))
        else:
            initial.setdefault("budget_year", timezone.localdate().year + 1)
            initial.setdefault("purpose", Purpose.NYA)
            initial.setdefault("frame_tkr", 0)
            initial.setdefault("copy_from", FROM_SCRATCH)
        super().__init__(*args, **kwargs)
        self.follow_purpose()
        self.fields["copy_from"].choices = [
            (str(previous.pk), _("Omgången för budgetår %(year)s") % {"year": previous.budget_year})
            for previous in self.previous
        ] + [
            (
                FROM_SCRATCH,
                _("Börja från grunden (modellens vägledning som instruktioner, standardlistor)"),
            )
        ]

    def clean_budget_year(self):
        year = self.cleaned_data["budget_year"]
        if any(previous.budget_year == year for previous in self.previous):
            raise ValidationError(
                _("Det finns redan en omgång för budgetår %(year)s.") % {"year": year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        self.refuse_frame_when_reallocating(cleaned)
        return cleaned

    def clean_copy_from(self):
        value = self.cleaned_data.get("copy_from") or FROM_SCRATCH
        if value == FROM_SCRATCH:
            return None
        return next(previous for previous in self.previous if str(previous.pk) == value)


RIKTVARDE_ERROR = _("Ange en rangordning, ett heltal från 1 till 10.")


def _riktvarde_field(label: str) -> IntegerField:
    """One end of a svårighetsgrad's range in kommunens riktvärden."""
    return IntegerField(
        label=label,
        min_value=RANK_MIN,
        max_value=RANK_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3, "autocomplete": "off"}),
        error_messages={
            "required": RIKTVARDE_ERROR,
            "invalid": RIKTVARDE_ERROR,
            "min_value": RIKTVARDE_ERROR,
            "max_value": RIKTVARDE_ERROR,
        },
    )


class RoundSettingsForm(PurposeFrameMixin, forms.ModelForm):
    """The round's settings and, in the same form, the deadline of each phase,
    with the version of the settings it was loaded at (``settings_version``:
    a save from an older one is a conflict, ``rounds.conflicts``)."""

    version = IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": RELOAD, "invalid": RELOAD, "min_value": RELOAD},
    )

    class Meta:
        model = Round
        fields = [
            "purpose",
            "frame_tkr",
            "instructions",
            "uses_effekt",
            "uses_kunskapsunderlag",
            "uses_maluppfyllelse",
            "uses_effekt_framst_for",
            "uses_etisk_granskning",
            *(field for _level, name in RIKTVARDE_LEVELS for field in riktvarde_fields(name)),
            *STATE_FIELD_NAMES,
            "publish_ballots",
        ]
        labels = {
            "purpose": _("Syfte"),
            "frame_tkr": _("Ekonomiskt utrymme (tkr)"),
            "instructions": _("Instruktioner"),
            "uses_effekt": _("Åtgärdens effekt"),
            "uses_kunskapsunderlag": _("Kvalitet i kunskapsunderlaget"),
            "uses_maluppfyllelse": _("Måluppfyllelse (politiska mål)"),
            "uses_effekt_framst_for": _(
                "Effekt främst för (den enskilde medborgaren, samhället, organisationen)"
            ),
            "uses_etisk_granskning": _("Etisk granskning"),
        }
        help_texts = {
            "instructions": MARKUP_HELP,
            "uses_kunskapsunderlag": KUNSKAPSUNDERLAG_ADDITION,
        }
        widgets = {
            "purpose": forms.RadioSelect,
            "instructions": forms.Textarea(attrs={"rows": 16}),
            # The markup's help is shown once, above the states.
            **{
                name: forms.Textarea(attrs={"rows": 5, "aria-describedby": "states-hint"})
                for name in STATE_FIELD_NAMES
            },
        }
        error_messages = {
            "frame_tkr": FRAME_ERRORS,
            **{name: {"max_length": STATE_TOO_LONG} for name in STATE_FIELD_NAMES},
        }
        field_classes = {"frame_tkr": TkrField}

    CRITERIA = (
        "uses_effekt",
        "uses_kunskapsunderlag",
        "uses_maluppfyllelse",
        "uses_effekt_framst_for",
        "uses_etisk_granskning",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.settings_version)
        self.fields["purpose"].choices = Purpose.choices  # no empty choice
        for level, name in RIKTVARDE_LEVELS:
            low, high = riktvarde_fields(name)
            grad = Svarighetsgrad(level).label
            self.fields[low] = _riktvarde_field(
                gettext("%(grad)s: från rangordning") % {"grad": grad}
            )
            self.fields[high] = _riktvarde_field(
                gettext("%(grad)s: till rangordning") % {"grad": grad}
            )
        self.follow_purpose()
        for phase in DEADLINE_PHASES:
            self.fields[self.deadline_name(phase)] = forms.DateField(
                label=phase.label,
                required=False,
                initial=self.instance.deadline(phase),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": _("Ange ett datum, t.ex. 2027-03-15.")},
            )

    @staticmethod
    def deadline_name(phase: int) -> str:
        return deadline_name(phase)

    def settings_fields(self) -> dict:
        """The cleaned settings (without the deadlines and the version)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    @classmethod
    def value_names(cls) -> list[str]:
        """The fields a conflict compares: the settings and the deadlines."""
        return [*cls.Meta.fields, *(cls.deadline_name(phase) for phase in DEADLINE_PHASES)]

    def state_fields(self):
        """Per målområde its best and worst state (labelled by the model's
        names, which say the målområde, also in a conflict's list)."""
        return [self[name] for name in STATE_FIELD_NAMES]

    def criteria_fields(self):
        return [self[name] for name in self.CRITERIA]

    def riktvarden_fields(self) -> list[tuple[str, object, object]]:
        """Kommunens riktvärden as the form shows them: (svårighetsgrad, from, to)."""
        return [
            (Svarighetsgrad(level).label, *(self[field] for field in riktvarde_fields(name)))
            for level, name in RIKTVARDE_LEVELS
        ]

    def deadline_fields(self):
        return [self[self.deadline_name(phase)] for phase in DEADLINE_PHASES]

    def deadlines(self) -> dict[int, object]:
        return {int(p): self.cleaned_data.get(self.deadline_name(p)) for p in DEADLINE_PHASES}

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:  # a hidden field: said above the form
            self.add_error(None, RELOAD)
        for name in STATE_FIELD_NAMES:
            if name in self.errors:  # the shared hint, and the field's own error
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"states-hint {self[name].auto_id}_error"
        self.refuse_frame_when_reallocating(cleaned)
        dated = [(phase, cleaned.get(self.deadline_name(phase))) for phase in DEADLINE_PHASES]
        dated = [(phase, day) for phase, day in dated if day]
        for (earlier, day_a), (later, day_b) in pairwise(dated):
            if day_b < day_a:
                self.add_error(
                    self.deadline_name(later),
                    _("Sista dag för %(later)s kan inte ligga före sista dag för %(earlier)s.")
                    % {"later": later.label, "earlier": earlier.label},
                )
        return cleaned


class PhaseMoveForm(forms.Form):
    to_phase = forms.TypedChoiceField(
        coerce=int,
        choices=Phase.choices,
        error_messages={"invalid_choice": _("Välj en fas att flytta omgången till.")},
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när omgången flyttas tillbaka: skriv varför."),
    )


class ForutsattningTextsForm(forms.Form):
    """The text of every kind of förutsättning, in one form."""

    def __init__(self, *args, forutsattningar, **kwargs):
        super().__init__(*args, **kwargs)
        texts = {item.kind: item.text for item in forutsattningar}
        for kind in ForutsattningKind:
            self.fields[kind.value] = forms.CharField(
                label=kind.label,
                required=False,
                initial=texts.get(kind.value, ""),
                # The markup's help is shown once, above all the texts.
                widget=forms.Textarea(attrs={"rows": 6, "aria-describedby": "markup-hint"}),
            )


FILE_LABEL = _("Fil")


def upload_field(label=FILE_LABEL) -> forms.FileField:
    """A file to upload, with the checks' Swedish errors and the limits in its
    help text; the content is checked after (``rounds.uploads.validate_upload``)."""
    return forms.FileField(
        label=label,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Välj en fil att ladda upp."),
            "empty": _("Filen är tom."),
            "invalid": _("Det gick inte att läsa filen. Försök igen."),
        },
    )


def limit_upload(field: forms.FileField, too_large: int | None) -> None:
    """Say the limits, and why the field is empty when the upload handler
    refused a file of ``too_large`` bytes."""
    if too_large:
        field.error_messages["required"] = too_large_message(too_large)
    field.help_text = gettext("Högst %(max)s MB. Tillåtna filtyper: %(allowed)s.") % {
        "max": MAX_SIZE_MB,
        "allowed": allowed_list(),
    }


class AttachmentForm(forms.Form):
    file = upload_field()

    def __init__(self, *args, kind: str, too_large: int | None = None, **kwargs):
        """One form per kind of förutsättning. ``too_large``: the size of a file
        the upload handler refused to receive; the field then says why it is
        empty."""
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.fields["file"].label = gettext("Ny bilaga till %(kind)s") % {
            "kind": ForutsattningKind(kind).label
        }
        limit_upload(self.fields["file"], too_large)


class FaktaunderlagForm(forms.Form):
    """A faktaunderlag: the file and, in a few words, what it shows."""

    title = forms.CharField(
        label=_("Vad underlaget visar"),
        required=False,
        max_length=200,
        help_text=_("Till exempel ”Elevhälsans enkät 2025” (frivilligt; annars visas filnamnet)."),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    file = upload_field(_("Fil med faktaunderlag"))

    def __init__(self, *args, too_large: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_upload(self.fields["file"], too_large)


class ListItemForm(forms.Form):
    """The name of a new or renamed list entry, unique in its list."""

    name = forms.CharField(
        label=_("Namn"),
        max_length=150,
        error_messages={
            "required": _("Skriv ett namn."),
            "max_length": _("Namnet får vara högst %(limit_value)d tecken."),
        },
    )

    def __init__(self, *args, round, kind, item=None, **kwargs):
        self.round, self.kind, self.item = round, kind, item
        if item is not None:
            # One form per entry on the page: ids of its own, the name as it is.
            kwargs.setdefault("auto_id", f"item-{item.pk}-%s")
            kwargs.setdefault("initial", {"name": item.name})
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = ListItem.objects.filter(round=self.round, kind=self.kind, name__iexact=name)
        if self.item is not None:
            taken = taken.exclude(pk=self.item.pk)
        if taken.exists():
            raise ValidationError(_("”%(name)s” finns redan i listan.") % {"name": name})
        return name
