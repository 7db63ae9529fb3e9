"""The demo's round 2027, loaded by `load_demo`: the source's tables and grid,
fully assessed, live deadlines, and the history of who did what."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from demo.loading import load_demo
from prioritering.access import may
from prioritering.audit import is_audited
from rounds.models import (
    AnalysisColumn,
    AnalysisItem,
    AnalysisStatus,
    EtikBedomning,
    Grad,
    Kostnadseffektivitet,
    Malomrade,
    Membership,
    Phase,
    PhaseTransition,
    Proposal,
    ProposalType,
    Purpose,
    RansoneringDetail,
    RansoneringKind,
    Rekommendation,
    Role,
    Round,
    Svarighetsgrad,
    User,
)
from rounds.models.proposal import RANSONERING_DETAILS


@pytest.fixture(autouse=True)
def development(settings):
    """The command runs in development (tests otherwise run with DEBUG off)."""
    settings.DEBUG = True


def load() -> str:
    out = StringIO()
    call_command("load_demo", "--phase", "analys", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo with its rounds, loaded once for this module (as the command
    loads it) and rolled back after its last test; each test runs in a
    savepoint within, so what it changes is undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True, phase="analys")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_round(loaded, db):
    return Round.objects.get(budget_year=2027)


def label(choices, value) -> str:
    return str(choices(value).label)


# The source's forum compilation: nämnd, fokusområde, verksamhetsområde, title,
# typ (normalised), orsak (normalised), effekt på längre sikt, år 1–3,
# svårighetsgrad, nytta, kostnadseffektivitet, rank, konsekvensanalys.
FORUM_ROWS = [
    ("Bildning", "Grunduppdrag", "Fritid", "Fritidsgård NN", ProposalType.NYA_BEHOV,
     "Integration", "Ambitionsökning", (1200, 1200, 1250), "Stor", "Stor", "Hög", 2,
     "Fler unga saknar en trygg mötesplats kvällstid."),
    ("Bildning", "Kompetensförsörjning", "Förskola", "Förstelärartjänster",
     ProposalType.NYA_BEHOV, "Arbetskraftsbrist", "Kompetensförsörjning", (900, 900, 900),
     "Måttlig", "Stor", "Hög", 3, "Svårare att behålla erfarna pedagoger."),
    ("Bildning", "Chefers förutsättningar", "Grundskola", "Förstärkt stöd, tjänster",
     ProposalType.NYA_BEHOV, "Volym/Demografi", "Kompetensförsörjning", (1500, 1500, 1500),
     "Stor", "Måttlig", "Måttlig", 5, "Rektorer får mindre tid för pedagogiskt ledarskap."),
    ("Kommunstyrelse", "Digitalisering", "Adm. enheten", "E-arkiv", ProposalType.NYA_BEHOV,
     "Processer och arbetsmetoder", "Effektivisering", (800, 300, 300), "Måttlig", "Måttlig",
     "Hög", 4, "Lagkrav på bevarande riskerar att inte uppfyllas."),
    ("Kommunstyrelse", "Tillgänglighet och bemötande", "Adm. enheten", "Servicecenter",
     ProposalType.NYA_BEHOV, "Processer och arbetsmetoder", "Effektivisering",
     (2500, 2000, 2000), "Liten", "Stor", "Måttlig", 7,
     "Invånare fortsätter att slussas mellan förvaltningar."),
    ("Plan- och miljö", "Tillväxt", "Bygglov och lantmäteri",
     "Ambitionsökning, mynd.utövning intern service", ProposalType.EFFEKTIVISERING,
     "Ökad arbetsvolym", "Ska utvärderas", (-300, -300, -300), "Liten", "Liten", "Måttlig", 8,
     "Längre handläggningstider för enklare ärenden."),
    ("Teknisk", "Grunduppdrag", "Fastighet", "Sänkt temp i vissa lokaler",
     ProposalType.RANSONERING, "Besparing", "Ska utvärderas", (-450, -450, -450), "Liten",
     "Liten", "Hög", 9, "Något sämre komfort i lokalerna."),
    ("Social", "Tillväxt", "Socialförvaltning", "Bostadsförsörjning missbrukare",
     ProposalType.NYA_BEHOV, "Volym/Demografi", "Bibehålla kvalitet", (1800, 1800, 1800),
     "Mycket stor", "Stor", "Hög", 1, "Risk för hemlöshet och ökad ohälsa."),
    ("Social", "Chefers förutsättningar", "Socialförvaltning", "HR-konsult",
     ProposalType.NYA_BEHOV, "Processer och arbetsmetoder", "Kompetensförsörjning",
     (600, 600, 0), "Måttlig", "Liten", "Låg", 10, "Chefer får mindre stöd i personalfrågor."),
]  # fmt: skip

# The base ranking tool: situation, målområde, åtgärd, svårighetsgrad, effekt,
# nytta, kostnad (år 1), kostnadseffektivitet, rank.
BASE_ROWS = [
    ("Långa handläggningstider för bygglov", Malomrade.SAMHALLE,
     "Digital ansökan med automatisk komplettering", "Stor", "Stor", "Stor", 650, "Hög", 2),
    ("Ensamma äldre i ordinärt boende", Malomrade.INVANARE,
     "Uppsökande verksamhet med träffpunkter", "Mycket stor", "Måttlig", "Stor", 1100,
     "Måttlig", 3),
    ("Hög personalomsättning i hemtjänsten", Malomrade.ORGANISATION,
     "Kombinationstjänster och karriärvägar", "Stor", "Måttlig", "Måttlig", 900, "Måttlig", 5),
    ("Låg telefontillgänglighet", Malomrade.INVANARE, "Utökade telefontider", "Liten", "Liten",
     "Liten", 400, "Låg", 9),
]  # fmt: skip

# The investment tool: title, år 1, år 2, år 3, år 4–10, svårighetsgrad,
# effekt, nytta, kostnad/år range, kostnadseffektivitet, rank.
INVESTMENT_ROWS = [
    ("Obrukbar fotbollsplan + sportarena", (10000, 10000, 100, 700), "Mycket stor",
     "Mycket stor", "Mycket stor", (2000, 2500), "Hög", 2),
    ("Obrukbar fotbollsplan + ny fotbollsplan", (5000, 5000, 50, 300), "Mycket stor", "Stor",
     "Måttlig", (1000, 1500), "Måttlig", 4),
    ("Brist på cykelväg A + utbyggnad A", (4500, 3000, 0, 0), "Måttlig", "Måttlig", "Måttlig",
     (700, 1000), "Måttlig", 5),
    ("Brist på parkeringsplats B + utbyggnad B", (0, 0, 3000, 600), "Liten", "Måttlig", "Liten",
     (500, 800), "Låg", 9),
]  # fmt: skip

# The source's verksamhetsanalys of Samhällsbyggnad, cell by cell.
SOURCE_GRID = {
    "Invånare": [
        [
            "Handläggningstider",
            "Telefontillgänglighet",
            "E-post-tillgänglighet",
            "Tillsyn",
            "Volymökning av ärenden hanteras inom ram",
        ],
        [
            "Ökar pga tillväxt volymer",
            "Ökade krav på service och rådgivning",
            "Ökade krav på E-tjänster",
            "Ökad tillsyn",
        ],
        ["Kortare handläggningstider", "Förbättrad tillgänglighet", "Förbättrad tillsyn"],
        ["Minska allmän rådgivning", "Effektivisering genom e-tjänster"],
    ],
    "Medarbetare (inklusive kompetens)": [
        ["Personalomsättning"],
        ["Samverkan inom administrativa resurser", "Omsättning av personal"],
        ["Kombinationstjänster", "Kompetensutveckling", "Karriärmöjligheter"],
        [],
    ],
    "Ekonomi": [["Höga taxeintäkter", "Kostnad bostadsanpassningar"], [], [], ["Justerad taxa"]],
    "Hållbarhet": [["Rutinutveckling"], ["Klimatanpassade detaljplaner"], [], []],
}

EXPECTED_STATUS = {
    "Bildningsförvaltningen": AnalysisStatus.DRAFT,
    "Socialförvaltningen": AnalysisStatus.DRAFT,
    "Kommunledningsförvaltningen": AnalysisStatus.SUBMITTED,
    "Samhällsbyggnadsförvaltningen": AnalysisStatus.SUBMITTED,
    "Tekniska förvaltningen": AnalysisStatus.RETURNED,
}


def grid_of(analysis) -> dict[str, list[list[str]]]:
    perspektiv = analysis.round.list_items.filter(kind="perspektiv").order_by("position")
    grid = {p.name: [[] for _ in AnalysisColumn.values] for p in perspektiv}
    for item in analysis.items.select_related("perspektiv").order_by("position", "pk"):
        grid[item.perspektiv.name][item.column - 1].append(item.text)
    return grid


def history_rows() -> int:
    return sum(model.history.count() for model in apps.get_models() if is_audited(model))


def test_the_round_is_live_in_the_verksamhetsanalys_phase(demo_round):
    today = timezone.localdate()
    assert demo_round.phase == Phase.VERKSAMHETSANALYS
    assert demo_round.purpose == Purpose.NYA
    assert demo_round.frame_tkr == 8000
    assert demo_round.deadline(Phase.PLANERING) == today - datetime.timedelta(days=21)
    assert demo_round.deadline(Phase.VERKSAMHETSANALYS) == today + datetime.timedelta(days=28)
    days = [(d.deadline - today).days for d in demo_round.deadlines.order_by("phase")]
    assert days == [-21, 28, 56, 84, 112, 400]
    transition = PhaseTransition.objects.get(round=demo_round)
    assert (transition.from_phase, transition.to_phase) == (
        Phase.PLANERING,
        Phase.VERKSAMHETSANALYS,
    )
    assert transition.by.username == "controller"


def test_the_instructions_and_forutsattningar_are_written(demo_round):
    text = demo_round.instructions
    for heading in ("Syfte", "Tidplan", "Roller", "De tre etiska principerna"):
        assert f"## {heading}" in text
    for principle in (
        "Människovärdesprincipen",
        "Behovs-solidaritetsprincipen",
        "Kostnadseffektivitetsprincipen",
        "Alternativkostnad",
    ):
        assert principle in text
    deadline = demo_round.deadline(Phase.VERKSAMHETSANALYS)
    month = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"][deadline.month - 1]  # fmt: skip
    assert f"senast {deadline.day} {month} {deadline.year}" in text
    texts = {f.kind: f.text for f in demo_round.forutsattningar.all()}
    for kind in ("demografi", "ekonomi", "nulage", "prognoser"):
        assert len(texts[kind]) > 200, kind
    assert "42 180 invånare" in texts["demografi"]
    assert "8 000 tkr" in texts["ekonomi"]


def test_each_forvaltning_has_its_analysis_in_its_state(demo_round):
    analyses = {a.forvaltning.name: a for a in demo_round.analyses.select_related("forvaltning")}
    assert {name: a.status for name, a in analyses.items()} == EXPECTED_STATUS
    assert analyses["Kommunledningsförvaltningen"].submitted_by.username == "chef-klf"
    assert analyses["Samhällsbyggnadsförvaltningen"].submitted_by.username == (
        "chef-samhallsbyggnad"
    )
    returned = analyses["Tekniska förvaltningen"]
    assert returned.submitted_by.username == "chef-teknik"
    assert returned.returned_by.username == "controller"
    assert returned.submitted_at <= returned.returned_at
    assert returned.return_comment == (
        "Komplettera driftkostnaderna för sportarenan och beskriv jämförelsealternativet "
        "för cykelvägen."
    )
    for name in ("Bildningsförvaltningen", "Socialförvaltningen"):
        assert analyses[name].submitted_at is None


def test_the_samhallsbyggnad_grid_is_the_source_grid(demo_round):
    analysis = demo_round.analyses.get(forvaltning__name="Samhällsbyggnadsförvaltningen")
    assert grid_of(analysis) == SOURCE_GRID


def test_the_other_grids_fill_most_cells(demo_round):
    for analysis in demo_round.analyses.exclude(forvaltning__name="Samhällsbyggnadsförvaltningen"):
        cells = [cell for row in grid_of(analysis).values() for cell in row]
        assert sum(1 for cell in cells if cell) >= 10, analysis.forvaltning.name


@pytest.mark.parametrize("row", FORUM_ROWS, ids=lambda row: row[3])
def test_the_forum_compilation_rows_are_proposals(demo_round, row):
    (
        namnd,
        fokus,
        verksamhet,
        title,
        typ,
        orsak,
        effekt,
        costs,
        svarighet,
        nytta,
        kostnadseff,
        rank,
        konsekvens,
    ) = row
    p = Proposal.objects.select_related(
        "analysis__forvaltning__namnd",
        "fokusomrade",
        "verksamhetsomrade",
        "orsak",
        "effekt_pa_sikt",
    ).get(round=demo_round, title=title)
    assert p.analysis.forvaltning.namnd.short_name == namnd
    assert (p.fokusomrade.name, p.verksamhetsomrade.name) == (fokus, verksamhet)
    assert (p.typ, p.orsak.name, p.effekt_pa_sikt.name) == (typ, orsak, effekt)
    assert (p.cost_year1, p.cost_year2, p.cost_year3) == costs
    assert label(Svarighetsgrad, p.svarighetsgrad) == svarighet
    assert label(Grad, p.nytta) == nytta
    assert label(Kostnadseffektivitet, p.kostnadseffektivitet) == kostnadseff
    assert p.rangordning == rank
    assert p.konsekvensanalys == konsekvens


@pytest.mark.parametrize("row", BASE_ROWS, ids=lambda row: row[0])
def test_the_base_tool_rows_are_proposals(demo_round, row):
    situation, malomrade, atgard, svarighet, effekt, nytta, kostnad, kostnadseff, rank = row
    p = Proposal.objects.get(round=demo_round, situation__startswith=situation)
    assert p.atgard.startswith(atgard)
    assert p.title.startswith(situation)
    assert p.malomrade == malomrade
    assert label(Svarighetsgrad, p.svarighetsgrad) == svarighet
    assert label(Grad, p.effekt) == effekt
    assert label(Grad, p.nytta) == nytta
    assert p.cost_year1 == kostnad
    assert label(Kostnadseffektivitet, p.kostnadseffektivitet) == kostnadseff
    assert p.rangordning == rank


@pytest.mark.parametrize("row", INVESTMENT_ROWS, ids=lambda row: row[0])
def test_the_investment_tool_rows_are_investments(demo_round, row):
    title, costs, svarighet, effekt, nytta, cost_range, kostnadseff, rank = row
    p = Proposal.objects.get(round=demo_round, title=title)
    assert p.typ == ProposalType.INVESTERING
    assert p.analysis.forvaltning.name == "Tekniska förvaltningen"
    assert (p.cost_year1, p.cost_year2, p.cost_year3, p.cost_years4_10) == costs
    assert (p.cost_per_year_min, p.cost_per_year_max) == cost_range
    assert label(Svarighetsgrad, p.svarighetsgrad) == svarighet
    assert label(Grad, p.effekt) == effekt
    assert label(Grad, p.nytta) == nytta
    assert label(Kostnadseffektivitet, p.kostnadseffektivitet) == kostnadseff
    assert p.rangordning == rank


def test_the_samhallsbyggnad_proposals_come_from_the_source_grid(demo_round):
    items = {
        p.analysis_item.text: p.title
        for p in Proposal.objects.filter(
            round=demo_round, analysis__forvaltning__name="Samhällsbyggnadsförvaltningen"
        ).select_related("analysis_item")
    }
    assert items["Kortare handläggningstider"].startswith("Långa handläggningstider för bygglov")
    assert items["Förbättrad tillgänglighet"].startswith("Låg telefontillgänglighet")
    assert items["Minska allmän rådgivning"] == "Minska allmän rådgivning"
    assert items["Effektivisering genom e-tjänster"] == (
        "Ambitionsökning, mynd.utövning intern service"
    )


def test_every_proposal_is_fully_assessed_and_valid(demo_round):
    # Every proposal the förvaltningar wrote up (one carried over from 2026 is
    # not yet: see test_demo_round_2026).
    proposals = list(
        Proposal.objects.filter(round=demo_round, analysis_item__isnull=False).select_related(
            "analysis_item", "created_by"
        )
    )
    assert len(proposals) == 19
    assert [p.number for p in proposals] == list(range(1, 20))
    for p in proposals:
        p.full_clean()
        for field in (
            "svarighetsgrad",
            "effekt",
            "nytta",
            "kostnadseffektivitet",
            "kunskapsunderlag",
            "maluppfyllelse",
        ):
            assert getattr(p, field) is not None, (p.title, field)
        for field in (
            "situation",
            "atgard",
            "jamforelsealternativ",
            "konsekvensanalys",
            "kommentar",
            "malomrade",
            "effekt_framst_for",
            "etik_kommentar",
        ):
            assert getattr(p, field).strip(), (p.title, field)
        for field in ("perspektiv", "fokusomrade", "verksamhetsomrade", "orsak", "effekt_pa_sikt"):
            assert getattr(p, f"{field}_id"), (p.title, field)
        assert p.mal.exists(), p.title
        assert p.rekommendation == Rekommendation.RANGORDNAS
        assert 1 <= p.rangordning <= 10
        assert p.etik_manniskovarde and p.etik_behov and p.etik_kostnadseffektivitet
        item = p.analysis_item
        assert item.analysis_id == p.analysis_id, p.title
        assert item.column in (AnalysisColumn.NYA_RESURSER, AnalysisColumn.RANSONERA)
        assert item.perspektiv_id == p.perspektiv_id
        # Written by the förvaltning; a proposal carried over was created by
        # the controller and then written up by the förvaltning.
        author = p.created_by if p.carried_from_id is None else p.history.first().history_user
        assert Membership.objects.filter(
            user=author,
            forvaltning=p.analysis.forvaltning,
            role__in=[Role.TJANSTEPERSON, Role.FORVALTNINGSCHEF],
        ).exists(), p.title


def test_rationing_saves_money_and_names_its_kind(demo_round):
    rationing = {
        p.title: p for p in Proposal.objects.filter(round=demo_round, typ=ProposalType.RANSONERING)
    }
    assert set(rationing) == {
        "Samordnad skolskjuts",
        "Sänkt temp i vissa lokaler",
        "Minska allmän rådgivning",
    }
    for p in rationing.values():
        assert p.cost_year1 < 0 and p.cost_year2 < 0 and p.cost_year3 < 0, p.title
        assert p.ransonering_detail in RANSONERING_DETAILS[p.ransonering_kind], p.title
        assert p.analysis_item.column == AnalysisColumn.RANSONERA
    temp = rationing["Sänkt temp i vissa lokaler"]
    assert (temp.ransonering_kind, temp.ransonering_detail) == (
        RansoneringKind.STRUKTUR,
        RansoneringDetail.UTRUSTNING_LOKALER,
    )
    assert rationing["Samordnad skolskjuts"].ransonering_kind == RansoneringKind.PROCESS
    assert rationing["Minska allmän rådgivning"].ransonering_detail == (
        RansoneringDetail.TIDSRANSONERING
    )
    others = Proposal.objects.filter(round=demo_round).exclude(typ=ProposalType.RANSONERING)
    assert not others.exclude(ransonering_kind="").exists()


def test_the_etisk_granskning_finds_a_risk_or_two(demo_round):
    risks = [
        p
        for p in Proposal.objects.filter(round=demo_round)
        if EtikBedomning.RISK in (p.etik_manniskovarde, p.etik_behov, p.etik_kostnadseffektivitet)
    ]
    assert 1 <= len(risks) <= 2
    assert all(len(p.etik_kommentar) > 40 for p in risks)


def test_the_needs_do_not_all_fit_the_frame(demo_round):
    needs = Proposal.objects.filter(
        round=demo_round, typ__in=[ProposalType.NYA_BEHOV, ProposalType.FORBISEDDA]
    )
    assert sum(p.cost_year1 for p in needs) > demo_round.frame_tkr


def test_the_history_names_who_did_what(demo_round):
    proposal_rows = Proposal.history.filter(round_id=demo_round.pk)
    assert proposal_rows.exists()
    assert not proposal_rows.filter(history_user__isnull=True).exists()
    for model in (AnalysisItem, Round):
        assert not model.history.filter(history_user__isnull=True).exists(), model.__name__
    fritidsgard = Proposal.objects.get(round=demo_round, title="Fritidsgård NN")
    assert {row.history_user.username for row in fritidsgard.history.all()} == {"tjp-bildning"}
    teknik = demo_round.analyses.get(forvaltning__name="Tekniska förvaltningen")
    steps = [
        (row.history_user.username if row.history_user else None, row.history_change_reason)
        for row in teknik.history.order_by("history_date", "history_id")
    ]
    assert steps == [
        ("controller", None),
        ("chef-teknik", "Inlämnad till nämnden"),
        ("controller", "Återlämnad till förvaltningen"),
    ]


def test_loading_again_changes_nothing(demo_round):
    demo_round.frame_tkr = 9000
    demo_round.save()
    counts = (
        Proposal.objects.count(),
        AnalysisItem.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        PhaseTransition.objects.count(),
        history_rows(),
    )
    load()
    assert (
        Proposal.objects.count(),
        AnalysisItem.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        PhaseTransition.objects.count(),
        history_rows(),
    ) == counts
    assert Round.objects.get(pk=demo_round.pk).frame_tkr == 9000


def test_the_demo_users_can_work_in_the_round(demo_round):
    users = {u.username: u for u in User.objects.all()}
    analyses = {a.forvaltning.name: a for a in demo_round.analyses.select_related("round")}
    fritidsgard = Proposal.objects.get(round=demo_round, title="Fritidsgård NN")
    assert may(users["tjp-bildning"], "edit_proposal", fritidsgard)
    assert may(users["chef-bildning"], "submit_analysis", analyses["Bildningsförvaltningen"])
    assert may(users["chef-teknik"], "edit_analysis", analyses["Tekniska förvaltningen"])
    assert may(users["controller"], "return_analysis", analyses["Kommunledningsförvaltningen"])
    assert not may(users["tjp-social"], "view_analysis", analyses["Bildningsförvaltningen"])
    assert may(users["ledamot-bildning"], "view_analysis", analyses["Kommunledningsförvaltningen"])


def test_the_command_reports_the_round_and_its_chefs(db):
    out = load()
    assert (
        "Prioriteringsomgång 2027 i fasen Verksamhetsanalys: 5 verksamhetsanalyser "
        "(2 utkast, 2 inlämnade, 1 återlämnad), 20 förslag, ekonomiskt utrymme 8 000 tkr."
    ) in out
    for username in ("chef-klf", "chef-social", "chef-teknik", "chef-samhallsbyggnad"):
        assert username in out
        assert User.objects.get(username=username).check_password("demo")
        assert Membership.objects.get(user__username=username).role == Role.FORVALTNINGSCHEF
