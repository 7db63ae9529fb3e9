"""Every rule of the proposal form, with its Swedish message next to the field,
and the error summary that links to the fields."""

import re

import pytest
from django.core.exceptions import ValidationError

from prioritering.numbers import parse_tkr
from rounds.forms.proposal import ProposalForm
from rounds.models import ListKind, Proposal
from tests.factories import analysis_of, make_round
from tests.proposal_helpers import form_data


@pytest.fixture
def round(demo):
    return make_round()


def validate(round, **overrides):
    analysis = analysis_of(round, "Bildningsförvaltningen")
    form = ProposalForm(
        form_data(**overrides), instance=Proposal(round=round, analysis=analysis), round=round
    )
    form.is_valid()
    return form


def test_the_complete_form_is_valid(round):
    form = validate(round)
    assert form.is_valid(), form.errors


# --- Rank ---------------------------------------------------------------------


@pytest.mark.parametrize("rank", ["0", "11", "-1", "abc", "4,5", "2.5", "1 0"])
def test_rank_outside_one_to_ten_or_not_a_number(round, rank):
    form = validate(round, rangordning=rank)
    assert form.errors["rangordning"] == ["Rangordningen är ett heltal från 1 till 10."]


@pytest.mark.parametrize("rank", ["1", "10"])
def test_rank_ends_of_the_scale(round, rank):
    assert validate(round, rangordning=rank).is_valid()


def test_rank_is_required_when_ranked(round):
    form = validate(round, rangordning="")
    assert form.errors["rangordning"] == [
        "Ange en rangordning från 1 till 10, eller välj en annan rekommendation."
    ]


@pytest.mark.parametrize(
    ("recommendation", "word"),
    [("icke_gora", "Icke-göra (avveckla)"), ("fou", "FoU (endast inom forskning")],
)
def test_rank_with_icke_gora_or_fou_is_refused(round, recommendation, word):
    form = validate(round, rekommendation=recommendation, rangordning="3")
    [message] = form.errors["rangordning"]
    assert word in message
    assert "lämna rangordningen tom" in message


def test_icke_gora_without_rank_is_valid(round):
    form = validate(round, rekommendation="icke_gora", rangordning="")
    assert form.is_valid(), form.errors


def test_unknown_recommendation(round):
    form = validate(round, rekommendation="kanske")
    assert "rekommendation" in form.errors


# --- Typ and ransonering ------------------------------------------------------------


def test_ransonering_without_kind_or_detail(round):
    form = validate(round, typ="ransonering", cost_year1="-300")
    assert form.errors["ransonering_kind"] == ["Ange vilket slag av ransonering förslaget är."]
    assert form.errors["ransonering_detail"] == ["Ange ransoneringens inriktning."]


def test_ransonering_detail_must_belong_to_the_kind(round):
    form = validate(
        round, typ="ransonering", ransonering_kind="struktur", ransonering_detail="utspadning"
    )
    assert form.errors["ransonering_detail"] == [
        "Inriktningen hör inte till strukturransonering: välj en inriktning inom det slaget."
    ]


def test_ransonering_with_matching_kind_and_detail(round):
    form = validate(
        round,
        typ="ransonering",
        ransonering_kind="process",
        ransonering_detail="tidsransonering",
        cost_year1="-300",
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("typ", ["nya_behov", "forbisedda", "effektivisering", "investering"])
def test_kind_of_ransonering_on_another_typ_is_refused(round, typ):
    form = validate(round, typ=typ, ransonering_kind="struktur", ransonering_detail="kompetens")
    message = ["Anges bara när typen är Ransonering: lämna tomt."]
    assert form.errors["ransonering_kind"] == message
    assert form.errors["ransonering_detail"] == message


def test_typ_is_required(round):
    assert validate(round, typ="").errors["typ"] == ["Välj typ av förslag."]
    assert "typ" in validate(round, typ="okänd").errors


def test_unknown_kind_or_detail(round):
    form = validate(round, typ="ransonering", ransonering_kind="x", ransonering_detail="y")
    assert "ransonering_kind" in form.errors
    assert "ransonering_detail" in form.errors


# --- Costs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1 500", 1500),
        ("1\u00a0500", 1500),
        ("1500", 1500),
        ("−300", -300),
        ("-300", -300),
        ("– 1 200", -1200),
        ("+40", 40),
        (" 0 ", 0),
        ("", 0),
    ],
)
def test_swedish_numbers_are_accepted(round, typed, value):
    form = validate(round, cost_year1=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cost_year1"] == value


@pytest.mark.parametrize("typed", ["1,5", "1.5", "12 tkr", "abc", "1-2", "--3", "1e3"])
@pytest.mark.parametrize("field", ["cost_year1", "cost_year2", "cost_year3", "cost_years4_10"])
def test_costs_must_be_whole_numbers(round, field, typed):
    form = validate(round, **{field: typed})
    assert form.errors[field] == ["Ange ett heltal i tkr, t.ex. 1 500 eller −300."]


def test_costs_have_a_ceiling(round):
    form = validate(round, cost_year1="100 000 000")
    assert form.errors["cost_year1"] == ["Beloppet kan vara högst 99 999 999 tkr."]


def test_parse_tkr():
    assert parse_tkr("1 500") == 1500
    assert parse_tkr("−300") == -300
    assert parse_tkr("") is None
    with pytest.raises(ValidationError):
        parse_tkr("1,5")


def test_investment_range_from_must_not_exceed_to(round):
    form = validate(round, typ="investering", cost_per_year_min="2 500", cost_per_year_max="2 000")
    assert form.errors["cost_per_year_max"] == [
        "Till-beloppet kan inte vara mindre än från-beloppet."
    ]


def test_investment_range_needs_both_ends(round):
    form = validate(round, typ="investering", cost_per_year_min="2 000")
    assert form.errors["cost_per_year_max"] == ["Ange både från- och till-belopp."]
    form = validate(round, typ="investering", cost_per_year_max="2 000")
    assert form.errors["cost_per_year_min"] == ["Ange både från- och till-belopp."]


def test_investment_range_in_order(round):
    form = validate(round, typ="investering", cost_per_year_min="2 000", cost_per_year_max="2 500")
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["cost_per_year_min"], form.cleaned_data["cost_per_year_max"]) == (
        2000,
        2500,
    )


def test_range_must_be_whole_numbers(round):
    form = validate(round, cost_per_year_min="2 000,5", cost_per_year_max="3 000")
    assert form.errors["cost_per_year_min"] == ["Ange ett heltal i tkr, t.ex. 1 500 eller −300."]


# --- Scales -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("svarighetsgrad", "0"),  # Svårighetsgrad has no "Ingen"
        ("svarighetsgrad", "5"),
        ("effekt", "9"),
        ("nytta", "x"),
        ("kostnadseffektivitet", "0"),
        ("kunskapsunderlag", "4"),
        ("maluppfyllelse", "-1"),
        ("effekt_framst_for", "alla"),
        ("malomrade", "annat"),
        ("etik_behov", "kanske"),
    ],
)
def test_a_value_outside_the_scale_is_refused(round, field, bad):
    assert field in validate(round, **{field: bad}).errors


@pytest.mark.parametrize(
    "field", ["svarighetsgrad", "effekt", "nytta", "kostnadseffektivitet", "kunskapsunderlag"]
)
def test_a_scale_may_be_left_unassessed(round, field):
    form = validate(round, **{field: ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data[field] is None


# --- Etik -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "principle", ["etik_manniskovarde", "etik_behov", "etik_kostnadseffektivitet"]
)
def test_risk_without_comment_is_refused(round, principle):
    form = validate(round, **{principle: "risk", "etik_kommentar": "  "})
    assert form.errors["etik_kommentar"] == [
        "Beskriv risken: en kommentar krävs när någon princip bedöms som en risk."
    ]


def test_risk_with_comment_is_valid(round):
    form = validate(round, etik_behov="risk", etik_kommentar="Äldre i glesbygd kan missgynnas.")
    assert form.is_valid(), form.errors


# --- Texts and lists ----------------------------------------------------------------


def test_title_is_required_and_short(round):
    assert validate(round, title=" ").errors["title"] == ["Skriv en rubrik."]
    assert validate(round, title="x" * 201).errors["title"] == [
        "Rubriken kan vara högst 200 tecken."
    ]


def test_list_item_of_another_round_is_refused(round, demo):
    other = make_round(year=2028)
    foreign = other.list_items.get(kind=ListKind.FOKUSOMRADE, name="Digitalisering")
    form = validate(round, fokusomrade=str(foreign.pk))
    assert form.errors["fokusomrade"] == ["Välj ett av alternativen i listan."]


def test_list_item_of_another_kind_is_refused(round):
    perspektiv = round.list_items.filter(kind=ListKind.PERSPEKTIV).first()
    form = validate(round, fokusomrade=str(perspektiv.pk))
    assert form.errors["fokusomrade"] == ["Välj ett av alternativen i listan."]


def test_goal_of_another_round_is_refused(round, demo):
    other = make_round(year=2028)
    foreign = other.list_items.create(kind=ListKind.POLITISKT_MAL, name="Annat mål")
    own = round.list_items.create(kind=ListKind.POLITISKT_MAL, name="Trygg uppväxt")
    form = validate(round, mal=[str(own.pk), str(foreign.pk)])
    assert form.errors["mal"] == ["Välj ett av alternativen i listan."]
    assert validate(round, mal=[str(own.pk)]).is_valid()


def test_nonsense_list_id_is_refused(round):
    assert "orsak" in validate(round, orsak="abc").errors


# --- The page: errors next to the field and in a summary at the top ------------------


def test_errors_are_shown_next_to_the_field_and_summarised(signed_in, round):
    analysis = analysis_of(round, "Bildningsförvaltningen")
    response = signed_in("tjp-bildning").post(
        f"/omgangar/2027/forslag/nytt/{analysis.forvaltning_id}/",
        form_data(rangordning="abc", cost_year2="1,5", typ="ransonering"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('class="proposal-error-summary"')[1].split("</div>")[0]
    assert 'href="#id_cost_year2"' in summary
    assert 'href="#id_rangordning"' in summary
    assert 'href="#id_ransonering_kind_0"' in summary  # a radio group: its first option
    # …and each next to its field, tied to it for screen readers.
    field = re.search(r'<input type="text" name="rangordning"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert "id_rangordning_error" in field
    assert '<ul class="errorlist" id="id_rangordning_error"><li>Rangordningen' in html
    assert re.search(r'<fieldset[^>]*aria-describedby="[^"]*id_ransonering_kind_error', html)
