"""Genomförande (issue 16): where a decided proposal was taken into its
nämnd's verksamhetsplan, budget and internkontrollplan, each part with a date
and a reference, recorded as it happens. The controller and the proposal's
förvaltning record it, once the round is published and only for a decision
that is carried out; the läsare and the ledamöter read it; the rest are
refused. Bad input is refused in Swedish with nothing lost, every change is
kept in the history, and the follow-up overview, the proposal page and the
follow-up report (PDF and Excel) show it, without more queries per proposal.

The set-up is tests/followup/test_reports.py's, its round published."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from followup.documents.followup import followup_document, write_followup
from followup.models import Implementation, PeriodKind
from followup.rules import FOLLOWED_UP, overview
from followup.services import ImplementationConflict, record_implementation
from prioritering.access import may
from prioritering.audit import save_as
from prioritering.history import implementation_history
from ranking.models import ForumResult, Outcome
from rounds.models import Analysis, AnalysisStatus
from tests.factories import analysis_of, make_proposal
from tests.followup.test_reports import (
    BILDNING,
    SOCIAL,
    decided_proposal,
    make_case,
    make_round_2026,
    period,
    user,
)
from tests.helpers import CAST, assert_queries_do_not_grow

YEAR = 2026
TODAY = timezone.localdate()
VP_DAY = TODAY - datetime.timedelta(days=40)
BUDGET_DAY = TODAY - datetime.timedelta(days=20)

# Who records a Bildning proposal's genomförande, and who reads it.
RECORDERS = {"controller", "chef-bildning", "tjp-bildning"}
READERS = RECORDERS | {"revisor", "ledamot-bildning"}


def publish(round):
    ForumResult.objects.update_or_create(
        round=round,
        defaults={"published_at": timezone.now(), "published_by": user("controller")},
    )


@pytest.fixture
def case(demo):
    case = make_case(make_round_2026())
    # Decided proposals come from submitted analyses (which everyone reads).
    for analysis in Analysis.objects.filter(round=case["round"]):
        analysis.status = AnalysisStatus.SUBMITTED
        save_as(analysis, user("controller"))
    publish(case["round"])
    return case


def proposal_of(proposal):
    """The proposal as the pages read it (its decision and publication along)."""
    from rounds.models import Proposal

    return Proposal.objects.select_related(
        "round__forum_result", "analysis__forvaltning", "decision"
    ).get(pk=proposal.pk)


def url(proposal):
    return reverse("proposal_implementation", args=[YEAR, proposal.number])


def fields(**changes):
    values = {
        "vp_date": VP_DAY,
        "vp_reference": "VP 2026 avsnitt 4.2",
        "budget_date": None,
        "budget_reference": "",
        "ikp_date": None,
        "ikp_reference": "",
        "comment": "",
    }
    values.update(changes)
    return values


def posted(**changes):
    data = {
        "vp_date": VP_DAY.isoformat(),
        "vp_reference": "VP 2026 avsnitt 4.2",
        "budget_date": "",
        "budget_reference": "",
        "ikp_date": "",
        "ikp_reference": "",
        "comment": "",
        "version": "",
    }
    data.update(changes)
    return data


def record(proposal, by="tjp-bildning", version=None, **changes):
    return record_implementation(proposal, fields(**changes), by=user(by), expected_version=version)


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", CAST)
def test_the_controller_and_the_forvaltning_record_it(case, username):
    proposal = proposal_of(case["a"])
    assert may(user(username), "record_implementation", proposal) is (username in RECORDERS)


@pytest.mark.parametrize("username", CAST)
def test_the_lasare_and_the_ledamoter_read_it(case, username):
    proposal = proposal_of(case["a"])
    assert may(user(username), "view_implementation", proposal) is (username in READERS)


def test_another_forvaltnings_staff_may_not_record_it(case):
    assert not may(user("tjp-social"), "record_implementation", proposal_of(case["a"]))
    assert may(user("tjp-social"), "record_implementation", proposal_of(case["social"]))
    assert not may(user("tjp-bildning"), "record_implementation", proposal_of(case["social"]))
    with pytest.raises(PermissionDenied):
        record(case["a"], by="tjp-social")
    assert not Implementation.objects.exists()


def test_a_forumdeltagare_may_not_record_it(case):
    with pytest.raises(PermissionDenied):
        record(case["a"], by="forum-1")
    assert not Implementation.objects.exists()


@pytest.mark.parametrize("username", ["controller", "tjp-bildning"])
def test_not_for_a_rejected_or_undecided_proposal(case, username):
    undecided = make_proposal(analysis_of(case["round"], BILDNING), title="Obeslutat")
    for proposal in (case["rejected"], undecided):
        assert not may(user(username), "record_implementation", proposal_of(proposal))
        assert not may(user(username), "view_implementation", proposal_of(proposal))
        with pytest.raises(PermissionDenied):
            record(proposal, by=username)
    assert not Implementation.objects.exists()


@pytest.mark.parametrize(
    "outcome", [outcome for outcome in FOLLOWED_UP if outcome != Outcome.FINANSIERAS]
)
def test_every_decision_that_is_carried_out_is_implemented(case, outcome):
    proposal = decided_proposal(
        analysis_of(case["round"], BILDNING), outcome, 100 if outcome == Outcome.DELVIS else None
    )
    assert may(user("tjp-bildning"), "record_implementation", proposal_of(proposal))


def test_not_before_the_round_is_published(case):
    ForumResult.objects.filter(round=case["round"]).delete()
    assert not may(user("controller"), "record_implementation", proposal_of(case["a"]))
    assert not may(user("revisor"), "view_implementation", proposal_of(case["a"]))
    with pytest.raises(PermissionDenied):
        record(case["a"], by="controller")
    assert not Implementation.objects.exists()


# --- the service ---------------------------------------------------------------------------


def test_a_part_is_recorded_as_it_happens_and_the_history_keeps_each_version(case):
    first = record(case["a"])
    assert (first.vp_date, first.vp_reference, first.version) == (
        VP_DAY,
        "VP 2026 avsnitt 4.2",
        1,
    )
    assert first.budget_date is None and first.updated_by == user("tjp-bildning")
    second = record(
        case["a"],
        by="controller",
        version=1,
        budget_date=BUDGET_DAY,
        budget_reference="  KF § 112 ",
        comment="Ramen höjd med 1,2 mnkr.",
    )
    assert second.pk == first.pk and second.version == 2
    assert second.budget_reference == "KF § 112"
    assert Implementation.objects.count() == 1
    reasons = [r.history_change_reason for r in first.history.order_by("history_date")]
    assert reasons == ["Registrerat", "Ändrat"]
    newest, oldest = implementation_history(second)
    assert oldest.created and oldest.who == user("tjp-bildning")
    assert newest.who == user("controller")
    changed = {change.label: (change.old.text, change.new.text) for change in newest.changes}
    assert changed["Datum i budgeten"] == (
        "–",
        f"{BUDGET_DAY.day} {_month(BUDGET_DAY)} {BUDGET_DAY.year}",
    )
    assert changed["Referens i budgeten"] == ("–", "KF § 112")
    assert "Datum i verksamhetsplanen" not in changed


def _month(day):
    return [
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
        "september", "oktober", "november", "december",
    ][day.month - 1]  # fmt: skip


def test_a_stale_save_is_a_conflict_and_writes_nothing(case):
    record(case["a"])
    record(case["a"], by="chef-bildning", version=1, vp_reference="VP 2026 avsnitt 5")
    with pytest.raises(ImplementationConflict) as conflict:
        record(case["a"], version=1, vp_reference="VP 2026 avsnitt 6")
    assert conflict.value.current.version == 2
    assert Implementation.objects.get().vp_reference == "VP 2026 avsnitt 5"
    # A first save when someone else saved first is a conflict too.
    with pytest.raises(ImplementationConflict):
        record(case["a"], version=None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"vp_reference": ""},
            "vp_reference",
            "Ange referensen i verksamhetsplanen, t.ex. avsnitt eller paragraf.",
        ),
        (
            {"vp_date": None, "budget_reference": "KF § 112"},
            "budget_date",
            "Ange datumet då förslaget togs in i budgeten.",
        ),
        ({"ikp_reference": "x" * 201, "ikp_date": VP_DAY}, "ikp_reference", None),
    ],
)
def test_a_part_needs_both_its_date_and_its_reference(case, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        record(case["a"], **changes)
    assert field in refused.value.message_dict
    if message:
        assert refused.value.message_dict[field] == [message]
    assert not Implementation.objects.exists()


def test_a_date_ahead_is_refused(case):
    ahead = TODAY + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        record(case["a"], vp_date=ahead)
    [message] = refused.value.message_dict["vp_date"]
    assert message.startswith(
        f"Datumet {ahead.day} {_month(ahead)} {ahead.year} har inte kommit än"
    )
    assert not Implementation.objects.exists()


def test_every_part_may_be_left_for_later(case):
    implementation = record(case["a"], vp_date=None, vp_reference="", comment="Tas upp i VP 2027.")
    assert implementation.vp_date is None and implementation.comment == "Tas upp i VP 2027."


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize("username", CAST)
def test_the_page_answers_each_role(client, case, username):
    client.force_login(user(username))
    response = client.get(url(case["a"]))
    if username in READERS:
        assert response.status_code == 200
        html = response.content.decode()
        assert ("Spara genomförandet" in html) is (username in RECORDERS)
    else:
        assert response.status_code in (403, 404)
    response = client.post(url(case["a"]), posted())
    if username in RECORDERS:
        assert response.status_code == 302
        assert response["Location"] == url(case["a"])
    else:
        assert response.status_code in (403, 404)
    assert Implementation.objects.count() == (1 if username in RECORDERS else 0)


def test_anonymous_is_sent_to_sign_in(client, case):
    response = client.get(url(case["a"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_the_page_for_a_rejected_proposal_is_refused(client, case):
    client.force_login(user("controller"))
    assert client.get(url(case["rejected"])).status_code == 403
    assert client.post(url(case["rejected"]), posted()).status_code == 403
    assert not Implementation.objects.exists()


def test_a_saved_part_is_shown_in_swedish_words_with_its_history(client, case):
    client.force_login(user("tjp-bildning"))
    client.post(url(case["a"]), posted())
    html = client.get(url(case["a"])).content.decode()
    assert f"{VP_DAY.day} {_month(VP_DAY)} {VP_DAY.year}</time>, VP 2026 avsnitt 4.2" in html
    assert "Saknas" in html  # budget and internkontrollplan
    assert "Registrerade genomförandet." in html
    assert 'name="version" value="1"' in html
    # The läsare reads the same, without the form.
    client.force_login(user("revisor"))
    html = client.get(url(case["a"])).content.decode()
    assert "VP 2026 avsnitt 4.2" in html and "Spara genomförandet" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("vp_date", "31/02/2026", "Ange ett datum som finns, t.ex. 2026-12-15."),
        ("vp_date", "2026-02-30", "Ange ett datum som finns, t.ex. 2026-12-15."),
        ("vp_date", "", "Ange datumet då förslaget togs in i verksamhetsplanen."),
        (
            "vp_reference",
            "",
            "Ange referensen i verksamhetsplanen, t.ex. avsnitt eller paragraf.",
        ),
        ("budget_date", "igår", "Ange ett datum som finns, t.ex. 2026-12-15."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_lost(client, case, field, value, message):
    client.force_login(user("tjp-bildning"))
    data = posted(
        **{field: value}, ikp_reference="IKP 2026 punkt 3", ikp_date=BUDGET_DAY.isoformat()
    )
    data["comment"] = "Beslutad av nämnden i december."
    response = client.post(url(case["a"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    for name, kept in data.items():
        if kept and name != field:
            assert kept in html, name
    if value:
        assert f'value="{value}"' in html
    assert not Implementation.objects.exists()


def test_a_conflict_on_the_page_keeps_what_was_typed(client, case):
    record(case["a"])
    record(case["a"], by="controller", version=1, vp_reference="VP 2026 avsnitt 5")
    client.force_login(user("tjp-bildning"))
    response = client.post(
        url(case["a"]), posted(version="1", vp_reference="VP 2026 avsnitt 9 (min)")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Någon annan har sparat genomförandet medan du skrev." in html
    assert "VP 2026 avsnitt 9 (min)" in html and "VP 2026 avsnitt 5" in html
    assert 'name="version" value="2"' in html
    assert Implementation.objects.get().vp_reference == "VP 2026 avsnitt 5"
    # Saving again now goes through, against the version shown.
    response = client.post(
        url(case["a"]), posted(version="2", vp_reference="VP 2026 avsnitt 9 (min)")
    )
    assert response.status_code == 302
    assert Implementation.objects.get().vp_reference == "VP 2026 avsnitt 9 (min)"


def test_the_proposal_page_shows_it_and_leads_to_the_form(client, case):
    record(case["a"])
    detail = reverse("proposal_detail", args=[YEAR, case["a"].number])
    client.force_login(user("tjp-bildning"))
    html = client.get(detail).content.decode()
    assert 'id="del-genomforande"' in html
    assert "VP 2026 avsnitt 4.2" in html
    assert f'href="{url(case["a"])}">Registrera genomförandet' in html
    # A ledamot reads it; a forumdeltagare and the proposal page of a
    # rejected proposal show no such part.
    client.force_login(user("ledamot-bildning"))
    html = client.get(detail).content.decode()
    assert "VP 2026 avsnitt 4.2" in html and "Registrera genomförandet" not in html
    client.force_login(user("forum-1"))
    assert 'id="del-genomforande"' not in client.get(detail).content.decode()
    client.force_login(user("controller"))
    rejected = reverse("proposal_detail", args=[YEAR, case["rejected"].number])
    assert 'id="del-genomforande"' not in client.get(rejected).content.decode()


# --- the overview and the report -------------------------------------------------------------


def overview_url():
    return reverse("followup_overview", args=[YEAR, "delar"])


def test_the_overview_says_per_proposal_where_it_is_taken_in(client, case):
    record(case["a"], budget_date=BUDGET_DAY, budget_reference="KF § 112")
    client.force_login(user("controller"))
    response = client.get(overview_url())
    rows = {row["reference"]: row for row in response.context["rows"]}
    vp = f"VP {VP_DAY.day} {_month(VP_DAY)} {VP_DAY.year}"
    budget = f"Budget {BUDGET_DAY.day} {_month(BUDGET_DAY)} {BUDGET_DAY.year}"
    assert [part["text"] for part in rows[case["a"].reference]["implementation"]] == [
        vp,
        budget,
        "IKP saknas",
    ]
    assert [part["text"] for part in rows[case["social"].reference]["implementation"]] == [
        "VP saknas",
        "Budget saknas",
        "IKP saknas",
    ]
    html = response.content.decode()
    assert vp in html and "IKP saknas" in html
    assert f'href="{url(case["a"])}"' in html
    # The läsare reads it too, and its link leads to the page they may read.
    client.force_login(user("revisor"))
    html = client.get(overview_url()).content.decode()
    assert vp in html and f'href="{url(case["a"])}"' in html


def test_the_overview_rows_carry_it_in_the_same_queries(case, django_assert_num_queries):
    record(case["a"])
    delar = period(case["round"], PeriodKind.DELAR)
    with django_assert_num_queries(2):
        result = overview(case["round"], delar)
    row = next(row for row in result.rows if row.proposal_id == case["a"].pk)
    assert row.implementation_text.startswith("VP ") and "Budget saknas" in row.implementation_text


def test_the_overview_asks_as_many_queries_with_more_implemented_proposals(client, case):
    client.force_login(user("controller"))
    bildning = analysis_of(case["round"], BILDNING)
    social = analysis_of(case["round"], SOCIAL)

    def grow():
        for number in range(6):
            analysis = bildning if number % 2 else social
            proposal = decided_proposal(analysis, title=f"Fler {number}")
            record(
                proposal,
                by="controller",
                budget_date=BUDGET_DAY,
                budget_reference=f"KF § {100 + number}",
            )

    assert_queries_do_not_grow(client, overview_url(), grow)


def test_the_follow_up_report_shows_it(case):
    record(
        case["a"],
        budget_date=BUDGET_DAY,
        budget_reference="KF § 112",
        ikp_date=BUDGET_DAY,
        ikp_reference="IKP 2026 punkt 3",
    )
    delar = period(case["round"], PeriodKind.DELAR)
    layout = followup_document(case["round"], delar)
    html = "".join(part.html for part in layout.parts)
    assert "Genomförande i verksamhetsplan, budget och internkontrollplan" in html
    vp = f"{VP_DAY.day} {_month(VP_DAY)} {VP_DAY.year}, VP 2026 avsnitt 4.2"
    assert vp in html and "IKP 2026 punkt 3" in html
    assert "genomforande" in layout.toc
    out = io.BytesIO()
    write_followup(case["round"], delar, out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["Uppföljning"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][-3:] == ["Verksamhetsplan", "Budget", "Internkontrollplan"]
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference[case["a"].reference][-3] == vp
    assert by_reference[case["a"].reference][-2].endswith(", KF § 112")
    assert by_reference[case["social"].reference][-3:] == ["Saknas"] * 3
