"""A proposal's faktaunderlag as its pages list them, read with the
proposal itself where the page's query budget asks for it."""

from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Concat

from rounds.models import Faktaunderlag
from rounds.uploads import type_label


def listed(queryset) -> list[Faktaunderlag]:
    files = list(queryset)
    for fakta in files:
        fakta.type_label = type_label(fakta.content_type)
    return files


# A proposal's faktaunderlag read with the proposal itself (the page's query
# budget): "pk␟size␟content type␟name␟title" per file, joined by ␞. Names
# and titles are printable (rounds.uploads.clean_file_name and the service).
FIELD, RECORD = "\x1f", "\x1e"


def with_faktaunderlag(queryset):
    """``queryset`` of proposals with their faktaunderlag in ``fakta_list``."""
    files = (
        Faktaunderlag.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(
            items=StringAgg(
                Concat(
                    Cast("pk", CharField()),
                    Value(FIELD),
                    Cast("size", CharField()),
                    Value(FIELD),
                    "content_type",
                    Value(FIELD),
                    "name",
                    Value(FIELD),
                    "title",
                    output_field=CharField(),
                ),
                delimiter=Value(RECORD),
            )
        )
        .values("items")
    )
    return queryset.annotate(fakta_list=Subquery(files))


def faktaunderlag_of(proposal) -> list[Faktaunderlag]:
    """A proposal's faktaunderlag as its page lists them: from ``fakta_list``
    when it was read with them (:func:`with_faktaunderlag`), else one query."""
    if not hasattr(proposal, "fakta_list"):
        return listed(Faktaunderlag.objects.filter(proposal=proposal))
    files = []
    for record in (proposal.fakta_list or "").split(RECORD):
        if record:
            pk, size, content_type, name, title = record.split(FIELD)
            files.append(
                Faktaunderlag(
                    pk=int(pk),
                    proposal=proposal,
                    size=int(size),
                    content_type=content_type,
                    name=name,
                    title=title,
                    uploaded_at=None,
                )
            )
    return listed(sorted(files, key=lambda fakta: fakta.pk))  # in the order uploaded
