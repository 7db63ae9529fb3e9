"""Who may ask for and download which document: the readers of its material.
An analysis's documents follow the analysis (a draft only for its förvaltning
and the controller); the round's and a nämnd's go to every signed-in user;
the public downloads the published decision document, and nothing else."""

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import generate
from documents.models import Document, DocumentStatus
from ranking.documents import DECISION_PDF, FORUM_XLSX, RANKING_PDF
from ranking.models import ForumResult
from rounds.documents import ANALYSIS_PDF, ANALYSIS_XLSX
from rounds.models import AnalysisStatus
from tests.factories import analysis_of, make_round
from tests.helpers import CAST, cast_except

READERS_OF_BILDNINGS_DRAFT = ("controller", "chef-bildning", "tjp-bildning")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def round(demo):
    return make_round()


def done(round, user, kind, **scope) -> Document:
    """A finished document, made without the worker."""
    document, _ = generate.request_document(round, kind, by=user, **scope)
    generate._claim(document.pk, 1)
    assert generate._store(document, 1, b"innehall", f"x.{generate.extension(kind)}", {}) == "done"
    document.refresh_from_db()
    return document


def publish(round, user):
    ForumResult.objects.update_or_create(
        round=round, defaults={"published_at": timezone.now(), "published_by": user}
    )


@pytest.mark.parametrize("username", CAST)
def test_a_draft_analysis_document_is_for_its_readers_only(round, demo, signed_in, username):
    bildning = analysis_of(round, "Bildningsförvaltningen")
    assert bildning.status == AnalysisStatus.DRAFT
    document = done(round, demo["controller"], ANALYSIS_PDF, analysis=bildning)
    client = signed_in(username)
    allowed = username in READERS_OF_BILDNINGS_DRAFT
    download = client.get(reverse("document_download", args=[2027, document.pk]))
    assert download.status_code == (200 if allowed else 403)
    detail = client.get(reverse("document_detail", args=[2027, document.pk]))
    assert detail.status_code == (200 if allowed else 403)
    asked = client.post(
        reverse("document_request", args=[2027]),
        {"kind": ANALYSIS_XLSX, "analysis": bildning.pk},
    )
    assert asked.status_code == (302 if allowed else 403)
    assert Document.objects.filter(kind=ANALYSIS_XLSX).exists() == allowed
    listed = client.get(reverse("document_list", args=[2027])).content.decode()
    assert ("Bildningsförvaltningen" in listed) == allowed


@pytest.mark.parametrize("username", cast_except("admin"))
def test_round_documents_are_for_every_signed_in_reader(round, demo, signed_in, username):
    document = done(round, demo["controller"], FORUM_XLSX)
    client = signed_in(username)
    assert client.get(reverse("document_download", args=[2027, document.pk])).status_code == 200
    response = client.post(reverse("document_request", args=[2027]), {"kind": DECISION_PDF})
    assert response.status_code == 302


def test_a_rerun_needs_the_right_to_generate(round, demo, signed_in):
    bildning = analysis_of(round, "Bildningsförvaltningen")
    document, _ = generate.request_document(
        round, ANALYSIS_PDF, by=demo["controller"], analysis=bildning
    )
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED)
    url = reverse("document_rerun", args=[2027, document.pk])
    assert signed_in("tjp-social").post(url).status_code == 403
    assert signed_in("tjp-bildning").post(url).status_code == 302


def test_unknown_kinds_and_foreign_scopes_are_not_found(round, demo, signed_in):
    client = signed_in("controller")
    url = reverse("document_request", args=[2027])
    assert client.post(url, {"kind": "nagot-annat"}).status_code == 404
    assert client.post(url, {"kind": ANALYSIS_PDF}).status_code == 404
    assert client.post(url, {"kind": RANKING_PDF, "namnd": 999}).status_code == 404
    for nonsense in ("abc", "1; DROP TABLE", "-1", ""):
        response = client.post(url, {"kind": ANALYSIS_PDF, "analysis": nonsense})
        assert response.status_code == 404, nonsense
    assert client.get(url).status_code == 405


def test_a_document_of_another_round_is_not_found(round, demo, signed_in):
    document = done(round, demo["controller"], FORUM_XLSX)
    make_round(year=2028)
    client = signed_in("controller")
    assert client.get(reverse("document_download", args=[2028, document.pk])).status_code == 404


def test_the_public_downloads_the_published_decision_document_only(round, demo, client):
    draft = done(round, demo["controller"], DECISION_PDF)
    forum = done(round, demo["controller"], FORUM_XLSX)
    public_url = reverse("public_decision_document", args=[2027])
    assert client.get(public_url).status_code == 404  # not published

    publish(round, demo["controller"])
    # Made before publication: not the published document.
    assert client.get(public_url).status_code == 404
    response = client.get(reverse("document_download", args=[2027, draft.pk]))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]

    published = done(round, demo["controller"], DECISION_PDF)
    Document.objects.filter(pk=published.pk).update(public=True)
    response = client.get(public_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "beslutsunderlag-2027-v2.pdf" in response["Content-Disposition"]
    # … and nothing else, not even by its own address.
    response = client.get(reverse("document_download", args=[2027, forum.pk]))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert client.post(public_url).status_code == 405


def test_a_decision_document_made_from_a_published_round_is_public(
    round, demo, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(generate, "_build_pdf", lambda d, r: (b"%PDF", {"pages": 1}))
    publish(round, demo["controller"])
    made = []
    for kind in (DECISION_PDF, RANKING_PDF):
        scope = {}
        if kind == RANKING_PDF:
            from ranking.models import NamndResult

            result = NamndResult.objects.create(
                round=round, namnd=analysis_of(round, "Bildningsförvaltningen").forvaltning.namnd
            )
            scope = {"namnd": result.namnd}
        document, _ = generate.request_document(round, kind, by=demo["controller"], **scope)
        generate.run(document.pk, 1)
        document.refresh_from_db()
        made.append((document.status, document.public))
    assert made == [("done", True), ("done", False)]
