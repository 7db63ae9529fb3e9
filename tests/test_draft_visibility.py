"""Drafts stay private (issue 12): a proposal whose analysis went back to
draft after the nämnd sent it on leaves every shared list — the forum and its
meeting, order, budget line, review and decisions, the public page, the
exports and the documents — for every reader, until the analysis is submitted
again; the controller is told so, and cannot publish meanwhile."""

import pytest
from django.urls import reverse

from prioritering.audit import save_as
from ranking import selectors
from ranking.services import decision as decision_services
from rounds.models import AnalysisStatus, Phase, Proposal, User
from tests.forum_setup import outcome_round
from tests.helpers import CAST

MARK = "UTKAST-7F3 hemlig rubrik"
MARKED_TEXT = "UTKAST-7F3 hemlig konsekvens"
Y = {"year": 2027}
SHARED_PAGES = [
    ("forum_list", {}),
    ("forum_list", {"ordning": "namnd"}),
    ("forum_meeting", {}),
    ("forum_meeting_table", {}),
    ("forum_order", {}),
    ("forum_budget", {}),
    ("forum_review", {}),
    ("forum_decisions", {}),
    ("forum_history", {}),
    ("namnd_ranking_list", {}),
]


def back_to_draft(proposal):
    """The finding's state: the analysis returned after its proposal was sent
    on, and the förvaltning editing the draft."""
    analysis = proposal.analysis
    analysis.status = AnalysisStatus.RETURNED
    save_as(analysis, User.objects.get(username="controller"))
    proposal.title = MARK
    proposal.konsekvensanalys = MARKED_TEXT
    save_as(proposal, User.objects.get(username="tjp-bildning"))


@pytest.fixture
def forum(demo):
    round, (first, _second, _third, _saving) = outcome_round()
    back_to_draft(Proposal.objects.select_related("analysis").get(pk=first.pk))
    return round, first


def shows_draft(text: str) -> bool:
    return MARK in text or MARKED_TEXT in text


@pytest.mark.parametrize("username", CAST)
@pytest.mark.parametrize(("name", "query"), SHARED_PAGES, ids=lambda v: str(v))
def test_no_shared_page_shows_the_draft(forum, signed_in, username, name, query):
    response = signed_in(username).get(reverse(name, kwargs=Y), query)
    assert response.status_code == 200
    assert not shows_draft(response.content.decode())


def test_the_forum_sheet_leaves_it_out(forum, signed_in):
    response = signed_in("forum-1").get(reverse("forum_sheet", kwargs=Y))
    assert response.status_code == 200
    assert not shows_draft(response.content.decode())


def test_the_nämnd_page_leaves_it_out(forum, signed_in):
    _round, first = forum
    namnd = first.analysis.forvaltning.namnd_id
    url = reverse("namnd_ranking", kwargs={**Y, "namnd_id": namnd})
    for username in CAST:
        assert not shows_draft(signed_in(username).get(url).content.decode()), username


@pytest.mark.parametrize("username", ["forum-1", "revisor", "tjp-social"])
def test_readers_outside_get_404_on_the_draft_itself(forum, signed_in, username):
    _round, first = forum
    url = reverse("proposal_detail", kwargs={**Y, "number": first.number})
    assert signed_in(username).get(url).status_code == 404


def test_the_controller_is_told_what_is_held_back(forum, signed_in):
    _round, first = forum
    text = signed_in("controller").get(reverse("forum_list", kwargs=Y)).content.decode()
    assert "Förslag från återlämnade analyser är inte med i forumet" in text
    assert first.reference in text
    text = signed_in("revisor").get(reverse("forum_list", kwargs=Y)).content.decode()
    assert "återlämnade analyser" not in text


def test_the_round_cannot_be_published_while_material_is_out(forum):
    round, first = forum
    problems = decision_services.publish_problems(round)
    assert any(first.reference in problem for problem in problems)


def test_it_comes_back_when_the_analysis_is_submitted_again(forum, signed_in):
    _round, first = forum
    analysis = Proposal.objects.get(pk=first.pk).analysis
    analysis.status = AnalysisStatus.SUBMITTED
    save_as(analysis, User.objects.get(username="chef-bildning"))
    text = signed_in("revisor").get(reverse("forum_list", kwargs=Y)).content.decode()
    assert MARK in text


def test_the_meeting_sees_the_change(forum, signed_in):
    """The polled table's stamp moves when a proposal leaves the forum, so the
    screens do not keep showing it (nor a cached table with it)."""

    round, first = forum
    before = selectors.forum_stamp(round)
    analysis = Proposal.objects.get(pk=first.pk).analysis
    analysis.status = AnalysisStatus.SUBMITTED
    save_as(analysis, User.objects.get(username="chef-bildning"))
    assert selectors.forum_stamp(round) != before


def test_the_round_is_in_the_forum_phase(forum):
    assert forum[0].phase == Phase.FORUM
