"""Access to analyses and proposals: every role × every action × the states that
matter (draft, submitted, returned; before and after the deadline; phase)."""

import datetime

import pytest
from django.utils import timezone

from prioritering.access import may, visible_analyses, visible_proposals
from rounds.models import AnalysisStatus, Phase, Proposal
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import CAST

USERS = list(CAST)
BILDNING_STAFF = {"chef-bildning", "tjp-bildning"}


@pytest.fixture
def bildning(demo):
    return analysis_of(make_round(), "Bildningsförvaltningen")


def set_state(analysis, status=None, phase=None, deadline_days=None, extended_days=None):
    if status is not None:
        analysis.status = status
    if extended_days is not None:
        analysis.extended_until = timezone.localdate() + datetime.timedelta(days=extended_days)
    analysis.save()
    round = analysis.round
    if phase is not None:
        round.phase = phase
        round.save()
    if deadline_days is not None:
        deadline = round.deadlines.get(phase=Phase.VERKSAMHETSANALYS)
        deadline.deadline = timezone.localdate() + datetime.timedelta(days=deadline_days)
        deadline.save()
    return analysis_of(type(round).objects.get(pk=round.pk), analysis.forvaltning.name)


def allowed(demo, action, obj):
    return {username for username in USERS if may(demo[username], action, obj)}


CASES = [
    # (description, state, action, who may)
    ("draft", {}, "view_analysis", {"controller", *BILDNING_STAFF}),
    ("submitted", {"status": AnalysisStatus.SUBMITTED}, "view_analysis", set(USERS)),
    (
        "returned",
        {"status": AnalysisStatus.RETURNED},
        "view_analysis",
        {"controller", "ledamot-bildning", *BILDNING_STAFF},
    ),
    ("draft", {}, "edit_analysis", BILDNING_STAFF),
    ("draft after deadline", {"deadline_days": -1}, "edit_analysis", set()),
    ("draft in planning", {"phase": Phase.PLANERING}, "edit_analysis", set()),
    ("submitted", {"status": AnalysisStatus.SUBMITTED}, "edit_analysis", set()),
    (
        "returned after deadline, extended",
        {"status": AnalysisStatus.RETURNED, "deadline_days": -3, "extended_days": 5},
        "edit_analysis",
        BILDNING_STAFF,
    ),
    (
        "returned in the nämnd phase, extended",
        {
            "status": AnalysisStatus.RETURNED,
            "phase": Phase.NAMND,
            "deadline_days": -3,
            "extended_days": 5,
        },
        "edit_analysis",
        BILDNING_STAFF,
    ),
    (
        "returned after deadline, not extended",
        {"status": AnalysisStatus.RETURNED, "deadline_days": -3},
        "edit_analysis",
        set(),
    ),
    ("draft", {}, "submit_analysis", {"chef-bildning"}),
    ("returned", {"status": AnalysisStatus.RETURNED}, "submit_analysis", {"chef-bildning"}),
    ("draft after deadline", {"deadline_days": -1}, "submit_analysis", set()),
    ("submitted", {"status": AnalysisStatus.SUBMITTED}, "submit_analysis", set()),
    (
        "submitted",
        {"status": AnalysisStatus.SUBMITTED},
        "return_analysis",
        {"controller", "ledamot-bildning"},
    ),
    (
        "submitted after deadline",
        {"status": AnalysisStatus.SUBMITTED, "deadline_days": -1},
        "return_analysis",
        {"controller"},
    ),
    (
        "submitted in the nämnd phase",
        {"status": AnalysisStatus.SUBMITTED, "phase": Phase.NAMND},
        "return_analysis",
        {"controller"},
    ),
    (
        "submitted in the forum phase",
        {"status": AnalysisStatus.SUBMITTED, "phase": Phase.FORUM},
        "return_analysis",
        set(),
    ),
    ("draft", {}, "return_analysis", set()),
]


def case_id(value) -> str:
    """A test id that is the same in every process (a set's order is not)."""
    return ",".join(sorted(value)) if isinstance(value, set | frozenset) else str(value)


@pytest.mark.parametrize(("description", "state", "action", "expected"), CASES, ids=case_id)
def test_analysis_matrix(demo, bildning, description, state, action, expected):
    analysis = set_state(bildning, **state)
    assert allowed(demo, action, analysis) == expected, description


PROPOSAL_CASES = [
    ("draft", {}, "view_proposal", {"controller", *BILDNING_STAFF}),
    ("draft", {}, "edit_proposal", BILDNING_STAFF),
    ("draft", {}, "withdraw_proposal", BILDNING_STAFF),
    ("submitted", {"status": AnalysisStatus.SUBMITTED}, "view_proposal", set(USERS)),
    ("submitted", {"status": AnalysisStatus.SUBMITTED}, "edit_proposal", set()),
    ("submitted", {"status": AnalysisStatus.SUBMITTED}, "withdraw_proposal", set()),
    ("after deadline", {"deadline_days": -1}, "edit_proposal", set()),
]


@pytest.mark.parametrize(
    ("description", "state", "action", "expected"), PROPOSAL_CASES, ids=case_id
)
def test_proposal_matrix(demo, bildning, description, state, action, expected):
    proposal = make_proposal(bildning)
    analysis = set_state(bildning, **state)
    proposal = Proposal.objects.select_related("analysis__round", "analysis__forvaltning").get(
        pk=proposal.pk
    )
    assert proposal.analysis == analysis
    assert allowed(demo, action, proposal) == expected, description


def test_a_withdrawn_proposal_cannot_be_edited(demo, bildning):
    proposal = make_proposal(bildning, withdrawn_at=timezone.now())
    assert allowed(demo, "edit_proposal", proposal) == set()
    assert allowed(demo, "view_proposal", proposal) == {"controller", *BILDNING_STAFF}


@pytest.mark.parametrize(
    "status", [AnalysisStatus.DRAFT, AnalysisStatus.SUBMITTED, AnalysisStatus.RETURNED]
)
def test_the_list_queries_agree_with_the_rule(demo, bildning, status):
    set_state(bildning, status=status)
    for analysis in bildning.round.analyses.all():
        make_proposal(analysis)
    analyses = list(bildning.round.analyses.select_related("round", "forvaltning__namnd"))
    for username in USERS:
        user = demo[username]
        expected = {a.pk for a in analyses if may(user, "view_analysis", a)}
        assert set(visible_analyses(user).values_list("pk", flat=True)) == expected, username
        proposals = set(visible_proposals(user).values_list("analysis_id", flat=True))
        assert proposals == expected, username


# The sammanställning av verksamhetsanalyser: every signed-in reader opens it
# (tests/test_access.py), and finds in it Bildning's analysis exactly when
# view_analysis lets them read it; Social's draft only its own staff and the
# controller, whatever Bildning's state.
SYNTHESIS_CASES = [
    (AnalysisStatus.DRAFT, {"controller", *BILDNING_STAFF}),
    (AnalysisStatus.SUBMITTED, set(USERS)),
    (AnalysisStatus.RETURNED, {"controller", "ledamot-bildning", *BILDNING_STAFF}),
]


@pytest.mark.parametrize(("status", "expected"), SYNTHESIS_CASES, ids=case_id)
def test_synthesis_matrix(demo, client, bildning, status, expected):
    from rounds.models import AnalysisColumn, AnalysisItem, ListItem

    invanare = ListItem.objects.get(round=bildning.round, kind="perspektiv", name="Invånare")
    social = bildning.round.analyses.get(forvaltning__name="Socialförvaltningen")
    for analysis, text in ((bildning, "BILDNING-PUNKT"), (social, "SOCIAL-UTKAST")):
        AnalysisItem.objects.create(
            analysis=analysis, perspektiv=invanare, column=AnalysisColumn.NULAGE, text=text
        )
    analysis = set_state(bildning, status=status)
    url = f"/omgangar/{analysis.round.budget_year}/analyser/sammanstallning/"
    sees, sees_social = set(), set()
    for username in USERS:
        client.force_login(demo[username])
        response = client.get(url)
        assert response.status_code == 200, username
        html = response.content.decode()
        if "BILDNING-PUNKT" in html:
            sees.add(username)
        if "SOCIAL-UTKAST" in html:
            sees_social.add(username)
    assert sees == expected == allowed(demo, "view_analysis", analysis)
    assert sees_social == {"controller", "tjp-social"}


def test_anonymous_sees_nothing(db, demo, bildning):
    from django.contrib.auth.models import AnonymousUser

    set_state(bildning, status=AnalysisStatus.SUBMITTED)
    assert not visible_analyses(AnonymousUser()).exists()
    assert not may(AnonymousUser(), "view_analysis", bildning)


@pytest.mark.parametrize(
    ("phase", "namnd", "expected"),
    [
        (Phase.NAMND, "Bildningsnämnden", {"ledamot-bildning"}),
        (Phase.NAMND, "Socialnämnden", set()),
        (Phase.VERKSAMHETSANALYS, "Bildningsnämnden", set()),
        (Phase.FORUM, "Bildningsnämnden", set()),
    ],
)
@pytest.mark.parametrize("action", ["rank_in_namnd", "record_namnd_result"])
def test_namnd_ranking_matrix(demo, phase, namnd, expected, action):
    from ranking.models import NamndResult
    from rounds.models import Namnd

    round = make_round(phase=phase)
    result = NamndResult.objects.create(round=round, namnd=Namnd.objects.get(name=namnd))
    assert allowed(demo, action, result) == expected
    assert allowed(demo, "view_namnd_ranking", result) == set(USERS)


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        (Phase.FORUM, {"forum-1"}),
        (Phase.NAMND, set()),
        (Phase.BESLUT, set()),
    ],
)
def test_forum_ranking_matrix(demo, phase, expected):
    round = make_round(phase=phase)
    assert allowed(demo, "rank_in_forum", round) == expected
    assert allowed(demo, "view_forum", round) == set(USERS)
