"""The import's confirmation against itself and against the analyses it goes
to (PostgreSQL, a thread and a database connection of its own per request,
through the real views). One preview confirmed four times at once imports
once (before issue 13: four times, 36 proposals for 9 rows). A confirmation
beside the förvaltningschef's "Lämna in" and the controller's phase move
deadlocks nobody, and lands in the analysis before it is submitted or not
at all: an analysis submitted after the preview was shown refuses it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.loading import load_demo
from rounds.models import Analysis, AnalysisStatus, Phase, Proposal, Round
from tests.factories import analysis_of, make_round
from tests.helpers import run_together
from tests.test_import_web import sample, token_of
from tests.test_race_analysis import (
    BILDNING,
    OFFSETS,
    RUNS,
    assert_answered,
    assert_nothing_after_submission,
    new_key,
    post_at_once,
    reopen,
    same_session,
    signed_in,
    submit_url,
)

FILE = "forum-sammanstallning.xlsx"  # nine proposals, three of them Bildning's
ROWS = 9


@pytest.fixture
def media(settings, tmp_path):
    """The previews are kept under MEDIA_ROOT/imports/ between the steps."""
    settings.MEDIA_ROOT = tmp_path


def previewed(client, year: int) -> str:
    """Upload the file and return the token its preview's "Importera" carries."""
    url = reverse("import_proposals", kwargs={"year": year})
    response = client.post(
        url, {"file": SimpleUploadedFile(FILE, sample(FILE)), "submit_key": new_key()}
    )
    assert response.status_code == 200
    return token_of(response)


def confirm_url(year: int) -> str:
    return reverse("import_proposals_confirm", kwargs={"year": year})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_preview_confirmed_four_times_at_once_imports_once(postgres, media):
    load_demo()
    round = make_round()
    controller = signed_in("controller")
    # Four tabs of the same browser, each sending the preview's form (a
    # reload of the page gives a form a new submit_key, the token stays).
    tabs = [same_session(controller) for _ in range(4)]
    for run in range(3):
        before = Proposal.objects.filter(round=round).count()
        token = previewed(controller, round.budget_year)
        results = run_together(
            *(
                post_at_once(
                    tab, confirm_url(round.budget_year), {"token": token, "submit_key": new_key()}
                )
                for tab in tabs
            )
        )
        assert_answered(results, {302})
        imported = Proposal.objects.filter(round=round).count() - before
        assert imported == ROWS, f"run {run}: {imported} proposals for {ROWS} rows, {results}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_confirmation_beside_the_submit_and_the_phase_move_lands_before_them_or_not_at_all(
    postgres, media
):
    load_demo()
    analysis = analysis_of(make_round(), BILDNING)
    year = analysis.round.budget_year
    controller, mover = signed_in("controller"), signed_in("controller")
    chef = signed_in("chef-bildning")
    phase_url = reverse("round_move_phase", kwargs={"year": year})

    for run in range(RUNS):
        analysis = reopen(analysis)
        round = Round.objects.get(pk=analysis.round_id)
        round.phase = Phase.VERKSAMHETSANALYS
        round.save()
        before = Proposal.objects.filter(round=round).count()
        token = previewed(controller, year)  # Bildning's analysis a draft in the preview
        after = OFFSETS[run]
        results = run_together(
            post_at_once(controller, confirm_url(year), {"token": token, "submit_key": new_key()}),
            post_at_once(
                chef, submit_url(analysis), {"confirm": "1", "submit_key": new_key()}, after=after
            ),
            post_at_once(
                mover,
                phase_url,
                {"to_phase": Phase.NAMND, "comment": "", "confirm": "1", "submit_key": new_key()},
                after=after,
            ),
        )
        # The import: done, or shown again (409) because Bildning submitted
        # meanwhile. The submission: done, or refused (403) because the phase
        # moved first. The phase move: done.
        confirm, submit, move = assert_answered(results, {302, 403, 409})
        assert confirm.status in (302, 409), results
        assert move.status == 302, results
        imported = Proposal.objects.filter(round=round).count() - before
        assert imported == (ROWS if confirm.status == 302 else 0), (imported, results)
        if Analysis.objects.get(pk=analysis.pk).status == AnalysisStatus.SUBMITTED:
            assert submit.status == 302, results
            assert_nothing_after_submission(analysis)
        else:
            assert submit.status == 403, results
