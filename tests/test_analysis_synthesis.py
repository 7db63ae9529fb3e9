"""The sammanställning av verksamhetsanalyser: every förvaltning's items,
perspektiv × column, filtered, as each reader may see them, and as Excel."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rounds.models import AnalysisColumn, AnalysisItem, AnalysisStatus, ListItem
from tests.factories import analysis_of, grow_organisation, make_proposal, make_round
from tests.helpers import CAST, assert_queries_do_not_grow, assert_sent_to_sign_in

HTMX = {"HTTP_HX_REQUEST": "true"}
BILDNING = "Bildningsförvaltningen"
SOCIAL = "Socialförvaltningen"
TEKNIK = "Tekniska förvaltningen"


@pytest.fixture
def round(demo):
    return make_round()


def perspektiv(round, name="Invånare"):
    return ListItem.objects.get(round=round, kind="perspektiv", name=name)


def add_item(analysis, text, column=AnalysisColumn.NULAGE, name="Invånare"):
    where = perspektiv(analysis.round, name)
    position = AnalysisItem.objects.filter(
        analysis=analysis, column=column, perspektiv=where
    ).count()
    return AnalysisItem.objects.create(
        analysis=analysis, perspektiv=where, column=column, text=text, position=position
    )


def set_status(analysis, status):
    analysis.status = status
    analysis.save()


def page_url(round):
    return reverse("analysis_synthesis", kwargs={"year": round.budget_year})


def xlsx_url(round):
    return reverse("analysis_synthesis_xlsx", kwargs={"year": round.budget_year})


@pytest.fixture
def three(round):
    """Bildning's draft, Social's submitted analysis, Teknik's returned one,
    each with an item of its own."""
    bildning, social, teknik = (analysis_of(round, name) for name in (BILDNING, SOCIAL, TEKNIK))
    add_item(bildning, "BILDNING-UTKAST förskola")
    set_status(social, AnalysisStatus.SUBMITTED)
    add_item(social, "SOCIAL-INLAMNAD hemtjänst")
    set_status(teknik, AnalysisStatus.RETURNED)
    add_item(teknik, "TEKNIK-ATERLAMNAD gator")
    return bildning, social, teknik


# --- who sees what --------------------------------------------------------------

# Each reader sees exactly what view_analysis lets them read.
SEES = {
    "admin": {"SOCIAL"},
    "controller": {"BILDNING", "SOCIAL", "TEKNIK"},
    "chef-bildning": {"BILDNING", "SOCIAL"},
    "tjp-bildning": {"BILDNING", "SOCIAL"},
    "tjp-social": {"SOCIAL"},
    "ledamot-bildning": {"SOCIAL"},
    "forum-1": {"SOCIAL"},
    "revisor": {"SOCIAL"},
}
MARKS = {"BILDNING": "BILDNING-UTKAST", "SOCIAL": "SOCIAL-INLAMNAD", "TEKNIK": "TEKNIK-ATERLAMNAD"}


@pytest.mark.parametrize("username", CAST)
def test_each_reader_sees_only_the_analyses_they_may_read(signed_in, round, three, username):
    html = signed_in(username).get(page_url(round)).content.decode()
    shown = {name for name, mark in MARKS.items() if mark in html}
    assert shown == SEES[username]


@pytest.mark.parametrize("username", CAST)
def test_the_export_holds_only_what_the_page_shows(signed_in, round, three, username):
    rows = sheet_rows(signed_in(username).get(xlsx_url(round)))
    shown = {name for name, mark in MARKS.items() if any(mark in row[4] for row in rows)}
    assert shown == SEES[username]


def test_the_nämnd_reads_its_own_returned_analysis(signed_in, round, three):
    bildning, _social, _teknik = three
    set_status(bildning, AnalysisStatus.RETURNED)
    html = signed_in("ledamot-bildning").get(page_url(round)).content.decode()
    assert "BILDNING-UTKAST" in html
    assert "TEKNIK-ATERLAMNAD" not in html  # another nämnd's


def test_the_page_says_the_rule_and_how_many_are_hidden(signed_in, round, three):
    html = signed_in("tjp-social").get(page_url(round)).content.decode()
    assert "En analys som är ett utkast visas bara för den egna förvaltningen" in html
    # Five förvaltningar; Social's own and submitted one is read.
    assert "4 förvaltningars analyser är utkast som bara förvaltningarna själva ser." in html


def test_anonymous_is_sent_to_sign_in(client, round):
    assert_sent_to_sign_in(client.get(page_url(round)))
    assert_sent_to_sign_in(client.get(xlsx_url(round)))


def test_an_unknown_round_is_404(signed_in, round):
    assert (
        signed_in("controller").get("/omgangar/1999/analyser/sammanstallning/").status_code == 404
    )


# --- the arrangement -------------------------------------------------------------


def test_items_stand_in_their_cell_under_their_förvaltning_in_the_grid_order(
    signed_in, round, three
):
    bildning, social, _teknik = three
    add_item(social, "SOCIAL-ANDRA i samma ruta")
    add_item(bildning, "BILDNING-EKONOMI", column=AnalysisColumn.FRAMTID, name="Ekonomi")
    html = signed_in("controller").get(page_url(round)).content.decode()
    body = html[html.index("<tbody>") :]
    invanare = body[body.index(">Invånare<") : body.index(">Medarbetare")]
    # Nämnd order: Bildningsnämnden before Socialnämnden; then the grid's order.
    assert (
        invanare.index("BILDNING-UTKAST")
        < invanare.index("SOCIAL-INLAMNAD")
        < invanare.index("SOCIAL-ANDRA")
    )
    assert invanare.index(BILDNING) < invanare.index("Bildningsnämnden") < invanare.index(SOCIAL)
    assert "BILDNING-EKONOMI" not in invanare
    ekonomi = body[body.index(">Ekonomi<") :]
    cells = ekonomi.split("<td>")
    assert "BILDNING-EKONOMI" in cells[2]  # the second column: Framtid och omvärld


def test_a_proposal_made_from_an_item_is_linked_beside_it(signed_in, round, three):
    _bildning, social, _teknik = three
    item = add_item(social, "SOCIAL-FORSLAG fler platser", column=AnalysisColumn.NYA_RESURSER)
    proposal = make_proposal(social, analysis_item=item)
    html = signed_in("revisor").get(page_url(round)).content.decode()
    link = f'href="/omgangar/2027/forslag/{proposal.number}/">Förslag 2027-{proposal.number:03d}'
    assert link in html


def test_a_draft_is_marked_for_those_who_read_it(signed_in, round, three):
    html = signed_in("tjp-bildning").get(page_url(round)).content.decode()
    assert '<span class="tag">utkast</span>' in html


def test_the_item_text_is_escaped(signed_in, round, three):
    _bildning, social, _teknik = three
    add_item(social, "<script>alert(1)</script>")
    html = signed_in("revisor").get(page_url(round)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- filters -----------------------------------------------------------------------


def test_filter_by_one_or_more_förvaltningar(signed_in, round, three):
    _bildning, social, teknik = three
    client = signed_in("controller")
    html = client.get(page_url(round), {"forvaltning": [social.forvaltning_id]}).content.decode()
    assert "SOCIAL-INLAMNAD" in html
    assert "BILDNING-UTKAST" not in html and "TEKNIK-ATERLAMNAD" not in html
    both = [social.forvaltning_id, teknik.forvaltning_id]
    html = client.get(page_url(round), {"forvaltning": both}).content.decode()
    assert "SOCIAL-INLAMNAD" in html and "TEKNIK-ATERLAMNAD" in html
    assert "BILDNING-UTKAST" not in html


def test_filter_by_perspektiv(signed_in, round, three):
    _bildning, social, _teknik = three
    add_item(social, "SOCIAL-EKONOMI", name="Ekonomi")
    ekonomi = perspektiv(round, "Ekonomi")
    html = signed_in("controller").get(page_url(round), {"perspektiv": ekonomi.pk}).content.decode()
    assert "SOCIAL-EKONOMI" in html
    assert "SOCIAL-INLAMNAD" not in html
    assert ">Invånare</th>" not in html


def test_a_filter_cannot_reach_a_draft_the_reader_may_not_read(signed_in, round, three):
    bildning, _social, _teknik = three
    client = signed_in("tjp-social")
    query = {"forvaltning": [bildning.forvaltning_id]}
    assert "BILDNING-UTKAST" not in client.get(page_url(round), query).content.decode()
    assert all(
        "BILDNING-UTKAST" not in row[4] for row in sheet_rows(client.get(xlsx_url(round), query))
    )


def test_values_that_do_not_fit_are_ignored(signed_in, round, three):
    html = (
        signed_in("revisor")
        .get(page_url(round), {"forvaltning": ["x", "99999999999999999999"], "perspektiv": "٣"})
        .content.decode()
    )
    assert "SOCIAL-INLAMNAD" in html


def test_an_empty_result_says_so(signed_in, round, three):
    _bildning, social, _teknik = three
    ekonomi = perspektiv(round, "Ekonomi")
    response = signed_in("revisor").get(
        page_url(round), {"forvaltning": [social.forvaltning_id], "perspektiv": ekonomi.pk}
    )
    html = response.content.decode()
    assert "Inga analyspunkter i det urvalet." in html
    assert "<table" not in html
    assert "0 punkter" in html


def test_a_round_without_items_says_so(signed_in, round):
    html = signed_in("controller").get(page_url(round)).content.decode()
    assert "Det finns inga analyspunkter att visa än" in html


def test_htmx_gets_only_the_results_and_the_count(signed_in, round, three):
    _bildning, social, _teknik = three
    response = signed_in("controller").get(
        page_url(round), {"forvaltning": [social.forvaltning_id]}, **HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<form" not in html and "<h1" not in html
    assert 'id="result-count" hx-swap-oob="innerHTML">1 punkt från 1 förvaltning' in html
    # The export link carries the filter.
    assert f"sammanstallning.xlsx?forvaltning={social.forvaltning_id}" in html
    assert "HX-Request" in response["Vary"]


def test_the_form_works_without_javascript_and_with_htmx(signed_in, round):
    html = signed_in("controller").get(page_url(round)).content.decode()
    assert 'method="get" action="/omgangar/2027/analyser/sammanstallning/"' in html
    assert 'hx-get="/omgangar/2027/analyser/sammanstallning/"' in html
    assert 'hx-target="#results"' in html and 'hx-push-url="true"' in html


# --- the Excel export ------------------------------------------------------------


def sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    rows = [[cell if cell is not None else "" for cell in row] for row in book.active.values]
    assert rows[1] == ["Förvaltning", "Nämnd", "Perspektiv", "Kolumn", "Punkt", "Förslag"]
    return rows[2:]


def test_the_export_has_a_row_per_item(signed_in, round, three):
    _bildning, social, _teknik = three
    item = add_item(social, "SOCIAL-FORSLAG", column=AnalysisColumn.RANSONERA, name="Ekonomi")
    proposal = make_proposal(social, analysis_item=item)
    response = signed_in("controller").get(xlsx_url(round))
    assert "attachment" in response["Content-Disposition"]
    assert "sammanstallning-verksamhetsanalyser-2027.xlsx" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert len(rows) == 4
    assert [
        SOCIAL,
        "Socialnämnden",
        "Ekonomi",
        "Situationer och åtgärder som kan ransoneras eller effektiviseras",
        "SOCIAL-FORSLAG",
        f"2027-{proposal.number:03d}",
    ] in rows
    assert [SOCIAL, "Socialnämnden", "Invånare", "Nuläge", "SOCIAL-INLAMNAD hemtjänst", ""] in rows


def test_the_export_follows_the_filters(signed_in, round, three):
    _bildning, social, _teknik = three
    rows = sheet_rows(
        signed_in("controller").get(xlsx_url(round), {"forvaltning": [social.forvaltning_id]})
    )
    assert [row[0] for row in rows] == [SOCIAL]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_no_item_becomes_a_formula(signed_in, round, three, start):
    _bildning, social, _teknik = three
    add_item(social, f'{start}HYPERLINK("http://x")')
    response = signed_in("controller").get(xlsx_url(round))
    book = load_workbook(io.BytesIO(response.content))
    texts = [cell.value for row in book.active.iter_rows() for cell in row]
    assert f'\'{start}HYPERLINK("http://x")' in texts
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


# --- queries ---------------------------------------------------------------------


def test_the_page_queries_do_not_grow_with_items_or_förvaltningar(signed_in, round, three):
    _bildning, social, _teknik = three

    def grow():
        grow_organisation(namnder=4, users=0)
        # The new förvaltningar join the round with submitted analyses.
        from rounds.models import Analysis, Forvaltning

        for forvaltning in Forvaltning.objects.exclude(analyses__round=round):
            analysis = Analysis.objects.create(
                round=round, forvaltning=forvaltning, status=AnalysisStatus.SUBMITTED
            )
            for i in range(30):
                item = add_item(
                    analysis, f"Punkt {i}", column=AnalysisColumn.values[i % 4], name="Ekonomi"
                )
                if i % 4 >= 2 and i % 3 == 0:
                    make_proposal(analysis, analysis_item=item)
        for i in range(40):
            add_item(social, f"Social {i}", column=AnalysisColumn.values[i % 4])

    client = signed_in("tjp-bildning")
    assert_queries_do_not_grow(client, page_url(round), grow)
    assert AnalysisItem.objects.filter(analysis__round=round).count() > 150


def test_the_export_queries_do_not_grow(signed_in, round, three):
    _bildning, social, _teknik = three

    def grow():
        for i in range(60):
            item = add_item(social, f"Social {i}", column=AnalysisColumn.values[i % 4])
            if i % 4 >= 2:
                make_proposal(social, analysis_item=item)

    client = signed_in("controller")
    assert_queries_do_not_grow(client, xlsx_url(round), grow)


# --- reached from -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["round_detail", "analysis_list"])
def test_the_round_and_the_analyses_link_to_it(signed_in, round, name):
    html = signed_in("forum-1").get(reverse(name, kwargs={"year": 2027})).content.decode()
    assert f'href="{page_url(round)}"' in html
