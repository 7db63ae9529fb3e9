"""The three purposes of a round on every page that shows the budget line
(ranking.budget): the budget line page with its rule text, key figures, the
savings against a required reduction and the frame to try; the decisions
page, the public page, the decision document and the Excel export; the round
forms' label, help text and refusal of a frame when reallocating; and query
counts that do not grow."""

import pytest
from django.urls import reverse

from ranking import budget, selectors
from ranking.documents import excel, pdf_content
from ranking.services import decision as decision_services
from rounds.models import ProposalType, Purpose, Round
from tests.factories import make_proposal
from tests.forum_setup import outcome_round, send_on, submitted
from tests.helpers import assert_queries_do_not_grow
from tests.test_excel_export import export, values
from tests.test_forum_outcome import ready
from tests.test_pdf_content import part_with, plain

Y = {"year": 2027}
BUDGET = reverse("forum_budget", kwargs=Y)
DECISIONS = reverse("forum_decisions", kwargs=Y)
PUBLIC = reverse("public_round", kwargs=Y)
SETTINGS = "/omgangar/2027/installningar/"
NB = "\xa0"


def tkr(value: int) -> str:
    return f"{value:,}".replace(",", NB) + f"{NB}tkr"


@pytest.fixture
def forum(demo):
    """The outcome round (frame 1 000; second 400, first 600, third 300 and a
    saving of 200, in that order) whose saving says what it costs."""
    round, proposals = outcome_round()
    saving = proposals[3]
    saving.konsekvensanalys = "Färre leverantörer"
    saving.save()
    return round, proposals


def with_purpose(round, purpose, frame) -> Round:
    round.purpose, round.frame_tkr = purpose, frame
    round.save()
    return round


# --- a reduction ---


def test_a_reduction_round_shows_the_savings_against_the_required_reduction(forum, signed_in):
    round, (_first, second, _third, _saving) = forum
    with_purpose(round, Purpose.MINSKADE, 150)
    text = signed_in("revisor").get(BUDGET).content.decode()
    assert str(budget.RULE_MINSKADE) in text
    assert str(budget.RULE) not in text
    assert "Krav på minskning år 1" in text and "Ram inklusive besparingar" not in text
    # The saving (200) meets the 150 and over-meets it by 50: that 50 is all a
    # reduction has for what costs; the first in order (second, 400) does not fit.
    assert f"Kravet på minskning, {tkr(150)}, nås och överträffas med {tkr(50)}." in text
    assert "Besparingarna mot kravet på minskning" in text
    assert "Behövs för att nå minskningen" in text
    assert "Färre leverantörer" in text  # what the saving costs in konsekvens
    line_row = f"Budgetlinjen – överskottet utöver kravet på minskning, {tkr(50)}"
    assert line_row in text
    assert text.index(line_row) < text.index(second.title, text.index(line_row))
    assert "Pröva ett annat krav på minskning (tkr)" in text
    assert "Sammanlagd besparing år 1 mot kravet på minskning" in text  # the chart


def test_a_reduction_not_met_says_how_much_is_missing(forum, signed_in):
    round, _ = forum
    with_purpose(round, Purpose.MINSKADE, 500)
    text = signed_in("revisor").get(BUDGET).content.decode()
    assert f"Kravet på minskning, {tkr(500)}, nås inte: det saknas {tkr(300)}." in text
    # Not reached: no row says the requirement is reached.
    assert "är nått. Besparingarna nedanför" not in text


def test_trying_another_required_reduction_saves_nothing(forum, signed_in):
    round, _ = forum
    with_purpose(round, Purpose.MINSKADE, 500)
    client = signed_in("controller")
    text = client.get(BUDGET, {"ram": "200"}).content.decode()
    assert f"Du prövar kravet på minskning {tkr(200)}. Inget är sparat." in text
    assert f"Kravet på minskning, {tkr(200)}, nås precis." in text
    assert f"Spara {tkr(200)} som omgångens krav på minskning" in text
    text = client.get(BUDGET, {"ram": "-3"}).content.decode()
    assert "Ange kravet på minskning som ett positivt tal, t.ex. 5000." in text
    assert Round.objects.get(pk=round.pk).frame_tkr == 500


def test_a_refused_saving_does_not_count_towards_the_reduction_on_the_page(forum, demo, signed_in):
    round = ready(forum, demo)
    _round, (_first, _second, _third, saving) = forum
    decision = saving.decision
    decision.outcome = "avslas"
    decision.save()
    with_purpose(round, Purpose.MINSKADE, 150)
    text = signed_in("revisor").get(BUDGET).content.decode()
    assert f"Kravet på minskning, {tkr(150)}, nås inte: det saknas {tkr(150)}." in text
    assert "Besparingar som inte genomförs" in text


def test_the_decisions_page_says_which_savings_reach_the_reduction(forum, signed_in):
    round, _ = forum
    with_purpose(round, Purpose.MINSKADE, 150)
    text = signed_in("controller").get(DECISIONS).content.decode()
    assert "Besparing, behövs för att nå minskningen" in text


def test_the_public_page_and_the_decision_document_follow_a_reduction(forum, demo, client):
    round = ready(forum, demo)
    with_purpose(round, Purpose.MINSKADE, 150)
    decision_services.publish(round, by=demo["controller"])
    text = client.get(PUBLIC).content.decode()
    assert str(budget.RULE_MINSKADE) in text
    assert f"Kravet på minskning, {tkr(150)}, nås och överträffas med {tkr(50)}." in text
    assert "Krav på minskning år 1" in text
    layout = pdf_content.decision_document(Round.objects.get(pk=round.pk))
    summary = plain(part_with(layout, "sammanfattning"))
    assert "Kravet på minskning är 150 tkr; besparingarna i forumets ordning sparar 200 tkr" in (
        summary
    )
    assert "Krav på minskning år 1 150 tkr" in summary
    assert plain(str(budget.RULE_MINSKADE))[:80] in plain(part_with(layout, "budgetlinje"))
    assert "Krav på minskning 150 tkr" in plain(layout.front({}))


def test_the_excel_decisions_header_follows_a_reduction(forum, demo):
    round = ready(forum, demo)
    with_purpose(round, Purpose.MINSKADE, 150)
    wb, _rows = export(excel.write_decisions, round)
    ws = wb.worksheets[0]
    block = {row[0]: row[1] for row in values(ws)[1:7]}
    assert block["Krav på minskning (tkr)"] == 150
    assert block["Besparingar utöver kravet (tkr)"] == 50
    assert block["Saknas för att nå minskningen (tkr)"] == 0
    assert ws.freeze_panes == "A10"  # the table starts where it does for new money
    words = [row[14] for row in values(ws, 10)]
    assert "Besparing, behövs för att nå minskningen" in words


def test_the_reduction_page_does_not_grow_with_savings(forum, demo, signed_in):
    round, _ = forum
    with_purpose(round, Purpose.MINSKADE, 150)
    social = submitted(round, "Socialförvaltningen")

    def grow():
        for i in range(6):
            send_on(
                round,
                make_proposal(
                    social,
                    title=f"Sparar {i}",
                    cost_year1=-20,
                    typ=ProposalType.EFFEKTIVISERING,
                    konsekvensanalys="Lite sämre",
                ),
                "Socialnämnden",
            )

    assert_queries_do_not_grow(signed_in("controller"), BUDGET, grow)


# --- reallocation ---


def test_a_reallocation_round_has_a_zero_frame_and_no_frame_to_try(forum, signed_in):
    round, (_first, second, _third, _saving) = forum
    with_purpose(round, Purpose.OMFORDELA, 0)
    client = signed_in("controller")
    text = client.get(BUDGET, {"ram": "5000"}).content.decode()
    assert str(budget.RULE_OMFORDELA) in text
    assert "Ram år 1 (inga nya pengar vid omfördelning)" in text
    assert 'name="ram"' not in text and "Du prövar" not in text
    # Only the saving (200) funds needs: the first in order (second, 400) draws the line.
    line_row = f"Budgetlinjen – besparingarna, {tkr(200)}"
    assert line_row in text
    assert text.index(line_row) < text.index(second.title, text.index(line_row))
    response = client.post(BUDGET, {"ram": "1000"}, follow=True)
    assert "vid omfördelning av befintliga resurser är ramen 0" in response.content.decode()
    assert Round.objects.get(pk=round.pk).frame_tkr == 0


def test_a_reallocation_ignores_a_frame_stored_before(forum):
    round, _ = forum
    with_purpose(round, Purpose.OMFORDELA, 1000)  # saved before the rule
    rows = selectors.outcome_rows(round)
    line = selectors.with_line(rows, round.frame_tkr, round.purpose)
    assert (line.frame, line.effective_frame) == (0, 200)


# --- new money, as before ---


def test_a_new_money_round_keeps_its_rule_and_figures(forum, signed_in):
    text = signed_in("revisor").get(BUDGET).content.decode()
    assert str(budget.RULE) in text
    assert "Ram inklusive besparingar" in text and "Krav på minskning" not in text


# --- the round forms ---


def settings_data(round, **changes):
    """The settings form as the round stands (its riktvärden and states too)."""
    from rounds.guidance import STATE_FIELD_NAMES
    from rounds.models.round import RIKTVARDE_LEVELS, riktvarde_fields

    data = {"version": str(round.settings_version), "purpose": round.purpose}
    data.update({"frame_tkr": str(round.frame_tkr), "instructions": ""})
    for _level, name in RIKTVARDE_LEVELS:
        for field in riktvarde_fields(name):
            data[field] = str(getattr(round, field))
    for field in STATE_FIELD_NAMES:
        data[field] = getattr(round, field)
    data.update(changes)
    return data


def test_the_settings_label_and_help_follow_the_purpose(forum, signed_in):
    round, _ = forum
    client = signed_in("controller")
    html = client.get(SETTINGS).content.decode()
    assert "Ekonomiskt utrymme (tkr)" in html and "Syftet avgör vad beloppet nedan är" in html
    with_purpose(round, Purpose.MINSKADE, 500)
    html = client.get(SETTINGS).content.decode()
    assert "Krav på minskning (tkr)" in html
    assert "som ett positivt tal" in html
    with_purpose(round, Purpose.OMFORDELA, 0)
    html = client.get(SETTINGS).content.decode()
    assert "ramen är 0 och besparingarna finansierar nya behov. Ange 0." in html


def test_settings_refuse_a_frame_when_reallocating_and_lose_nothing(forum, signed_in):
    round, _ = forum
    client = signed_in("controller")
    data = settings_data(round, purpose="omfordela", frame_tkr="1000", instructions="Behåll")
    response = client.post(SETTINGS, data)
    assert response.status_code == 200
    assert response.context["form"].errors["frame_tkr"] == [
        (
            "Vid omfördelning av befintliga resurser är ramen 0: besparingarna finansierar "
            "nya behov. Ange 0, eller välj ett annat syfte."
        )
    ]
    assert response.context["form"]["instructions"].value() == "Behåll"
    assert Round.objects.get(pk=round.pk).purpose == Purpose.NYA
    response = client.post(SETTINGS, {**data, "frame_tkr": "0"})
    assert response.status_code == 302
    assert Round.objects.get(pk=round.pk).purpose == Purpose.OMFORDELA


def test_creating_a_reallocating_round_refuses_a_frame(demo, signed_in):
    client = signed_in("controller")
    data = {"budget_year": "2031", "purpose": "omfordela", "frame_tkr": "500", "copy_from": ""}
    response = client.post(reverse("round_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["frame_tkr"]
    assert not Round.objects.filter(budget_year=2031).exists()
    response = client.post(reverse("round_create"), {**data, "frame_tkr": "0"})
    assert Round.objects.get(budget_year=2031).frame_tkr == 0
