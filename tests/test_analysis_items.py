"""The grid's item operations (rounds/services/analysis_items.py): add, change
without lost updates, move, remove — each checks edit_analysis and leaves
history naming the user."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rounds.models import AnalysisColumn, AnalysisItem, AnalysisStatus, ListItem, Proposal
from rounds.services.analysis_items import (
    DOWN,
    MAX_TEXT_LENGTH,
    UP,
    ItemConflict,
    add_item,
    delete_item,
    move_item,
    update_item,
)
from tests.factories import analysis_of, make_proposal, make_round

NEEDS = AnalysisColumn.NYA_RESURSER


@pytest.fixture
def round(demo):
    return make_round()


@pytest.fixture
def bildning(round):
    return analysis_of(round, "Bildningsförvaltningen")


@pytest.fixture
def invanare(round):
    return ListItem.objects.get(round=round, kind="perspektiv", name="Invånare")


def add(analysis, perspektiv, text, by, column=NEEDS):
    return add_item(analysis, perspektiv=perspektiv, column=column, text=text, by=by)


def texts(analysis, perspektiv, column=NEEDS):
    return list(
        AnalysisItem.objects.filter(
            analysis=analysis, perspektiv=perspektiv, column=column
        ).values_list("text", flat=True)
    )


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning"])
def test_staff_add_items_at_the_end_of_the_cell(demo, bildning, invanare, username):
    first = add(bildning, invanare, "  Fler förskollärare  ", demo[username])
    second = add(bildning, invanare, "Större lokaler", demo[username])
    assert (first.text, first.position, first.version) == ("Fler förskollärare", 0, 1)
    assert second.position == 1
    assert texts(bildning, invanare) == ["Fler förskollärare", "Större lokaler"]
    record = first.history.latest()
    assert record.history_type == "+"
    assert record.history_user == demo[username]
    assert record.history_change_reason == "Tillagd"


def test_cells_are_separate(demo, bildning, invanare):
    add(bildning, invanare, "Behov", demo["tjp-bildning"])
    other = add(bildning, invanare, "Nuläge", demo["tjp-bildning"], column=AnalysisColumn.NULAGE)
    assert other.position == 0


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_item_is_refused(demo, bildning, invanare, text):
    with pytest.raises(ValidationError) as error:
        add(bildning, invanare, text, demo["tjp-bildning"])
    assert error.value.message_dict == {"text": ["Skriv något i punkten."]}
    assert not bildning.items.exists()


def test_the_text_has_a_maximum_length(demo, bildning, invanare):
    add(bildning, invanare, "x" * MAX_TEXT_LENGTH, demo["tjp-bildning"])
    with pytest.raises(ValidationError) as error:
        add(bildning, invanare, "x" * (MAX_TEXT_LENGTH + 1), demo["tjp-bildning"])
    assert "högst 2000 tecken" in error.value.message_dict["text"][0]
    assert bildning.items.count() == 1


def test_a_perspektiv_of_another_list_is_refused(demo, bildning, round):
    fokus = ListItem.objects.filter(round=round, kind="fokusomrade").first()
    with pytest.raises(ValueError):
        add(bildning, fokus, "Fel lista", demo["tjp-bildning"])


@pytest.mark.parametrize(
    "username", ["tjp-social", "controller", "ledamot-bildning", "revisor", "forum-1", "admin"]
)
def test_only_the_forvaltning_staff_add(demo, bildning, invanare, username):
    with pytest.raises(PermissionDenied):
        add(bildning, invanare, "Inte min", demo[username])
    assert not bildning.items.exists()


def test_nobody_adds_after_submission(demo, bildning, invanare):
    bildning.status = AnalysisStatus.SUBMITTED
    bildning.save()
    with pytest.raises(PermissionDenied):
        add(bildning, invanare, "För sent", demo["chef-bildning"])


def test_a_returned_analysis_is_editable_again(demo, bildning, invanare):
    bildning.status = AnalysisStatus.RETURNED
    bildning.save()
    assert add(bildning, invanare, "Komplettering", demo["tjp-bildning"]).pk


def test_nobody_edits_after_the_deadline(demo):
    late = analysis_of(make_round(deadline_days=-1), "Bildningsförvaltningen")
    invanare = ListItem.objects.get(round=late.round, kind="perspektiv", name="Invånare")
    with pytest.raises(PermissionDenied):
        add(late, invanare, "För sent", demo["tjp-bildning"])


def test_the_check_uses_the_saved_status_not_the_callers_copy(demo, bildning, invanare):
    stale = analysis_of(bildning.round, "Bildningsförvaltningen")
    bildning.status = AnalysisStatus.SUBMITTED
    bildning.save()
    with pytest.raises(PermissionDenied):
        add(stale, invanare, "Efter inlämning", demo["tjp-bildning"])


def test_update_changes_the_text_and_the_version(demo, bildning, invanare):
    item = add(bildning, invanare, "Första", demo["tjp-bildning"])
    saved = update_item(item, text=" Andra ", expected_version=1, by=demo["chef-bildning"])
    item.refresh_from_db()
    assert (item.text, item.version) == ("Andra", 2) == (saved.text, saved.version)
    record = item.history.latest()
    assert record.history_user == demo["chef-bildning"]
    assert record.history_change_reason == "Ändrad"


def test_saving_the_same_text_writes_nothing(demo, bildning, invanare):
    item = add(bildning, invanare, "Samma", demo["tjp-bildning"])
    update_item(item, text="Samma", expected_version=1, by=demo["tjp-bildning"])
    item.refresh_from_db()
    assert item.version == 1
    assert item.history.count() == 1


def test_a_stale_version_is_a_conflict_and_writes_nothing(demo, bildning, invanare):
    item = add(bildning, invanare, "Original", demo["tjp-bildning"])
    update_item(item, text="Saras text", expected_version=1, by=demo["tjp-bildning"])
    with pytest.raises(ItemConflict) as conflict:
        update_item(item, text="Anders text", expected_version=1, by=demo["chef-bildning"])
    assert conflict.value.current.text == "Saras text"
    assert conflict.value.current.version == 2
    item.refresh_from_db()
    assert item.text == "Saras text"
    # Saving again at the version just seen is a deliberate overwrite.
    update_item(item, text="Anders text", expected_version=2, by=demo["chef-bildning"])
    item.refresh_from_db()
    assert (item.text, item.version) == ("Anders text", 3)


def test_an_empty_update_is_refused(demo, bildning, invanare):
    item = add(bildning, invanare, "Text", demo["tjp-bildning"])
    with pytest.raises(ValidationError):
        update_item(item, text=" ", expected_version=1, by=demo["tjp-bildning"])
    item.refresh_from_db()
    assert item.text == "Text"


def test_updating_a_removed_item_says_so(demo, bildning, invanare):
    item = add(bildning, invanare, "Borta snart", demo["tjp-bildning"])
    delete_item(item, by=demo["chef-bildning"])
    with pytest.raises(AnalysisItem.DoesNotExist):
        update_item(item, text="Min ändring", expected_version=1, by=demo["tjp-bildning"])


def test_update_is_refused_to_others(demo, bildning, invanare):
    item = add(bildning, invanare, "Text", demo["tjp-bildning"])
    for username in ("tjp-social", "controller"):
        with pytest.raises(PermissionDenied):
            update_item(item, text="Nej", expected_version=1, by=demo[username])
    item.refresh_from_db()
    assert item.text == "Text"


@pytest.fixture
def three(demo, bildning, invanare):
    return [add(bildning, invanare, text, demo["tjp-bildning"]) for text in ("A", "B", "C")]


def test_move_down_and_up(demo, bildning, invanare, three):
    a, _b, c = three
    move = move_item(a, DOWN, by=demo["tjp-bildning"])
    assert (move.position, move.count, move.moved) == (2, 3, True)
    assert texts(bildning, invanare) == ["B", "A", "C"]
    move = move_item(c, UP, by=demo["chef-bildning"])
    assert (move.position, move.count, move.moved) == (2, 3, True)
    assert texts(bildning, invanare) == ["B", "C", "A"]
    positions = list(AnalysisItem.objects.filter(analysis=bildning).values_list("text", "position"))
    assert sorted(positions, key=lambda p: p[1]) == [("B", 0), ("C", 1), ("A", 2)]
    record = c.history.latest()
    assert record.history_user == demo["chef-bildning"]
    assert record.history_change_reason == "Flyttad"


def test_moving_past_the_ends_changes_nothing(demo, bildning, invanare, three):
    a, _b, c = three
    move = move_item(a, UP, by=demo["tjp-bildning"])
    assert (move.position, move.count, move.moved) == (1, 3, False)
    move = move_item(c, DOWN, by=demo["tjp-bildning"])
    assert (move.position, move.count, move.moved) == (3, 3, False)
    assert texts(bildning, invanare) == ["A", "B", "C"]
    assert a.history.count() == 1


def test_a_move_keeps_the_version(demo, bildning, invanare, three):
    """Moving is not an edit of the text: an open editor stays valid."""
    a, _b, _c = three
    move_item(a, DOWN, by=demo["tjp-bildning"])
    a.refresh_from_db()
    assert a.version == 1


def test_a_move_renumbers_only_the_cell(demo, bildning, invanare, three):
    other = add(bildning, invanare, "Nuläge", demo["tjp-bildning"], column=AnalysisColumn.NULAGE)
    move_item(three[2], UP, by=demo["tjp-bildning"])
    other.refresh_from_db()
    assert other.history.count() == 1


def test_an_unknown_direction_is_refused(demo, three):
    with pytest.raises(ValueError):
        move_item(three[0], "sidled", by=demo["tjp-bildning"])


def test_move_is_refused_to_others(demo, bildning, invanare, three):
    with pytest.raises(PermissionDenied):
        move_item(three[0], DOWN, by=demo["controller"])
    assert texts(bildning, invanare) == ["A", "B", "C"]


def test_delete_keeps_the_history_with_the_user(demo, bildning, invanare, three):
    a = three[0]
    delete_item(a, by=demo["chef-bildning"])
    assert texts(bildning, invanare) == ["B", "C"]
    record = AnalysisItem.history.filter(id=a.pk).latest()
    assert record.history_type == "-"
    assert record.history_user == demo["chef-bildning"]
    assert record.text == "A"


def test_deleting_a_removed_item_is_fine(demo, three):
    delete_item(three[0], by=demo["tjp-bildning"])
    delete_item(three[0], by=demo["chef-bildning"])
    assert AnalysisItem.history.filter(id=three[0].pk, history_type="-").count() == 1


def test_delete_is_refused_to_others(demo, bildning, invanare, three):
    with pytest.raises(PermissionDenied):
        delete_item(three[0], by=demo["tjp-social"])
    assert texts(bildning, invanare) == ["A", "B", "C"]


def test_deleting_an_item_keeps_its_proposal(demo, bildning, three):
    proposal = make_proposal(bildning, analysis_item=three[0])
    delete_item(three[0], by=demo["tjp-bildning"])
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.analysis_item is None
