"""The controller's follow-up overview (followup/views/overview.py):
only the controller sees it; a small hand-made case shows the right sums,
deviations, statuses and labels; the table filters and pages; the chart is
there with its title and description; and the query count does not grow with
the number of proposals."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from followup.models import FollowUpPeriod, PeriodKind, Progress
from followup.rules import Overview, Timing
from followup.services import report_for, save_report, set_periods, submit_report
from followup.views import overview as followup_overview
from ranking.models import Decision, Outcome
from rounds.models import Grad, Phase, ProposalType, User
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import CAST, assert_queries_do_not_grow, assert_sent_to_sign_in, cast_except

YEAR = 2026
BILDNING = "Bildningsförvaltningen"
SOCIAL = "Socialförvaltningen"
NBSP = "\u00a0"
MINUS = "\u2212"


def user(name):
    return User.objects.get(username=name)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def decide(proposal, outcome, amount=None):
    return Decision.objects.create(
        round=proposal.round,
        proposal=proposal,
        outcome=outcome,
        amount_tkr=amount,
        motivation="Motiverat.",
        decided_by=user("controller"),
    )


def file_report(period, proposal, by, *, submit_on=None, **fields):
    report = save_report(report_for(period, proposal), fields, by=user(by), expected_version=None)
    if submit_on is not None:
        report = submit_report(report, by=user(by), now=at(submit_on))
    return report


def overview_url(period="delar", year=YEAR):
    return reverse("followup_overview", args=[year, period])


def flat(response) -> str:
    """The page's text with its tags out and its spaces plain."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.replace(NBSP, " ").split())


@pytest.fixture
def round_2026(demo):
    """Round 2026 being followed up: Tertial 1 due 120 days ago, Delår 30 days ago."""
    round = make_round(year=YEAR, phase=Phase.UPPFOLJNING)
    today = timezone.localdate()
    set_periods(
        round,
        {
            PeriodKind.TERTIAL_1: today - datetime.timedelta(days=120),
            PeriodKind.DELAR: today - datetime.timedelta(days=30),
        },
        by=user("controller"),
    )
    return round


def periods_of(round):
    return {
        period.kind: period
        for period in FollowUpPeriod.objects.select_related("round").filter(round=round)
    }


def build_case(round):
    """Two nämnder. Bildning: A (Finansieras, 1 200) reports a smaller
    deviation on time; B (Finansieras delvis, 600 of 1 000) reports late.
    Social: C (a saving, Genomförs, −360) reports on time; D (Inom nämndens
    ram, 900) reported Tertial 1 but not Delår; E (Avslås) is not followed up.

    Delår budgets (8/12): A 800, B 400, C −240, D 600.
    Outcomes: A 950 (+150), B 380 (−20), C −300 (−60), D none.
    Bildningsnämnden: decided 1 800, budget 1 200, 2 of 2 in, outcome 1 330, +130.
    Socialnämnden: decided 540, budget 360, 1 of 2 in (budget −240), outcome −300, −60.
    Total: decided 2 340, budget 1 560, 3 of 4 in (budget 960), outcome 1 030, +70."""
    bildning = analysis_of(round, BILDNING)
    social = analysis_of(round, SOCIAL)
    p = {
        "a": make_proposal(bildning, title="Fler lärare i matematik", cost_year1=1200),
        "b": make_proposal(bildning, title="Läxhjälp på biblioteket", cost_year1=1000),
        "c": make_proposal(
            social,
            title="Digitala nattkontroller",
            cost_year1=-360,
            typ=ProposalType.EFFEKTIVISERING,
        ),
        "d": make_proposal(social, title="Anhörigstöd", cost_year1=900),
        "e": make_proposal(social, title="Ny simhall", cost_year1=5000),
    }
    decide(p["a"], Outcome.FINANSIERAS)
    decide(p["b"], Outcome.DELVIS, 600)
    decide(p["c"], Outcome.EFFEKTIVISERAS)
    decide(p["d"], Outcome.INOM_RAM)
    decide(p["e"], Outcome.AVSLAS)
    periods = periods_of(round)
    tertial, delar = periods[PeriodKind.TERTIAL_1], periods[PeriodKind.DELAR]
    on_time = delar.deadline - datetime.timedelta(days=2)
    file_report(
        tertial,
        p["d"],
        "tjp-social",
        submit_on=tertial.deadline,
        progress=Progress.ENLIGT_PLAN,
        cost_outcome_tkr=290,
        effect_achieved=Grad.MATTLIG,
    )
    file_report(
        delar,
        p["a"],
        "tjp-bildning",
        submit_on=on_time,
        progress=Progress.MINDRE_AVVIKELSE,
        cost_outcome_tkr=950,
        effect_achieved=Grad.MATTLIG,
        deviation="Vikarier under våren kostade mer än planerat.",
        measures="=Färre vikarier till hösten.",
    )
    file_report(
        delar,
        p["b"],
        "chef-bildning",
        submit_on=delar.deadline + datetime.timedelta(days=3),
        progress=Progress.ENLIGT_PLAN,
        cost_outcome_tkr=380,
        effect_achieved=Grad.STOR,
    )
    file_report(
        delar,
        p["c"],
        "tjp-social",
        submit_on=on_time,
        progress=Progress.GENOMFORD,
        cost_outcome_tkr=-300,
        effect_achieved=Grad.STOR,
    )
    return p


@pytest.fixture
def case(round_2026):
    return build_case(round_2026)


# --- who sees it -------------------------------------------------------------------


def test_the_controller_sees_the_overview(case, signed_in):
    response = signed_in("controller").get(overview_url())
    assert response.status_code == 200
    assert "Uppföljning Delår (januari–augusti) – 2026" in flat(response)


def test_the_lasare_sees_the_overview(case, signed_in):
    response = signed_in("revisor").get(overview_url())
    assert response.status_code == 200
    assert "Uppföljning Delår (januari–augusti) – 2026" in flat(response)


@pytest.mark.parametrize("username", cast_except("controller", "revisor"))
def test_everyone_else_is_refused(case, signed_in, username):
    """tjänsteperson, förvaltningschef, nämndledamot, forumdeltagare and admin."""
    client = signed_in(username)
    assert client.get(overview_url()).status_code == 403
    assert client.get(overview_url("tertial-1")).status_code == 403
    assert client.get(overview_url(), headers={"HX-Request": "true"}).status_code == 403
    # Nor can a refused user tell which periods exist.
    assert client.get(overview_url("arsbokslut")).status_code == 403


def test_the_cast_covers_every_role():
    assert set(CAST) == {
        "admin",
        "controller",
        "chef-bildning",
        "tjp-bildning",
        "tjp-social",
        "ledamot-bildning",
        "forum-1",
        "revisor",
    }


def test_anonymous_is_sent_to_sign_in(case, client):
    assert_sent_to_sign_in(client.get(overview_url()))


def test_it_takes_no_post(case, signed_in):
    assert signed_in("controller").post(overview_url()).status_code == 405


def test_an_unknown_or_unset_period_is_not_found(case, signed_in):
    client = signed_in("controller")
    assert client.get(overview_url("arsbokslut")).status_code == 404  # not set
    assert client.get(overview_url("kvartal-2")).status_code == 404
    assert client.get(overview_url(year=2031)).status_code == 404


# --- the numbers ------------------------------------------------------------------


def cost_rows(response) -> dict[str, list[str]]:
    """The cost table's lines: name -> its cells, in words."""
    html = response.content.decode().replace(NBSP, " ")
    table = html[
        html.index('id="cost-table"') : html.index("</table>", html.index('id="cost-table"'))
    ]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] and not cells[0].startswith("Nämnd"):
            rows[cells[0]] = cells[1:]
    return rows


def test_the_cost_per_namnd_and_total_are_right(case, signed_in):
    response = signed_in("controller").get(overview_url())
    rows = cost_rows(response)
    # Beslutat år 1, budget t.o.m. perioden, rapporter inne, budget för inlämnade, utfall, avvikelse
    assert rows["Bildningsnämnden"] == [
        "1 800 tkr",
        "1 200 tkr",
        "2 av 2",
        "1 200 tkr",
        "1 330 tkr",
        "+130 tkr",
    ]
    assert rows["Socialnämnden"] == [
        "540 tkr",
        "360 tkr",
        "1 av 2",
        f"{MINUS}240 tkr",
        f"{MINUS}300 tkr",
        f"{MINUS}60 tkr",
    ]
    assert rows["Totalt"] == ["2 340 tkr", "1 560 tkr", "3 av 4", "960 tkr", "1 030 tkr", "+70 tkr"]


def test_the_status_counts_say_each_status_in_words(case, signed_in):
    response = signed_in("controller").get(overview_url())
    html = response.content.decode()
    counts = dict(
        re.findall(
            r'<span class="overview-status overview-status--[a-z_]+">([^<]+)</span> '
            r'<span class="overview-count">(\d+)</span>',
            html,
        )
    )
    assert counts == {
        "Ej påbörjad": "0",
        "Enligt plan": "1",
        "Mindre avvikelse": "1",
        "Större avvikelse": "0",
        "Genomförd": "1",
        "Avbruten": "0",
        "Rapport saknas": "1",
    }
    # Colour and text: the class names the status, the words say it.
    assert '<span class="overview-status overview-status--saknas">Rapport saknas</span>' in html


def test_the_table_shows_each_proposal_with_its_latest_status(case, signed_in):
    text = flat(signed_in("controller").get(overview_url()))
    assert (
        "2026-001 Fler lärare i matematik Bildningsnämnden Bildningsförvaltningen Finansieras "
        "1 200 tkr 800 tkr 950 tkr +150 tkr Mindre avvikelse Inlämnad i tid"
    ) in text
    assert (
        "2026-002 Läxhjälp på biblioteket Bildningsnämnden Bildningsförvaltningen "
        "Finansieras delvis 600 tkr 400 tkr 380 tkr −20 tkr Enligt plan Inlämnad för sent"
    ) in text
    assert (
        "2026-003 Digitala nattkontroller Socialnämnden Socialförvaltningen Genomförs "
        "(effektivisering) −360 tkr −240 tkr −300 tkr −60 tkr Genomförd"
    ) in text
    # D's Delår report is missing: the Tertial 1 status, marked, and overdue.
    assert (
        "2026-004 Anhörigstöd Socialnämnden Socialförvaltningen Inom nämndens ram "
        "900 tkr 600 tkr – – Enligt plan (Tertial 1) Försenad – saknas"
    ) in text
    assert "Ny simhall" not in text  # Avslås: not followed up


def test_rows_link_to_the_proposal_and_its_report(case, signed_in):
    html = signed_in("controller").get(overview_url()).content.decode()
    assert f'href="{reverse("proposal_detail", args=[YEAR, 1])}"' in html
    try:
        report = reverse("followup_report", args=[YEAR, "delar", 1])
    except Exception:  # the report pages are another part's; until they exist, no link
        assert "Rapporten" not in html
    else:
        assert f'href="{report}"' in html


def test_missing_and_late_reports_per_forvaltning(case, signed_in):
    text = flat(signed_in("controller").get(overview_url()))
    assert "1 rapport är inte inlämnad och sista dagen har passerat." in text
    assert "1 rapport lämnades in för sent." in text
    assert "Bildningsförvaltningen 0 0 1" in text
    assert "Socialförvaltningen 1 1 0" in text


def test_deviations_show_their_text_and_measures(case, signed_in):
    response = signed_in("controller").get(overview_url())
    html = response.content.decode()
    text = flat(response)
    section = text[
        text.index("Avvikelser och föreslagna åtgärder") : text.index("Alla förslag som följs upp")
    ]
    assert "1 förslag med avvikelse" in section
    assert (
        "2026-001 Fler lärare i matematik Bildningsnämnden · Bildningsförvaltningen "
        "Mindre avvikelse +150 tkr Vikarier under våren kostade mer än planerat. "
        "=Färre vikarier till hösten."
    ) in section
    assert "Läxhjälp" not in section and "Digitala" not in section
    assert "Vikarier under våren" in html


def test_the_rules_and_the_other_periods_are_there(case, signed_in):
    response = signed_in("controller").get(overview_url())
    html = response.content.decode()
    assert "<details" in html and "Så räknas uppföljningen" in html
    assert "Summorna per nämnd räknar bara förslag med inlämnad rapport" in html
    assert f'href="{overview_url("tertial-1")}"' in html
    assert 'aria-current="page">Delår (januari–augusti)' in html


def test_tertial_1_has_its_own_numbers(case, signed_in):
    response = signed_in("controller").get(overview_url("tertial-1"))
    rows = cost_rows(response)
    # Only D reported in Tertial 1: 290 against 4/12 of 900 = 300.
    assert rows["Socialnämnden"][2:] == ["1 av 2", "300 tkr", "290 tkr", f"{MINUS}10 tkr"]
    assert rows["Bildningsnämnden"][2:] == ["0 av 2", "0 tkr", "0 tkr", "–"]


# --- the chart -------------------------------------------------------------------


def test_the_chart_is_an_image_with_title_description_and_legend(case, signed_in):
    html = signed_in("controller").get(overview_url()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="overview-chart-title overview-chart-desc"' in svg
    assert re.search(r'<title id="overview-chart-title">Beslutat och utfall per nämnd, Delår', svg)
    desc = re.search(r'<desc id="overview-chart-desc">(.*?)</desc>', svg, re.S).group(1)
    desc = desc.replace(NBSP, " ")
    assert "beslutat 2 340 tkr" in desc and "utfallet 1 030 tkr" in desc and "+70 tkr" in desc
    # Three bars a nämnd, told apart by fill and outline, not colour alone.
    assert svg.count("<rect") == 2 * 3 + 3 + 1  # bars, legend swatches, the hatch's own
    assert 'fill="url(#overview-hatch)"' in svg and 'fill="#ffffff" stroke="#1d2327"' in svg
    for word in ("Beslutat år 1", "Budget t.o.m. perioden", "Utfall t.o.m. perioden"):
        assert word in svg
    assert "Bildningsnämnden" in svg and "2 av 2 rapporter inne" in svg.replace(NBSP, " ")


# --- filters and pages ----------------------------------------------------------------


def shown_references(response) -> list[str]:
    html = response.content.decode()
    table = html[html.index('id="results"') :]
    return re.findall(r'<th scope="row"><a href="[^"]+">(\d{4}-\d{3}) ', table)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["2026-001", "2026-002", "2026-003", "2026-004"]),
        ("status=avvikelse", ["2026-001"]),
        ("status=saknas", ["2026-004"]),
        ("status=sen", ["2026-002", "2026-004"]),
        ("status=enligt_plan", ["2026-002"]),
        ("status=genomford", ["2026-003"]),
        ("status=avbruten", []),
    ],
)
def test_the_table_filters_by_status(case, signed_in, query, expected):
    response = signed_in("controller").get(f"{overview_url()}?{query}")
    assert shown_references(response) == expected


def test_the_table_filters_by_namnd(case, round_2026, signed_in):
    social = analysis_of(round_2026, SOCIAL).forvaltning.namnd_id
    client = signed_in("controller")
    response = client.get(f"{overview_url()}?namnd={social}")
    assert shown_references(response) == ["2026-003", "2026-004"]
    response = client.get(f"{overview_url()}?namnd={social}&status=saknas")
    assert shown_references(response) == ["2026-004"]
    assert "1 förslag" in flat(response)


def test_a_filter_that_does_not_fit_is_shown_and_ignored(case, signed_in):
    response = signed_in("controller").get(f"{overview_url()}?status=nagot&namnd=abc")
    assert response.status_code == 200
    assert len(shown_references(response)) == 4
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_the_table_pages(case, signed_in, monkeypatch):
    monkeypatch.setattr(followup_overview, "PER_PAGE", 3)
    client = signed_in("controller")
    first = client.get(overview_url())
    assert shown_references(first) == ["2026-001", "2026-002", "2026-003"]
    assert "Sida 1 av 2" in flat(first)
    second = client.get(f"{overview_url()}?sida=2")
    assert shown_references(second) == ["2026-004"]
    filtered = client.get(f"{overview_url()}?status=sen&sida=2")
    assert shown_references(filtered) == ["2026-002", "2026-004"]  # one page only: the first


def test_htmx_gets_only_the_table(case, signed_in):
    response = signed_in("controller").get(
        f"{overview_url()}?status=saknas", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<h1" not in html and "<svg" not in html
    assert html.lstrip().startswith('<div id="results">')
    assert shown_references(response) == ["2026-004"]
    assert "HX-Request" in response["Vary"]


# --- the exports' buttons ----------------------------------------------------------------


def test_the_page_offers_both_exports_of_its_period(case, round_2026, signed_in):
    html = signed_in("controller").get(overview_url()).content.decode()
    delar = periods_of(round_2026)[PeriodKind.DELAR]
    action = reverse("document_request", args=[YEAR])
    for kind in ("uppfoljning-pdf", "uppfoljning-xlsx"):
        assert re.search(
            rf'action="{action}".*?name="kind" value="{kind}".*?name="period" value="{delar.pk}"',
            html,
            re.S,
        ), kind


# --- queries -------------------------------------------------------------------------------


def grow(round, count):
    """``count`` more decided proposals in both förvaltningar, with Delår
    reports in every state: submitted, a draft, none."""
    delar = periods_of(round)[PeriodKind.DELAR]
    analyses = [analysis_of(round, BILDNING), analysis_of(round, SOCIAL)]
    outcomes = [Outcome.FINANSIERAS, Outcome.EFFEKTIVISERAS, Outcome.INOM_RAM]
    for i in range(count):
        analysis = analyses[i % 2]
        proposal = make_proposal(analysis, cost_year1=100 + i)
        if i % 4 == 3:
            decide(proposal, Outcome.DELVIS, 50)
        else:
            decide(proposal, outcomes[i % 3])
        by = "tjp-bildning" if analysis.forvaltning.name == BILDNING else "tjp-social"
        if i % 3 == 2:
            continue  # no report
        file_report(
            delar,
            proposal,
            by,
            submit_on=None if i % 3 == 1 else delar.deadline,
            progress=Progress.STORRE_AVVIKELSE,
            cost_outcome_tkr=90 + i,
            effect_achieved=Grad.LITEN,
            deviation="Avvikelse.",
            measures="Åtgärd.",
        )


def test_the_query_count_does_not_grow_with_the_proposals(case, round_2026, signed_in):
    client = signed_in("controller")
    count = assert_queries_do_not_grow(client, overview_url(), lambda: grow(round_2026, 12))
    # Session, user, round, roles, periods, the overview's proposals and
    # reports, the documents, the navigation (2) and the session's save (3).
    assert count <= 13
    # The filtered table and its htmx fragment do not grow either.
    assert_queries_do_not_grow(
        client, f"{overview_url()}?status=sen&sida=2", lambda: grow(round_2026, 8)
    )
    assert_queries_do_not_grow(
        client,
        f"{overview_url()}?status=avvikelse",
        lambda: grow(round_2026, 8),
        headers={"HX-Request": "true"},
    )


@pytest.mark.parametrize(
    ("timings", "text"),
    [
        ([Timing.ON_TIME], "Alla rapporter är inlämnade."),
        (
            [Timing.NOT_YET, Timing.NOT_YET, Timing.ON_TIME],
            "2 rapporter är inte inlämnade.",
        ),
        (
            [Timing.OVERDUE, Timing.OVERDUE],
            "2 rapporter är inte inlämnade och sista dagen har passerat.",
        ),
        (
            [Timing.OVERDUE, Timing.NOT_YET, Timing.SUBMITTED_LATE],
            "2 rapporter är inte inlämnade; för 1 av dem har sista dagen passerat. "
            "1 rapport lämnades in för sent.",
        ),
        (
            [Timing.NOT_YET, Timing.SUBMITTED_LATE, Timing.SUBMITTED_LATE],
            "1 rapport är inte inlämnad. 2 rapporter lämnades in för sent.",
        ),
    ],
)
def test_the_missing_reports_in_words_fit_the_numbers(timings, text):
    """No "2 rapporter …, varav 2 efter sista dagen", no "1 rapporter"."""
    rows = [SimpleNamespace(timing=timing) for timing in timings]
    overview = Overview(round=None, period=None, today=None, rows=rows)
    with translation.override("sv"):
        assert overview.reports_missing_text == text
