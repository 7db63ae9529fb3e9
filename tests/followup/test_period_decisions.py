"""The decisions of a nämnd, KS or KF on the measures a follow-up period
proposes (issue 16; the source: "Beslut i nämnder, KS och KF om hantering"):
only the controller records them, once the round is followed up; each bad
input is refused in Swedish with nothing lost; a correction keeps the
history; the period's overview and the follow-up report show them; the
overview's query count does not grow with them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from followup.documents.followup import followup_document
from followup.models import FollowUpPeriod, PeriodDecision, PeriodKind
from followup.services import record_period_decision, set_periods
from prioritering.access import may
from prioritering.audit import save_as
from rounds.models import Namnd, Phase, User
from tests.factories import make_round
from tests.helpers import CAST, assert_queries_do_not_grow

YEAR = 2026


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def period(demo):
    round = make_round(year=YEAR, phase=Phase.UPPFOLJNING)
    today = timezone.localdate()
    set_periods(round, {PeriodKind.DELAR: today}, by=user("controller"))
    return FollowUpPeriod.objects.select_related("round").get(round=round)


@pytest.fixture
def social(demo):
    return Namnd.objects.get(name="Socialnämnden")


def page(period):
    return reverse("period_decisions", args=[YEAR, period.slug])


def overview(period):
    return reverse("followup_overview", args=[YEAR, period.slug])


def valid(social, **changes):
    data = {
        "body": f"namnd-{social.pk}",
        "decision_date": "2026-09-15",
        "paragraph": "§ 87",
        "text": "Socialnämnden beslutade att åtgärderna för Bostad först genomförs.",
    }
    data.update(changes)
    return data


def record(period, by="controller", body="ks", namnd=None, paragraph="12", text="Noterat."):
    return record_period_decision(
        period, body, namnd, datetime.date(2026, 10, 1), paragraph, text, by=user(by)
    )


@pytest.mark.parametrize("username", CAST)
def test_only_the_controller_records_them(period, username):
    assert may(user(username), "record_period_decision", period) is (username == "controller")


def test_not_before_the_round_is_followed_up(period):
    round = period.round
    round.phase = Phase.BESLUT
    save_as(round, user("controller"))
    period.round.refresh_from_db()
    assert not may(user("controller"), "record_period_decision", period)
    with pytest.raises(PermissionDenied):
        record(period)
    assert not PeriodDecision.objects.exists()


@pytest.mark.parametrize("username", CAST)
def test_the_page_answers_each_role(client, period, social, username):
    client.force_login(user(username))
    allowed = username == "controller"
    assert client.get(page(period)).status_code == (200 if allowed else 403)
    response = client.post(page(period), valid(social))
    assert response.status_code == (302 if allowed else 403)
    assert PeriodDecision.objects.count() == (1 if allowed else 0)


def test_a_namnds_decision_is_recorded_and_shown_on_the_overview(client, period, social):
    client.force_login(user("controller"))
    response = client.post(page(period), valid(social))
    assert response["Location"].endswith(f"{overview(period)}#beslut-om-atgarder")
    decision = PeriodDecision.objects.get()
    assert (decision.body, decision.namnd, decision.paragraph) == ("namnd", social, "87")
    assert decision.recorded_by == user("controller")
    html = client.get(overview(period)).content.decode()
    assert "Beslut i nämnder, KS och KF om åtgärderna" in html
    assert "Socialnämnden</strong> 15 september 2026, §&nbsp;87" in html
    assert "åtgärderna för Bostad först genomförs" in html
    # The läsare reads it, without the way to record or correct.
    client.force_login(user("revisor"))
    html = client.get(overview(period)).content.decode()
    assert "Socialnämnden</strong> 15 september 2026, §&nbsp;87" in html
    assert page(period) not in html


def test_ks_and_kf_have_no_namnd(client, period, social):
    client.force_login(user("controller"))
    client.post(page(period), valid(social, body="kf", paragraph="140"))
    decision = PeriodDecision.objects.get()
    assert (decision.body, decision.namnd, decision.body_name) == ("kf", None, "Kommunfullmäktige")


def test_a_correction_keeps_the_earlier_version_in_the_history(client, period, social):
    decision = record(period)
    client.force_login(user("controller"))
    url = reverse("period_decision_edit", args=[YEAR, period.slug, decision.pk])
    assert 'value="12"' in client.get(url).content.decode()
    assert client.post(url, valid(social, paragraph="13")).status_code == 302
    decision.refresh_from_db()
    assert (decision.body, decision.namnd, decision.paragraph) == ("namnd", social, "13")
    reasons = [v.history_change_reason for v in decision.history.order_by("history_date")]
    assert reasons == ["Registrerat", "Rättat"]
    assert PeriodDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "", "Välj vilket organ som beslutade."),
        ("body", "namnd-999999", "Välj vilket organ som beslutade."),
        ("decision_date", "", "Ange sammanträdesdatum."),
        ("decision_date", "31/2", "Ange ett datum som finns, t.ex. 2026-03-12."),
        ("paragraph", "", "Ange paragraf (§)."),
        ("paragraph", "9" * 400, "Paragrafen kan vara högst 20 tecken (nu 400)."),
        ("text", " ", "Skriv vad organet beslutade."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_lost(
    client, period, social, field, value, message
):
    client.force_login(user("controller"))
    data = valid(social, **{field: value})
    response = client.post(page(period), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    for other, kept in data.items():
        if other not in (field, "body"):
            assert kept in html
    assert not PeriodDecision.objects.exists()


def test_the_service_refuses_a_namnd_missing_or_of_another_kommun(period):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        record(period, body="namnd", namnd=None)
    assert refused.value.message_dict["body"] == ["Välj vilken nämnd som beslutade."]
    with pytest.raises(ValidationError) as refused:
        record(period, paragraph="§", text="")
    assert set(refused.value.message_dict) == {"paragraph", "text"}
    assert not PeriodDecision.objects.exists()


def test_the_followup_report_shows_them(period, social):
    record(period, body="namnd", namnd=social, paragraph="87", text="Åtgärderna genomförs.")
    layout = followup_document(period.round, period)
    html = "".join(part.html for part in layout.parts)
    assert "Beslut i nämnder, KS och KF om åtgärderna" in html
    assert "<strong>Socialnämnden</strong> 1 oktober 2026, §\u00a087: Åtgärderna genomförs." in html


def test_the_overview_asks_as_many_queries_with_more_decisions(client, period, social):
    client.force_login(user("controller"))
    record(period)

    def grow():
        for number in range(5):
            record(period, body="namnd", namnd=social, paragraph=str(20 + number))

    assert_queries_do_not_grow(client, overview(period), grow)
    assert_queries_do_not_grow(client, page(period), grow)
