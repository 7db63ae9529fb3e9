"""The import page: upload → preview (problems beside their rows) → confirm.
Who may: the controller, until the round is published."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prioritering.access import may
from ranking.models import ForumResult
from rounds.models import AnalysisStatus, Proposal
from tests.factories import make_round
from tests.helpers import CAST, cast_except
from tests.test_import_parsing import forum_book, forum_row
from tests.test_import_samples import DATA

URL = "/omgangar/2027/importera/"
CONFIRM = "/omgangar/2027/importera/bekrafta/"


@pytest.fixture
def round(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_round(year=2027)


def upload(client, data, name="fil.xlsx", **extra):
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **extra})


def sample(name):
    return (DATA / name).read_bytes()


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no confirm form"
    return match[1]


# --- access --------------------------------------------------------------------------------


def test_urls_are_under_the_round():
    assert reverse("import_proposals", kwargs={"year": 2027}) == URL
    assert reverse("import_proposals_confirm", kwargs={"year": 2027}) == CONFIRM


@pytest.mark.parametrize("username", CAST)
def test_only_the_controller_may_import(round, demo, username):
    assert may(demo[username], "import_proposals", round) is (username == "controller")


def test_a_published_round_refuses_imports(round, demo):
    ForumResult.objects.create(round=round, published_at=timezone.now())
    round.refresh_from_db()
    assert not may(demo["controller"], "import_proposals", round)


def test_anonymous_may_not_import(round):
    from django.contrib.auth.models import AnonymousUser

    assert not may(AnonymousUser(), "import_proposals", round)


@pytest.mark.parametrize("username", cast_except("controller"))
def test_refused_roles_get_403_on_every_step(round, signed_in, username):
    client = signed_in(username)
    assert client.get(URL).status_code == 403
    assert upload(client, sample("forum-sammanstallning.xlsx")).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert Proposal.objects.count() == 0


def test_the_round_page_links_to_the_import_for_the_controller_only(round, signed_in):
    assert URL in signed_in("controller").get("/omgangar/2027/").content.decode()
    assert URL not in signed_in("tjp-bildning").get("/omgangar/2027/").content.decode()


# --- the flow -------------------------------------------------------------------------------


def test_upload_page_offers_the_file_and_förvaltning(round, signed_in):
    page = signed_in("controller").get(URL).content.decode()
    assert 'type="file"' in page and 'name="forvaltning"' in page


def test_preview_shows_rows_as_stored_then_confirm_imports_them(round, signed_in, tmp_path):
    client = signed_in("controller")
    response = upload(client, sample("forum-sammanstallning.xlsx"), "forum.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fritidsgård NN" in page and "Bildningsförvaltningen" in page
    assert "1\u00a0200\u00a0tkr" in page  # Swedish format
    assert "Effektivisering / Ransonering" in page  # the combined type, both kept
    assert Proposal.objects.count() == 0  # a preview stores nothing
    stashed = list((tmp_path / "imports").glob("*.xlsx"))
    assert len(stashed) == 1
    response = client.post(CONFIRM, {"token": token_of(response)})
    assert response.status_code == 302
    assert response["Location"] == "/omgangar/2027/"
    assert Proposal.objects.filter(round=round).count() == 9
    assert not stashed[0].exists()  # cleaned up
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Importerade 9 förslag från ”forum.xlsx”."]


def test_confirming_twice_imports_once(round, signed_in):
    client = signed_in("controller")
    token = token_of(upload(client, sample("forum-sammanstallning.xlsx")))
    client.post(CONFIRM, {"token": token})
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302 and response["Location"] == URL
    assert Proposal.objects.count() == 9


def test_a_forged_token_imports_nothing(round, signed_in):
    response = signed_in("controller").post(CONFIRM, {"token": "forged"})
    assert response["Location"] == URL
    assert Proposal.objects.count() == 0


def test_the_förvaltning_chosen_on_the_page_is_kept_to_the_confirmation(round, signed_in):
    client = signed_in("controller")
    social = round.analyses.get(forvaltning__name="Socialförvaltningen").forvaltning
    response = upload(client, sample("rangordning-bas.xlsx"), forvaltning=social.pk)
    client.post(CONFIRM, {"token": token_of(response)})
    assert set(Proposal.objects.values_list("analysis__forvaltning", flat=True)) == {social.pk}


def test_preview_shows_each_problem_in_its_row_and_offers_no_confirmation(round, signed_in):
    data = forum_book(
        forum_row(title="Bra rad"), forum_row(title="Dålig rad", svarighet="Gigantisk")
    )
    page = upload(signed_in("controller"), data).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    bad = next(row for row in rows if "Dålig rad" in row)
    good = next(row for row in rows if "Bra rad" in row)
    assert "Okänt ord ”Gigantisk”" in bad and "K (Svårighetsgrad)" in bad
    assert "Okänt ord" not in good
    assert 'name="token"' not in page
    assert "Ingenting importeras: filen har 1 problem." in page


def test_confirm_refuses_when_the_round_changed_meanwhile(round, signed_in, monkeypatch):
    """What the preview promised no longer holds at the confirm (here: a
    problem the service now finds): 409 with the problems, nothing stored."""
    from rounds.importing import service
    from rounds.importing.parse import Problem

    client = signed_in("controller")
    token = token_of(upload(client, sample("forum-sammanstallning.xlsx")))
    planned = service.plan_import

    def changed(round, parsed, **kwargs):
        parsed.problems.append(Problem("Forum", 3, "A", "Omgången har ändrats."))
        return planned(round, parsed, **kwargs)

    monkeypatch.setattr(service, "plan_import", changed)
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 409
    assert "Omgången har ändrats." in response.content.decode()
    assert Proposal.objects.count() == 0


def test_an_analysis_submitted_after_the_preview_shows_the_preview_again(round, signed_in):
    """The preview said where the rows go; an analysis handed in after it was
    shown is news: nothing is imported, the preview comes again (409) with a
    warning and a new token, and confirming that imports."""
    client = signed_in("controller")
    token = token_of(upload(client, sample("forum-sammanstallning.xlsx")))
    analysis = round.analyses.get(forvaltning__name="Bildningsförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.submitted_at = timezone.now()
    analysis.save()
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        "Bildningsförvaltningen lämnade in sin verksamhetsanalys efter förhandsvisningen." in page
    )
    assert Proposal.objects.count() == 0
    again = token_of(response)
    assert again != token
    assert client.post(CONFIRM, {"token": token})["Location"] == URL  # the old one is gone
    assert client.post(CONFIRM, {"token": again}).status_code == 302
    assert Proposal.objects.filter(round=round).count() == 9


def test_confirm_is_refused_when_the_round_was_published_meanwhile(round, demo, signed_in):
    client = signed_in("controller")
    token = token_of(upload(client, sample("forum-sammanstallning.xlsx")))
    ForumResult.objects.create(
        round=round, published_at=timezone.now(), published_by=demo["controller"]
    )
    assert client.post(CONFIRM, {"token": token}).status_code == 403
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"a;b\n", "lista.csv", "Bara Excel-filer"),
        (b"PK\x03\x04trasig", "trasig.xlsx", "stämmer inte"),
    ],
)
def test_files_that_are_not_workbooks_are_refused_on_the_form(
    round, signed_in, data, name, message
):
    response = upload(signed_in("controller"), data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'name="token"' not in response.content.decode()


def test_an_upload_over_10_mb_is_refused_before_it_is_read(round, signed_in):
    response = upload(signed_in("controller"), b"PK\x03\x04" + b"0" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 200
    assert "för stor" in response.content.decode()


def test_preview_queries_do_not_grow_with_the_rows(round, signed_in):
    client = signed_in("controller")

    def queries(rows):
        data = forum_book(
            *[forum_row(title=f"F {i}", namnd=["Bildning", "Social"][i % 2]) for i in range(rows)]
        )
        upload(client, data)  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert upload(client, data).status_code == 200
        return len(captured)

    small, large = queries(5), queries(200)
    assert small == large
    assert small <= 15


def test_a_sheet_without_nämnd_and_no_choice_says_so_on_the_page(round, signed_in):
    page = upload(signed_in("controller"), sample("rangordning-bas.xlsx")).content.decode()
    assert "välj vilken förvaltning raderna hör till" in page
    assert 'name="token"' not in page


def test_abandoned_previews_are_swept(round, tmp_path):
    import os
    import time

    from rounds.importing.stash import MAX_AGE, stash, sweep

    stash(b"old", name="a.xlsx", round_id=round.pk, user_id=1, forvaltning_id=None)
    (old,) = (tmp_path / "imports").glob("*.xlsx")
    past = time.time() - MAX_AGE - 60
    os.utime(old, (past, past))
    sweep()
    assert not old.exists()
