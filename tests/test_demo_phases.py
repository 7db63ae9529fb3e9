"""`load_demo --phase`: round 2027 loaded in each phase with the earlier phases'
work done, so the role of that phase can start at once — from "Mina
uppgifter" to a page they can save. Without --phase the round is in the forum
phase. Each class loads the real demo once (in a transaction rolled back after
its last test)."""

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from demo.loading import load_demo
from prioritering.access import may
from ranking.models import ForumRank, Handling, NamndResult
from rounds.models import AnalysisStatus, Namnd, Phase, Round, User


class _Form(HTMLParser):
    """The fields of the form posting to ``action``, as a browser would send
    them: (name, value) pairs, selects with their selected option."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.inside = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action") == self.action and not self.found:
            self.inside = self.found = attrs.get("method", "").lower() == "post"
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value") or ""))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, text = self.fields.pop()
            self.fields.append((name, text + data))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_form(html: str, action: str) -> dict[str, list[str]]:
    """The data of the page's POST form to ``action``; fails when there is none."""
    form = _Form(action)
    form.feed(html)
    assert form.found, f"no POST form to {action}"
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    return data


def _load(django_db_blocker, phase: str | None):
    """The demo loaded with round 2027 in ``phase`` (None: as the command loads
    it without --phase), rolled back after the class's last test; yields the
    command's output."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        if phase is None:
            call_command("load_demo", "--force", stdout=out)
        else:
            load_demo(with_round=True, phase=phase)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(scope="class")
def in_analys(django_db_setup, django_db_blocker):
    yield from _load(django_db_blocker, "analys")


@pytest.fixture(scope="class")
def in_namnd(django_db_setup, django_db_blocker):
    yield from _load(django_db_blocker, "namnd")


@pytest.fixture(scope="class")
def by_default(django_db_setup, django_db_blocker):
    yield from _load(django_db_blocker, None)


@pytest.fixture(scope="class")
def in_beslut(django_db_setup, django_db_blocker):
    yield from _load(django_db_blocker, "beslut")


def signed_in(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def start_page_links_to(client, url: str) -> str:
    """The start page links to ``url``, which answers 200: its HTML."""
    start = client.get("/")
    assert start.status_code == 200
    assert f'href="{url}"' in start.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


def round_2027() -> Round:
    return Round.objects.get(budget_year=2027)


class TestAnalys:
    def test_the_round_is_in_the_verksamhetsanalys_phase_with_drafts(self, in_analys, db):
        round = round_2027()
        assert round.phase == Phase.VERKSAMHETSANALYS
        statuses = dict(round.analyses.values_list("forvaltning__name", "status"))
        assert statuses["Bildningsförvaltningen"] == AnalysisStatus.DRAFT
        assert statuses["Tekniska förvaltningen"] == AnalysisStatus.RETURNED

    def test_tjansteperson_bildning_edits_the_analysis_from_the_start_page(
        self, in_analys, db, client
    ):
        user = signed_in(client, "tjp-bildning")
        analysis = round_2027().analyses.get(forvaltning__name="Bildningsförvaltningen")
        assert may(user, "edit_analysis", analysis)
        url = f"/omgangar/2027/analyser/{analysis.forvaltning_id}/"
        html = start_page_links_to(client, url)
        data = post_form(html, f"{url}punkter/ny/")
        assert "text" in data

    def test_loading_another_phase_over_it_leaves_the_round_and_says_so(self, in_analys, db):
        out = StringIO()
        call_command("load_demo", "--force", "--phase", "beslut", stdout=out)
        assert round_2027().phase == Phase.VERKSAMHETSANALYS
        assert "Omgång 2027 fanns redan och är kvar i sin fas" in out.getvalue()


class TestNamnd:
    def test_every_analysis_is_submitted_and_no_namnd_has_ranked(self, in_namnd, db):
        round = round_2027()
        assert round.phase == Phase.NAMND
        assert set(round.analyses.values_list("status", flat=True)) == {AnalysisStatus.SUBMITTED}
        assert not NamndResult.objects.filter(round=round, decision_date__isnull=False).exists()
        assert not NamndResult.objects.filter(round=round).exists()

    def test_ledamot_bildning_saves_the_namnd_ranking_from_the_start_page(
        self, in_namnd, db, client
    ):
        signed_in(client, "ledamot-bildning")
        namnd = Namnd.objects.get(name="Bildningsnämnden")
        url = f"/omgangar/2027/namnder/{namnd.pk}/"
        html = start_page_links_to(client, url)
        data = post_form(html, f"{url}spara/")
        response = client.post(f"{url}spara/", data)
        assert response.status_code in (200, 302)
        result = NamndResult.objects.get(round=round_2027(), namnd=namnd)
        assert result.rankings.count() == 4
        assert result.rankings.filter(rank__isnull=False).count() == 4


class TestForumByDefault:
    """The command without --phase: the forum phase."""

    def test_the_round_is_in_the_forum_phase(self, by_default, db):
        assert round_2027().phase == Phase.FORUM
        assert "i fasen Kommunövergripande prioritering" in by_default
        assert "Börja som forum-1" in by_default

    def test_every_namnd_recorded_its_ranking(self, by_default, db):
        results = NamndResult.objects.filter(round=round_2027())
        assert results.count() == Namnd.objects.count() == 5
        assert not results.filter(decision_date__isnull=True).exists()
        assert {result.recorded_by.username for result in results} == {
            "ledamot-ks",
            "ledamot-bildning",
            "ledamot-social",
            "ledamot-teknik",
            "ledamot-planmiljo",
        }
        handlings = set(
            results.values_list("rankings__handling", flat=True).exclude(rankings__handling="")
        )
        assert handlings == set(Handling.values)

    def test_three_members_ranked_and_two_disagree_strongly(self, by_default, db):
        ranks = ForumRank.objects.filter(round=round_2027())
        assert set(ranks.values_list("member__username", flat=True)) == {
            "forum-2",
            "forum-3",
            "forum-4",
        }
        by_member: dict[str, dict[int, int]] = {}
        for username, proposal_id, rank in ranks.values_list(
            "member__username", "proposal_id", "rank"
        ):
            by_member.setdefault(username, {})[proposal_id] = rank
        assert len(by_member["forum-2"]) == len(by_member["forum-3"]) == 13
        gaps = [
            abs(by_member["forum-2"][pk] - by_member["forum-3"][pk]) for pk in by_member["forum-2"]
        ]
        assert sum(gap >= 5 for gap in gaps) >= 2

    def test_forum_1_saves_the_sheet_from_the_start_page(self, by_default, db, client):
        user = signed_in(client, "forum-1")
        assert not ForumRank.objects.filter(member=user, round=round_2027()).exists()
        url = "/omgangar/2027/forum/mitt-ark/"
        html = start_page_links_to(client, url)
        data = post_form(html, url)
        ranks = [name for name in data if name.startswith("rank_")]
        assert len(ranks) == 13
        for place, name in enumerate(ranks):
            data[name] = [str(place % 10 + 1)]
        response = client.post(url, data)
        assert response.status_code in (200, 302)
        assert ForumRank.objects.filter(member=user, round=round_2027()).count() == 13

    def test_the_meeting_view_lists_the_ranks_of_three_members(self, by_default, db, client):
        signed_in(client, "forum-1")
        html = start_page_links_to(client, "/omgangar/2027/forum/mote/")
        assert html.count('<td class="forum-count">3 av 5</td>') == 13
        assert "2 förslag har stor oenighet" in html

    def test_the_tekniska_analysis_was_returned_and_submitted_again(self, by_default, db, client):
        teknik = round_2027().analyses.get(forvaltning__name="Tekniska förvaltningen")
        assert teknik.status == AnalysisStatus.SUBMITTED
        steps = [
            (row.history_user.username, row.history_change_reason)
            for row in teknik.history.order_by("history_date", "history_id")
            if row.history_change_reason
        ]
        assert steps == [
            ("chef-teknik", "Inlämnad till nämnden"),
            ("controller", "Återlämnad till förvaltningen"),
            ("chef-teknik", "Inlämnad till nämnden"),
        ]
        sportarena = teknik.proposals.get(title="Obrukbar fotbollsplan + sportarena")
        assert "Driftkostnaden är beräknad" in sportarena.kommentar
        signed_in(client, "revisor")
        page = client.get(f"/omgangar/2027/forslag/{sportarena.number}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Driftkostnaden är beräknad" in html
        assert "Jonas Lund" in html  # chef-teknik, in the proposal's history

    def test_round_2026_is_still_published_and_followed_up(self, by_default, db, client):
        round = Round.objects.get(budget_year=2026)
        assert round.phase == Phase.UPPFOLJNING
        assert round.forum_result.is_published
        assert client.get("/oppna-prioriteringar/2026/").status_code == 200


class TestBeslut:
    def test_all_five_ranked_and_the_order_is_agreed_but_nothing_decided(self, in_beslut, db):
        round = round_2027()
        assert round.phase == Phase.BESLUT
        ranks = ForumRank.objects.filter(round=round)
        assert ranks.values("member").distinct().count() == 5
        assert ranks.count() == 5 * 13
        result = round.forum_result
        assert result.order_recorded_by.username == "controller"
        assert result.places.count() == 13
        # The nämnder's own decisions only: the forum has decided nothing.
        assert not round.decisions.filter(namnd_result__isnull=True).exists()
        assert not result.is_published

    def test_the_controller_saves_decisions_from_the_start_page(self, in_beslut, db, client):
        user = signed_in(client, "controller")
        assert may(user, "decide_in_forum", round_2027())
        url = "/omgangar/2027/forum/beslut/"
        html = start_page_links_to(client, url)
        assert "Spara besluten" in html
        post_form(html, url)


def test_the_command_refuses_an_unknown_phase(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match=r"Okänd fas: 'planering'.*analys, namnd, forum, beslut"):
        call_command("load_demo", "--phase", "planering")
    assert not Round.objects.exists()
