"""Faktaunderlag on proposals and analysis items: the förvaltning adds and
removes them while its analysis is a draft, with the upload checks and their
Swedish errors; readers download them as they read the proposal (another
förvaltning's draft is a 404); the grid shows how many an item has; the
decision document lists a proposal's on its page; the history keeps each."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from prioritering.audit import save_as
from ranking.documents import pdf_content
from rounds.models import AnalysisItem, AnalysisStatus, Faktaunderlag, User
from tests.factories import analysis_of, make_proposal, make_round
from tests.forum_setup import outcome_round
from tests.helpers import assert_queries_do_not_grow
from tests.test_round_uploads import MB, PDF

BILDNING = "Bildningsförvaltningen"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def proposal(demo):
    round = make_round()
    return make_proposal(analysis_of(round, BILDNING), title="Fler kuratorer")


def page_url(proposal):
    return f"/omgangar/{proposal.round.budget_year}/forslag/{proposal.number}/faktaunderlag/"


def upload(client, url, name="enkat.pdf", content=PDF, title="Elevenkäten 2025"):
    return client.post(
        url, {"action": "upload", "title": title, "file": SimpleUploadedFile(name, content)}
    )


def test_staff_add_a_file_and_readers_see_and_download_it(signed_in, proposal):
    client = signed_in("tjp-bildning")
    response = upload(client, page_url(proposal))
    assert response.status_code == 302
    fakta = Faktaunderlag.objects.get()
    assert (fakta.proposal, fakta.title, fakta.name, fakta.content_type) == (
        proposal,
        "Elevenkäten 2025",
        "enkat.pdf",
        "application/pdf",
    )
    assert fakta.history.get().history_user.username == "tjp-bildning"
    detail = client.get(f"/omgangar/{proposal.round.budget_year}/forslag/{proposal.number}/")
    assert "Elevenkäten 2025" in detail.content.decode()
    download = f"/omgangar/{proposal.round.budget_year}/faktaunderlag/{fakta.pk}/"
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    # The same file under another year's address does not exist.
    assert client.get(f"/omgangar/2031/faktaunderlag/{fakta.pk}/").status_code == 404


def test_another_forvaltnings_draft_is_not_found(signed_in, proposal):
    signed_in("tjp-bildning")
    fakta = add_file(proposal, "tjp-bildning")
    client = signed_in("tjp-social")
    assert client.get(page_url(proposal)).status_code == 404
    download = f"/omgangar/{proposal.round.budget_year}/faktaunderlag/{fakta.pk}/"
    assert client.get(download).status_code == 404
    # Once submitted, everyone signed in reads it, and nobody changes it.
    analysis = proposal.analysis
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    assert client.get(download).status_code == 200
    staff = signed_in("tjp-bildning")
    page = staff.get(page_url(proposal)).content.decode()
    assert 'name="action" value="upload"' not in page
    assert upload(staff, page_url(proposal)).status_code == 403
    response = staff.post(page_url(proposal), {"action": "remove", "faktaunderlag": fakta.pk})
    assert response.status_code == 403
    assert Faktaunderlag.objects.count() == 1


def add_file(owner, username, title="Statistik"):
    fakta = Faktaunderlag(
        title=title,
        file=ContentFile(PDF, name="statistik.pdf"),
        name="statistik.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=User.objects.get(username=username),
    )
    if isinstance(owner, AnalysisItem):
        fakta.analysis_item = owner
    else:
        fakta.proposal = owner
    save_as(fakta, fakta.uploaded_by)
    return fakta


@pytest.mark.parametrize(
    ("name", "content", "title", "message"),
    [
        ("program.pdf", b"MZ\x90\x00 not a pdf", "", "stämmer inte"),
        ("tom.pdf", b"", "", "Filen är tom."),
        ("skript.exe", b"MZ\x90\x00", "", "Filtypen"),
        ("enkat.pdf", PDF, "x" * 201, "Skriv högst 200 tecken."),
    ],
)
def test_bad_uploads_are_refused_in_swedish_and_nothing_is_stored(
    signed_in, proposal, name, content, title, message
):
    response = upload(signed_in("tjp-bildning"), page_url(proposal), name, content, title)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("errorlist") :][:400]
    assert not Faktaunderlag.objects.exists()


def test_a_file_past_the_limit_is_refused(signed_in, proposal):
    response = upload(signed_in("tjp-bildning"), page_url(proposal), content=PDF + b"0" * (11 * MB))
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert not Faktaunderlag.objects.exists()


def test_removing_keeps_the_history(signed_in, proposal):
    fakta = add_file(proposal, "tjp-bildning")
    client = signed_in("chef-bildning")
    response = client.post(page_url(proposal), {"action": "remove", "faktaunderlag": fakta.pk})
    assert response.status_code == 302
    assert not Faktaunderlag.objects.exists()
    removed = Faktaunderlag.history.filter(id=fakta.pk).latest("history_date")
    assert (removed.history_type, removed.history_user.username) == ("-", "chef-bildning")
    # Another proposal's file cannot be removed through this page.
    other = make_proposal(proposal.analysis, title="Annat")
    theirs = add_file(other, "tjp-bildning")
    response = client.post(page_url(proposal), {"action": "remove", "faktaunderlag": theirs.pk})
    assert response.status_code == 404
    assert Faktaunderlag.objects.filter(pk=theirs.pk).exists()


def test_forum_members_and_ledamoter_cannot_add(signed_in, proposal):
    for username in ("forum-1", "ledamot-bildning", "revisor", "tjp-social"):
        client = signed_in(username)
        response = upload(client, page_url(proposal))
        assert response.status_code in (403, 404), username
    assert not Faktaunderlag.objects.exists()


# --- on analysis items -------------------------------------------------------------


def test_an_item_gets_faktaunderlag_and_the_grid_counts_them(signed_in, demo):
    round = make_round()
    analysis = analysis_of(round, BILDNING)
    from rounds.models import ListItem, ListKind

    perspektiv = ListItem.objects.filter(round=round, kind=ListKind.PERSPEKTIV).first()
    item = AnalysisItem.objects.create(
        analysis=analysis, perspektiv=perspektiv, column=3, text="Fler elever mår dåligt"
    )
    base = f"/omgangar/{round.budget_year}/analyser/{analysis.forvaltning_id}/punkter/"
    client = signed_in("tjp-bildning")
    response = upload(client, f"{base}{item.pk}/faktaunderlag/", title="Skolenkäten")
    assert response.status_code == 302
    assert Faktaunderlag.objects.get().analysis_item == item
    grid = client.get(f"/omgangar/{round.budget_year}/analyser/{analysis.forvaltning_id}/")
    assert "Faktaunderlag (1)" in grid.content.decode()
    # Another förvaltning's item is not found under this analysis.
    social = analysis_of(round, "Socialförvaltningen")
    other = AnalysisItem.objects.create(
        analysis=social, perspektiv=perspektiv, column=3, text="Annat"
    )
    assert client.get(f"{base}{other.pk}/faktaunderlag/").status_code == 404

    def more():
        for n in range(5):
            add_file(item, "tjp-bildning", title=f"Underlag {n}")
            AnalysisItem.objects.create(
                analysis=analysis, perspektiv=perspektiv, column=3, text=f"Punkt {n}"
            )

    assert_queries_do_not_grow(
        client, f"/omgangar/{round.budget_year}/analyser/{analysis.forvaltning_id}/", more
    )


def test_the_proposal_page_queries_do_not_grow_with_its_files(signed_in, proposal):
    client = signed_in("tjp-bildning")
    url = f"/omgangar/{proposal.round.budget_year}/forslag/{proposal.number}/"
    assert_queries_do_not_grow(
        client, url, lambda: [add_file(proposal, "tjp-bildning", f"U{n}") for n in range(5)]
    )


# --- the decision document -----------------------------------------------------------


def test_the_decision_document_lists_a_proposals_faktaunderlag(demo):
    round, (first, *_rest) = outcome_round()
    add_file(first, "tjp-bildning", title="Elevhälsans enkät 2025")
    layout = pdf_content.decision_document(round)
    pages = "".join(part.html for part in layout.parts)
    assert "Elevhälsans enkät 2025 (statistik.pdf)" in pages
