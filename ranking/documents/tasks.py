"""The background task that makes a document (run by ``manage.py db_worker``)."""

from django.tasks import task

from ranking.documents import generate


@task(queue_name="documents")
def generate_document(document_id: int, attempt: int) -> str:
    return generate.run(document_id, attempt)
