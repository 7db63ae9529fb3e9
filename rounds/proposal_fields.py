"""The proposal's fields as the model of Prioriteringscentrum's tools orders
them: the sections of the form and the document, the lists and scales among
them, the costs, and the parts a round can switch off.

The form (:mod:`rounds.forms.proposal`), the history (:mod:`prioritering.history`),
the importer and the documents read the fields from here, so that each knows
the same order and none of them imports a form."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rounds.models import ListKind, Round


@dataclass(frozen=True)
class Section:
    key: str
    legend: str  # the form's, where amounts are typed without their unit
    fields: tuple[str, ...]
    heading: str | None = None  # where the values are read with their unit

    @property
    def read_heading(self) -> str:
        return self.heading or self.legend


SECTIONS = (
    Section(
        "identitet",
        _("Identitet"),
        ("title", "verksamhetsomrade", "fokusomrade", "perspektiv", "malomrade"),
    ),
    Section(
        "beskrivning",
        _("Beskrivning"),
        ("situation", "atgard", "jamforelsealternativ", "orsak", "effekt_pa_sikt"),
    ),
    Section("typ", _("Typ"), ("typ", "also_types", "ransonering_kind", "ransonering_detail")),
    Section(
        "kostnader",
        _("Kostnader i tkr"),
        heading=_("Kostnader"),
        fields=(
            "cost_year1",
            "cost_year2",
            "cost_year3",
            "cost_years4_10",
            "cost_per_year_min",
            "cost_per_year_max",
        ),
    ),
    Section(
        "bedomning",
        _("Bedömning"),
        (
            "svarighetsgrad",
            "effekt",
            "nytta",
            "kostnadseffektivitet",
            "kunskapsunderlag",
            "maluppfyllelse",
            "mal",
            "effekt_framst_for",
            "rekommendation",
            "rangordning",
        ),
    ),
    Section("konsekvensanalys", _("Konsekvensanalys"), ("konsekvensanalys",)),
    Section(
        "etik",
        _("Etisk granskning"),
        ("etik_manniskovarde", "etik_behov", "etik_kostnadseffektivitet", "etik_kommentar"),
    ),
    Section("kommentar", _("Kommentar"), ("kommentar",)),
)

PROPOSAL_FIELDS = tuple(name for section in SECTIONS for name in section.fields)

# The parts a round can switch off (the three central criteria cannot).
OPTIONAL_FIELDS = {
    "uses_effekt": ("effekt",),
    "uses_kunskapsunderlag": ("kunskapsunderlag",),
    "uses_maluppfyllelse": ("maluppfyllelse", "mal"),
    "uses_effekt_framst_for": ("effekt_framst_for",),
    "uses_etisk_granskning": (
        "etik_manniskovarde",
        "etik_behov",
        "etik_kostnadseffektivitet",
        "etik_kommentar",
    ),
}

# Select lists of the round, by field.
LIST_FIELDS = {
    "verksamhetsomrade": ListKind.VERKSAMHETSOMRADE,
    "fokusomrade": ListKind.FOKUSOMRADE,
    "perspektiv": ListKind.PERSPEKTIV,
    "orsak": ListKind.ORSAK,
    "effekt_pa_sikt": ListKind.EFFEKT_PA_SIKT,
}

RADIO_FIELDS = (
    "malomrade",
    "typ",
    "ransonering_kind",
    "svarighetsgrad",
    "effekt",
    "nytta",
    "kostnadseffektivitet",
    "kunskapsunderlag",
    "maluppfyllelse",
    "effekt_framst_for",
    "rekommendation",
    "etik_manniskovarde",
    "etik_behov",
    "etik_kostnadseffektivitet",
)

COST_FIELDS = ("cost_year1", "cost_year2", "cost_year3", "cost_years4_10")
RANGE_FIELDS = ("cost_per_year_min", "cost_per_year_max")
ETIK_PRINCIPLES = ("etik_manniskovarde", "etik_behov", "etik_kostnadseffektivitet")


def fields_for_round(round: Round) -> tuple[str, ...]:
    """The proposal fields the round assesses, in the form's order."""
    off = {
        name
        for switch, names in OPTIONAL_FIELDS.items()
        if not getattr(round, switch)
        for name in names
    }
    return tuple(name for name in PROPOSAL_FIELDS if name not in off)
