"""The follow-up's index, the controller's periods and the staff's tasks on
the start page (the report page is tests/followup/test_report_page.py, which
uses the set-up here).

The set-up: round 2026 in Genomförande och uppföljning, Tertial 1 whose last
day passed a month ago and Delår a month ahead; Bildning has two decided
proposals (one partly financed) and a rejected one, Social one decided."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpPeriod, FollowUpReport, PeriodKind, Progress
from followup.services import report_for, return_report, save_report, submit_report
from ranking.models import Decision, Outcome
from rounds.models import AnalysisStatus, Grad, Phase, User
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import CAST, assert_queries_do_not_grow, assert_sent_to_sign_in, cast_except

BILDNING = "Bildningsförvaltningen"
SOCIAL = "Socialförvaltningen"
STAFF_OF_BILDNING = ("chef-bildning", "tjp-bildning")
# Who may open the round's follow-up at all: the controller, the läsare
# (reading) and every förvaltning's staff (each sees only their own reports).
FOLLOW_UP_USERS = ("controller", "revisor", "chef-bildning", "tjp-bildning", "tjp-social")
TODAY = timezone.localdate()
T1_DAY = TODAY - datetime.timedelta(days=30)
DELAR_DAY = TODAY + datetime.timedelta(days=30)


def user(name: str) -> User:
    return User.objects.get(username=name)


def decide(proposal, outcome, amount=None, motivation="Beslutat av kommunfullmäktige."):
    return Decision.objects.create(
        round=proposal.round,
        proposal=proposal,
        outcome=outcome,
        amount_tkr=amount,
        motivation=motivation,
        decided_by=user("controller"),
    )


def with_periods(round, **days):
    """Periods straight in the database (the service is tested on the form)."""
    for kind, day in days.items():
        FollowUpPeriod.objects.create(round=round, kind=PeriodKind[kind], deadline=day)


def decided_proposal(analysis, outcome=Outcome.FINANSIERAS, amount=None, **fields):
    proposal = make_proposal(analysis, **fields)
    decide(proposal, outcome, amount)
    return proposal


def make_round_2026():
    round = make_round(year=2026, phase=Phase.UPPFOLJNING)
    with_periods(round, TERTIAL_1=T1_DAY, DELAR=DELAR_DAY)
    return round


def make_case(round) -> dict:
    bildning = analysis_of(round, BILDNING)
    social = analysis_of(round, SOCIAL)
    return {
        "round": round,
        "a": decided_proposal(
            bildning, title="Läsfrämjande insatser", cost_year1=1200, effekt=Grad.STOR
        ),
        "b": decided_proposal(
            bildning, Outcome.DELVIS, 600, title="Fler lärarassistenter", cost_year1=1000
        ),
        "rejected": decided_proposal(bildning, Outcome.AVSLAS, title="Ny simhall", cost_year1=5000),
        "social": decided_proposal(social, title="Hemtjänst på natten", cost_year1=900),
    }


@pytest.fixture
def round_2026(demo):
    return make_round_2026()


@pytest.fixture
def case(round_2026):
    return make_case(round_2026)


def period(round, kind) -> FollowUpPeriod:
    return FollowUpPeriod.objects.select_related("round").get(round=round, kind=kind)


COMPLETE = {
    "progress": Progress.ENLIGT_PLAN,
    "cost_outcome_tkr": 380,
    "effect_achieved": Grad.STOR,
    "effect_text": "Fler elever läser varje dag.",
}


def file_report(period, proposal, by="tjp-bildning", *, submit=False, **fields):
    """A report written through the services, as the page would."""
    report = save_report(
        report_for(period, proposal), fields or COMPLETE, by=user(by), expected_version=None
    )
    if submit:
        report = submit_report(report, by=user(by))
    return report


def index_url(year=2026):
    return reverse("followup_index", args=[year])


# --- the index -----------------------------------------------------------------


@pytest.mark.parametrize("username", STAFF_OF_BILDNING)
def test_staff_see_their_forvaltnings_decided_proposals_per_period(case, signed_in, username):
    response = signed_in(username).get(index_url())
    assert response.status_code == 200
    html = response.content.decode()
    [section] = response.context["sections"]
    assert section.analysis.forvaltning.name == BILDNING
    assert [table.period.kind for table in section.tables] == [1, 2]
    t1, delar = section.tables
    assert [row.title for row in t1.rows] == ["Läsfrämjande insatser", "Fler lärarassistenter"]
    # The decided amount, the budget up to the period (4/12 and 8/12), the decision.
    assert [(r.decided_tkr, r.budget_tkr) for r in t1.rows] == [(1200, 400), (600, 200)]
    assert [(r.decided_tkr, r.budget_tkr) for r in delar.rows] == [(1200, 800), (600, 400)]
    assert "Finansieras delvis" in html
    assert "1\u00a0200\u00a0tkr" in html
    # No report yet; Tertial 1's last day has passed, Delår's has not.
    assert [str(r.state_label) for r in t1.rows] == ["Ingen rapport ännu"] * 2
    assert [r.timing.label for r in t1.rows] == ["Försenad – saknas"] * 2
    assert [r.timing.label for r in delar.rows] == ["Inte inlämnad"] * 2
    a = case["a"]
    assert reverse("followup_report", args=[2026, "tertial-1", a.number]) in html
    assert reverse("followup_report", args=[2026, "delar", a.number]) in html
    # Neither the rejected proposal nor another förvaltning's.
    assert "Ny simhall" not in html
    assert "Hemtjänst på natten" not in html
    # Staff do not set the periods.
    assert reverse("followup_periods", args=[2026]) not in html


def test_the_index_shows_each_reports_state(case, signed_in):
    t1 = period(case["round"], PeriodKind.TERTIAL_1)
    delar = period(case["round"], PeriodKind.DELAR)
    file_report(t1, case["a"], submit=True)
    report = file_report(t1, case["b"], submit=True)
    return_report(report, by=user("controller"), comment="Komplettera effekten.")
    file_report(delar, case["a"], progress=Progress.MINDRE_AVVIKELSE)
    response = signed_in("tjp-bildning").get(index_url())
    tables = response.context["sections"][0].tables
    states = [[(str(r.state_label), r.timing.label) for r in table.rows] for table in tables]
    assert states == [
        [("Inlämnad", "Inlämnad för sent"), ("Återlämnad", "Försenad – saknas")],
        [("Utkast", "Inte inlämnad"), ("Ingen rapport ännu", "Inte inlämnad")],
    ]
    html = response.content.decode()
    assert 'class="report-badge report-badge--aterlamnad">Återlämnad<' in html
    assert "Mindre avvikelse" in html


def test_social_staff_see_only_their_own(case, signed_in):
    response = signed_in("tjp-social").get(index_url())
    [section] = response.context["sections"]
    assert section.analysis.forvaltning.name == SOCIAL
    assert [r.title for t in section.tables for r in t.rows] == ["Hemtjänst på natten"] * 2
    assert "Läsfrämjande insatser" not in response.content.decode()


def test_controller_sees_the_periods_and_links_not_the_staffs_tables(case, signed_in):
    response = signed_in("controller").get(index_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["sections"] == []
    assert "Läsfrämjande insatser" not in html
    assert "Tertial 1 (januari–april)" in html
    assert "Delår (januari–augusti)" in html
    assert "Årsbokslut" not in html
    assert T1_DAY.isoformat() in html and DELAR_DAY.isoformat() in html
    assert "Sista dagen har passerat" in html  # Tertial 1
    assert reverse("followup_periods", args=[2026]) in html
    passed = [p.passed for p in response.context["periods"]]
    assert passed == [True, False]


def test_controller_links_each_period_to_its_overview_when_it_exists(case, signed_in):
    from django.urls import NoReverseMatch

    try:
        url = reverse("followup_overview", kwargs={"year": 2026, "period": "delar"})
    except NoReverseMatch:
        pytest.skip("the overview page is not there yet")
    html = signed_in("controller").get(index_url()).content.decode()
    assert f'href="{url}"' in html


@pytest.mark.parametrize("username", cast_except(*FOLLOW_UP_USERS))
def test_others_are_refused_the_index(case, signed_in, username):
    assert signed_in(username).get(index_url()).status_code == 403


def test_the_index_needs_sign_in(case, client):
    assert_sent_to_sign_in(client.get(index_url()))


def test_the_index_of_a_missing_round_is_not_found(case, signed_in):
    assert signed_in("controller").get(index_url(2031)).status_code == 404


def test_the_index_rejects_post(case, signed_in):
    assert signed_in("controller").post(index_url()).status_code == 405


def test_without_periods_the_controller_is_asked_to_set_them(demo, signed_in):
    make_round(year=2026, phase=Phase.UPPFOLJNING)
    html = signed_in("controller").get(index_url()).content.decode()
    assert "Omgången har inga uppföljningsperioder ännu." in html
    assert "Ange perioderna" in html
    assert reverse("followup_periods", args=[2026]) in html
    html = signed_in("tjp-bildning").get(index_url()).content.decode()
    assert "Omgången har inga uppföljningsperioder ännu." in html
    assert "Controllern anger perioderna" in html
    assert reverse("followup_periods", args=[2026]) not in html


def test_before_the_follow_up_phase_the_index_says_reports_come_later(demo, signed_in):
    make_round(year=2026, phase=Phase.BESLUT)
    html = signed_in("tjp-bildning").get(index_url()).content.decode()
    assert "Rapporter kan skrivas och lämnas in när omgången är i fasen" in html


@pytest.mark.parametrize("username", ["tjp-bildning", "controller"])
def test_index_query_count_does_not_grow_with_proposals_and_reports(case, signed_in, username):
    round = case["round"]
    with_periods(round, ARSBOKSLUT=TODAY + datetime.timedelta(days=90))  # all three
    bildning = analysis_of(round, BILDNING)
    t1 = period(round, PeriodKind.TERTIAL_1)
    file_report(t1, case["a"], submit=True)

    def grow():  # from 2 to 12 of Bildning's decided proposals, with reports
        for number in range(10):
            proposal = decided_proposal(bildning, title=f"Till {number}")
            file_report(t1, proposal, submit=number % 2 == 0)

    assert_queries_do_not_grow(signed_in(username), index_url(), grow)


# --- the round page's link ----------------------------------------------------------


@pytest.mark.parametrize("username", CAST)
def test_the_round_page_links_to_the_follow_up_for_those_who_may_open_it(case, signed_in, username):
    html = signed_in(username).get(reverse("round_detail", args=[2026])).content.decode()
    assert (f'href="{index_url()}"' in html) == (username in FOLLOW_UP_USERS)


def test_the_round_page_has_no_follow_up_link_before_the_phase(demo, signed_in):
    make_round(year=2026, phase=Phase.BESLUT)
    html = signed_in("controller").get(reverse("round_detail", args=[2026])).content.decode()
    assert f'href="{index_url()}"' not in html


# --- the periods ------------------------------------------------------------------


def periods_url(year=2026):
    return reverse("followup_periods", args=[year])


def deadlines(round):
    return dict(round.follow_up_periods.values_list("kind", "deadline"))


def test_the_periods_form_suggests_the_usual_days(demo, signed_in):
    make_round(year=2026, phase=Phase.BESLUT)
    response = signed_in("controller").get(periods_url())
    assert response.status_code == 200
    html = response.content.decode()
    for value in ("2026-04-30", "2026-08-31", "2026-12-31"):
        assert f'value="{value}"' in html
    for label in ("Tertial 1 (januari–april)", "Delår (januari–augusti)", "Årsbokslut"):
        assert label in html


def test_the_periods_form_shows_the_rounds_periods(round_2026, signed_in):
    html = signed_in("controller").get(periods_url()).content.decode()
    assert f'value="{T1_DAY.isoformat()}"' in html
    assert f'value="{DELAR_DAY.isoformat()}"' in html
    assert 'value="2026-12-31"' not in html  # no Årsbokslut: the field is empty


def test_the_controller_sets_the_periods(demo, signed_in):
    round = make_round(year=2026, phase=Phase.BESLUT)
    response = signed_in("controller").post(
        periods_url(), {"tertial_1": "2026-05-08", "delar": "2026-09-15", "arsbokslut": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == index_url()
    assert deadlines(round) == {1: datetime.date(2026, 5, 8), 2: datetime.date(2026, 9, 15)}
    history = FollowUpPeriod.history.filter(round_id=round.pk)
    assert {h.history_user.username for h in history} == {"controller"}
    page = signed_in("controller").get(response["Location"]).content.decode()
    assert "Uppföljningsperioderna är sparade." in page


def test_periods_out_of_order_are_refused_in_swedish_and_the_input_kept(round_2026, signed_in):
    before = deadlines(round_2026)
    response = signed_in("controller").post(
        periods_url(), {"tertial_1": "2026-09-30", "delar": "2026-08-31", "arsbokslut": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Sista dag för Delår (januari–augusti) måste ligga efter sista dag för "
        "Tertial 1 (januari–april)." in html
    )
    assert 'value="2026-09-30"' in html and 'value="2026-08-31"' in html
    assert deadlines(round_2026) == before


def test_a_period_with_reports_cannot_be_removed(case, signed_in):
    round = case["round"]
    file_report(period(round, PeriodKind.TERTIAL_1), case["a"])
    response = signed_in("controller").post(
        periods_url(), {"tertial_1": "", "delar": DELAR_DAY.isoformat(), "arsbokslut": ""}
    )
    assert response.status_code == 200
    assert (
        "Tertial 1 (januari–april) har redan rapporter och kan inte tas bort."
        in response.content.decode()
    )
    assert set(deadlines(round)) == {1, 2}


def test_a_period_without_reports_can_be_removed_and_one_added(round_2026, signed_in):
    response = signed_in("controller").post(
        periods_url(), {"tertial_1": T1_DAY.isoformat(), "delar": "", "arsbokslut": "2026-12-31"}
    )
    assert response.status_code == 302
    assert deadlines(round_2026) == {1: T1_DAY, 3: datetime.date(2026, 12, 31)}


def test_a_date_that_is_not_a_date_is_refused(round_2026, signed_in):
    response = signed_in("controller").post(
        periods_url(), {"tertial_1": "30 april", "delar": DELAR_DAY.isoformat()}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ange ett datum, t.ex. 2026-04-30." in html
    assert 'value="30 april"' in html
    assert deadlines(round_2026) == {1: T1_DAY, 2: DELAR_DAY}


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_sets_the_periods(round_2026, signed_in, username):
    client = signed_in(username)
    assert client.get(periods_url()).status_code == 403
    response = client.post(periods_url(), {"tertial_1": "", "delar": "", "arsbokslut": ""})
    assert response.status_code == 403
    assert deadlines(round_2026) == {1: T1_DAY, 2: DELAR_DAY}


def test_the_periods_need_sign_in(round_2026, client):
    assert_sent_to_sign_in(client.get(periods_url()))
    assert_sent_to_sign_in(client.post(periods_url(), {"tertial_1": ""}))
    assert deadlines(round_2026) == {1: T1_DAY, 2: DELAR_DAY}


# --- "Mina uppgifter" --------------------------------------------------------------


def start_html(signed_in, username) -> str:
    return signed_in(username).get(reverse("start")).content.decode()


def test_staff_are_asked_for_the_reports_not_handed_in(case, signed_in):
    html = start_html(signed_in, "tjp-bildning")
    assert (
        "Uppföljning 2026, Tertial 1 (januari–april): 2 av 2 rapporter är inte inlämnade. "
        "Sista dagen, " in html
    )
    assert "Uppföljning 2026, Delår (januari–augusti): 2 av 2 rapporter är inte inlämnade. " in html
    assert "Lämna in dem senast" in html
    forvaltning_id = analysis_of(case["round"], BILDNING).forvaltning_id
    assert f"{index_url()}#period-{forvaltning_id}-tertial-1" in html
    assert "1 av 1 rapporter" in start_html(signed_in, "tjp-social")


def test_the_task_counts_down_and_goes_when_all_are_in(case, signed_in):
    t1 = period(case["round"], PeriodKind.TERTIAL_1)
    file_report(t1, case["a"], submit=True)
    file_report(t1, case["b"])  # a draft is not handed in
    html = start_html(signed_in, "chef-bildning")
    assert "Tertial 1 (januari–april): 1 av 2 rapporter är inte inlämnade." in html
    submit_report(
        FollowUpReport.objects.get(period=t1, proposal=case["b"]), by=user("chef-bildning")
    )
    html = start_html(signed_in, "chef-bildning")
    assert "Uppföljning 2026, Tertial 1" not in html
    assert "Uppföljning 2026, Delår (januari–augusti): 2 av 2" in html


@pytest.mark.parametrize("username", cast_except("chef-bildning", "tjp-bildning", "tjp-social"))
def test_only_staff_get_report_tasks(case, signed_in, username):
    assert "rapporter är inte inlämnade" not in start_html(signed_in, username)


def test_no_report_tasks_outside_the_follow_up_phase(case, signed_in):
    round = case["round"]
    round.phase = Phase.AVSLUTAD
    round.save()
    assert "rapporter är inte inlämnade" not in start_html(signed_in, "tjp-bildning")


def test_start_query_count_does_not_grow_with_the_follow_up(case, signed_in):
    round = case["round"]
    bildning = analysis_of(round, BILDNING)
    t1 = period(round, PeriodKind.TERTIAL_1)

    def grow():
        for number in range(10):
            proposal = decided_proposal(bildning, title=f"Till {number}")
            file_report(t1, proposal, submit=number % 2 == 0)

    assert_queries_do_not_grow(signed_in("tjp-bildning"), reverse("start"), grow)


def test_returned_reports_count_as_not_handed_in(case, signed_in):
    t1 = period(case["round"], PeriodKind.TERTIAL_1)
    file_report(t1, case["a"], submit=True)
    report = file_report(t1, case["b"], submit=True)
    assert "Uppföljning 2026, Tertial 1" not in start_html(signed_in, "tjp-bildning")
    return_report(report, by=user("controller"), comment="Komplettera.")
    assert report_for(t1, case["b"]).state == AnalysisStatus.RETURNED
    assert "Tertial 1 (januari–april): 1 av 2" in start_html(signed_in, "tjp-bildning")
