"""The demo's round 2026, loaded by `load_demo(with_round=True)`: last year's
round, through the nämnder and the forum to published decisions, written by
the acting demo users; idempotent; round 2027 untouched and still current."""

import datetime
import statistics

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from demo.loading import load_demo
from demo.organisation import DEMO_LEDAMOTER, FORUM_MEMBERS, LEDAMOTER
from followup.rules import followed_up_proposals
from prioritering.access import may
from prioritering.audit import is_audited
from prioritering.context_processors import _current_year
from ranking import selectors
from ranking.documents import pdf_content
from ranking.models import (
    FORUM_OUTCOMES,
    AgreedPlace,
    BodyDecision,
    Decision,
    ForumRank,
    ForumResult,
    Handling,
    NamndRanking,
    NamndResult,
    Outcome,
)
from ranking.services import decision as decision_services
from rounds.models import (
    AnalysisColumn,
    AnalysisStatus,
    Membership,
    Phase,
    PhaseTransition,
    Proposal,
    ProposalType,
    Rekommendation,
    Role,
    Round,
    User,
)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo with both rounds, loaded once for this module (the rounds take
    a couple of seconds to load) and rolled back after its last test. Each
    test runs in a savepoint within, as usual, so what it changes is undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def round_2026(loaded, db):
    return Round.objects.get(budget_year=2026)


def forwarded(round):
    return list(selectors.forwarded_proposals(round))


def history_rows() -> int:
    return sum(model.history.count() for model in apps.get_models() if is_audited(model))


def test_the_round_ran_last_year_and_is_now_followed_up(round_2026):
    today = timezone.localdate()
    assert round_2026.phase == Phase.UPPFOLJNING
    assert round_2026.frame_tkr == 6000
    for phase in (Phase.VERKSAMHETSANALYS, Phase.NAMND, Phase.FORUM, Phase.BESLUT):
        assert round_2026.deadline(phase) < today - datetime.timedelta(days=150), phase
    assert round_2026.deadline(Phase.VERKSAMHETSANALYS) == today - datetime.timedelta(days=330)
    assert round_2026.deadline(Phase.BESLUT) == today - datetime.timedelta(days=200)
    steps = [
        (t.from_phase, t.to_phase, t.by.username)
        for t in PhaseTransition.objects.filter(round=round_2026).order_by("at", "pk")
    ]
    assert steps == [(phase, phase + 1, "controller") for phase in range(1, 6)]
    assert "6 000 tkr" in round_2026.instructions


def test_round_2027_is_current_with_two_proposals_carried_over(round_2026):
    round_2027 = Round.objects.get(budget_year=2027)
    assert round_2027.phase == Phase.FORUM  # the demo's default (tests/test_demo_phases.py)
    assert round_2027.proposals.count() == 20
    assert [p.number for p in round_2027.proposals.all()] == list(range(1, 21))
    carried = round_2027.proposals.filter(carried_from__isnull=False).select_related(
        "carried_from__round"
    )
    assert [(p.number, p.title, p.carried_from.round.budget_year) for p in carried] == [
        (7, "Bostadsförsörjning missbrukare", 2026),
        (20, "Ny simhall, förstudie", 2026),
    ]
    # 2027's rankings are its own: round 2026's stay as they were recorded.
    assert NamndResult.objects.filter(round=round_2026).count() == 5
    assert ForumResult.objects.get(round=round_2026).is_published
    assert _current_year() == 2027


def test_every_analysis_was_submitted_by_its_chef(round_2026):
    analyses = list(round_2026.analyses.select_related("forvaltning", "submitted_by"))
    assert len(analyses) == 5
    for analysis in analyses:
        assert analysis.status == AnalysisStatus.SUBMITTED, analysis.forvaltning.name
        assert Membership.objects.filter(
            user=analysis.submitted_by,
            role=Role.FORVALTNINGSCHEF,
            forvaltning=analysis.forvaltning,
        ).exists(), analysis.forvaltning.name


def test_every_proposal_is_fully_assessed_from_its_analysis(round_2026):
    proposals = list(round_2026.proposals.select_related("analysis_item", "analysis"))
    assert 16 <= len(proposals) <= 20
    assert [p.number for p in proposals] == list(range(1, len(proposals) + 1))
    assert {p.analysis.forvaltning_id for p in proposals} == set(
        round_2026.analyses.values_list("forvaltning_id", flat=True)
    )
    for p in proposals:
        p.full_clean()
        for field in ("svarighetsgrad", "effekt", "nytta", "kostnadseffektivitet"):
            assert getattr(p, field) is not None, (p.title, field)
        for field in ("kunskapsunderlag", "maluppfyllelse", "rangordning"):
            assert getattr(p, field) is not None, (p.title, field)
        for field in ("situation", "atgard", "konsekvensanalys", "etik_kommentar"):
            assert getattr(p, field).strip(), (p.title, field)
        assert p.rekommendation == Rekommendation.RANGORDNAS
        assert p.mal.exists(), p.title
        assert p.analysis_item.analysis_id == p.analysis_id
        saving = p.typ in (ProposalType.RANSONERING, ProposalType.EFFEKTIVISERING)
        column = AnalysisColumn.RANSONERA if saving else AnalysisColumn.NYA_RESURSER
        assert p.analysis_item.column == column, p.title
        if saving:
            assert p.cost_year1 < 0, p.title
    types = {p.typ for p in proposals}
    assert {ProposalType.EFFEKTIVISERING, ProposalType.RANSONERING} <= types
    assert ProposalType.INVESTERING in types


def test_every_namnd_recorded_its_ranking(round_2026):
    results = list(
        NamndResult.objects.filter(round=round_2026).select_related("namnd", "recorded_by")
    )
    assert {r.namnd.name for r in results} == set(LEDAMOTER)
    for result in results:
        assert result.is_recorded, result.namnd.name
        assert result.paragraph.isdigit()  # the page shows "§ 44"
        assert result.decision_date < timezone.localdate()
        assert result.recorded_by.username == LEDAMOTER[result.namnd.name]
        eligible = selectors.eligible_proposals(round_2026, result.namnd)
        rankings = list(selectors.rankings_of(result))
        assert {r.proposal_id for r in rankings} == set(eligible.values_list("pk", flat=True))
        assert all(r.rank and r.handling for r in rankings), result.namnd.name
    handlings = list(
        NamndRanking.objects.filter(result__round=round_2026).values_list("handling", flat=True)
    )
    assert len(handlings) == round_2026.proposals.count()
    assert 12 <= handlings.count(Handling.KOMMUNGEMENSAM) <= 14
    assert handlings.count(Handling.INOM_RAM) >= 1
    assert 1 <= handlings.count(Handling.DRIVS_INTE) <= 2


def test_the_namnd_judged_one_proposal_differently_from_its_forvaltning(round_2026):
    differs = NamndRanking.objects.filter(result__round=round_2026).exclude(
        rank=F("proposal__rangordning")
    )
    assert differs.count() >= 1


def test_every_forwarded_proposal_is_ranked_by_all_five_members(round_2026):
    proposals = forwarded(round_2026)
    assert 12 <= len(proposals) <= 14
    members = set(FORUM_MEMBERS)
    for proposal in proposals:
        ranks = ForumRank.objects.filter(round=round_2026, proposal=proposal)
        assert set(ranks.values_list("member__username", flat=True)) == members, proposal.title
    assert ForumRank.objects.filter(round=round_2026).count() == 5 * len(proposals)
    for rank in ForumRank.history.filter(round_id=round_2026.pk):
        assert rank.history_user_id == rank.member_id


def test_the_forum_agrees_mostly_and_disagrees_clearly_on_some(round_2026):
    table = selectors.forum_table(round_2026)
    flagged = [row for row in table if row.disagreement]
    assert 1 <= len(flagged) <= 3
    assert all(row.combined.iqr >= 3 for row in flagged)
    calm = [row for row in table if not row.disagreement]
    assert len(calm) >= len(table) - 3
    assert statistics.median(row.combined.iqr for row in table) <= 1


def test_the_agreed_order_departs_from_the_computed_one_with_motivations(round_2026):
    result = ForumResult.objects.get(round=round_2026)
    assert result.has_order and result.order_recorded_by.username == "controller"
    places = list(AgreedPlace.objects.filter(result=result))
    assert len(places) == len(forwarded(round_2026))
    assert sorted(p.position for p in places) == list(range(1, len(places) + 1))
    departing = [p for p in places if p.departs]
    assert 1 <= len(departing) <= 4
    assert all(len(p.motivation) > 40 for p in departing)
    assert not any(p.motivation for p in places if not p.departs)


def test_the_review_answers_all_five_questions(round_2026):
    result = ForumResult.objects.get(round=round_2026)
    assert result.has_review and result.review_recorded_by.username == "controller"
    for name in ForumResult.REVIEW_FIELDS:
        assert len(getattr(result, name)) > 80, name


def test_every_forwarded_proposal_is_decided_along_the_budget_line(round_2026):
    rows = selectors.outcome_rows(round_2026)
    line = selectors.with_line(rows, round_2026.frame_tkr, round_2026.purpose)
    assert all(row.decision is not None for row in rows)
    assert {row.decision.decided_by.username for row in rows} == {"controller"}
    assert all(len(row.decision.motivation) > 40 for row in rows)
    outcomes = [row.decision.outcome for row in rows]
    assert set(outcomes) == set(FORUM_OUTCOMES)
    assert outcomes.count(Outcome.DELVIS) == 1
    for row in rows:
        outcome, proposal = row.decision.outcome, row.proposal
        if row.step is not None and row.step.funded:
            assert outcome in (Outcome.FINANSIERAS, Outcome.DELVIS), proposal.title
        elif row.step is not None:
            assert outcome in (Outcome.AVSLAS, Outcome.UTREDS), proposal.title
        elif proposal.cost_year1 < 0:
            assert outcome in (
                Outcome.RANSONERAS,
                Outcome.EFFEKTIVISERAS,
                Outcome.AVSLAS,
                Outcome.UTREDS,
            ), proposal.title
        else:
            assert outcome == Outcome.INOM_RAM, proposal.title
        if outcome == Outcome.DELVIS:
            assert 0 < row.decision.amount_tkr < proposal.cost_year1
    assert line.given_up, "something falls below the line"
    assert 0 <= line.remaining < 500
    assert line.savings > 0


def test_the_round_is_published_by_the_controller(round_2026):
    result = ForumResult.objects.get(round=round_2026)
    assert result.is_published and result.published_by.username == "controller"
    assert may(None, "view_published", Round.objects.get(pk=round_2026.pk))
    assert decision_services.publish_problems(round_2026) == []


def test_the_public_page_shows_the_decisions_without_sign_in(round_2026, client):
    response = client.get("/oppna-prioriteringar/2026/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Fler platser i förskola",
        "Bostadsförsörjning missbrukare",
        "Ny simhall, förstudie",
        "Finansieras delvis",
        "pilot med dem",
        "Forumet flyttade upp skyfallskarteringen",
        "Sommarförskola på färre enheter avslås",
    ):
        assert text in html, text
    for user in User.objects.all():
        assert user.get_full_name() not in html, "no names of officials on the public page"
    listing = client.get("/oppna-prioriteringar/").content.decode()
    assert "/oppna-prioriteringar/2026/" in listing
    assert client.get("/oppna-prioriteringar/2027/").status_code == 404


NAMND_KEPT = {"2026-003": "inom_ram", "2026-016": "inom_ram"}
NAMND_STOPPED = {"2026-011": "drivs_inte", "2026-018": "drivs_inte"}


def test_the_namnders_own_decisions_are_kept_published_and_followed_up(round_2026, client):
    decisions = {
        d.proposal.reference: d.outcome
        for d in Decision.objects.filter(
            round=round_2026, namnd_result__isnull=False
        ).select_related("proposal__round")
    }
    assert decisions == {**NAMND_KEPT, **NAMND_STOPPED}
    html = client.get("/oppna-prioriteringar/2026/").content.decode()
    section = html[html.index('id="namndernas-beslut"') :]
    for reference in [*NAMND_KEPT, *NAMND_STOPPED]:
        assert reference in section, reference
    assert "Plan- och miljönämnden" in section and "§&nbsp;44" in section
    followed = {p.reference for p in followed_up_proposals(round_2026)}
    assert set(NAMND_KEPT) <= followed
    assert not set(NAMND_STOPPED) & followed
    layout = pdf_content.decision_document(round_2026)
    [chapter] = [part.html for part in layout.parts if 'id="namnder"' in part.html]
    for reference in [*NAMND_KEPT, *NAMND_STOPPED]:
        assert reference in chapter, reference
    assert "Drivs inte vidare" in chapter and "Inom nämndens ram" in chapter


def test_some_proposals_carry_their_faktaunderlag_into_the_decision_document(round_2026):
    from rounds.models import Faktaunderlag

    files = {f.proposal.title: f for f in Faktaunderlag.objects.select_related("proposal")}
    assert set(files) == {"Ökad bemanning elevhälsa", "Utökad hemtjänst nattetid"}
    assert files["Ökad bemanning elevhälsa"].file.read().startswith(b"Elevh")
    pages = "".join(part.html for part in pdf_content.decision_document(round_2026).parts)
    assert "Elevhälsoenkäten 2025, årskurs 7–9 (elevhalsoenkat-2025.txt)" in pages


def test_ks_and_kf_decided_on_the_result_and_the_public_reads_it(round_2026, client):
    decisions = list(BodyDecision.objects.filter(round=round_2026).order_by("decision_date"))
    assert [(d.body, d.paragraph) for d in decisions] == [("ks", "98"), ("kf", "142")]
    assert {d.recorded_by.username for d in decisions} == {"controller"}
    html = client.get("/oppna-prioriteringar/2026/").content.decode()
    section = html[html.index('id="ks-kf"') :]
    assert "Kommunfullmäktige fastställer prioriteringarna inför 2026" in section
    assert "§&nbsp;142" in section


# What each forum page of round 2026 shows, among everything else.
FORUM_PAGES = {
    "forum_list": ["Utökad hemtjänst nattetid", "Ny simhall, förstudie"],
    "forum_order": ["Skyfallskartering för detaljplaner", "Forumet flyttade upp"],
    "forum_budget": ["Fler platser i förskola", "Gemensam rekryteringsfunktion"],
    "forum_review": ["Bostadsbolaget har bekräftat fem lägenheter", "Samordnade inköp"],
    "forum_decisions": ["pilot med dem", "Finansieras delvis"],
}


def test_the_forum_pages_of_2026_show_the_round(round_2026, client):
    for username in ("controller", "forum-1", "ledamot-social", "revisor"):
        client.force_login(User.objects.get(username=username))
        for name, texts in FORUM_PAGES.items():
            response = client.get(reverse(name, kwargs={"year": 2026}))
            assert response.status_code == 200, (username, name)
            html = response.content.decode()
            for text in texts:
                assert text in html, (username, name, text)


def test_the_namnd_pages_of_2026_show_the_recorded_rankings(round_2026, client):
    client.force_login(User.objects.get(username="ledamot-teknik"))
    result = NamndResult.objects.get(round=round_2026, namnd__name="Tekniska nämnden")
    response = client.get(reverse("namnd_ranking", args=[2026, result.namnd_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ny simhall, förstudie" in html
    assert "§ 38" in html


def test_the_new_ledamoter_hold_their_nämnd(round_2026):
    for username, _first, _last, _description, memberships in DEMO_LEDAMOTER:
        user = User.objects.get(username=username)
        assert user.check_password("demo")
        [(role, unit)] = memberships
        membership = Membership.objects.get(user=user)
        assert (membership.role, membership.namnd.name) == (role, unit)


def test_the_history_names_who_did_what(round_2026):
    for model in (NamndRanking, NamndResult, ForumRank, ForumResult, AgreedPlace, Decision):
        assert model.history.exists(), model.__name__
        assert not model.history.filter(history_user__isnull=True).exists(), model.__name__
    for model in (Decision, AgreedPlace, ForumResult):
        users = set(
            model.history.filter(
                **({"namnd_result__isnull": True} if model is Decision else {})
            ).values_list("history_user__username", flat=True)
        )
        assert users == {"controller"}, model.__name__
    # The nämnder's own decisions are recorded by their ledamöter.
    namnd_deciders = set(
        Decision.history.filter(namnd_result__isnull=False).values_list(
            "history_user__username", flat=True
        )
    )
    assert namnd_deciders and namnd_deciders <= set(LEDAMOTER.values())
    namnd_users = set(NamndRanking.history.values_list("history_user__username", flat=True))
    assert namnd_users == set(LEDAMOTER.values())
    assert not Proposal.history.filter(history_user__isnull=True).exists()


def test_loading_again_changes_nothing(round_2026):
    models = (Round, Proposal, NamndRanking, ForumRank, AgreedPlace, Decision, User, Membership)
    counts = [model.objects.count() for model in models]
    rows = history_rows()
    transitions = PhaseTransition.objects.count()
    load_demo(with_round=True)
    assert [model.objects.count() for model in models] == counts
    assert history_rows() == rows
    assert PhaseTransition.objects.count() == transitions


def test_the_organisation_alone_has_no_round(db, monkeypatch):
    """Tests load the organisation only (the `demo` fixture): no round 2026."""

    def refuse(*args, **kwargs):
        raise AssertionError("round 2026 loaded without with_round")

    monkeypatch.setattr("demo.round_2026.load_demo_round_2026", refuse)
    monkeypatch.setattr("demo.round_2027.load_demo_round", refuse)
    assert load_demo().round is None
