"""The steps that cannot simply be taken back — moving the phase, submitting
an analysis, returning it, publishing the round, a rättelse — ask first (issue
15): a confirmation page says what will happen and what is missing, and only
its POST, which carries ``confirm=1``, acts. A POST without it (an old form, a
crafted request) changes nothing and is answered with the confirmation page.
The steps themselves, confirmed, are tested beside their views
(test_round_phase.py, test_analysis_workflow.py, test_forum_outcome.py,
test_publication_final.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ranking.models import Decision, DecisionCorrection, ForumResult, NamndResult, Outcome
from ranking.services import decision as decision_services
from rounds.models import Analysis, AnalysisStatus, Phase, PhaseTransition, Round, Svarighetsgrad
from rounds.models.proposal import Grad, Kostnadseffektivitet, Kunskapsunderlag
from tests.factories import make_proposal, make_round
from tests.forum_setup import outcome_round, submitted
from tests.helpers import assert_queries_do_not_grow, cast_except
from tests.test_forum_outcome import ready

Y = {"year": 2027}
MOVE = reverse("round_move_phase", kwargs=Y)
PUBLISH = reverse("forum_publish", kwargs=Y)
CONFIRM = {"confirm": "1"}
ASSESSED = {
    "svarighetsgrad": Svarighetsgrad.STOR,
    "effekt": Grad.STOR,
    "nytta": Grad.STOR,
    "kostnadseffektivitet": Kostnadseffektivitet.HOG,
    "kunskapsunderlag": Kunskapsunderlag.GOD,
}


def workflow_url(analysis, action):
    kwargs = {**Y, "forvaltning_id": analysis.forvaltning_id}
    return reverse(f"analysis_{action}", kwargs=kwargs)


def used_template(response, name):
    return name in [template.name for template in response.templates]


@pytest.fixture
def bildning(demo):
    """Round 2027 in the verksamhetsanalys with Bildning submitted: one
    proposal assessed, one without svårighetsgrad and nytta, one costing 0 tkr."""
    round = make_round()
    analysis = submitted(round, "Bildningsförvaltningen")
    make_proposal(analysis, title="Läxhjälp", **ASSESSED)
    make_proposal(
        analysis, title="Fritidsgård", **{**ASSESSED, "svarighetsgrad": None, "nytta": None}
    )
    make_proposal(analysis, title="Skolbibliotek", cost_year1=0, **ASSESSED)
    return analysis


# --- moving the phase ----------------------------------------------------------------


def test_a_phase_move_without_confirming_changes_nothing(signed_in, bildning):
    round = bildning.round
    history = Round.history.filter(id=round.pk).count()
    response = signed_in("controller").post(MOVE, {"to_phase": Phase.NAMND, "comment": ""})
    assert response.status_code == 200
    assert used_template(response, "rounds/round/move_phase.html")
    assert "Flytta omgången fram till Prioritering i nämnd?" in response.content.decode()
    round.refresh_from_db()
    assert round.phase == Phase.VERKSAMHETSANALYS
    assert not PhaseTransition.objects.exists()
    assert Round.history.filter(id=round.pk).count() == history


def test_a_move_back_without_confirming_changes_nothing(signed_in, bildning):
    data = {"to_phase": Phase.PLANERING, "comment": "Tidplanen ändras."}
    response = signed_in("controller").post(MOVE, data)
    assert response.status_code == 200
    assert "Flytta omgången tillbaka till Planering och instruktioner?" in response.content.decode()
    assert response.context["form"]["comment"].value() == "Tidplanen ändras."  # kept
    assert Round.objects.get().phase == Phase.VERKSAMHETSANALYS
    assert not PhaseTransition.objects.exists()


def test_the_phase_confirmation_names_what_is_missing(signed_in, bildning):
    total = bildning.round.analyses.count()
    response = signed_in("controller").get(MOVE, {"to_phase": Phase.NAMND})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"1 av {total} förvaltningar har lämnat in sin verksamhetsanalys." in text
    assert "Inte inlämnade:" in text
    assert "Socialförvaltningen (utkast)" in text
    assert "Bildningsförvaltningen (" not in text
    assert "2 förslag saknar centrala kriterier" in text
    assert "2027-002 Fritidsgård</a> – saknar svårighetsgrad, nytta för målområdet<" in text
    assert "2027-003 Skolbibliotek</a> – saknar kostnad år 1<" in text
    assert "Läxhjälp" not in text
    assert "om 30 dagar" in text  # the verksamhetsanalys's last day is still ahead


def test_a_scale_the_round_does_not_use_is_not_missing(signed_in, bildning):
    round = bildning.round
    round.uses_kunskapsunderlag = False
    round.save()
    make_proposal(bildning, title="Simskola", **{**ASSESSED, "kunskapsunderlag": None})
    text = signed_in("controller").get(MOVE, {"to_phase": Phase.NAMND}).content.decode()
    assert "2027-002 Fritidsgård</a> – saknar svårighetsgrad, nytta för målområdet<" in text
    assert "Simskola" not in text


def test_the_move_to_the_forum_names_the_namnder_that_have_not_recorded(signed_in, bildning):
    round = bildning.round
    round.phase = Phase.NAMND
    round.save()
    submitted(round, "Socialförvaltningen")
    namnd = bildning.forvaltning.namnd
    NamndResult.objects.create(round=round, namnd=namnd, recorded_at=timezone.now())
    text = signed_in("controller").get(MOVE, {"to_phase": Phase.FORUM}).content.decode()
    assert "Nämnder som inte har registrerat sitt beslut:" in text
    assert "<li>Socialnämnden</li>" in text
    assert "<li>Bildningsnämnden</li>" not in text


def test_the_confirmation_form_carries_the_confirmation(signed_in, bildning):
    response = signed_in("controller").get(MOVE, {"to_phase": Phase.NAMND})
    text = response.content.decode()
    form = text[text.index(f'<form method="post" action="{MOVE}"') :]
    assert '<input type="hidden" name="confirm" value="1">' in form
    assert '<input type="hidden" name="to_phase" value="3">' in form
    assert 'name="submit_key"' in form and 'name="csrfmiddlewaretoken"' in form
    assert "Avbryt" in form


def test_confirmed_the_round_moves(signed_in, bildning):
    response = signed_in("controller").post(MOVE, {"to_phase": Phase.NAMND, **CONFIRM})
    assert response.status_code == 302
    assert Round.objects.get().phase == Phase.NAMND
    assert PhaseTransition.objects.count() == 1


@pytest.mark.parametrize("username", cast_except("controller"))
def test_the_phase_confirmation_is_refused_to_all_but_the_controller(signed_in, bildning, username):
    assert signed_in(username).get(MOVE, {"to_phase": Phase.NAMND}).status_code == 403


def test_the_round_page_tells_forward_from_back(signed_in, bildning):
    text = signed_in("controller").get(reverse("round_detail", kwargs=Y)).content.decode()
    forward = text[text.index('value="3"') : text.index("</button>", text.index('value="3"'))]
    back = text[text.index('value="1"') : text.index("</button>", text.index('value="1"'))]
    assert "button--primary" in forward and "Flytta fram till Prioritering i nämnd" in forward
    assert "button--back" in back and "button--primary" not in back
    assert "←" in back and "Flytta tillbaka till Planering och instruktioner" in back


def test_the_phase_confirmation_queries_do_not_grow(signed_in, bildning):
    def grow():
        for i in range(10):
            make_proposal(bildning, title=f"Fler {i}")

    client = signed_in("controller")
    assert_queries_do_not_grow(client, f"{MOVE}?to_phase=3", grow)


# --- submitting ---------------------------------------------------------------------


@pytest.fixture
def draft(bildning):
    analysis = Analysis.objects.get(pk=bildning.pk)
    analysis.status = AnalysisStatus.DRAFT
    analysis.save()
    return analysis


def test_a_submit_without_confirming_changes_nothing(signed_in, draft):
    history = Analysis.history.filter(id=draft.pk).count()
    response = signed_in("chef-bildning").post(workflow_url(draft, "submit"))
    assert response.status_code == 200
    assert used_template(response, "rounds/analysis/submit.html")
    draft.refresh_from_db()
    assert draft.status == AnalysisStatus.DRAFT
    assert Analysis.history.filter(id=draft.pk).count() == history


def test_the_submit_confirmation_names_the_proposals_lacking_assessment(signed_in, draft):
    text = signed_in("chef-bildning").get(workflow_url(draft, "submit")).content.decode()
    assert "Lämna in till Bildningsnämnden?" in text
    assert "Verksamhetsanalysen och 3 förslag går till Bildningsnämnden." in text
    assert "2027-002 Fritidsgård</a> – saknar svårighetsgrad, nytta för målområdet<" in text
    assert "2027-003 Skolbibliotek</a> – saknar kostnad år 1<" in text
    # Lacking central criteria, it cannot be submitted: no button, and why.
    assert "Analysen kan inte lämnas in ännu." in text
    assert '<input type="hidden" name="confirm" value="1">' not in text


def test_confirmed_the_analysis_is_submitted(signed_in, draft):
    for proposal in draft.proposals.filter(title__in=["Fritidsgård", "Skolbibliotek"]):
        for name, value in {**ASSESSED, "cost_year1": 250}.items():
            setattr(proposal, name, value)
        proposal.save()
    text = signed_in("chef-bildning").get(workflow_url(draft, "submit")).content.decode()
    assert '<input type="hidden" name="confirm" value="1">' in text
    response = signed_in("chef-bildning").post(workflow_url(draft, "submit"), CONFIRM)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AnalysisStatus.SUBMITTED


@pytest.mark.parametrize("username", ["tjp-bildning", "controller"])
def test_the_submit_confirmation_is_refused_to_who_may_not_submit(signed_in, draft, username):
    assert signed_in(username).get(workflow_url(draft, "submit")).status_code == 403


def test_the_submit_confirmation_queries_do_not_grow(signed_in, draft):
    def grow():
        for i in range(10):
            make_proposal(draft, title=f"Fler {i}")

    client = signed_in("chef-bildning")
    assert_queries_do_not_grow(client, workflow_url(draft, "submit"), grow)


# --- returning ----------------------------------------------------------------------


def test_a_return_without_confirming_changes_nothing(signed_in, bildning):
    history = Analysis.history.filter(id=bildning.pk).count()
    data = {"comment": "Komplettera kostnaderna."}
    response = signed_in("controller").post(workflow_url(bildning, "return"), data)
    assert response.status_code == 200
    assert used_template(response, "rounds/analysis/return.html")
    text = response.content.decode()
    assert "Komplettera kostnaderna." in text  # what was written is kept
    assert "Analysen och 3 förslag går tillbaka till Bildningsförvaltningen" in text
    bildning.refresh_from_db()
    assert bildning.status == AnalysisStatus.SUBMITTED
    assert Analysis.history.filter(id=bildning.pk).count() == history


def test_the_return_page_carries_the_confirmation_and_a_danger_button(signed_in, bildning):
    text = signed_in("controller").get(workflow_url(bildning, "return")).content.decode()
    assert '<input type="hidden" name="confirm" value="1">' in text
    assert 'class="button button--danger">Återlämna</button>' in text


# --- publishing ---------------------------------------------------------------------


@pytest.fixture
def forum(demo):
    return outcome_round()


def test_a_publish_without_confirming_changes_nothing(signed_in, forum, demo):
    round = ready(forum, demo)
    result = ForumResult.objects.get(round=round)
    history = ForumResult.history.filter(id=result.pk).count()
    response = signed_in("controller").post(PUBLISH)
    assert response.status_code == 200
    assert used_template(response, "ranking/decision/publish.html")
    result.refresh_from_db()
    assert result.published_at is None
    assert ForumResult.history.filter(id=result.pk).count() == history


def test_the_publish_confirmation_names_unanswered_review_questions(signed_in, forum, demo):
    ready(forum, demo)  # three of the five questions answered
    text = signed_in("controller").get(PUBLISH).content.decode()
    assert "Granskningsfrågor utan svar:" in text
    assert "Uppfylls lagkraven?" in text and "Går förslagen att genomföra?" in text
    assert "Finns det risk för särbehandling?" not in text
    assert "Publiceringen kan inte tas tillbaka." in text
    assert '<input type="hidden" name="confirm" value="1">' in text


def test_the_publish_confirmation_lists_what_stops_it_and_offers_no_button(signed_in, forum):
    round, _proposals = forum
    round.phase = Phase.BESLUT
    round.save()
    text = signed_in("controller").get(PUBLISH).content.decode()
    assert "Resultatet kan inte publiceras än:" in text
    assert "Beslut saknas för 4 förslag" in text
    assert "Granskningen är inte registrerad." in text
    assert 'name="confirm"' not in text


@pytest.mark.parametrize("username", cast_except("controller"))
def test_the_publish_confirmation_is_refused_to_all_but_the_controller(
    signed_in, forum, demo, username
):
    ready(forum, demo)
    assert signed_in(username).get(PUBLISH).status_code == 403


# --- a rättelse ---------------------------------------------------------------------


@pytest.fixture
def published(forum, demo):
    round = ready(forum, demo)
    decision_services.publish(round, by=demo["controller"])
    return round, forum[1][0]


REASON = "Kommunfullmäktige beslutade 2027-03-12 § 45 att avslå förslaget."


def correction_url(proposal):
    return reverse("forum_correction", kwargs={**Y, "number": proposal.number})


def test_a_correction_is_shown_back_before_it_is_recorded(signed_in, published):
    _round, proposal = published
    data = {"outcome": Outcome.AVSLAS, "reason": REASON}
    response = signed_in("controller").post(correction_url(proposal), data)
    assert response.status_code == 200
    assert used_template(response, "ranking/decision/correction_confirm.html")
    text = response.content.decode()
    assert "Gäller efter rättelsen" in text and "Avslås" in text and REASON in text
    assert '<button type="submit" name="confirm" value="1"' in text
    assert not DecisionCorrection.objects.exists()


def test_a_correction_that_would_be_refused_is_not_offered_for_confirmation(signed_in, published):
    """The service's rules are checked before the confirmation page: a
    rättelse that changes nothing is refused on the form, not after "Bekräfta"."""
    _round, proposal = published
    holding = Decision.objects.get(proposal=proposal)
    data = {"outcome": holding.outcome, "amount": holding.amount_tkr or "", "reason": REASON}
    response = signed_in("controller").post(correction_url(proposal), data)
    assert used_template(response, "ranking/decision/correction.html")
    assert not used_template(response, "ranking/decision/correction_confirm.html")
    assert "Rättelsen ändrar inget" in response.content.decode()
    assert not DecisionCorrection.objects.exists()


def test_andra_goes_back_to_the_form_with_what_was_written(signed_in, published):
    _round, proposal = published
    data = {"outcome": Outcome.AVSLAS, "reason": REASON, "andra": "1"}
    response = signed_in("controller").post(correction_url(proposal), data)
    assert used_template(response, "ranking/decision/correction.html")
    assert REASON in response.content.decode()
    assert not DecisionCorrection.objects.exists()


def test_confirmed_the_correction_is_recorded(signed_in, published):
    _round, proposal = published
    data = {"outcome": Outcome.AVSLAS, "reason": REASON, **CONFIRM}
    assert signed_in("controller").post(correction_url(proposal), data).status_code == 302
    assert DecisionCorrection.objects.get().reason == REASON
