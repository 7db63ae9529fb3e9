"""Every outcome kept: what a nämnd keeps within its own frame ("Inom
nämndens ram") or stops ("Drivs inte vidare") becomes that nämnd's decision
when it records its result — with the result's date, § and comment, kept in
step when the handling changes, followed up when kept, and never mixed up with
the forum's decisions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from followup.rules import followed_up_proposals
from ranking import selectors
from ranking.models import Decision, Handling, Outcome
from ranking.services import decision as decision_services
from ranking.services import namnd as namnd_services
from rounds.models import AnalysisStatus, Namnd, Phase, User
from tests.factories import analysis_of, make_proposal, make_round
from tests.forum_setup import outcome_round

DAY = datetime.date(2027, 3, 12)


@pytest.fixture
def setup(demo):
    round = make_round(phase=Phase.NAMND)
    analysis = analysis_of(round, "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    kept = make_proposal(analysis, title="Inom ramen", rangordning=1, cost_year1=300)
    stopped = make_proposal(analysis, title="Stoppas", rangordning=5, cost_year1=100)
    forwarded = make_proposal(analysis, title="Till forumet", rangordning=2, cost_year1=900)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    ledamot = demo["ledamot-bildning"]
    result = namnd_services.result_for(round, namnd, by=ledamot)
    handlings = {
        kept.pk: Handling.INOM_RAM,
        stopped.pk: Handling.DRIVS_INTE,
        forwarded.pk: Handling.KOMMUNGEMENSAM,
    }
    save(result, handlings, ledamot)
    return round, result, (kept, stopped, forwarded), ledamot


def save(result, handlings, ledamot):
    ranks = {r.proposal_id: r.rank for r in selectors.rankings_of(result)}
    namnd_services.save_rankings(
        result,
        [
            {"proposal_id": pk, "rank": ranks[pk] or 5, "handling": handling}
            for pk, handling in handlings.items()
        ],
        [],
        by=ledamot,
    )


def decisions_of(round):
    return {
        d.proposal.title: (d.outcome, d.motivation)
        for d in Decision.objects.filter(round=round).select_related("proposal")
    }


def test_nothing_is_decided_before_the_namnd_records(setup):
    round, _result, _proposals, _ledamot = setup
    assert decisions_of(round) == {}


def test_recording_makes_the_namnds_own_decisions(setup):
    round, result, (kept, stopped, _forwarded), ledamot = setup
    namnd_services.record_result(result, DAY, "45", "Enligt förvaltningens förslag.", by=ledamot)
    assert decisions_of(round) == {
        "Inom ramen": (Outcome.INOM_RAM, "Enligt förvaltningens förslag."),
        "Stoppas": (Outcome.DRIVS_INTE, "Enligt förvaltningens förslag."),
    }
    decision = Decision.objects.get(proposal=kept)
    assert decision.is_namnd_decision and decision.namnd_result_id == result.pk
    assert decision.decided_by == ledamot
    created = decision.history.get()
    assert (created.history_type, created.history_user) == ("+", ledamot)
    assert Decision.objects.get(proposal=stopped).namnd_result_id == result.pk
    # A second click records nothing new.
    namnd_services.record_result(result, DAY, "45", "Enligt förvaltningens förslag.", by=ledamot)
    assert Decision.history.count() == 2


def test_a_changed_handling_or_comment_after_recording_follows(setup):
    round, result, (kept, stopped, forwarded), ledamot = setup
    namnd_services.record_result(result, DAY, "45", "", by=ledamot)
    save(
        result,
        {
            kept.pk: Handling.KOMMUNGEMENSAM,
            stopped.pk: Handling.INOM_RAM,
            forwarded.pk: Handling.DRIVS_INTE,
        },
        ledamot,
    )
    assert decisions_of(round) == {
        "Stoppas": (Outcome.INOM_RAM, ""),
        "Till forumet": (Outcome.DRIVS_INTE, ""),
    }
    removed = Decision.history.filter(proposal=kept).latest("history_date")
    assert (removed.history_type, removed.history_user) == ("-", ledamot)
    namnd_services.record_result(result, DAY, "46", "Justerat", by=ledamot)
    assert decisions_of(round)["Stoppas"] == (Outcome.INOM_RAM, "Justerat")


def test_the_forums_decision_is_never_touched(setup):
    round, result, (_kept, _stopped, forwarded), ledamot = setup
    controller = User.objects.get(username="controller")
    namnd_services.record_result(result, DAY, "45", "", by=ledamot)
    forum = Decision.objects.create(
        round=round,
        proposal=forwarded,
        outcome=Outcome.AVSLAS,
        motivation="Forumet",
        decided_by=controller,
    )
    save(result, {forwarded.pk: Handling.DRIVS_INTE}, ledamot)
    forum.refresh_from_db()
    assert (forum.outcome, forum.namnd_result_id, forum.motivation) == (
        Outcome.AVSLAS,
        None,
        "Forumet",
    )


def test_the_database_keeps_the_two_kinds_apart(setup):
    round, result, (kept, stopped, _forwarded), ledamot = setup
    with pytest.raises(IntegrityError), transaction.atomic():
        # "Drivs inte vidare" is only ever the nämnd's
        Decision.objects.create(
            round=round, proposal=stopped, outcome=Outcome.DRIVS_INTE, decided_by=ledamot
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        # a nämnd decides only what it keeps or stops
        Decision.objects.create(
            round=round,
            proposal=kept,
            outcome=Outcome.FINANSIERAS,
            namnd_result=result,
            decided_by=ledamot,
        )


def test_the_forum_cannot_decide_drivs_inte(demo):
    round, (first, *_rest) = outcome_round()
    controller = demo["controller"]
    with pytest.raises(ValidationError) as error:
        decision_services.save_decisions(
            round,
            {first.pk: {"outcome": Outcome.DRIVS_INTE, "motivation": "Nej"}},
            by=controller,
        )
    assert "Välj ett beslut bland alternativen" in str(error.value)
    assert not Decision.objects.filter(proposal=first).exists()


def test_kept_proposals_are_followed_up_and_stopped_ones_not(setup):
    round, result, (kept, _stopped, _forwarded), ledamot = setup
    namnd_services.record_result(result, DAY, "45", "", by=ledamot)
    assert list(followed_up_proposals(round)) == [kept]


def test_the_selector_groups_per_namnd_in_its_order(setup):
    round, result, (kept, stopped, _forwarded), ledamot = setup
    namnd_services.record_result(result, DAY, "45", "", by=ledamot)
    [group] = selectors.namnd_decisions(round)
    assert group.result.pk == result.pk
    assert [d.proposal for d in group.kept] == [kept]
    assert [d.proposal for d in group.stopped] == [stopped]
    assert group.kept_tkr == 300
