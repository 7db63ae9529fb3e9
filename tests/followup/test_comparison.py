"""Two rounds compared per nämnd (``round_comparison``, ``followup.comparison``):
hand-computed numbers, the funded share's rule, the outcome of the latest
reported period, who may see it, and a query count that does not grow."""

from decimal import Decimal

import pytest
from django.urls import reverse

from followup.comparison import RULES, compare
from followup.models import PeriodKind, Progress
from ranking.models import Outcome
from rounds.models import ProposalType
from tests.factories import analysis_of, make_proposal, make_round
from tests.followup.test_carry import BILDNING, SOCIAL, decide, follow_up_round, report, user
from tests.forum_setup import submitted
from tests.helpers import assert_queries_do_not_grow, assert_sent_to_sign_in, cast_except

URL = reverse("round_comparison", kwargs={"year": 2027})


@pytest.fixture
def two(demo):
    """Round 2026 (followed up) and 2027 (Bildning's analysis submitted).

    2026, Bildningsnämnden: 600 Finansieras; 400 Finansieras delvis 250; 300
    Avslås; −200 Genomförs (a saving); 500 withdrawn (not counted).
    Socialnämnden: 1 000 Inom nämndens ram; 0 Utreds vidare. Tekniska
    förvaltningen's analysis is a draft: its 999 is not counted.
    Reports: Tertial 1 — 600's 200, the 1 000's 300; Delår — 600's 410,
    400's 100, the saving's −50 only a draft.

    2027, Bildningsnämnden: 700, no decision; Social's draft 50 not counted."""
    old = follow_up_round(2026)
    bildning, social = analysis_of(old, BILDNING), analysis_of(old, SOCIAL)
    a = decide(make_proposal(bildning, cost_year1=600), Outcome.FINANSIERAS)
    b = decide(make_proposal(bildning, cost_year1=400), Outcome.DELVIS, 250)
    decide(make_proposal(bildning, cost_year1=300), Outcome.AVSLAS)
    d = decide(
        make_proposal(bildning, cost_year1=-200, typ=ProposalType.EFFEKTIVISERING),
        Outcome.EFFEKTIVISERAS,
    )
    withdrawn = make_proposal(bildning, cost_year1=500)
    withdrawn.withdrawn_at = withdrawn.created_at
    withdrawn.withdrawn_by = user("tjp-bildning")
    withdrawn.save()
    f = decide(make_proposal(social, cost_year1=1000), Outcome.INOM_RAM)
    decide(make_proposal(social, cost_year1=0), Outcome.UTREDS)
    make_proposal(analysis_of(old, "Tekniska förvaltningen"), cost_year1=999)
    report(a, PeriodKind.TERTIAL_1, Progress.ENLIGT_PLAN, 200)
    report(f, PeriodKind.TERTIAL_1, Progress.ENLIGT_PLAN, 300)
    report(a, PeriodKind.DELAR, Progress.ENLIGT_PLAN, 410)
    report(b, PeriodKind.DELAR, Progress.ENLIGT_PLAN, 100)
    report(d, PeriodKind.DELAR, Progress.ENLIGT_PLAN, -50, submit=False)

    new = make_round(2027)
    make_proposal(submitted(new, BILDNING), cost_year1=700)
    make_proposal(analysis_of(new, SOCIAL), cost_year1=50)
    return old, new


def numbers(line, index):
    f = line.figures[index]
    return (
        f.proposals,
        f.cost_tkr,
        f.funded,
        f.funded_tkr,
        f.positive_cost_tkr,
        f.funded_positive_tkr,
        f.share,
        f.outcome_tkr,
    )


def by_label(comparison):
    return {line.label: line for line in comparison.lines}


def test_the_numbers_per_namnd_by_hand(two):
    old, new = two
    comparison = compare(new, old)
    assert [c.round.budget_year for c in comparison.columns] == [2026, 2027]
    assert [c.period_kind for c in comparison.columns] == [PeriodKind.DELAR, None]
    lines = by_label(comparison)
    assert sorted(lines) == [
        "Bildningsnämnden",
        "Kommunstyrelsen",
        "Plan- och miljönämnden",
        "Socialnämnden",
        "Tekniska nämnden",
    ]
    # Bildning 2026: 4 proposals costing 600+400+300−200; funded 600+250−200;
    # share (600+250)/(600+400+300) = 65.38… %; Delår outcome 410+100.
    assert numbers(lines["Bildningsnämnden"], 0) == (
        4,
        1100,
        3,
        650,
        1300,
        850,
        Decimal("65.4"),
        510,
    )
    # Social 2026: the Utreds vidare is a proposal, not funded; its reports are
    # only from Tertial 1, so no Delår outcome.
    assert numbers(lines["Socialnämnden"], 0) == (
        2,
        1000,
        1,
        1000,
        1000,
        1000,
        Decimal("100.0"),
        None,
    )
    # Tekniska's draft analysis does not count.
    assert numbers(lines["Tekniska nämnden"], 0) == (0, 0, 0, 0, 0, 0, None, None)
    assert numbers(lines["Bildningsnämnden"], 1) == (1, 700, 0, 0, 700, 0, Decimal("0.0"), None)
    assert numbers(lines["Socialnämnden"], 1) == (0, 0, 0, 0, 0, 0, None, None)
    # Total 2026: 1850 / 2300 = 80.43… %.
    assert numbers(comparison.total, 0) == (6, 2100, 4, 1650, 2300, 1850, Decimal("80.4"), 510)
    assert numbers(comparison.total, 1) == (1, 700, 0, 0, 700, 0, Decimal("0.0"), None)


def test_the_order_of_the_rounds_does_not_matter(two):
    old, new = two
    one, other = compare(old, new), compare(new, old)
    assert [numbers(line, 0) for line in one.lines] == [numbers(line, 0) for line in other.lines]


def test_a_share_rounds_half_up(demo):
    round = follow_up_round(2026)
    analysis = analysis_of(round, BILDNING)
    decide(make_proposal(analysis, cost_year1=1), Outcome.FINANSIERAS)
    make_proposal(analysis, cost_year1=1)
    make_proposal(analysis, cost_year1=6)
    other = make_round(2027)
    # 1 / 8 = 12.5 %: one decimal, exactly; 1 / 7 would be 14.285… → 14.3.
    assert by_label(compare(round, other))["Bildningsnämnden"].figures[0].share == Decimal("12.5")


def cells_of(row: str) -> list[str]:
    cells = [cell.strip() for cell in row.split('<td class="proposal-num">')[1:]]
    return [cell.split("</td>")[0].strip() for cell in cells]


def test_the_page_shows_the_table_in_swedish_format(two, signed_in):
    html = signed_in("controller").get(URL).content.decode()
    assert "Omgångarna 2027 och 2026 jämförda per nämnd" in html
    assert "<caption" in html
    # A row per round under each nämnd, the nämnd naming both.
    assert '<th scope="rowgroup" rowspan="2" class="comparison-label">Bildningsnämnden</th>' in html
    group = html.split("Bildningsnämnden</th>")[1].split("</tbody>")[0]
    first, second = group.split("</tr>")[:2]
    assert '<th scope="row" class="comparison-year">2026</th>' in first
    assert cells_of(first) == [
        "4",
        "1\xa0100",
        "3",
        "650",
        "65,4&nbsp;%",
        '510 <span class="comparison-period">(Delår)</span>',
    ]
    assert '<th scope="row" class="comparison-year">2027</th>' in second
    assert cells_of(second) == ["1", "700", "0", "0", "0,0&nbsp;%", "—"]
    total = html.split("<tfoot")[1].split("</tfoot>")[0]
    assert "2\xa0100" in total and "80,4&nbsp;%" in total
    assert "Utfall, tkr" in html
    assert "Utfallet 2026 är från perioden Delår." in html
    assert "Omgången 2027 har inga inlämnade uppföljningsrapporter." in html
    assert str(RULES)[:60] in html


def test_another_round_is_chosen_with_med(two, signed_in):
    make_round(2025)
    client = signed_in("controller")
    html = client.get(URL, {"med": 2025}).content.decode()
    assert "Omgångarna 2027 och 2025 jämförda per nämnd" in html
    assert '<option value="2025" selected>' in html
    assert '<option value="2026">' in html
    assert '<option value="2027"' not in html


@pytest.mark.parametrize("value", ["2020", "2027", "x"])
def test_a_round_that_is_not_there_is_not_found(two, signed_in, value):
    assert signed_in("controller").get(URL, {"med": value}).status_code == 404


def test_without_a_round_the_year_before_the_page_asks_for_one(two, signed_in):
    html = signed_in("controller").get(reverse("round_comparison", kwargs={"year": 2026})).content
    html = html.decode()
    assert "Det finns ingen omgång för budgetår 2025" in html
    assert '<option value="2027">' in html
    assert "<table" not in html


@pytest.mark.parametrize("username", cast_except("controller", "revisor"))
def test_only_the_controller_and_the_lasare_compare(two, signed_in, username):
    assert signed_in(username).get(URL).status_code == 403
    assert signed_in(username).get(URL, {"med": 2026}).status_code == 403


def test_signed_out_is_sent_to_sign_in(two, client):
    assert_sent_to_sign_in(client.get(URL))


def test_post_is_not_allowed(two, signed_in):
    assert signed_in("controller").post(URL).status_code == 405


def test_the_query_count_does_not_grow_with_the_rounds(two, signed_in):
    old, new = two

    def grow():
        for forvaltning in (BILDNING, SOCIAL):
            for i in range(5):
                proposal = decide(
                    make_proposal(analysis_of(old, forvaltning), cost_year1=10 * i),
                    Outcome.FINANSIERAS,
                )
                report(proposal, PeriodKind.DELAR, Progress.ENLIGT_PLAN, i)
                report(proposal, PeriodKind.ARSBOKSLUT, Progress.GENOMFORD, 2 * i)
            make_proposal(analysis_of(new, BILDNING), cost_year1=5)

    assert_queries_do_not_grow(signed_in("controller"), URL, grow)
    comparison = compare(new, old)
    assert comparison.columns[0].period_kind == PeriodKind.ARSBOKSLUT
    assert by_label(comparison)["Bildningsnämnden"].figures[0].outcome_tkr == 2 * sum(range(5))
