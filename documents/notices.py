"""A document someone asked for is ready, or failed: a mail to the one who
asked (who could read its material when asking), with the document's name
and a link to its page — never the file itself."""

from django.urls import reverse

from documents import registry
from documents.models import Document, DocumentStatus
from notices.mail import link, notify
from notices.models import NoticeKind


def document_finished(document: Document) -> int:
    if document.requested_by is None:
        return 0
    round = document.round
    name = registry.get(document.kind).label
    subject = registry.subject_name(document)
    context = {
        "ready": document.status == DocumentStatus.DONE,
        "name": name,
        "subject": subject or "",
        "year": round.budget_year,
        "version": document.version,
        "url": link(reverse("document_detail", args=[round.budget_year, document.pk])),
    }
    return notify(
        [document.requested_by], NoticeKind.DOCUMENT, "document", context, kommun=round.kommun.name
    )
