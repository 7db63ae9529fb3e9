"""The sample spreadsheets of ``shared/data/`` import with the values they hold."""

from pathlib import Path

import pytest

from rounds.importing import import_workbook, plan_import, read_workbook
from rounds.models import (
    AnalysisColumn,
    AnalysisItem,
    Grad,
    Kostnadseffektivitet,
    ListItem,
    ListKind,
    Malomrade,
    Proposal,
    ProposalType,
    Rekommendation,
    Svarighetsgrad,
)
from tests.factories import make_round

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
if not DATA.exists():  # the checkout beside shared/
    DATA = Path("/work/shared/data")


def read(name):
    return read_workbook((DATA / name).read_bytes(), name)


@pytest.fixture
def round(demo):
    return make_round(year=2027)


def store(round, name, by, **kwargs):
    return import_workbook(round, read(name), by=by, **kwargs)


def test_forum_compilation_imports_every_row_with_its_values(round, demo):
    result = store(round, "forum-sammanstallning.xlsx", demo["controller"])
    assert result.proposals == 9
    assert result.numbers == (1, 9)
    p = Proposal.objects.select_related(
        "analysis__forvaltning", "fokusomrade", "verksamhetsomrade", "orsak", "effekt_pa_sikt"
    ).get(round=round, title="Fritidsgård NN")
    assert p.analysis.forvaltning.name == "Bildningsförvaltningen"
    assert p.fokusomrade.name == "Grunduppdrag"
    assert p.verksamhetsomrade.name == "Fritid"
    assert p.orsak.name == "Integration"
    assert p.effekt_pa_sikt.name == "Ambitionsökning"
    assert p.typ == ProposalType.NYA_BEHOV
    assert (p.cost_year1, p.cost_year2, p.cost_year3) == (1200, 1200, 1250)
    assert p.svarighetsgrad == Svarighetsgrad.STOR
    assert p.nytta == Grad.STOR
    assert p.kostnadseffektivitet == Kostnadseffektivitet.HOG
    assert p.rangordning == 2
    assert p.konsekvensanalys == "Fler unga saknar en trygg mötesplats kvällstid."
    assert p.created_by == demo["controller"]


def test_forum_compilation_places_each_nämnd_in_its_förvaltning(round, demo):
    store(round, "forum-sammanstallning.xlsx", demo["controller"])
    where = dict(
        Proposal.objects.filter(round=round).values_list("title", "analysis__forvaltning__name")
    )
    assert where["E-arkiv"] == "Kommunledningsförvaltningen"
    assert where["Sänkt temp i vissa lokaler"] == "Tekniska förvaltningen"
    assert where["HR-konsult"] == "Socialförvaltningen"
    assert where["Ambitionsökning, mynd.utövning intern service"] == "Samhällsbyggnadsförvaltningen"


def test_combined_types_keep_both_the_first_as_the_main_one(round, demo):
    store(round, "forum-sammanstallning.xlsx", demo["controller"])
    plan_miljo = Proposal.objects.get(round=round, title__startswith="Ambitionsökning")
    assert plan_miljo.types == [ProposalType.EFFEKTIVISERING, ProposalType.RANSONERING]
    assert plan_miljo.get_typ_display() == "Effektivisering / Ransonering"
    assert plan_miljo.kommentar == ""
    assert (plan_miljo.cost_year1, plan_miljo.cost_year3) == (-300, -300)
    teknisk = Proposal.objects.get(round=round, title="Sänkt temp i vissa lokaler")
    assert teknisk.types == [ProposalType.EFFEKTIVISERING, ProposalType.RANSONERING]


def test_list_entries_are_matched_loosely_and_missing_ones_added(round, demo):
    before = ListItem.objects.filter(round=round, kind=ListKind.ORSAK).count()
    store(round, "forum-sammanstallning.xlsx", demo["controller"])
    # "Processer Arbetsmetoder" is the default list's "Processer och arbetsmetoder".
    e_arkiv = Proposal.objects.select_related("orsak").get(round=round, title="E-arkiv")
    assert e_arkiv.orsak.name == "Processer och arbetsmetoder"
    assert ListItem.objects.filter(round=round, kind=ListKind.ORSAK).count() == before
    # Verksamhetsområden are empty in a new round: the file's are added.
    assert set(
        ListItem.objects.filter(round=round, kind=ListKind.VERKSAMHETSOMRADE).values_list(
            "name", flat=True
        )
    ) >= {"Fritid", "Förskola", "Adm. enheten", "Fastighet", "Bygglov och lantmäteri"}


def test_base_tool_imports_into_the_chosen_förvaltning(round, demo):
    bildning = round.analyses.get(forvaltning__name="Bildningsförvaltningen").forvaltning
    result = store(round, "rangordning-bas.xlsx", demo["controller"], forvaltning=bildning)
    assert result.proposals == 4
    p = Proposal.objects.get(round=round, situation="Ensamma äldre i ordinärt boende")
    assert p.analysis.forvaltning == bildning
    assert p.title == "Ensamma äldre i ordinärt boende"
    assert p.atgard == "Uppsökande verksamhet med träffpunkter"
    assert p.malomrade == Malomrade.INVANARE
    assert p.svarighetsgrad == Svarighetsgrad.MYCKET_STOR
    assert p.effekt == Grad.MATTLIG
    assert p.nytta == Grad.STOR
    assert p.cost_year1 == 1100
    assert p.kostnadseffektivitet == Kostnadseffektivitet.MATTLIG
    assert p.rangordning == 3
    assert p.typ == ProposalType.NYA_BEHOV
    last = Proposal.objects.get(round=round, situation="Låg telefontillgänglighet")
    assert (last.kostnadseffektivitet, last.rangordning) == (Kostnadseffektivitet.LAG, 9)
    assert last.malomrade == Malomrade.INVANARE


def test_investment_tool_imports_costs_and_the_range(round, demo):
    teknik = round.analyses.get(forvaltning__name="Tekniska förvaltningen").forvaltning
    result = store(round, "rangordning-investeringar.xlsx", demo["controller"], forvaltning=teknik)
    assert result.proposals == 4
    p = Proposal.objects.get(round=round, title="Obrukbar fotbollsplan + sportarena")
    assert p.typ == ProposalType.INVESTERING
    assert (p.cost_year1, p.cost_year2, p.cost_year3, p.cost_years4_10) == (10000, 10000, 100, 700)
    assert (p.cost_per_year_min, p.cost_per_year_max) == (2000, 2500)
    assert (p.svarighetsgrad, p.effekt, p.nytta) == (4, 4, 4)
    assert p.kostnadseffektivitet == Kostnadseffektivitet.HOG
    assert p.rangordning == 2
    assert (p.situation, p.atgard) == ("Obrukbar fotbollsplan", "sportarena")
    parkering = Proposal.objects.get(round=round, title__startswith="Brist på parkeringsplats")
    assert (parkering.cost_year3, parkering.cost_per_year_min, parkering.cost_per_year_max) == (
        3000,
        500,
        800,
    )
    assert parkering.rekommendation == Rekommendation.RANGORDNAS


def test_layout_without_nämnd_and_without_choice_is_refused(round, demo):
    plan = plan_import(round, read("rangordning-bas.xlsx"))
    assert not plan.ok
    assert "välj vilken förvaltning" in str(plan.problems[0])


def test_verksamhetsanalys_grid_imports_items_into_the_named_förvaltning(round, demo):
    result = store(round, "verksamhetsanalys-samhallsbyggnad.xlsx", demo["controller"])
    assert (result.proposals, result.items) == (0, 25)
    analysis = round.analyses.get(forvaltning__name="Samhällsbyggnadsförvaltningen")
    items = list(
        AnalysisItem.objects.filter(analysis=analysis)
        .select_related("perspektiv")
        .order_by("perspektiv__position", "column", "position")
    )
    assert len(items) == 25
    invanare_nulage = [
        i.text
        for i in items
        if i.perspektiv.name == "Invånare" and i.column == AnalysisColumn.NULAGE
    ]
    assert invanare_nulage == [
        "Handläggningstider",
        "Telefontillgänglighet",
        "E-post-tillgänglighet",
        "Tillsyn",
        "Volymökning av ärenden hanteras inom ram",
    ]
    medarbetare = [
        i.text
        for i in items
        if i.perspektiv.name == "Medarbetare (inklusive kompetens)"
        and i.column == AnalysisColumn.NYA_RESURSER
    ]
    assert medarbetare == ["Kombinationstjänster", "Kompetensutveckling", "Karriärmöjligheter"]
    ekonomi = [i.text for i in items if i.perspektiv.name == "Ekonomi"]
    assert ekonomi == ["Höga taxeintäkter", "Kostnad bostadsanpassningar", "Justerad taxa"]


def test_every_import_writes_one_history_row_per_proposal_naming_the_actor(round, demo):
    store(round, "forum-sammanstallning.xlsx", demo["controller"])
    history = Proposal.history.filter(round=round)
    assert history.count() == 9
    assert {h.history_user for h in history} == {demo["controller"]}
    assert {h.history_type for h in history} == {"+"}
    assert all(h.history_change_reason.startswith("Importerat från Excel") for h in history)


def test_numbers_continue_after_the_round_s_highest(round, demo):
    store(round, "forum-sammanstallning.xlsx", demo["controller"])
    teknik = round.analyses.get(forvaltning__name="Tekniska förvaltningen").forvaltning
    result = store(round, "rangordning-investeringar.xlsx", demo["controller"], forvaltning=teknik)
    assert result.numbers == (10, 13)
