"""The documents made of a round's own material, registered with the document
machinery (``documents.registry``): one förvaltning's verksamhetsanalys as
PDF and Excel (``analysis``). ``pages`` holds the proposal pages the PDFs
share (the decision document's too).

The builders import their modules when called: only the worker makes
documents, and the web process never loads the renderer.
"""

from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from documents import registry
from documents.registry import ANALYSIS, PDF, XLSX, Kind, Readers, Scope
from prioritering.access import visible_analyses
from rounds.models import Analysis

ANALYSIS_PDF = "analys-pdf"
ANALYSIS_XLSX = "analys-xlsx"


# --- one förvaltning's verksamhetsanalys ----------------------------------------------


def _find_analysis(round, pk: int) -> Analysis:
    return get_object_or_404(
        Analysis.objects.select_related("forvaltning__namnd", "round"), round=round, pk=pk
    )


def _analyses(user, round) -> list[Analysis]:
    """The analyses of the round the reader may read, by nämnd and förvaltning."""
    return list(
        visible_analyses(user, Analysis.objects.filter(round=round))
        .select_related("forvaltning__namnd")
        .order_by("forvaltning__namnd__name", "forvaltning__name")
    )


def _analysis_pdf(document):
    from rounds.documents.analysis import analysis_document

    return analysis_document(document.analysis)


def _analysis_xlsx(document, out, progress):
    from rounds.documents.analysis import write_analysis

    return write_analysis(document.analysis, out, progress=progress)


registry.register_scope(
    Scope(
        name=ANALYSIS,
        find=_find_analysis,
        title=lambda analysis: analysis.forvaltning.name,
        slug=lambda analysis: slugify(analysis.forvaltning.name),
        listed=_analyses,
        template="rounds/documents/list_analyses.html",
        related=("analysis__forvaltning__namnd",),
    )
)
registry.register(
    Kind(
        value=ANALYSIS_PDF,
        label=gettext_lazy("Verksamhetsanalys (PDF)"),
        scope=ANALYSIS,
        format=PDF,
        stem="verksamhetsanalys",
        readers=Readers("view_analysis", of=ANALYSIS),
        build=_analysis_pdf,
    )
)
registry.register(
    Kind(
        value=ANALYSIS_XLSX,
        label=gettext_lazy("Verksamhetsanalys (Excel)"),
        scope=ANALYSIS,
        format=XLSX,
        stem="verksamhetsanalys",
        readers=Readers("view_analysis", of=ANALYSIS),
        build=_analysis_xlsx,
    )
)
