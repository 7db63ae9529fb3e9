"""A new round: the controller picks the budget year and either copies the set-up
of an earlier round or starts from scratch."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from rounds.guidance import DEFAULT_STATES, model_instructions
from rounds.models import (
    AnalysisColumn,
    AnalysisItem,
    AnalysisStatus,
    Attachment,
    Forutsattning,
    ForutsattningKind,
    ListItem,
    ListKind,
    Phase,
    PhaseDeadline,
    Purpose,
    Round,
    User,
)
from rounds.services.round import DEFAULT_LISTS
from tests.factories import analysis_of, make_proposal, make_round
from tests.helpers import assert_sent_to_sign_in, cast_except

URL = "/omgangar/ny/"
REFUSED = cast_except("controller")


def set_up_2027():
    """Round 2027 with a set-up worth copying, and work that must not be copied."""
    round = make_round(2027)
    round.purpose = Purpose.MINSKADE
    round.instructions = "## Syfte\n\nVi fördelar minskade resurser."
    round.uses_etisk_granskning = False
    round.save()
    for phase, day in [(1, datetime.date(2026, 2, 28)), (3, datetime.date(2027, 2, 28))]:
        PhaseDeadline.objects.create(round=round, phase=phase, deadline=day)
    ListItem.objects.create(round=round, kind=ListKind.POLITISKT_MAL, name="Trygg skola")
    demografi = round.forutsattningar.get(kind=ForutsattningKind.DEMOGRAFI)
    demografi.text = "Fler äldre, färre barn."
    demografi.save()
    analysis = analysis_of(round, "Bildningsförvaltningen")
    perspektiv = round.list_items.filter(kind=ListKind.PERSPEKTIV).first()
    AnalysisItem.objects.create(
        analysis=analysis, perspektiv=perspektiv, column=AnalysisColumn.NULAGE, text="Trångt"
    )
    make_proposal(analysis, title="Fler lärare")
    return Round.objects.get(pk=round.pk)


def post(client, **data):
    fields = {"budget_year": 2028, "purpose": "nya", "frame_tkr": 15000, "copy_from": ""}
    fields.update(data)
    return client.post(URL, fields)


def test_form_defaults_to_the_year_after_the_latest_round_and_copying_it(signed_in):
    make_round(2026)
    latest = make_round(2027)
    form = signed_in("controller").get(URL).context["form"]
    assert form["budget_year"].value() == 2028
    assert form["copy_from"].value() == str(latest.pk)
    assert form["frame_tkr"].value() == 20000
    labels = [label for _value, label in form.fields["copy_from"].choices]
    assert labels[0] == "Omgången för budgetår 2027"
    assert labels[1] == "Omgången för budgetår 2026"
    assert labels[-1].startswith("Börja från grunden")


def test_without_rounds_the_form_suggests_next_year_from_scratch(signed_in):
    html_response = signed_in("controller").get(URL)
    form = html_response.context["form"]
    assert form["budget_year"].value() == timezone.localdate().year + 1
    assert form["copy_from"].value() == ""
    html = html_response.content.decode()
    assert "<legend>Kopiera upplägget från" in html
    assert "<legend>Syfte" in html


def test_copy_takes_the_set_up_but_no_analyses_or_proposals(signed_in):
    old = set_up_2027()
    response = post(signed_in("controller"), copy_from=old.pk, purpose="minskade")
    assert response.status_code == 302
    # Started from a round: on to what can be carried over from it.
    assert response["Location"] == "/omgangar/2028/overforing/"
    new = Round.objects.get(budget_year=2028)
    assert new.copied_from == old
    assert new.phase == Phase.PLANERING
    assert new.purpose == Purpose.MINSKADE
    assert new.frame_tkr == 15000
    assert new.instructions == old.instructions
    assert new.uses_etisk_granskning is False
    assert list(new.list_items.values_list("kind", "name", "position")) == list(
        old.list_items.values_list("kind", "name", "position")
    )
    assert new.list_items.filter(name="Trygg skola").exists()
    assert new.forutsattningar.get(kind=ForutsattningKind.DEMOGRAFI).text == (
        "Fler äldre, färre barn."
    )
    deadlines = {d.phase: d.deadline for d in new.deadlines.all()}
    assert deadlines[Phase.PLANERING] == datetime.date(2027, 2, 28)
    assert deadlines[Phase.NAMND] == datetime.date(2028, 2, 28)
    old_analysis_deadline = old.deadline(Phase.VERKSAMHETSANALYS)
    assert deadlines[Phase.VERKSAMHETSANALYS] == old_analysis_deadline.replace(
        year=old_analysis_deadline.year + 1
    )
    # Fresh analyses, nothing of last year's work.
    assert not new.proposals.exists()
    assert not AnalysisItem.objects.filter(analysis__round=new).exists()
    assert set(new.analyses.values_list("status", flat=True)) <= {AnalysisStatus.DRAFT}
    assert old.proposals.count() == 1  # the old round keeps its own


def test_copy_does_not_take_attachments(signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = set_up_2027()
    forutsattning = old.forutsattningar.get(kind=ForutsattningKind.EKONOMI)
    Attachment.objects.create(
        forutsattning=forutsattning,
        file=ContentFile(b"%PDF-1.4", name="a.pdf"),
        name="a.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=User.objects.get(username="controller"),
    )
    post(signed_in("controller"), copy_from=old.pk)
    assert not Attachment.objects.filter(forutsattning__round__budget_year=2028).exists()


def test_from_scratch_gets_the_default_lists_and_the_models_instructions(signed_in):
    set_up_2027()
    response = post(signed_in("controller"), copy_from="", budget_year=2030)
    assert response.status_code == 302
    new = Round.objects.get(budget_year=2030)
    assert new.copied_from is None
    assert new.instructions == model_instructions()
    assert new.best_state_invanare == DEFAULT_STATES["best_state_invanare"]
    assert not new.deadlines.exists()
    perspektiv = list(
        new.list_items.filter(kind=ListKind.PERSPEKTIV).values_list("name", flat=True)
    )
    assert perspektiv == DEFAULT_LISTS[ListKind.PERSPEKTIV]
    assert not new.list_items.filter(name="Trygg skola").exists()
    assert set(new.forutsattningar.values_list("text", flat=True)) == {""}
    assert Forutsattning.objects.filter(round=new).count() == len(ForutsattningKind)


def test_success_message_on_the_round_page(signed_in):
    client = signed_in("controller")
    response = post(client, budget_year=2029)
    html = client.get(response["Location"]).content.decode()
    assert "Omgången för budgetår 2029 är skapad." in html


def test_year_that_already_exists_is_refused_next_to_the_field(signed_in):
    make_round(2027)
    response = post(signed_in("controller"), budget_year=2027)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["budget_year"] == ["Det finns redan en omgång för budgetår 2027."]
    html = response.content.decode()
    assert 'id="id_budget_year_error"' in html
    assert Round.objects.filter(budget_year=2027).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"budget_year": "tjugo"}, "budget_year", "Ange budgetåret med fyra siffror, t.ex. 2028."),
        ({"budget_year": ""}, "budget_year", "Ange budgetåret."),
        ({"budget_year": 1999}, "budget_year", "Ange ett budgetår från och med 2000."),
        ({"frame_tkr": "mycket"}, "frame_tkr", "Ange det ekonomiska utrymmet som ett heltal"),
        ({"purpose": "allt"}, "purpose", "Välj ett giltigt alternativ."),
        ({"copy_from": "999"}, "copy_from", "Välj ett giltigt alternativ."),
    ],
)
def test_bad_input_is_explained_in_swedish(signed_in, data, field, message):
    response = post(signed_in("controller"), **data)
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    assert not Round.objects.exists()


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_controller_may_create_rounds(signed_in, username):
    client = signed_in(username)
    assert client.get(URL).status_code == 403
    assert post(client).status_code == 403
    assert not Round.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, db):
    for response in (client.get(URL), client.post(URL, {"budget_year": 2028})):
        assert_sent_to_sign_in(response)
    assert not Round.objects.exists()


def test_other_methods_are_not_allowed(signed_in):
    assert signed_in("controller").put(URL).status_code == 405
