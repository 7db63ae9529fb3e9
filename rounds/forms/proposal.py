"""The proposal's assessment form and the list's filter form (the merge of two
people's edits is :func:`rounds.conflicts.merge`).

The form follows the order of Prioriteringscentrum's tools: identity,
description, typ, costs, the assessment scales (each a radio group that says in
one sentence what it asks), konsekvensanalys, etisk granskning, kommentar. The
parts a round switches off are not in the form at all.

Every rule that says *no* is here, with a Swedish message next to its field.
What the app only *doubts* (a rank far from what the scales suggest) is a flag
of :mod:`rounds.assessment`, shown beside the form and never stopping a save.
"""

from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from prioritering.numbers import (
    IntegerField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    TkrField,
)
from rounds.guidance import (
    BEST_STATE_LEAD,
    RANSONERING_DEFINITIONS,
    SEVERITY_FROM_STATES,
    WORST_STATE_LEAD,
    states_of,
)
from rounds.models import (
    AnalysisStatus,
    EtikBedomning,
    Forvaltning,
    ListItem,
    ListKind,
    Malomrade,
    Namnd,
    Proposal,
    ProposalType,
    RansoneringKind,
    Rekommendation,
    Round,
    Svarighetsgrad,
)
from rounds.models.proposal import RANSONERING_DETAILS, join_types, split_types
from rounds.proposal_fields import (
    COST_FIELDS,
    ETIK_PRINCIPLES,
    LIST_FIELDS,
    PROPOSAL_FIELDS,
    RADIO_FIELDS,
    RANGE_FIELDS,
    SECTIONS,
    fields_for_round,
)
from rounds.selectors import STATUS_WITHDRAWN

# What each question asks, in the source's words.
# What the tool adds to the source's model, said where it is offered.
KUNSKAPSUNDERLAG_ADDITION = _(
    "Tillägg utöver modellen: nivåerna God, Måttlig, Låg och Saknas är verktygets egna."
)
REKOMMENDATION_ADDITION = _(
    "Tillägg utöver modellen: Icke-göra och FoU kommer från den nationella modellen för "
    "hälso- och sjukvården, inte från modellen för kommuner."
)

HELP_TEXTS = {
    "title": _("En mening som sammanfattar förslaget."),
    "situation": _("Vilket behov finns, och hur långt från bästa tänkbara läge är situationen?"),
    "atgard": _("Vad ska göras?"),
    "jamforelsealternativ": _("Vad jämförs åtgärden med? Ofta dagens arbetssätt."),
    "typ": _("Vad slags förslag är det?"),
    "ransonering_kind": _("Krävs när typen är Ransonering."),
    "ransonering_detail": _("Krävs när typen är Ransonering. Välj inom det valda slaget."),
    "cost_year1": _("Heltal i tkr. En besparing anges som negativ kostnad, t.ex. −300."),
    "cost_year2": _("Heltal i tkr."),
    "cost_year3": _("Heltal i tkr."),
    "cost_years4_10": _("Heltal i tkr, för åren 4–10 tillsammans."),
    "cost_per_year_min": _("För investeringar: kostnad per år som ett intervall, lägsta belopp."),
    "cost_per_year_max": _("För investeringar: kostnad per år som ett intervall, högsta belopp."),
    "svarighetsgrad": _(
        "Hur långt från bästa tänkbara läge (målet) är situationen, och hur stor är risken "
        "att den blir sämre?"
    ),
    "effekt": _("Hur stor effekt ger åtgärden på situationen?"),
    "nytta": _(
        "Vilken nytta ger åtgärden för målområdet, i förhållande till gällande mål och lagar?"
    ),
    "kostnadseffektivitet": _(
        "Är kostnaden rimlig i förhållande till nyttan, jämfört med annat som då inte går att göra?"
    ),
    "kunskapsunderlag": format_lazy(
        "{} {}",
        _("Hur säkert är underlaget för bedömningen (vetenskap eller beprövad erfarenhet)?"),
        KUNSKAPSUNDERLAG_ADDITION,
    ),
    "maluppfyllelse": _("I vilken mån uppfylls politiska mål och visioner?"),
    "mal": _("Vilka politiska mål berörs?"),
    "effekt_framst_for": _("Vem får främst effekten av åtgärden?"),
    "rekommendation": format_lazy(
        "{} {}",
        _("Rangordna förslaget, eller rekommendera att det inte rangordnas."),
        REKOMMENDATION_ADDITION,
    ),
    "rangordning": _("1 = högst prioriterat, 10 = lägst."),
    "konsekvensanalys": _(
        "Vad händer om åtgärden inte genomförs – eller, för en besparing, vad kostar den i "
        "förlorat värde?"
    ),
    "etik_manniskovarde": _("Alla människor har lika värde och samma rätt: ingen särbehandling."),
    "etik_behov": _("Mer av resurserna ska ges till de mest behövande."),
    "etik_kostnadseffektivitet": _(
        "I val mellan åtgärder bör en rimlig relation mellan kostnad och effekt eftersträvas."
    ),
    "etik_kommentar": _("Krävs när någon princip bedöms som en risk."),
}

NOT_ASSESSED = _("Ej bedömd")
NOT_GIVEN = _("Ej angivet")
NOT_GIVEN_FIELDS = {"malomrade", "ransonering_kind", "effekt_framst_for"}
CHOOSE = _("– Välj –")

# --- The assessment form ----------------------------------------------------

RANK_ERROR = _("Rangordningen är ett heltal från 1 till 10.")
# Beside the rank: what kommunens riktvärden (the round's own guide, not the
# model's) say for the proposal's svårighetsgrad.
RANK_SUGGESTION = _(
    "Kommunens riktvärden: svårighetsgraden %(grad)s brukar ge rangordning %(low)s–%(high)s."
)
RELOAD = _("Formuläret är ofullständigt. Ladda om sidan och försök igen.")


class ProposalForm(forms.ModelForm):
    """The whole proposal. Give it the round (for its lists and switches).

    When ``instance`` has been saved before, the form carries the version it
    was loaded at, so a save cannot overwrite someone else's (see
    :func:`rounds.services.proposal.save_proposal` and :func:`merge`)."""

    version = IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={"required": RELOAD, "invalid": RELOAD, "min_value": RELOAD},
    )
    also_types = forms.MultipleChoiceField(
        label=_("Även av typen"),
        choices=ProposalType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "När förslaget kombinerar flera typer, till exempel effektivisering och "
            "ransonering: kryssa i de andra här."
        ),
        error_messages={"invalid_choice": _("Välj bland typerna i listan.")},
    )
    rangordning = IntegerField(
        label=_("Rangordning"),
        required=False,
        min_value=1,
        max_value=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-rank"}),
        error_messages={"invalid": RANK_ERROR, "min_value": RANK_ERROR, "max_value": RANK_ERROR},
    )

    class Meta:
        model = Proposal
        fields = PROPOSAL_FIELDS
        widgets = {
            **{name: forms.RadioSelect for name in RADIO_FIELDS},
            "mal": forms.CheckboxSelectMultiple,
            "situation": forms.Textarea(attrs={"rows": 4}),
            "atgard": forms.Textarea(attrs={"rows": 4}),
            "jamforelsealternativ": forms.Textarea(attrs={"rows": 3}),
            "konsekvensanalys": forms.Textarea(attrs={"rows": 4}),
            "etik_kommentar": forms.Textarea(attrs={"rows": 3}),
            "kommentar": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = HELP_TEXTS
        error_messages = {
            "title": {
                "required": _("Skriv en rubrik."),
                "max_length": _("Rubriken kan vara högst %(limit_value)d tecken."),
            },
            "typ": {"required": _("Välj typ av förslag.")},
            **{
                name: {
                    "invalid_choice": _("Välj ett av alternativen i listan."),
                    "invalid_pk_value": _("Välj ett av alternativen i listan."),
                }
                for name in (*LIST_FIELDS, "mal")
            },
        }
        field_classes = {
            **{name: TkrField for name in (*COST_FIELDS, *RANGE_FIELDS)},
            **{name: ModelChoiceField for name in LIST_FIELDS},
            "mal": ModelMultipleChoiceField,
        }

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        # Per field in conflict after a concurrent save: what the other person saved.
        self.conflicts: dict[str, dict] = {}
        wanted = set(fields_for_round(round))
        for name in list(self.fields):
            if name not in wanted and name != "version":
                del self.fields[name]
        if not self.instance.pk:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            if not self.is_bound and "version" not in self.initial:
                self.initial["version"] = self.instance.version
        self._limit_lists(round)
        for name in COST_FIELDS:
            # An empty cost is nothing: 0 tkr.
            self.fields[name].required = False
            self.fields[name].empty_value = 0
        for name in RADIO_FIELDS:
            if name in self.fields:
                self._radio_choices(self.fields[name], name)
        self.fields["ransonering_detail"].choices = [
            ("", CHOOSE),
            *(
                (kind.label, [(detail.value, detail.label) for detail in details])
                for kind, details in RANSONERING_DETAILS.items()
            ),
        ]
        self.fields["rangordning"].help_text = HELP_TEXTS["rangordning"]
        if "also_types" not in self.initial or isinstance(self.initial["also_types"], str):
            self.initial["also_types"] = split_types(self.instance.also_types)

    def _limit_lists(self, round: Round) -> None:
        """Each list offers the round's entries of its kind, and accepts only
        those. The options are read in one query for all lists; a posted
        choice is checked against its own list."""
        names = {**LIST_FIELDS, "mal": ListKind.POLITISKT_MAL}
        names = {name: kind for name, kind in names.items() if name in self.fields}
        options: dict[str, list] = {kind: [] for kind in names.values()}
        for pk, kind, label in ListItem.objects.filter(
            round=round, kind__in=set(names.values())
        ).values_list("pk", "kind", "name"):
            options[kind].append((pk, label))
        for name, kind in names.items():
            field = self.fields[name]
            field.queryset = ListItem.objects.filter(round=round, kind=kind)
            blank = [] if name == "mal" else [("", CHOOSE)]
            field.choices = [*blank, *options[kind]]

    @staticmethod
    def _radio_choices(field, name):
        """No "---------" radio: an optional scale ends with "Ej bedömd"."""
        choices = [choice for choice in field.choices if choice[0] not in ("", None)]
        if not field.required:
            choices.append(("", NOT_GIVEN if name in NOT_GIVEN_FIELDS else NOT_ASSESSED))
        field.choices = choices

    # -- rules between fields

    def clean(self):
        data = super().clean()
        self._clean_typ(data)
        self._clean_rank(data)
        self._clean_range(data)
        self._clean_etik(data)
        return data

    def clean_also_types(self):
        """The other types, as the model stores them (the main type is not
        repeated among them)."""
        return join_types(
            self.cleaned_data.get("also_types") or [], self.data.get(self.add_prefix("typ")) or ""
        )

    def _clean_typ(self, data):
        typ = data.get("typ")
        kind = data.get("ransonering_kind") or ""
        detail = data.get("ransonering_detail") or ""
        if typ == ProposalType.RANSONERING:
            if not kind and "ransonering_kind" not in self.errors:
                self.add_error(
                    "ransonering_kind", _("Ange vilket slag av ransonering förslaget är.")
                )
            if not detail and "ransonering_detail" not in self.errors:
                self.add_error("ransonering_detail", _("Ange ransoneringens inriktning."))
            elif kind and detail and detail not in RANSONERING_DETAILS[RansoneringKind(kind)]:
                self.add_error(
                    "ransonering_detail",
                    _("Inriktningen hör inte till %(kind)s: välj en inriktning inom det slaget.")
                    % {"kind": RansoneringKind(kind).label.lower()},
                )
        elif typ:
            message = _("Anges bara när typen är Ransonering: lämna tomt.")
            if kind:
                self.add_error("ransonering_kind", message)
            if detail:
                self.add_error("ransonering_detail", message)

    def _clean_rank(self, data):
        if "rangordning" in self.errors:
            return
        recommendation = data.get("rekommendation")
        rank = data.get("rangordning")
        if recommendation == Rekommendation.RANGORDNAS and rank is None:
            self.add_error(
                "rangordning",
                _("Ange en rangordning från 1 till 10, eller välj en annan rekommendation."),
            )
        elif recommendation and recommendation != Rekommendation.RANGORDNAS and rank is not None:
            self.add_error(
                "rangordning",
                _(
                    "Ett förslag med rekommendationen %(recommendation)s rangordnas inte: "
                    "lämna rangordningen tom."
                )
                % {"recommendation": Rekommendation(recommendation).label},
            )

    def _clean_range(self, data):
        low, high = data.get("cost_per_year_min"), data.get("cost_per_year_max")
        if any(name in self.errors for name in RANGE_FIELDS):
            return
        if low is None and high is not None:
            self.add_error("cost_per_year_min", _("Ange både från- och till-belopp."))
        elif high is None and low is not None:
            self.add_error("cost_per_year_max", _("Ange både från- och till-belopp."))
        elif low is not None and high is not None and low > high:
            self.add_error(
                "cost_per_year_max", _("Till-beloppet kan inte vara mindre än från-beloppet.")
            )

    def _clean_etik(self, data):
        if "etik_kommentar" not in self.fields:
            return
        risky = any(data.get(name) == EtikBedomning.RISK for name in ETIK_PRINCIPLES)
        if risky and not (data.get("etik_kommentar") or "").strip():
            self.add_error(
                "etik_kommentar",
                _("Beskriv risken: en kommentar krävs när någon princip bedöms som en risk."),
            )

    # -- what the templates and views need

    def model_values(self) -> dict[str, Any]:
        """The cleaned proposal fields (without the version), as the services take them."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}

    def comparable_values(self) -> dict[str, Any]:
        """The cleaned values in the shape :func:`merge` compares."""
        return {name: comparable(value) for name, value in self.model_values().items()}

    def sections(self) -> list[dict]:
        """The sections with their bound fields (those the round uses), and for
        each field whether it is a radio group and the conflict it is in."""
        result = []
        for section in SECTIONS:
            rows = [
                {
                    "field": self[name],
                    "group": name in RADIO_FIELDS or name in ("mal", "also_types"),
                    "conflict": self.conflicts.get(name),
                    "guidance": self.guidance(name),
                }
                for name in section.fields
                if name in self.fields
            ]
            if rows:
                result.append({"key": section.key, "legend": section.legend, "rows": rows})
        return result

    def guidance(self, name: str) -> dict | None:
        """The model's guidance shown with a field (:mod:`rounds.guidance`):
        the definitions of the kinds of ransonering, and the round's best and
        worst state per målområde beside svårighetsgrad. ``describedby``
        names what the field's group is described by, the guidance included."""
        if name not in ("ransonering_kind", "svarighetsgrad"):
            return None
        bound = self[name]
        guidance_id = f"{bound.auto_id}_guidance"
        describedby = " ".join(filter(None, [bound.aria_describedby, guidance_id]))
        if name == "ransonering_kind":
            return {
                "id": guidance_id,
                "describedby": describedby,
                "definitions": [
                    (kind.label, text) for kind, text in RANSONERING_DEFINITIONS.items()
                ],
            }
        return {
            "id": guidance_id,
            "describedby": describedby,
            "states": states_of(self.round),
            "severity": SEVERITY_FROM_STATES,
            "best_lead": BEST_STATE_LEAD,
            "worst_lead": WORST_STATE_LEAD,
            "not_described": _("Kommunen har inte beskrivit det här läget i omgången."),
        }

    def error_summary(self) -> list[dict]:
        """Every error with a link to its field, in the form's order."""
        items = [
            {"anchor": "proposal-form", "label": "", "message": e} for e in self.non_field_errors()
        ]
        for name in self.fields:
            if name in self.errors and name != "version":
                bound = self[name]
                items.extend(
                    {"anchor": field_anchor(bound), "label": bound.label, "message": error}
                    for error in bound.errors
                )
        if "version" in self.errors:
            items.append({"anchor": "proposal-form", "label": "", "message": RELOAD})
        return items

    def rank_suggestions(self, riktvarden: dict[int, tuple[int, int]]) -> dict[int, str]:
        """The sentence shown beside the rank, for each svårighetsgrad, by
        kommunens riktvärden (``Round.riktvarden``)."""
        return {
            int(level): RANK_SUGGESTION
            % {"grad": Svarighetsgrad(level).label, "low": low, "high": high}
            for level, (low, high) in riktvarden.items()
        }


def field_anchor(bound) -> str:
    """Where an error link jumps: the input, or a group's first option."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.id_for_label or bound.auto_id


def comparable(value) -> Any:
    """A value as the merge compares it: list items by id, goals as a set of ids."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple | set | frozenset):
        return frozenset(item.pk if isinstance(item, Model) else item for item in value)
    return value


def as_form_data(value) -> list[str]:
    """A comparable value as the strings a browser would post for it."""
    if value is None:
        return [""]
    if isinstance(value, frozenset):
        return [str(item) for item in sorted(value)]
    return [str(value)]


# --- Filtering the list ------------------------------------------------------

STATUS_CHOICES = [*AnalysisStatus.choices, (STATUS_WITHDRAWN, _("Återkallat"))]


class ProposalFilterForm(forms.Form):
    """The list's filters (GET). A value that does not fit is ignored."""

    q = forms.CharField(
        label=_("Sök i förslagen"),
        help_text=_("I rubrik, situation, åtgärd eller nummer, t.ex. 2027-003."),
        required=False,
        max_length=200,
        widget=forms.SearchInput,
    )
    namnd = ModelChoiceField(
        label=_("Nämnd"), queryset=Namnd.objects.none(), required=False, empty_label=_("Alla")
    )
    forvaltning = ModelChoiceField(
        label=_("Förvaltning"),
        queryset=Forvaltning.objects.none(),
        required=False,
        empty_label=_("Alla"),
    )
    typ = forms.ChoiceField(
        label=_("Typ"), choices=[("", _("Alla")), *ProposalType.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alla")), *STATUS_CHOICES], required=False
    )
    malomrade = forms.ChoiceField(
        label=_("Målområde"), choices=[("", _("Alla")), *Malomrade.choices], required=False
    )

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["namnd"].queryset = Namnd.objects.filter(kommun_id=round.kommun_id)
        self.fields["forvaltning"].queryset = Forvaltning.objects.filter(
            namnd__kommun_id=round.kommun_id
        )

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl för återkallande"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Frivilligt. Skälet visas med förslaget och i dess historik."),
        error_messages={"max_length": _("Skälet kan vara högst %(limit_value)d tecken.")},
    )
