"""The Document model moves from ranking to the documents app (issue 14) with
its table: a database migrated to before the move, with a document in it,
migrates forward and finds the same row through documents.models.Document —
and the document's content type moves with it (PostgreSQL, as production)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Before this step's migrations: ranking 0008 (the kinds from the registry),
# documents 0001 (the model in documents' state) and ranking 0009 (out of ranking's).
BEFORE = [("ranking", "0007_form_versions"), ("documents", None)]


def migrate(targets=None):
    """Migrate to ``targets`` (default: every app's latest); the executor's
    state of the migrations graph afterwards."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([node for node in targets if node[1]]).apps


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_document_row_is_the_documents_apps_after_the_move(postgres, demo):
    from tests.factories import analysis_of, make_round

    round = make_round()  # rounds' tables are the same before and after
    analysis = analysis_of(round, "Socialförvaltningen")
    old = migrate(BEFORE)
    old_document = old.get_model("ranking", "Document")
    assert old_document._meta.db_table == "ranking_document"
    content_type = old.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="documents", model="document").delete()
    old_type, _ = content_type.objects.get_or_create(app_label="ranking", model="document")
    requested_at = timezone.now() - datetime.timedelta(days=3)
    row = old_document.objects.create(
        round_id=round.pk,
        kind="analys-xlsx",
        analysis_id=analysis.pk,
        scope=f"analys-{analysis.pk}",
        version=4,
        language="sv",
        status="done",
        progress=100,
        step="Klar",
        attempts=2,
        requested_by_id=demo["controller"].pk,
        requested_at=requested_at,
        file="dokument/2027/verksamhetsanalys-socialforvaltningen-2027-v4.xlsx",
        size=5607,
        sha256="a" * 64,
        rows=8,
    )

    new = migrate()
    assert new.get_model("documents", "Document")._meta.db_table == "ranking_document"
    with pytest.raises(LookupError):
        new.get_model("ranking", "Document")

    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    from documents.models import Document
    from rounds.documents import ANALYSIS_XLSX

    document = Document.objects.select_related("analysis__forvaltning").get(pk=row.pk)
    assert (document.kind, document.scope, document.version, document.status) == (
        ANALYSIS_XLSX,
        f"analys-{analysis.pk}",
        4,
        "done",
    )
    assert document.round_id == round.pk and document.analysis == analysis
    assert document.requested_by_id == demo["controller"].pk
    assert document.requested_at == requested_at
    assert document.file.name.endswith("socialforvaltningen-2027-v4.xlsx")
    assert (document.size, document.rows, document.attempts) == (5607, 8, 2)
    assert document.get_kind_display() == "Verksamhetsanalys (Excel)"
    assert list(round.documents.all()) == [document]
    # The content type is the same row, now the documents app's.
    CurrentContentType.objects.clear_cache()
    moved = CurrentContentType.objects.get_for_model(Document)
    assert (moved.pk, moved.app_label) == (old_type.pk, "documents")
    # New versions follow on in the same table.
    later = Document.objects.create(
        round=round,
        kind=ANALYSIS_XLSX,
        analysis=analysis,
        version=5,
        requested_by=demo["controller"],
        requested_at=timezone.now(),
    )
    assert later.pk > row.pk
