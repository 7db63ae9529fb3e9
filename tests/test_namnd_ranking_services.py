"""The nämnd's ranking services: which proposals it ranks, saving ranks,
handling and order, moving, and recording the decision."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prioritering.audit import save_as
from ranking import ranks, selectors
from ranking.models import Handling, NamndRanking, NamndResult
from ranking.services import namnd as namnd_services
from rounds.models import AnalysisStatus, Namnd, Phase
from tests.factories import analysis_of, make_proposal, make_round

DAY = datetime.date(2027, 3, 12)


def submitted(round, name="Bildningsförvaltningen"):
    analysis = analysis_of(round, name)
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    return analysis


@pytest.fixture
def setup(demo):
    round = make_round(phase=Phase.NAMND)
    analysis = submitted(round)
    proposals = [
        make_proposal(analysis, title="Utan rang", cost_year1=50),
        make_proposal(analysis, title="Tvåa", rangordning=2, cost_year1=200),
        make_proposal(analysis, title="Etta", rangordning=1, cost_year1=300),
    ]
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    return round, namnd, proposals, demo["ledamot-bildning"]


def order_of(result):
    return [r.proposal.title for r in selectors.rankings_of(result)]


def test_result_starts_in_the_forvaltnings_own_order(setup):
    round, namnd, _proposals, ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    assert order_of(result) == ["Etta", "Tvåa", "Utan rang"]
    assert [r.rank for r in selectors.rankings_of(result)] == [1, 2, None]
    # A second call creates nothing new.
    assert namnd_services.result_for(round, namnd).pk == result.pk
    assert NamndRanking.objects.count() == 3


def test_only_submitted_not_withdrawn_proposals_of_the_namnd(setup):
    round, namnd, proposals, ledamot = setup
    draft = make_proposal(analysis_of(round, "Socialförvaltningen"), title="Annan nämnd")
    submitted(round, "Socialförvaltningen")
    make_proposal(analysis_of(round, "Tekniska förvaltningen"), title="Utkast")
    withdrawn = proposals[0]
    withdrawn.withdrawn_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    withdrawn.save()
    result = namnd_services.result_for(round, namnd, by=ledamot)
    assert order_of(result) == ["Etta", "Tvåa"]
    assert not NamndRanking.objects.filter(proposal=draft).exists()


def test_new_proposals_join_at_the_end_of_their_rank(setup):
    round, namnd, proposals, ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    make_proposal(proposals[0].analysis, title="Sen", rangordning=1)
    make_proposal(proposals[0].analysis, title="Sen utan rang")
    namnd_services.result_for(round, namnd, by=ledamot)
    assert order_of(result) == ["Etta", "Sen", "Tvåa", "Utan rang", "Sen utan rang"]


def test_save_rankings_sets_rank_handling_and_order_with_history(setup):
    round, namnd, (a, b, _c), ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    namnd_services.save_rankings(
        result,
        [
            {"proposal_id": a.pk, "rank": "3", "handling": Handling.DRIVS_INTE},
            {"proposal_id": b.pk, "rank": 1, "handling": Handling.INOM_RAM},
        ],
        [b.pk, a.pk],
        by=ledamot,
    )
    assert order_of(result) == ["Tvåa", "Etta", "Utan rang"]
    ranking = NamndRanking.objects.get(proposal=a)
    assert (ranking.rank, ranking.handling, ranking.position) == (3, Handling.DRIVS_INTE, 2)
    assert ranking.history.first().history_user == ledamot
    assert ranking.version == 2


@pytest.mark.parametrize(
    ("rank", "handling", "message"),
    [
        (0, "", "heltal 1–10"),
        (11, "", "heltal 1–10"),
        ("x", "", "heltal 1–10"),
        (2, "okänd", "Välj en hantering"),
    ],
)
def test_save_rankings_refuses_invalid_values_and_saves_nothing(setup, rank, handling, message):
    round, namnd, (a, b, _c), ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    with pytest.raises(ValidationError) as error:
        namnd_services.save_rankings(
            result,
            [
                {"proposal_id": b.pk, "rank": 5, "handling": Handling.INOM_RAM},
                {"proposal_id": a.pk, "rank": rank, "handling": handling},
            ],
            [a.pk, b.pk],
            by=ledamot,
        )
    assert message in str(error.value)
    assert a.reference in str(error.value)
    assert NamndRanking.objects.get(proposal=b).rank == 2
    assert order_of(result) == ["Etta", "Tvåa", "Utan rang"]


def test_save_rankings_refuses_a_proposal_of_another_namnd(setup):
    round, namnd, (_a, _b, _c), ledamot = setup
    other = make_proposal(analysis_of(round, "Socialförvaltningen"))
    result = namnd_services.result_for(round, namnd, by=ledamot)
    with pytest.raises(ValidationError):
        namnd_services.save_rankings(result, [{"proposal_id": other.pk, "rank": 1}], [], by=ledamot)


def test_move_up_and_down_and_the_ends_do_nothing(setup):
    round, namnd, (a, b, c), ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    # Up past a rank 2: the unranked row takes rank 2, at the rank's edge.
    assert namnd_services.move(result, a.pk, ranks.UP, by=ledamot) == ranks.Moved(2, 3, 2, True)
    assert order_of(result) == ["Etta", "Utan rang", "Tvåa"]
    assert namnd_services.move(result, c.pk, ranks.UP, by=ledamot) == ranks.Moved(1, 3, 1, False)
    assert namnd_services.move(result, b.pk, ranks.DOWN, by=ledamot) == ranks.Moved(3, 3, 2, False)
    # Within rank 2 a move changes the place only.
    assert namnd_services.move(result, b.pk, ranks.UP, by=ledamot) == ranks.Moved(2, 3, 2, True)
    assert order_of(result) == ["Etta", "Tvåa", "Utan rang"]
    assert [r.rank for r in selectors.rankings_of(result)] == [1, 2, 2]


def in_rank_order(result):
    """The saved rows by position say ranks that never go back (unranked last)."""
    keys = [ranks.rank_key(r.rank) for r in selectors.rankings_of(result)]
    positions = [r.position for r in selectors.rankings_of(result)]
    return keys == sorted(keys) and positions == list(range(len(keys)))


def test_saving_puts_the_order_in_rank_order(setup):
    round, namnd, (a, b, c), ledamot = setup
    d = make_proposal(a.analysis, title="Fyra", rangordning=4)
    result = namnd_services.result_for(round, namnd, by=ledamot)
    # Posted top first: a rank 3 above a rank 1, and two rank 2 in the order given.
    namnd_services.save_rankings(
        result,
        [
            {"proposal_id": a.pk, "rank": 2, "handling": ""},
            {"proposal_id": b.pk, "rank": 2, "handling": ""},
            {"proposal_id": c.pk, "rank": 3, "handling": ""},
            {"proposal_id": d.pk, "rank": "", "handling": ""},
        ],
        [d.pk, c.pk, b.pk, a.pk],
        by=ledamot,
    )
    assert order_of(result) == ["Tvåa", "Utan rang", "Etta", "Fyra"]
    assert in_rank_order(result)


def test_a_move_never_puts_a_row_above_a_better_ranked_one(setup):
    round, namnd, (a, b, c), ledamot = setup
    more = [make_proposal(a.analysis, rangordning=rank) for rank in (1, 2, 3, 3, None)]
    result = namnd_services.result_for(round, namnd, by=ledamot)
    for proposal in [a, b, c, *more]:
        for direction in (ranks.UP, ranks.DOWN, ranks.UP):
            namnd_services.move(result, proposal.pk, direction, by=ledamot)
            assert in_rank_order(result), (proposal.title, direction, order_of(result))


def test_record_result_stores_the_order_of_the_ranks(setup):
    round, namnd, (a, b, c), ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    namnd_services.save_rankings(
        result,
        [
            {"proposal_id": p.pk, "rank": r, "handling": Handling.INOM_RAM}
            for p, r in ((a, 3), (b, 1), (c, 2))
        ],
        [],
        by=ledamot,
    )
    # An order stored before the order followed the ranks: rank 3 first.
    for position, proposal in enumerate((a, c, b)):
        ranking = NamndRanking.objects.get(proposal=proposal)
        ranking.position = position
        save_as(ranking, ledamot)
    namnd_services.record_result(result, DAY, "45", by=ledamot)
    assert order_of(result) == ["Tvåa", "Etta", "Utan rang"]
    assert in_rank_order(result)


def test_record_needs_date_paragraph_and_every_proposal_complete(setup):
    round, namnd, (a, _b, _c), ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    with pytest.raises(ValidationError) as error:
        namnd_services.record_result(result, None, "", by=ledamot)
    messages = error.value.message_dict
    assert messages["decision_date"] == ["Ange sammanträdesdatum."]
    assert messages["paragraph"] == ["Ange paragraf (§)."]
    assert f"{a.reference} Utan rang" in messages["__all__"][0]
    assert "saknas" in messages["__all__"][0].lower()
    assert not NamndResult.objects.get(pk=result.pk).is_recorded


def test_record_result(setup):
    round, namnd, (a, b, c), ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    namnd_services.save_rankings(
        result,
        [{"proposal_id": p.pk, "rank": 4, "handling": Handling.INOM_RAM} for p in (a, b, c)],
        [],
        by=ledamot,
    )
    namnd_services.record_result(result, DAY, " 45 ", "Enhälligt", by=ledamot)
    result = NamndResult.objects.get(pk=result.pk)
    assert (result.decision_date, result.paragraph, result.comment) == (DAY, "45", "Enhälligt")
    assert result.recorded_by == ledamot and result.is_recorded
    assert result.history.first().history_user == ledamot


@pytest.mark.parametrize("phase", [Phase.VERKSAMHETSANALYS, Phase.FORUM])
def test_locked_outside_the_namnd_phase(setup, phase):
    round, namnd, (a, _b, _c), ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    round.phase = phase
    round.save()
    result = NamndResult.objects.get(pk=result.pk)
    with pytest.raises(PermissionDenied):
        namnd_services.save_rankings(result, [{"proposal_id": a.pk, "rank": 1}], [], by=ledamot)
    with pytest.raises(PermissionDenied):
        namnd_services.move(result, a.pk, ranks.UP, by=ledamot)
    with pytest.raises(PermissionDenied):
        namnd_services.record_result(result, DAY, "1", by=ledamot)


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning", "controller", "admin"])
def test_only_a_ledamot_of_the_namnd_may_rank(setup, demo, username):
    round, namnd, (a, _b, _c), ledamot = setup
    result = namnd_services.result_for(round, namnd, by=ledamot)
    with pytest.raises(PermissionDenied):
        namnd_services.save_rankings(
            result, [{"proposal_id": a.pk, "rank": 1}], [], by=demo[username]
        )
    other = namnd_services.result_for(round, Namnd.objects.get(name="Socialnämnden"), by=ledamot)
    with pytest.raises(PermissionDenied):
        namnd_services.save_rankings(other, [], [], by=ledamot)
