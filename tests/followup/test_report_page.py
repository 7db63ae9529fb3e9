"""One follow-up report: who reads it, who writes it, saving a draft, handing
it in, what an incomplete report is told, two people at once, and the
controller's return. The set-up is tests/followup/test_reports.py's."""

import pytest
from django.urls import reverse

from followup.models import FollowUpReport, PeriodKind, Progress
from followup.services import return_report
from rounds.models import AnalysisStatus, Grad, Phase
from tests.factories import analysis_of
from tests.followup.test_reports import (
    BILDNING,
    STAFF_OF_BILDNING,
    decided_proposal,
    file_report,
    make_case,
    make_round_2026,
    period,
    user,
)
from tests.helpers import CAST, assert_queries_do_not_grow, assert_sent_to_sign_in, cast_except

# Who reads Bildning's reports: its staff, the controller and the läsare.
READERS = ("controller", "revisor", *STAFF_OF_BILDNING)


@pytest.fixture
def case(demo):
    return make_case(make_round_2026())


def url(proposal, slug="delar"):
    return reverse("followup_report", args=[2026, slug, proposal.number])


def return_url(proposal, slug="delar"):
    return reverse("followup_report_return", args=[2026, slug, proposal.number])


def report_of(proposal, kind=PeriodKind.DELAR):
    return FollowUpReport.objects.filter(period__kind=kind, proposal=proposal).first()


def form_data(**values):
    data = {
        "version": "",
        "progress": "",
        "cost_outcome_tkr": "",
        "effect_achieved": "",
        "effect_text": "",
        "deviation": "",
        "measures": "",
    }
    data.update({key: str(value) for key, value in values.items()})
    return data


COMPLETE = form_data(
    progress=Progress.ENLIGT_PLAN,
    cost_outcome_tkr="790",
    effect_achieved=Grad.STOR,
    effect_text="Alla skolor har läsombud.",
)


# --- reading --------------------------------------------------------------------


@pytest.mark.parametrize("username", STAFF_OF_BILDNING)
def test_staff_see_the_decision_beside_the_report_form(case, signed_in, username):
    response = signed_in(username).get(url(case["a"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Läsfrämjande insatser" in html
    assert reverse("proposal_detail", args=[2026, case["a"].number]) in html
    assert "Bildningsnämnden" in html
    assert "Beslutat av kommunfullmäktige." in html  # the motivation
    assert response.context["decided_tkr"] == 1200
    assert response.context["budget_tkr"] == 800  # 8/12 at Delår
    assert "1\u00a0200\u00a0tkr" in html and "800\u00a0tkr" in html
    assert response.context["expected_effect"] == "Stor"
    # The form: the status as a radio group with its legend, both buttons.
    assert "<legend>Genomförandestatus</legend>" in html
    for label in ("Ej påbörjad", "Enligt plan", "Mindre avvikelse", "Större avvikelse"):
        assert f">{label}</label>" in html
    assert "<legend>Uppnådd effekt</legend>" in html
    assert ">Mycket stor</label>" in html
    assert 'name="lamna_in"' in html and "Spara utkast" in html
    assert "Ingen rapport ännu" in html


def test_the_partly_financed_amount_is_the_granted_one(case, signed_in):
    response = signed_in("tjp-bildning").get(url(case["b"], "tertial-1"))
    assert (response.context["decided_tkr"], response.context["budget_tkr"]) == (600, 200)
    assert response.context["timing"].label == "Försenad – saknas"


def test_the_controller_reads_without_a_form(case, signed_in):
    file_report(period(case["round"], PeriodKind.DELAR), case["a"])
    response = signed_in("controller").get(url(case["a"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["form"] is None
    assert "Spara utkast" not in html
    assert "Alla skolor" not in html and "Fler elever läser varje dag." in html
    assert response.context["return_form"] is None  # a draft is not returned


@pytest.mark.parametrize("username", cast_except(*READERS))
def test_others_may_not_read_the_report(case, signed_in, username):
    file_report(period(case["round"], PeriodKind.DELAR), case["a"])
    assert signed_in(username).get(url(case["a"])).status_code == 403


def test_reading_needs_sign_in(case, client):
    assert_sent_to_sign_in(client.get(url(case["a"])))


def test_social_staff_may_read_their_own_but_not_bildnings(case, signed_in):
    client = signed_in("tjp-social")
    assert client.get(url(case["social"])).status_code == 200
    assert client.get(url(case["a"])).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/omgangar/2026/uppfoljning/tertial-2/1/",  # no such period
        "/omgangar/2026/uppfoljning/arsbokslut/1/",  # a period the round does not have
        "/omgangar/2026/uppfoljning/delar/3/",  # rejected: not followed up
        "/omgangar/2026/uppfoljning/delar/99/",  # no such proposal
        "/omgangar/2031/uppfoljning/delar/1/",  # no such round
    ],
)
def test_what_is_not_followed_up_is_not_found(case, signed_in, path):
    assert case["rejected"].number == 3
    client = signed_in("tjp-bildning")
    assert client.get(path).status_code == 404
    assert client.post(path, COMPLETE).status_code == 404
    assert not FollowUpReport.objects.exists()


def test_a_withdrawn_proposal_is_not_followed_up(case, signed_in):
    from django.utils import timezone

    proposal = case["a"]
    proposal.withdrawn_at = timezone.now()
    proposal.save()
    assert signed_in("tjp-bildning").get(url(proposal)).status_code == 404


# --- saving a draft ---------------------------------------------------------------


def test_staff_save_a_draft_in_swedish_numbers(case, signed_in):
    response = signed_in("tjp-bildning").post(
        url(case["a"]),
        form_data(progress=Progress.ENLIGT_PLAN, cost_outcome_tkr="1 200", spara="1"),
    )
    assert response.status_code == 302
    assert response["Location"] == url(case["a"])
    report = report_of(case["a"])
    assert report.state == AnalysisStatus.DRAFT
    assert (report.progress, report.cost_outcome_tkr) == (Progress.ENLIGT_PLAN, 1200)
    assert report.effect_achieved is None  # may be empty in a draft
    assert report.created_by.username == "tjp-bildning"
    assert report.version == 1
    assert [h.history_user.username for h in report.history.all()] == ["tjp-bildning"]
    page = signed_in("tjp-bildning").get(url(case["a"])).content.decode()
    assert "Utkastet är sparat." in page
    assert 'value="1\u00a0200"' in page  # shown as a Swede writes it
    assert 'name="version" value="1"' in page


@pytest.mark.parametrize(
    ("typed", "saved"), [("-350", -350), ("−350", -350), ("1\u00a0200", 1200), ("0", 0)]
)
def test_cost_outcome_accepts_how_swedes_write_numbers(case, signed_in, typed, saved):
    response = signed_in("tjp-bildning").post(url(case["a"]), form_data(cost_outcome_tkr=typed))
    assert response.status_code == 302
    assert report_of(case["a"]).cost_outcome_tkr == saved


@pytest.mark.parametrize("typed", ["12,5", "tolv", "1.5"])
def test_a_cost_that_is_not_whole_tkr_is_refused_and_kept(case, signed_in, typed):
    response = signed_in("tjp-bildning").post(
        url(case["a"]), form_data(cost_outcome_tkr=typed, effect_text="Mitt utkast")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ange ett heltal i tkr, t.ex. 1 500 eller −300." in html
    assert f'value="{typed}"' in html
    assert "Mitt utkast" in html
    assert "Rapporten är inte sparad: rätta felen" in html
    assert report_of(case["a"]) is None


def test_a_second_save_moves_the_version_and_the_history_shows_the_change(case, signed_in):
    client = signed_in("tjp-bildning")
    client.post(url(case["a"]), form_data(progress=Progress.EJ_PABORJAD))
    client.post(
        url(case["a"]), form_data(version=1, progress=Progress.ENLIGT_PLAN, cost_outcome_tkr=40)
    )
    report = report_of(case["a"])
    assert (report.version, report.progress, report.cost_outcome_tkr) == (
        2,
        Progress.ENLIGT_PLAN,
        40,
    )
    response = client.get(url(case["a"]))
    [second, first] = response.context["history"]
    assert first.reason == "Skapade rapporten."
    changes = {c.label: (c.old.text, c.new.text) for c in second.changes}
    assert changes == {
        "Genomförandestatus": ("Ej påbörjad", "Enligt plan"),
        "Kostnadsutfall hittills i år (tkr)": ("–", "40\u00a0tkr"),
    }
    assert second.who.username == "tjp-bildning"
    assert "Skapade rapporten." in response.content.decode()


# --- handing in ---------------------------------------------------------------------


def test_staff_hand_in_a_complete_report(case, signed_in):
    client = signed_in("chef-bildning")
    response = client.post(url(case["a"]), {**COMPLETE, "lamna_in": "1"})
    assert response.status_code == 302
    report = report_of(case["a"])
    assert report.state == AnalysisStatus.SUBMITTED
    assert report.submitted_by.username == "chef-bildning"
    assert report.submitted_at is not None
    assert (report.cost_outcome_tkr, report.effect_achieved) == (790, Grad.STOR)
    history = list(report.history.order_by("history_id"))
    assert [(h.history_type, h.state, h.history_change_reason) for h in history] == [
        ("+", AnalysisStatus.DRAFT, "Skapad"),
        ("~", AnalysisStatus.SUBMITTED, "Inlämnad"),
    ]
    response = client.get(url(case["a"]))
    html = response.content.decode()
    assert "Rapporten för 2026-001 är inlämnad." in html
    assert f"av {user('chef-bildning')}." in html
    assert response.context["form"] is None  # handed in: no longer edited
    assert "Inlämnad i tid" in html  # Delår's last day is a month ahead
    assert "Lämnade in rapporten." in html


def test_an_incomplete_report_is_saved_but_not_handed_in(case, signed_in):
    response = signed_in("tjp-bildning").post(
        url(case["a"]),
        form_data(progress=Progress.STORRE_AVVIKELSE, effect_text="Halva effekten", lamna_in="1"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    for message in (
        "Ange kostnadsutfallet hittills i år i tkr (0 om inget har kostat ännu).",
        "Bedöm den uppnådda effekten.",
        "Beskriv avvikelsen: vad skiljer sig från beslutet, och varför.",
        "Beskriv vilka åtgärder förvaltningen föreslår.",
    ):
        assert html.count(message) == 2, message  # in the summary and at the field
    assert 'href="#id_cost_outcome_tkr"' in html
    assert 'href="#id_effect_achieved_0"' in html
    assert "Utkastet är sparat, men rapporten är inte inlämnad." in html
    assert "Halva effekten" in html
    assert 'value="storre_avvikelse" id="id_progress_3" checked' in html
    report = report_of(case["a"])
    assert report.state == AnalysisStatus.DRAFT
    assert (report.progress, report.effect_text) == (Progress.STORRE_AVVIKELSE, "Halva effekten")
    # The form now carries the saved version: the next save is not a conflict.
    assert f'name="version" value="{report.version}"' in html


def test_a_deviation_without_measures_is_not_handed_in(case, signed_in):
    response = signed_in("tjp-bildning").post(
        url(case["a"]),
        form_data(
            progress=Progress.MINDRE_AVVIKELSE,
            cost_outcome_tkr=900,
            effect_achieved=Grad.MATTLIG,
            deviation="Rekryteringen blev försenad.",
            lamna_in="1",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beskriv vilka åtgärder förvaltningen föreslår." in html
    assert "Bedöm den uppnådda effekten." not in html
    assert report_of(case["a"]).state == AnalysisStatus.DRAFT
    response = signed_in("tjp-bildning").post(
        url(case["a"]),
        form_data(
            version=report_of(case["a"]).version,
            progress=Progress.MINDRE_AVVIKELSE,
            cost_outcome_tkr=900,
            effect_achieved=Grad.MATTLIG,
            deviation="Rekryteringen blev försenad.",
            measures="Annonsera igen i januari.",
            lamna_in="1",
        ),
    )
    assert response.status_code == 302
    assert report_of(case["a"]).state == AnalysisStatus.SUBMITTED


# --- two people at once ---------------------------------------------------------------


def test_a_save_over_someone_elses_is_a_conflict_that_keeps_the_input(case, signed_in, client):
    delar = period(case["round"], PeriodKind.DELAR)
    file_report(delar, case["a"], progress=Progress.ENLIGT_PLAN, cost_outcome_tkr=100)
    # chef-bildning loaded version 1; tjp-bildning saves version 2 meanwhile.
    signed_in("tjp-bildning").post(
        url(case["a"]), form_data(version=1, progress=Progress.ENLIGT_PLAN, cost_outcome_tkr=300)
    )
    assert report_of(case["a"]).version == 2
    chef = signed_in("chef-bildning")
    response = chef.post(
        url(case["a"]),
        form_data(version=1, progress=Progress.GENOMFORD, cost_outcome_tkr=250, lamna_in="1"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Någon annan har sparat rapporten medan du skrev." in html
    changes = {
        c["label"]: (c["theirs"].text, c["mine"].text)
        for c in response.context["conflict"]["changes"]
    }
    assert changes == {
        "Genomförandestatus": ("Enligt plan", "Genomförd"),
        "Kostnadsutfall hittills i år (tkr)": ("300\u00a0tkr", "250\u00a0tkr"),
    }
    # Nothing was written; the form keeps the chef's values at the current version.
    report = report_of(case["a"])
    assert (report.version, report.cost_outcome_tkr, report.state) == (2, 300, "utkast")
    assert 'value="250"' in html
    assert 'value="genomford" id="id_progress_4" checked' in html
    assert 'name="version" value="2"' in html
    # Saving again is deliberate, and goes through.
    response = chef.post(
        url(case["a"]), form_data(version=2, progress=Progress.GENOMFORD, cost_outcome_tkr=250)
    )
    assert response.status_code == 302
    assert report_of(case["a"]).cost_outcome_tkr == 250


def test_two_first_drafts_at_once_do_not_overwrite_each_other(case, signed_in):
    signed_in("tjp-bildning").post(url(case["a"]), form_data(effect_text="Tjänstepersonens"))
    # chef-bildning opened the page before there was a report: no version.
    response = signed_in("chef-bildning").post(url(case["a"]), form_data(effect_text="Chefens"))
    assert response.status_code == 200
    assert "Någon annan har sparat rapporten medan du skrev." in response.content.decode()
    assert report_of(case["a"]).effect_text == "Tjänstepersonens"


def test_a_report_handed_in_meanwhile_is_not_changed_and_the_text_is_shown(case, signed_in):
    delar = period(case["round"], PeriodKind.DELAR)
    file_report(
        delar,
        case["a"],
        submit=True,
        **{"progress": Progress.ENLIGT_PLAN, "cost_outcome_tkr": 500, "effect_achieved": Grad.STOR},
    )
    response = signed_in("chef-bildning").post(
        url(case["a"]), form_data(version=1, effect_text="Min text som inte får försvinna")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "har lämnats in av" in html
    assert "Min text som inte får försvinna" in html
    report = report_of(case["a"])
    assert (report.state, report.effect_text) == (AnalysisStatus.SUBMITTED, "")


# --- who may write ------------------------------------------------------------------------


@pytest.mark.parametrize("username", cast_except(*STAFF_OF_BILDNING))
def test_only_bildnings_staff_write_its_reports(case, signed_in, username):
    client = signed_in(username)
    assert client.post(url(case["a"]), {**COMPLETE, "lamna_in": "1"}).status_code == 403
    assert client.post(url(case["a"]), COMPLETE).status_code == 403
    assert report_of(case["a"]) is None


def test_a_post_needs_sign_in(case, client):
    assert_sent_to_sign_in(client.post(url(case["a"]), COMPLETE))
    assert report_of(case["a"]) is None


@pytest.mark.parametrize("phase", [Phase.BESLUT, Phase.AVSLUTAD])
def test_outside_the_follow_up_phase_nobody_writes(case, signed_in, phase):
    round = case["round"]
    round.phase = phase
    round.save()
    client = signed_in("tjp-bildning")
    response = client.get(url(case["a"]))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "Rapporten kan inte ändras nu: omgången är i fasen" in response.content.decode()
    assert client.post(url(case["a"]), COMPLETE).status_code == 403
    assert report_of(case["a"]) is None


def test_a_handed_in_report_is_not_changed_by_post(case, signed_in):
    delar = period(case["round"], PeriodKind.DELAR)
    file_report(
        delar,
        case["a"],
        submit=True,
        **{"progress": Progress.ENLIGT_PLAN, "cost_outcome_tkr": 500, "effect_achieved": Grad.STOR},
    )
    response = signed_in("tjp-bildning").post(url(case["a"]), form_data(version=2))
    assert response.status_code == 403
    assert report_of(case["a"]).cost_outcome_tkr == 500


# --- the controller's return ------------------------------------------------------------------


@pytest.fixture
def submitted(case):
    delar = period(case["round"], PeriodKind.DELAR)
    return file_report(
        delar,
        case["a"],
        submit=True,
        **{"progress": Progress.ENLIGT_PLAN, "cost_outcome_tkr": 500, "effect_achieved": Grad.STOR},
    )


def test_the_controller_sees_the_return_form_on_a_handed_in_report(case, submitted, signed_in):
    html = signed_in("controller").get(url(case["a"])).content.decode()
    assert return_url(case["a"]) in html
    assert "Återlämna rapporten" in html
    html = signed_in("tjp-bildning").get(url(case["a"])).content.decode()
    assert return_url(case["a"]) not in html


def test_the_controller_returns_and_staff_edit_again(case, submitted, signed_in):
    response = signed_in("controller").post(
        return_url(case["a"]), {"comment": "Beskriv effekten för eleverna."}
    )
    assert response.status_code == 302
    assert response["Location"] == url(case["a"])
    report = report_of(case["a"])
    assert report.state == AnalysisStatus.RETURNED
    assert (report.return_comment, report.returned_by.username) == (
        "Beskriv effekten för eleverna.",
        "controller",
    )
    assert report.history.latest().history_change_reason == "Återlämnad"
    client = signed_in("tjp-bildning")
    response = client.get(url(case["a"]))
    html = response.content.decode()
    assert "Beskriv effekten för eleverna." in html
    assert response.context["form"] is not None
    response = client.post(
        url(case["a"]),
        {
            **COMPLETE,
            "version": str(report.version),
            "effect_text": "Eleverna läser mer.",
            "lamna_in": "1",
        },
    )
    assert response.status_code == 302
    report = report_of(case["a"])
    assert (report.state, report.effect_text) == (AnalysisStatus.SUBMITTED, "Eleverna läser mer.")


def test_a_return_needs_a_comment(case, submitted, signed_in):
    response = signed_in("controller").post(return_url(case["a"]), {"comment": "  "})
    assert response.status_code == 200
    assert "Skriv vad förvaltningen behöver komplettera eller ändra." in response.content.decode()
    assert report_of(case["a"]).state == AnalysisStatus.SUBMITTED


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_returns(case, submitted, signed_in, username):
    response = signed_in(username).post(return_url(case["a"]), {"comment": "Tillbaka."})
    assert response.status_code == 403
    assert report_of(case["a"]).state == AnalysisStatus.SUBMITTED


def test_a_draft_or_a_missing_report_is_not_returned(case, signed_in):
    client = signed_in("controller")
    assert client.post(return_url(case["a"]), {"comment": "x"}).status_code == 403
    file_report(period(case["round"], PeriodKind.DELAR), case["a"])
    assert client.post(return_url(case["a"]), {"comment": "x"}).status_code == 403
    assert report_of(case["a"]).state == AnalysisStatus.DRAFT


def test_the_return_is_post_only_and_needs_sign_in(case, submitted, signed_in, client):
    assert_sent_to_sign_in(client.post(return_url(case["a"]), {"comment": "x"}))
    assert signed_in("controller").get(return_url(case["a"])).status_code == 405
    assert report_of(case["a"]).state == AnalysisStatus.SUBMITTED


# --- earlier periods and query counts --------------------------------------------------------


def test_earlier_periods_reports_are_shown_for_reference(case, signed_in):
    t1 = period(case["round"], PeriodKind.TERTIAL_1)
    file_report(
        t1,
        case["a"],
        submit=True,
        **{
            "progress": Progress.MINDRE_AVVIKELSE,
            "cost_outcome_tkr": 150,
            "effect_achieved": Grad.LITEN,
            "deviation": "Böckerna kom sent.",
            "measures": "Beställ tidigare.",
        },
    )
    response = signed_in("tjp-bildning").get(url(case["a"]))
    [earlier] = response.context["earlier"]
    assert earlier.period.kind == PeriodKind.TERTIAL_1
    html = response.content.decode()
    assert "Tidigare perioders rapporter" in html
    assert "Böckerna kom sent." in html and "Beställ tidigare." in html
    # Tertial 1 has no earlier period.
    assert signed_in("tjp-bildning").get(url(case["a"], "tertial-1")).context["earlier"] == []


@pytest.mark.parametrize("username", ["tjp-bildning", "controller"])
def test_report_page_query_count_does_not_grow(case, signed_in, username):
    round = case["round"]
    bildning = analysis_of(round, BILDNING)
    t1 = period(round, PeriodKind.TERTIAL_1)
    delar = period(round, PeriodKind.DELAR)
    file_report(t1, case["a"], submit=True)
    file_report(delar, case["a"])

    def grow():  # more proposals, reports and history
        for number in range(10):
            proposal = decided_proposal(bildning, title=f"Till {number}")
            file_report(t1, proposal, submit=True)
        report = report_of(case["a"])
        for version in range(report.version, report.version + 5):
            signed_in("tjp-bildning").post(
                url(case["a"]), form_data(version=version, cost_outcome_tkr=version)
            )
        assert report_of(case["a"]).version == report.version + 5

    assert_queries_do_not_grow(signed_in(username), url(case["a"]), grow)


def test_every_role_gets_the_right_answer_for_the_report_page(case, submitted, signed_in):
    expected = {name: 200 if name in READERS else 403 for name in CAST}
    got = {name: signed_in(name).get(url(case["a"])).status_code for name in CAST}
    assert got == expected


def test_return_report_service_and_page_agree_on_the_comment(case, submitted, signed_in):
    return_report(submitted, by=user("controller"), comment="Ange utfallet per skola.")
    html = signed_in("chef-bildning").get(url(case["a"])).content.decode()
    assert "Återlämnad" in html and "Ange utfallet per skola." in html
