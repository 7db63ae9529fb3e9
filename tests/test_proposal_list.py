"""The list of proposals: only what the user may read, filtered and sorted in
place (htmx), with the totals of everything that matches, fifty a page, and a
fixed number of queries however many proposals there are."""

import re

import pytest
from django.utils import timezone

from rounds.models import (
    Analysis,
    AnalysisStatus,
    Forvaltning,
    Membership,
    Phase,
    Proposal,
    Role,
    User,
)
from tests.factories import analysis_of, grow_organisation, make_proposal, make_round
from tests.helpers import assert_queries_do_not_grow
from tests.proposal_helpers import USERS, set_state

URL = "/omgangar/2027/forslag/"


@pytest.fixture
def round(demo):
    return make_round()


@pytest.fixture
def proposals(demo, round):
    """Bildning (draft): 2, Social (draft): 1, Tekniska (submitted): 1, and a
    withdrawn one in Tekniska; the scales not named are unassessed."""
    bildning = analysis_of(round, "Bildningsförvaltningen")
    social = analysis_of(round, "Socialförvaltningen")
    teknik = set_state(
        analysis_of(round, "Tekniska förvaltningen"), status=AnalysisStatus.SUBMITTED
    )
    made = {
        "forskola": make_proposal(
            bildning,
            title="Fler förskollärare",
            situation="Stora barngrupper",
            malomrade="invanare",
            svarighetsgrad=3,
            nytta=2,
            kostnadseffektivitet=3,
            rangordning=4,
            cost_year1=1500,
        ),
        "skolskjuts": make_proposal(
            bildning,
            title="Färre skolskjutsar",
            typ="ransonering",
            ransonering_kind="struktur",
            ransonering_detail="utrustning_lokaler",
            atgard="Samordna turerna",
            malomrade="organisation",
            svarighetsgrad=1,
            nytta=None,
            kostnadseffektivitet=None,
            rangordning=8,
            cost_year1=-300,
        ),
        "hemtjanst": make_proposal(
            social,
            title="Nattpatrull i hemtjänsten",
            svarighetsgrad=4,
            nytta=None,
            kostnadseffektivitet=None,
            cost_year1=900,
        ),
        "gator": make_proposal(
            teknik,
            title="Belysning på gång- och cykelvägar",
            typ="investering",
            malomrade="samhalle",
            svarighetsgrad=2,
            nytta=None,
            kostnadseffektivitet=None,
            cost_year1=2000,
            cost_year2=500,
        ),
        "aterkallad": make_proposal(
            teknik,
            title="Ny återvinningscentral",
            cost_year1=50,
            svarighetsgrad=None,
            nytta=None,
            kostnadseffektivitet=None,
        ),
    }
    withdrawn = made["aterkallad"]
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.withdrawn_by = demo["controller"]
    withdrawn.save()
    return made


def titles(response):
    return [p.title for p in response.context["page"].object_list]


# --- Who sees what -----------------------------------------------------------

VISIBLE = {
    "controller": {"forskola", "skolskjuts", "hemtjanst", "gator", "aterkallad"},
    "tjp-bildning": {"forskola", "skolskjuts", "gator", "aterkallad"},
    "chef-bildning": {"forskola", "skolskjuts", "gator", "aterkallad"},
    "tjp-social": {"hemtjanst", "gator", "aterkallad"},
    "ledamot-bildning": {"gator", "aterkallad"},
    "forum-1": {"gator", "aterkallad"},
    "revisor": {"gator", "aterkallad"},
    "admin": {"gator", "aterkallad"},
}


@pytest.mark.parametrize("username", USERS)
def test_each_role_sees_only_what_it_may_read(signed_in, proposals, username):
    response = signed_in(username).get(URL)
    assert response.status_code == 200
    expected = {proposals[key].title for key in VISIBLE[username]}
    assert set(titles(response)) == expected
    html = response.content.decode()
    for key, proposal in proposals.items():
        assert (proposal.title in html) is (key in VISIBLE[username]), key


def test_anonymous_is_sent_to_sign_in(client, proposals):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_unknown_round_is_404(signed_in, proposals):
    assert signed_in("controller").get("/omgangar/1999/forslag/").status_code == 404


# --- Filters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"forvaltning": "Bildningsförvaltningen"}, {"forskola", "skolskjuts"}),
        ({"namnd": "Socialnämnden"}, {"hemtjanst"}),
        ({"typ": "ransonering"}, {"skolskjuts"}),
        ({"typ": "investering"}, {"gator"}),
        ({"status": "utkast"}, {"forskola", "skolskjuts", "hemtjanst"}),
        ({"status": "inlamnad"}, {"gator"}),
        ({"status": "aterlamnad"}, set()),
        ({"status": "aterkallat"}, {"aterkallad"}),
        ({"malomrade": "invanare"}, {"forskola"}),
        ({"q": "skolskjuts"}, {"skolskjuts"}),
        ({"q": "barngrupper"}, {"forskola"}),  # in the situation
        ({"q": "samordna"}, {"skolskjuts"}),  # in the åtgärd
        ({"q": "2027-003"}, {"hemtjanst"}),  # the reference
        ({"q": "4"}, {"gator"}),  # the number alone
        ({"typ": "nya_behov", "forvaltning": "Socialförvaltningen"}, {"hemtjanst"}),
        ({"typ": "kung"}, {"forskola", "skolskjuts", "hemtjanst", "gator", "aterkallad"}),
    ],
)
def test_filters(signed_in, proposals, params, expected):
    params = dict(params)
    if "forvaltning" in params:
        params["forvaltning"] = Forvaltning.objects.get(name=params["forvaltning"]).pk
    if "namnd" in params:
        params["namnd"] = Forvaltning.objects.get(namnd__name=params["namnd"]).namnd_id
    response = signed_in("controller").get(URL, params)
    assert set(titles(response)) == {proposals[key].title for key in expected}


def test_filters_never_show_more_than_the_user_may_read(signed_in, proposals):
    social = Forvaltning.objects.get(name="Socialförvaltningen").pk
    response = signed_in("tjp-bildning").get(URL, {"forvaltning": social})
    assert titles(response) == []
    response = signed_in("tjp-bildning").get(URL, {"q": "Nattpatrull"})
    assert titles(response) == []


def test_htmx_filter_gets_only_the_results_and_the_new_count(signed_in, proposals):
    response = signed_in("controller").get(
        URL, {"typ": "ransonering"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert '<p id="result-count" hx-swap-oob="innerHTML">1 förslag</p>' in html
    assert "HX-Request" in response["Vary"]


def test_full_page_has_a_stable_live_region_for_the_count(signed_in, proposals):
    response = signed_in("controller").get(URL)
    html = response.content.decode()
    assert '<p id="result-count" class="result-count" role="status">5 förslag</p>' in html
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(signed_in, proposals):
    response = signed_in("controller").get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


# --- Sorting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("nummer", ["forskola", "skolskjuts", "hemtjanst", "gator", "aterkallad"]),
        ("-nummer", ["aterkallad", "gator", "hemtjanst", "skolskjuts", "forskola"]),
        ("rubrik", ["gator", "forskola", "skolskjuts", "hemtjanst", "aterkallad"]),
        ("ar1", ["skolskjuts", "aterkallad", "hemtjanst", "forskola", "gator"]),
        ("-ar1", ["gator", "forskola", "hemtjanst", "aterkallad", "skolskjuts"]),
        ("-ar2", ["gator", "forskola", "skolskjuts", "hemtjanst", "aterkallad"]),
        # Unassessed scales and ranks go last, whichever the direction.
        ("svarighetsgrad", ["skolskjuts", "gator", "forskola", "hemtjanst", "aterkallad"]),
        ("-svarighetsgrad", ["hemtjanst", "forskola", "gator", "skolskjuts", "aterkallad"]),
        ("rangordning", ["forskola", "skolskjuts", "hemtjanst", "gator", "aterkallad"]),
        ("-rangordning", ["skolskjuts", "forskola", "hemtjanst", "gator", "aterkallad"]),
        ("-nytta", ["forskola", "skolskjuts", "hemtjanst", "gator", "aterkallad"]),
        ("kostnadseffektivitet", ["forskola", "skolskjuts", "hemtjanst", "gator", "aterkallad"]),
        ("forvaltning", ["forskola", "skolskjuts", "hemtjanst", "gator", "aterkallad"]),
        ("-forvaltning", ["gator", "aterkallad", "hemtjanst", "forskola", "skolskjuts"]),
        # By the words shown: Investering, Nya behov…, Ransonering.
        ("typ", ["gator", "forskola", "hemtjanst", "aterkallad", "skolskjuts"]),
        # Inlämnad, Utkast, Återkallat (Swedish: Å after U).
        ("status", ["gator", "forskola", "skolskjuts", "hemtjanst", "aterkallad"]),
        ("okänd", ["forskola", "skolskjuts", "hemtjanst", "gator", "aterkallad"]),
    ],
)
def test_sort_by_any_column(signed_in, proposals, order, expected):
    response = signed_in("controller").get(URL, {"ordning": order})
    assert titles(response) == [proposals[key].title for key in expected]


def test_sorted_column_carries_aria_sort_and_links_toggle(signed_in, proposals):
    html = signed_in("controller").get(URL, {"ordning": "-ar1", "typ": "nya_behov"})
    html = html.content.decode()
    headers = re.findall(r"<th scope=\"col\"([^>]*)>\s*<a[^>]*href=\"([^\"]+)\"", html)
    by_link = {href: attrs for attrs, href in headers}
    sorted_headers = [href for href, attrs in by_link.items() if "aria-sort" in attrs]
    assert len(sorted_headers) == 1
    [href] = sorted_headers
    assert 'aria-sort="descending"' in by_link[href]
    assert "ordning=ar1" in href  # a second click sorts ascending
    assert "typ=nya_behov" in href  # and keeps the filter
    assert "?ordning=rubrik&amp;typ=nya_behov" in html  # other columns sort ascending first


def test_every_column_is_sortable(signed_in, proposals):
    """In "Alla kolumner" every column heads the table and sorts it."""
    html = signed_in("controller").get(URL, {"kolumner": "alla"}).content.decode()
    for key in (
        "nummer",
        "rubrik",
        "forvaltning",
        "typ",
        "svarighetsgrad",
        "nytta",
        "kostnadseffektivitet",
        "rangordning",
        "ar1",
        "ar2",
        "ar3",
        "ar4_10",
        "status",
    ):
        assert f"ordning={key}" in html or f"ordning=-{key}" in html, key


# --- Columns: one task's at a time ----------------------------------------------


def headings(response):
    return [header["key"] for header in response.context["headers"]]


def test_the_list_opens_with_the_assessment_columns(signed_in, proposals):
    response = signed_in("controller").get(URL)
    assert headings(response) == [
        "nummer",
        "rubrik",
        "typ",
        "svarighetsgrad",
        "nytta",
        "kostnadseffektivitet",
        "rangordning",
        "ar1",
        "status",
    ]
    html = response.content.decode()
    # The förvaltning stands under the title, and the choice says which is shown.
    row = html.split("Fler förskollärare")[1].split("</tr>")[0]
    assert '<span class="proposal-forvaltning">Bildningsförvaltningen</span>' in row
    assert 'aria-current="true">Bedömning</a>' in html
    assert "?kolumner=kostnader" in html and "?kolumner=alla" in html


def test_the_cost_columns_show_every_year_and_their_totals(signed_in, proposals):
    response = signed_in("controller").get(URL, {"kolumner": "kostnader"})
    assert headings(response) == [
        "nummer",
        "rubrik",
        "typ",
        "ar1",
        "ar2",
        "ar3",
        "ar4_10",
        "status",
    ]
    tfoot = response.content.decode().split("<tfoot>")[1]
    assert 'colspan="3"' in tfoot
    assert "500\u00a0tkr" in tfoot  # år 2


def test_the_column_choice_is_remembered_and_kept_by_sorting_and_filters(signed_in, proposals):
    client = signed_in("controller")
    client.get(URL, {"kolumner": "kostnader"})
    response = client.get(URL)
    assert "ar2" in headings(response)
    html = response.content.decode()
    assert 'name="kolumner" value="kostnader"' in html  # the filter form sends it on
    assert (
        "?kolumner=kostnader&amp;ordning=ar2"
        in client.get(URL, {"kolumner": "kostnader"}).content.decode()
    )
    assert "ar2" not in headings(client.get(URL, {"kolumner": "bedomning"}))


def test_an_unknown_column_choice_shows_the_default(signed_in, proposals):
    response = signed_in("controller").get(URL, {"kolumner": "<script>"})
    assert "svarighetsgrad" in headings(response)
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_all_columns_scroll_in_a_box_of_their_own(signed_in, proposals):
    html = signed_in("controller").get(URL, {"kolumner": "alla"}).content.decode()
    assert 'class="proposal-table-scroll proposal-table-scroll--wide" role="region"' in html
    assert 'colspan="8"' in html.split("<tfoot>")[1]
    assert "proposal-forvaltning" not in html


# --- Rows, totals, pages -----------------------------------------------------


def test_rows_show_words_and_tkr(signed_in, proposals):
    html = signed_in("controller").get(URL).content.decode()
    row = html.split("Färre skolskjutsar")[1].split("</tr>")[0]
    assert "<td>Ransonering</td>" in row
    assert "<td>Liten</td>" in row
    assert "\u2212300\u00a0tkr" in row
    assert "<td>Utkast</td>" in row
    withdrawn = html.split("Ny återvinningscentral")[1].split("</tr>")[0]
    assert "Återkallat" in withdrawn


def test_pages_of_fifty_with_totals_of_all_that_match(signed_in, round):
    bildning = analysis_of(round, "Bildningsförvaltningen")
    for i in range(120):
        make_proposal(bildning, cost_year1=10, cost_year2=-1, cost_year3=i)
    client = signed_in("controller")
    response = client.get(URL)
    page = response.context["page"]
    assert len(page.object_list) == 50
    assert page.paginator.num_pages == 3
    assert response.context["totals"] == {
        "ar1": 1200,
        "ar2": -120,
        "ar3": sum(range(120)),
        "ar4_10": 0,
    }
    html = client.get(URL, {"sida": 3, "typ": "nya_behov"}).content.decode()
    assert "Sida 3 av 3" in html
    assert "?typ=nya_behov&amp;sida=2" in html  # the previous page keeps the filter
    tfoot = html.split("<tfoot>")[1]
    assert "Summa för alla 120 förslag i urvalet" in tfoot
    assert "1\u00a0200\u00a0tkr" in tfoot


# --- New proposal -------------------------------------------------------------


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning"])
def test_staff_get_a_new_proposal_button(signed_in, round, username):
    html = signed_in(username).get(URL).content.decode()
    bildning = Forvaltning.objects.get(name="Bildningsförvaltningen")
    assert f'href="/omgangar/2027/forslag/nytt/{bildning.pk}/">Nytt förslag</a>' in html


@pytest.mark.parametrize(
    "username", ["controller", "admin", "ledamot-bildning", "forum-1", "revisor"]
)
def test_others_get_no_new_proposal_button(signed_in, round, username):
    assert "Nytt förslag" not in signed_in(username).get(URL).content.decode()


def test_no_button_when_the_analysis_is_closed(signed_in, round):
    set_state(analysis_of(round, "Bildningsförvaltningen"), phase=Phase.NAMND)
    assert "Nytt förslag" not in signed_in("tjp-bildning").get(URL).content.decode()


# --- Fast with many proposals --------------------------------------------------


def _spread(round, count):
    """``count`` proposals over every analysis of the round."""
    analyses = list(round.analyses.select_related("round", "forvaltning"))
    for i in range(count):
        make_proposal(analyses[i % len(analyses)], svarighetsgrad=i % 4 + 1, cost_year1=i)


@pytest.mark.parametrize("username", ["tjp-bildning", "controller"])
def test_query_count_does_not_grow_from_20_to_500_proposals(signed_in, round, username):
    grow_organisation(namnder=3, users=0)
    for forvaltning in Forvaltning.objects.exclude(analyses__round=round):
        Analysis.objects.create(
            round=round, forvaltning=forvaltning, status=AnalysisStatus.SUBMITTED
        )
    _spread(round, 20)
    client = signed_in(username)
    assert_queries_do_not_grow(client, URL, lambda: _spread(round, 480))
    assert Proposal.objects.count() == 500
    assert_queries_do_not_grow(
        client,
        URL + "?ordning=-status&typ=nya_behov&q=F&sida=2",
        lambda: _spread(round, 20),
        headers={"HX-Request": "true"},
    )


def test_query_count_does_not_grow_with_the_analyses_a_tjansteperson_adds_to(signed_in, round):
    """Each analysis the "Nytt förslag" choice offers is asked whether its round
    is final; that must not read the round's ForumResult once per analysis."""
    grow_organisation(namnder=3, users=0)
    user = User.objects.get(username="tjp-bildning")
    others = list(Forvaltning.objects.exclude(analyses__round=round)[:3])
    for forvaltning in others:
        Analysis.objects.create(round=round, forvaltning=forvaltning)
    client = signed_in("tjp-bildning")
    remaining = iter(others)

    def one_more_forvaltning():
        Membership.objects.create(user=user, role=Role.TJANSTEPERSON, forvaltning=next(remaining))

    assert_queries_do_not_grow(client, URL, one_more_forvaltning)
    assert_queries_do_not_grow(client, URL, one_more_forvaltning)
