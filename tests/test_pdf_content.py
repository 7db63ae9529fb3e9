"""What the PDF documents say (ranking/documents/pdf_content.py,
rounds/documents/analysis.py, with documents/markup.py): the decision
document as a Layout of many small parts and a front, one förvaltning's
verksamhetsanalys and one nämnd's ranking — their text, their order, the split
into parts, the table of contents, the queries they cost, and that WeasyPrint
lays each part out (and the front on exactly two pages)."""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone, translation

from documents import markup
from documents.pdf import FRONT_PAGES, Layout
from ranking import selectors
from ranking.documents import pdf_content
from ranking.models import Decision, Handling, NamndResult, Outcome
from ranking.services import decision as decision_services
from rounds.documents.analysis import analysis_document
from rounds.models import (
    AnalysisColumn,
    AnalysisItem,
    Grad,
    Kostnadseffektivitet,
    ListItem,
    ListKind,
    Phase,
    Round,
    Svarighetsgrad,
    User,
)
from tests.factories import analysis_of, make_proposal
from tests.forum_setup import outcome_round, rank, send_on

TODAY = timezone.localdate()
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
CHAPTERS = [
    "sammanfattning",
    "budgetlinje",
    "matris",
    "sakerhet",
    "rangordning",
    "granskning",
    "beslut",
    "namnder",
    "forslagen",
]


def long_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def plain(html: str) -> str:
    """The text of ``html`` with tags and styles dropped and spaces made plain."""
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").replace("&#x27;", "'")
    return re.sub(r"\s+", " ", text)


def fresh(round) -> Round:
    return Round.objects.select_related("kommun").get(pk=round.pk)


@pytest.fixture
def controller(demo):
    return User.objects.get(username="controller")


@pytest.fixture
def decided(controller):
    """outcome_round with frame 700 tkr, an agreed order that departs from the
    computed one (first, second, third, saving), the review and a decision on
    each proposal. The saving widens the frame to 900: first (600) and second
    (granted 200) fit, third (300) falls below the line."""
    round, proposals = outcome_round()
    first, second, third, saving = proposals
    round.frame_tkr = 700
    round.save()
    first.situation = "Många elever saknar stöd i dag."
    first.save()
    decision_services.record_order(
        round,
        {first.pk: 1, second.pk: 2, third.pk: 3, saving.pk: 4},
        {first.pk: "Elevernas behov väger tyngst.", second.pk: "Följer av platsen för stödet."},
        by=controller,
    )
    decision_services.record_review(
        round,
        {
            "review_sarbehandling": "Ingen risk för särbehandling.",
            "review_undantrangning": "Skolskjutsen trängs undan.",
            "review_rimlighet": "Rimligt i förhållande till nyttan.",
        },
        by=controller,
    )
    decision_services.save_decisions(
        round,
        {
            first.pk: {"outcome": Outcome.FINANSIERAS, "motivation": "Stödet behövs nu."},
            second.pk: {
                "outcome": Outcome.DELVIS,
                "amount": "200",
                "motivation": "Halva hemtjänsten i år.",
            },
            third.pk: {"outcome": Outcome.AVSLAS, "motivation": "Ryms inte under ramen."},
            saving.pk: {"outcome": Outcome.EFFEKTIVISERAS, "motivation": "Inköpen samordnas."},
        },
        by=controller,
    )
    return fresh(round), proposals


def published(round, controller) -> Round:
    round = fresh(round)
    round.phase = Phase.BESLUT
    round.save()
    decision_services.publish(fresh(round), by=controller)
    return fresh(round)


class Ids(HTMLParser):
    """The ids of a part, in document order."""

    def __init__(self, html):
        super().__init__()
        self.ids = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])


def ids(html: str) -> list[str]:
    return Ids(html).ids


def part_with(layout: Layout, anchor: str) -> str:
    """The HTML of the one part that holds the element ``anchor``."""
    found = [part.html for part in layout.parts if f'id="{anchor}"' in part.html]
    assert len(found) == 1, anchor
    return found[0]


def order_in(text: str, references: list[str]) -> list[str]:
    return sorted(references, key=text.index)


def sample_pages(layout: Layout) -> dict[str, int]:
    return {anchor: 11 + 7 * i for i, anchor in enumerate(layout.toc)}


# --- the decision document: the front ---------------------------------------------


def test_the_front_is_the_cover_and_the_contents_with_the_given_pages(decided):
    round, _proposals = decided
    layout = pdf_content.decision_document(round)
    assert layout.toc == CHAPTERS
    front = plain(layout.front(sample_pages(layout)))
    assert "Exempelkommun" in front and "Beslutsunderlag" in front
    assert "Prioriteringsomgång 2027" in front
    assert f"Framtaget {long_date(TODAY)}" in front
    assert "Budgetår 2027" in front
    assert "Status Utkast – inte publicerat" in front
    assert "Ekonomiskt utrymme 700 tkr" in front
    assert "Förslag i forumet 4" in front
    contents = front[front.index("Innehåll") :]
    assert (
        "Sammanfattning 11 Budgetlinjen 18 Förslagen efter svårighetsgrad och nytta 25 "
        "Hur säker är linjen? 32 Förslagen i forumets ordning 39 Granskning 46 "
        "Beslut och motiveringar 53 Nämndernas egna beslut 60 Förslagen 67"
    ) in contents
    # Literal numbers with a leader, nothing the layout must resolve.
    assert "target-counter" not in layout.front(sample_pages(layout))
    assert 'content: leader(". ")' in layout.front({})


def test_a_published_round_says_when_it_was_published(decided, controller):
    round = published(decided[0], controller)
    front = plain(pdf_content.decision_document(round).front({}))
    assert f"Status Publicerat {long_date(TODAY)}" in front
    assert "Utkast" not in front


def test_the_front_is_made_in_the_language_the_document_was(decided):
    round, _proposals = decided
    with translation.override("en"):
        layout = pdf_content.decision_document(round)
    assert '<html lang="en">' in layout.parts[0].html
    assert '<html lang="en">' in layout.front({})


# --- the decision document: the parts ------------------------------------------------


def test_every_chapter_of_the_contents_is_in_exactly_one_part_in_order(decided):
    round, _proposals = decided
    layout = pdf_content.decision_document(round, rows_per_part=2)
    where = {anchor: i for i, part in enumerate(layout.parts) for anchor in ids(part.html)}
    assert all(anchor in where for anchor in layout.toc)
    assert [where[anchor] for anchor in CHAPTERS] == sorted(where[a] for a in CHAPTERS)
    # The summary and both charts share the first part; the sections after
    # follow on in the part before them (markup.flow), but for a further
    # slice of a table, which opens a part of its own: here the ranked
    # table's second slice, which the review and the decisions follow.
    assert where["sammanfattning"] == where["budgetlinje"] == where["matris"] == 0
    assert where["rangordning"] == 0
    assert where["granskning"] == where["beslut"] == 1
    # The proposal pages begin a part (and so a page) of their own.
    assert where["forslagen"] > where["beslut"] + 1
    # "Förslagen" opens the first proposal's page, not a page of its own, and
    # names no count; every part of the body may come from the cache (none
    # carries the date: only the front does).
    first = layout.parts[where["forslagen"]].html
    assert first.index('id="forslagen"') < first.index('class="k"')
    assert 'class="pages-intro"' in first
    assert all(part.reuse for part in layout.parts)


def test_summary_totals_per_namnd_and_typ(decided):
    round, _proposals = decided
    rows = selectors.outcome_rows(round)
    selectors.with_line(rows, round.frame_tkr, round.purpose)
    by_namnd, total = pdf_content.totals(rows, lambda r: r.proposal.analysis.forvaltning.namnd.name)
    shown = {
        t.label: (t.count, t.cost, t.funded_count, t.funded, t.given_up_count, t.given_up)
        for t in by_namnd
    }
    assert shown == {
        "Bildningsnämnden": (2, 900, 1, 600, 1, 300),
        "Socialnämnden": (2, 200, 1, 200, 0, 0),
    }
    assert (total.count, total.cost, total.funded, total.given_up) == (4, 1100, 800, 300)

    text = plain(part_with(pdf_content.decision_document(round), "sammanfattning"))
    assert "Forumet har rangordnat 4 förslag" in text
    assert "Bildningsnämnden 2 900 tkr 1 600 tkr 1 300 tkr" in text
    assert "Socialnämnden 2 200 tkr 1 200 tkr 0 0 tkr" in text
    assert "Totalt 4 1 100 tkr 2 800 tkr 1 300 tkr" in text
    assert "Nya behov 3 1 300 tkr 2 800 tkr 1 300 tkr" in text
    assert "Effektivisering 1 −200 tkr 0 0 tkr 0 0 tkr" in text
    assert "Ram inklusive besparingar 900 tkr" in text
    assert "Kvar av ramen 100 tkr" in text
    # The decisions in figures: partial financing counts the amount granted.
    assert "Finansieras delvis 1 200 tkr" in text
    assert "Avslås 1 300 tkr –" in text


def test_the_decisions_in_figures_keep_costs_and_savings_apart(decided, controller):
    """A rejected cost (300 tkr) and a rejected saving (−200 tkr) are two
    figures, not a net 100 tkr that is neither."""
    round, (_first, _second, _third, saving) = decided
    decision_services.save_decisions(
        round,
        {saving.pk: {"outcome": Outcome.AVSLAS, "motivation": "Inköpen behövs lokalt."}},
        by=controller,
    )
    text = plain(part_with(pdf_content.decision_document(fresh(round)), "sammanfattning"))
    assert "Avslås 2 300 tkr −200 tkr" in text
    assert "Finansieras 1 600 tkr –" in text


def test_the_summary_part_draws_the_budget_line_and_the_matrix_charts(decided):
    round, _proposals = decided
    part = part_with(pdf_content.decision_document(round), "sammanfattning")
    assert part.index('id="budgetlinje"') < part.index('id="budget-chart-title"')
    assert part.index('id="matris"') < part.index('id="matrix-chart-title"')


def test_ranked_table_is_in_the_decided_order_with_the_budget_line(decided):
    round, (first, second, third, saving) = decided
    part = part_with(pdf_content.decision_document(round), "rangordning")
    assert "table-layout: fixed" in part
    table = part[part.index('<div class="wide">') :]  # it follows the summary
    references = [p.reference for p in (first, second, third, saving)]
    assert order_in(table, references) == references
    # The forum compilation's columns, landscape, a fixed layout.
    heads = plain(table[table.index("<thead>") : table.index("</thead>")])
    for heading in (
        "Plats",
        "Sammanfattande beskrivning",
        "Nämnd · Fokusområde · Verksamhetsområde",
        "Typ · Orsak till behov · Effekt på längre sikt",
        "Kostnader, tkr",
        "År 1 År 2 År 3",
        "Svårighetsgrad · Nyttan · Kostnadseffektivitet",
        "Sammanvägd rangordning",
    ):
        assert heading in heads
    assert '<div class="wide">' in table and "<colgroup>" in table
    line = table.index("Budgetlinjen – ramen 900\xa0tkr")
    assert table.index(second.reference) < line < table.index(third.reference)
    row = plain(table[table.index(first.reference) : table.index(second.reference)])
    assert "Förstärkt stöd Bildning · – · – Nya behov · – · – 600 0 0" in row
    assert "Nya behov" in row and "600" in row and "Liten · Liten · Måttlig" in row
    # No long texts: the konsekvensanalys is on the proposal's page.
    assert "Elever utan stöd" not in table


def test_long_tables_are_sliced_each_slice_with_its_head(decided):
    round, _proposals = decided
    layout = pdf_content.decision_document(round, rows_per_part=3)
    ranked = [
        (index, wide)
        for index, part in enumerate(layout.parts)
        for wide in re.findall(r'<div class="wide">.*?</div>', part.html, re.S)
    ]
    assert [index for index, _wide in ranked] == [0, 1]  # a slice a part
    assert 'id="rangordning"' in ranked[0][1] and 'id="rangordning"' not in ranked[1][1]
    assert all("<thead>" in wide for _index, wide in ranked)
    assert [wide.count("<tr><td") for _index, wide in ranked] == [3, 1]
    beslut = [
        (index, table)
        for index, part in enumerate(layout.parts)
        for table in re.findall(r"<table>.*?</table>", part.html, re.S)
        if "Motivering</th>" in table
    ]
    assert [table.count("<tr><td") for _index, table in beslut] == [3, 1]
    assert beslut[0][0] != beslut[1][0]
    first = layout.parts[beslut[0][0]].html
    assert 'id="beslut"' in first and 'id="beslut"' not in layout.parts[beslut[1][0]].html
    one = pdf_content.decision_document(round, rows_per_part=300)
    assert len(one.parts) == len(layout.parts) - 2


def test_review_answers_flags_and_decisions_with_motivations(decided):
    round, (first, second, third, _saving) = decided
    layout = pdf_content.decision_document(round)
    review = plain(part_with(layout, "granskning"))
    assert "Finns det risk för särbehandling? Ingen risk för särbehandling." in review
    assert "Vad trängs undan? Skolskjutsen trängs undan." in review
    assert "Uppfylls lagkraven? Inte besvarad." in review
    # first: rank 1 with liten svårighetsgrad and liten nytta is flagged.
    assert first.reference in review and "trots liten svårighetsgrad" in review
    # The round's own guide, as the municipality's, beside the source's examples.
    assert (
        "Kommunens riktvärden (kommunens eget stöd, inte modellens): Mycket stor 1–3, "
        "Stor 3–5, Måttlig 5–7, Liten 7–10." in review
    )
    assert "kunskapsunderlag god – rangordning 9" in review
    beslut = plain(part_with(layout, "beslut"))
    assert "Finansieras delvis (200 tkr) Halva hemtjänsten i år." in beslut
    assert "Ryms inte under ramen." in beslut
    assert "Forumet avvek från den sammanvägda rangordningen (plats 2): " in beslut
    assert "Elevernas behov väger tyngst." in beslut
    assert order_in(beslut, [first.reference, second.reference, third.reference]) == [
        first.reference,
        second.reference,
        third.reference,
    ]


# --- the decision document: proposal pages -----------------------------------------------


def proposal_parts(layout: Layout) -> list[str]:
    return [part.html for part in layout.parts if 'id="forslag-' in part.html]


def test_proposal_pages_follow_the_decided_order_split_per_part(decided):
    round, (first, second, third, saving) = decided
    parts = proposal_parts(pdf_content.decision_document(round, per_part=3))
    pages = [[i for i in ids(html) if i.startswith("forslag-")] for html in parts]
    assert pages == [
        [f"forslag-{p.pk}" for p in (first, second, third)],
        [f"forslag-{saving.pk}"],
    ]
    assert len(proposal_parts(pdf_content.decision_document(round, per_part=75))) == 1


def test_a_proposal_page_holds_the_full_assessment_and_the_outcome_first(decided):
    round, (first, second, *_rest) = decided
    html = proposal_parts(pdf_content.decision_document(round))[0]
    page = plain(html[: html.index(f'id="forslag-{second.pk}"')])
    assert f"{first.reference} Förstärkt stöd" in page
    assert "Bildningsnämnden · Bildningsförvaltningen" in page
    outcome = page[: page.index("Identitet")]
    assert "Plats i forumets ordning: 1 (sammanvägd rangordning: plats 2)" in outcome
    assert "Forumets sammanvägda rangordning: Median 2 (medel 2,3, 3 deltagare)" in outcome
    assert "Nämndens rangordning: 1 – Till kommungemensam prioritering" in outcome
    assert "Budgetlinjen: Ryms över budgetlinjen" in outcome
    assert "Beslut: Finansieras" in outcome and "Motivering: Stödet behövs nu." in outcome
    assert "Motivering till platsen: Elevernas behov väger tyngst." in outcome
    assert "Granskningens markering: Högt rangordnat" in outcome
    assert "Situation: Många elever saknar stöd i dag." in page
    assert "Svårighetsgrad: Liten" in page
    assert "Nytta för målområdet: Liten" in page
    assert "Kostnadseffektivitet: Måttlig" in page
    assert "Kostnad år 1: 600 tkr" in page
    assert "Konsekvensanalys Elever utan stöd" in page
    assert "Etisk granskning" in page
    # Empty fields say so.
    assert "Jämförelsealternativ: –" in page


def test_a_proposal_page_is_plain_markup(decided):
    """Headings and paragraphs only, no whitespace between tags, bold only in
    the outcome: what keeps a page cheap to lay out."""
    round, _proposals = decided
    html = proposal_parts(pdf_content.decision_document(round))[0]
    body = html[html.index("<body>") : html.index("</body>")]
    assert set(re.findall(r"<(\w+)", body)) <= {"body", "p", "h2", "h3", "b"}
    assert not re.search(r">\s+<", body)
    assert "<b>" not in "".join(re.findall(r"<p>.*?</p>", body))
    assert markup.style("pages") in html and markup.style("tables") not in html


def test_every_part_is_a_complete_document_that_fetches_nothing(decided):
    round, _proposals = decided
    layout = pdf_content.decision_document(round, per_part=2, rows_per_part=2)
    for html in [part.html for part in layout.parts] + [layout.front({})]:
        assert html.startswith("<!DOCTYPE html>")
        assert '<html lang="sv">' in html and html.endswith("</html>")
        assert markup.style("base") in html and "size: A4" in html
        assert '@top-left { content: "Exempelkommun"; }' in html
        assert '@top-right { content: "Beslutsunderlag 2027"; }' in html
        assert "<link" not in html and "<img" not in html and "<script" not in html
        assert " src=" not in html and "@import" not in html
        urls = set(re.findall(r"url\(([^)]*)\)", html))
        assert urls <= {"#budget-hatch", "#matrix-hatch"}


def test_names_in_the_running_header_cannot_end_the_style():
    quoted = markup.css_string('Kommun "x" </style><script>')
    assert "</style>" not in quoted and "<" not in quoted
    assert quoted.startswith('"') and quoted.endswith('"')
    assert '\\"x\\"' in quoted


def test_the_style_sheets_are_read_once_and_leave_the_bottom_to_the_renderer():
    for name in markup.SHEETS:
        assert markup.style(name) is markup.style(name)
        assert "@bottom" not in markup.style(name)  # "Sida X av Y" is stamped there
        assert "hyphens: auto" not in markup.style(name) or name == "tables"
    assert "margin: 22mm 18mm 20mm 18mm" in markup.style("base")


# --- queries ---------------------------------------------------------------------------


def grow_forum(round, count):
    """``count`` more proposals sent on, ranked by a member and decided."""
    bildning = analysis_of(round, "Bildningsförvaltningen")
    controller = User.objects.get(username="controller")
    for i in range(count):
        proposal = send_on(
            round,
            make_proposal(
                bildning,
                title=f"Extra {i}",
                cost_year1=50,
                svarighetsgrad=Svarighetsgrad.STOR,
                nytta=Grad.MATTLIG,
                kostnadseffektivitet=Kostnadseffektivitet.HOG,
            ),
            "Bildningsnämnden",
        )
        proposal.mal.add(ListItem.objects.filter(round=round).first())
        rank(round, "forum-1", proposal, 5)
        Decision.objects.create(
            round=round,
            proposal=proposal,
            outcome=Outcome.FINANSIERAS,
            motivation="Ja.",
            decided_by=controller,
        )


# 11, and the forum's ballots for how sure the line is (ranking.selectors.robustness_of):
# cached by the ranks' stamp, read again here since every grow changes it.
DECISION_QUERIES = 12


def test_decision_document_queries_do_not_grow(decided, django_assert_num_queries):
    round, _proposals = decided
    with django_assert_num_queries(DECISION_QUERIES):
        layout = pdf_content.decision_document(fresh(round), per_part=2)
        layout.front({})
    grow_forum(round, 12)
    with django_assert_num_queries(DECISION_QUERIES):
        layout = pdf_content.decision_document(fresh(round), per_part=2, rows_per_part=5)
        layout.front({})
    assert len(proposal_parts(layout)) == 8
    assert len([p for p in layout.parts if "Sammanvägd rangordning</th>" in p.html]) == 4


ANALYSIS_QUERIES = 7


def analysis_with_items(round):
    analysis = analysis_of(round, "Bildningsförvaltningen")
    perspektiv = ListItem.objects.filter(round=round, kind=ListKind.PERSPEKTIV).first()
    AnalysisItem.objects.create(
        analysis=analysis, perspektiv=perspektiv, column=AnalysisColumn.NULAGE, text="Fler barn."
    )
    AnalysisItem.objects.create(
        analysis=analysis,
        perspektiv=perspektiv,
        column=AnalysisColumn.NYA_RESURSER,
        text="Ny förskola behövs.",
    )
    return analysis, perspektiv


def test_analysis_document_has_the_grid_and_each_proposal(decided, django_assert_num_queries):
    round, (first, _second, third, _saving) = decided
    analysis, perspektiv = analysis_with_items(round)
    with django_assert_num_queries(ANALYSIS_QUERIES):
        layout = analysis_document(analysis_of(round, analysis.forvaltning.name))
    assert layout.front is None and layout.toc == []
    front = plain(layout.parts[0].html + layout.parts[1].html)
    assert "Verksamhetsanalys" in front and "Bildningsförvaltningen" in front
    assert perspektiv.name in front
    for column in AnalysisColumn.labels:
        assert str(column) in front
    assert "Fler barn." in front and "Ny förskola behövs." in front
    assert first.reference in front and third.reference in front
    assert "Totalt år 1 (utom återkallade) 900 tkr" in front
    pages = proposal_parts(layout)
    assert len(pages) == 1
    assert [i for i in ids(pages[0]) if i.startswith("forslag-")] == [
        f"forslag-{first.pk}",
        f"forslag-{third.pk}",
    ]
    for _i in range(5):
        make_proposal(analysis, cost_year1=10)
    with django_assert_num_queries(ANALYSIS_QUERIES):
        layout = analysis_document(analysis_of(round, analysis.forvaltning.name), per_part=3)
    assert len(proposal_parts(layout)) == 3


RANKING_QUERIES = 6


def test_ranking_document_lists_the_ranking_with_handling_and_decision(
    decided, controller, django_assert_num_queries
):
    round, (first, _second, third, _saving) = decided
    result = NamndResult.objects.get(round=round, namnd__name="Bildningsnämnden")
    result.decision_date = datetime.date(2027, 3, 12)
    result.paragraph = "§ 45"
    result.recorded_at = timezone.now()
    result.recorded_by = controller
    result.save()
    extra = make_proposal(analysis_of(round, "Bildningsförvaltningen"), title="Inom ramen")
    send_on(round, extra, "Bildningsnämnden", handling=Handling.INOM_RAM)

    def load():
        return NamndResult.objects.select_related("round__kommun", "namnd").get(pk=result.pk)

    with django_assert_num_queries(RANKING_QUERIES):
        layout = pdf_content.ranking_document(load())
    assert layout.front is None
    front = plain(layout.parts[0].html + layout.parts[1].html)
    assert "Nämndens rangordning" in front and "Bildningsnämnden" in front
    assert "sammanträdet 12 mars 2027, § 45 " in front  # one §, however it was typed
    assert "Till kommungemensam prioritering" in front and "Inom nämndens ram" in front
    assert order_in(front, [first.reference, third.reference, extra.reference]) == [
        first.reference,
        third.reference,
        extra.reference,
    ]
    assert "Inom nämndens ram 1 100 tkr" in front
    page = plain(proposal_parts(layout)[0])
    assert "Hantering: Till kommungemensam prioritering" in page
    for _i in range(4):
        send_on(
            round, make_proposal(analysis_of(round, "Bildningsförvaltningen")), "Bildningsnämnden"
        )
    with django_assert_num_queries(RANKING_QUERIES):
        layout = pdf_content.ranking_document(load(), per_part=2)
    assert len(proposal_parts(layout)) == 4


# --- WeasyPrint lays every part out ------------------------------------------------------


def pdf_pages(html: str) -> int:
    from pypdf import PdfReader
    from weasyprint import HTML

    data = HTML(string=html).write_pdf()
    assert data.startswith(b"%PDF")
    return len(PdfReader(io.BytesIO(data)).pages)


def test_weasyprint_renders_every_part_of_the_decision_document(decided):
    round, proposals = decided
    layout = pdf_content.decision_document(round, rows_per_part=3)
    pages = [pdf_pages(part.html) for part in layout.parts]
    assert all(count >= 1 for count in pages)
    # One page a proposal (short ones here).
    assert sum(pages[-len(proposal_parts(layout)) :]) == len(proposals)
    assert pdf_pages(layout.front(sample_pages(layout))) == FRONT_PAGES


def test_the_front_takes_two_pages_for_the_demo_round_and_a_long_name(db):
    from demo.loading import load_demo

    load_demo(with_round=True)
    round = Round.objects.select_related("kommun").get(budget_year=2026)
    layout = pdf_content.decision_document(round)
    assert pdf_pages(layout.front(sample_pages(layout))) == FRONT_PAGES
    kommun = round.kommun
    kommun.name = "Storstadsregionens gemensamma samordningsförbund för " + "x" * 66
    kommun.save()
    layout = pdf_content.decision_document(fresh(round))
    big = {anchor: 12345 for anchor in layout.toc}
    assert pdf_pages(layout.front(big)) == FRONT_PAGES


def test_weasyprint_renders_the_analysis_and_ranking_documents(decided):
    round, _proposals = decided
    analysis, _perspektiv = analysis_with_items(round)
    for part in analysis_document(analysis).parts:
        assert pdf_pages(part.html) >= 1
    result = NamndResult.objects.select_related("round__kommun", "namnd").get(
        round=round, namnd__name="Socialnämnden"
    )
    for part in pdf_content.ranking_document(result).parts:
        assert pdf_pages(part.html) >= 1


def test_the_body_is_the_same_another_day_so_the_cache_can_serve_it(decided, monkeypatch):
    """Only the front carries the date; every other part may come from the cache."""
    round, _proposals = decided
    today = pdf_content.decision_document(round)
    monkeypatch.setattr(
        pdf_content.timezone, "localdate", lambda: TODAY + datetime.timedelta(days=3)
    )
    later = pdf_content.decision_document(round)
    assert [part.html for part in later.parts] == [part.html for part in today.parts]
    assert later.front({}) != today.front({})
