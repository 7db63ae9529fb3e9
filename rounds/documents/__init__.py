"""The documents made of a round's own material, registered with the document
machinery (``documents.registry``): one förvaltning's verksamhetsanalys as
PDF and Excel (``analysis``), and the follow-up report of a period as PDF and
Excel (``followup``, here while follow-up lives in rounds). ``pages`` holds
the proposal pages the PDFs share.

The builders import their modules when called: only the worker makes
documents, and the web process never loads the renderer.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import registry
from documents.registry import ANALYSIS, PDF, PERIOD, XLSX, Kind, Readers, Scope
from prioritering.access import may, visible_analyses
from rounds.models import Analysis, FollowUpPeriod

ANALYSIS_PDF = "analys-pdf"
ANALYSIS_XLSX = "analys-xlsx"
FOLLOWUP_PDF = "uppfoljning-pdf"
FOLLOWUP_XLSX = "uppfoljning-xlsx"
FOLLOWUP_KINDS = (FOLLOWUP_PDF, FOLLOWUP_XLSX)


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


# --- the follow-up report of a period (the controller's, as its overview) -------------


def _find_period(round, pk: int) -> FollowUpPeriod:
    return get_object_or_404(FollowUpPeriod, round=round, pk=pk)


def _periods(user, round) -> list[FollowUpPeriod]:
    """The round's periods, for the controller (whose report it is)."""
    if not may(user, "view_follow_up_overview", round):
        return []
    periods = list(FollowUpPeriod.objects.filter(round=round).order_by("kind"))
    for period in periods:
        period.round = round
    return periods


def _overview_link(period, round) -> tuple[str, str]:
    return (
        _("Uppföljning %(period)s") % {"period": period.get_kind_display()},
        reverse("followup_overview", args=[round.budget_year, period.slug]),
    )


def _followup_pdf(document):
    from rounds.documents.followup import followup_document

    return followup_document(document.round, document.period)


def _followup_xlsx(document, out, progress):
    from rounds.documents.followup import write_followup

    return write_followup(document.round, document.period, out, progress=progress)


registry.register_scope(
    Scope(
        name=PERIOD,
        find=_find_period,
        title=lambda period: period.get_kind_display(),
        slug=lambda period: period.slug,
        listed=_periods,
        template="rounds/documents/list_periods.html",
        related=("period",),
        link=_overview_link,
    )
)
registry.register(
    Kind(
        value=FOLLOWUP_PDF,
        label=gettext_lazy("Uppföljningsrapport (PDF)"),
        scope=PERIOD,
        format=PDF,
        stem="uppfoljning",
        readers=Readers("view_follow_up_overview"),
        build=_followup_pdf,
    )
)
registry.register(
    Kind(
        value=FOLLOWUP_XLSX,
        label=gettext_lazy("Uppföljningsrapport (Excel)"),
        scope=PERIOD,
        format=XLSX,
        stem="uppfoljning",
        readers=Readers("view_follow_up_overview"),
        build=_followup_xlsx,
    )
)
