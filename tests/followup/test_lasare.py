"""The läsare (a revisor) reads the follow-up and writes nothing: the index,
every period's overview as the controller sees it, each report and what is
carried over — no form that posts on any of them — and every follow-up POST
refused (403). The set-up is tests/followup/test_reports.py's."""

import re

import pytest
from django.urls import reverse

from followup.documents import FOLLOWUP_KINDS
from followup.models import FollowUpReport, PeriodKind
from rounds.models import Analysis, AnalysisStatus, Round
from tests.followup.test_reports import file_report, make_case, make_round_2026, period

YEAR = 2026
LASARE = "revisor"


@pytest.fixture
def case(demo):
    case = make_case(make_round_2026())
    # Decided proposals come from submitted analyses (which everyone reads).
    for analysis in Analysis.objects.filter(round=case["round"]):
        analysis.status = AnalysisStatus.SUBMITTED
        analysis.save()
    # One report handed in (the controller could return it), one a draft.
    file_report(period(case["round"], PeriodKind.DELAR), case["a"], submit=True)
    file_report(period(case["round"], PeriodKind.DELAR), case["b"])
    return case


def report_url(proposal, slug="delar"):
    return reverse("followup_report", args=[YEAR, slug, proposal.number])


def pages(case) -> list[str]:
    return [
        reverse("followup_index", args=[YEAR]),
        reverse("followup_overview", args=[YEAR, "tertial-1"]),
        reverse("followup_overview", args=[YEAR, "delar"]),
        report_url(case["a"]),
        report_url(case["b"]),
        report_url(case["social"]),
        report_url(case["a"], "tertial-1"),
        reverse("followup_carry_list", args=[YEAR]),
        reverse("round_comparison", args=[YEAR]),
    ]


def post_forms(html: str) -> list[str]:
    """The forms that post in the page's main content (the header's language
    and sign-out forms are everyone's)."""
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return re.findall(r"<form[^>]*method=\"post\"[^>]*>", main, flags=re.IGNORECASE)


def test_the_lasare_reads_every_follow_up_page_without_a_form(case, signed_in):
    client = signed_in(LASARE)
    for url in pages(case):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert post_forms(html) == [], url
        assert "Spara utkast" not in html and "Lämna in" not in html, url
        assert "Återlämna" not in html, url


def test_the_index_leads_the_lasare_to_each_overview(case, signed_in):
    html = signed_in(LASARE).get(reverse("followup_index", args=[YEAR])).content.decode()
    assert f'href="{reverse("followup_overview", args=[YEAR, "tertial-1"])}"' in html
    assert f'href="{reverse("followup_overview", args=[YEAR, "delar"])}"' in html
    assert f'href="{reverse("followup_periods", args=[YEAR])}"' not in html


def test_the_overview_is_the_controllers_without_the_exports(case, signed_in):
    url = reverse("followup_overview", args=[YEAR, "delar"])
    mine = signed_in(LASARE).get(url)
    theirs = signed_in("controller").get(url)
    assert [row["reference"] for row in mine.context["rows"]] == [
        row["reference"] for row in theirs.context["rows"]
    ]
    assert theirs.context["may_export"] and not mine.context["may_export"]
    # Every förvaltning's proposals, each linking to its report.
    html = mine.content.decode()
    for proposal in (case["a"], case["b"], case["social"]):
        assert report_url(proposal) in html


def test_the_lasare_reads_a_report_as_written(case, signed_in):
    response = signed_in(LASARE).get(report_url(case["a"]))
    assert response.context["form"] is None and response.context["return_form"] is None
    assert "Fler elever läser varje dag." in response.content.decode()


def test_every_follow_up_post_is_refused(case, signed_in):
    client = signed_in(LASARE)
    delar = period(case["round"], PeriodKind.DELAR)
    report_data = {"version": "", "progress": "enligt_plan", "cost_outcome_tkr": "1"}
    posts = [
        (report_url(case["b"]), report_data),
        (report_url(case["b"]), {**report_data, "lamna_in": "1"}),
        (report_url(case["social"]), report_data),
        (
            reverse("followup_report_return", args=[YEAR, "delar", case["a"].number]),
            {"comment": "Komplettera."},
        ),
        (reverse("followup_periods", args=[YEAR]), {"tertial_1": "2026-05-01"}),
        (reverse("proposal_carry_over", args=[YEAR, case["a"].number]), {"reason": "Igen."}),
    ]
    posts += [
        (reverse("document_request", args=[YEAR]), {"kind": kind, "period": delar.pk})
        for kind in FOLLOWUP_KINDS
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    # Nothing changed: the handed-in report is still in, the draft a draft.
    states = dict(FollowUpReport.objects.values_list("proposal_id", "state"))
    assert states == {case["a"].pk: AnalysisStatus.SUBMITTED, case["b"].pk: AnalysisStatus.DRAFT}
    assert Round.objects.get(pk=case["round"].pk).follow_up_periods.count() == 2
