"""The follow-up report of a period, as PDF and Excel, registered with the
document machinery (``documents.registry``): the controller's, as the
overview it is made from. Its content is :mod:`followup.documents.followup`.

The builders import their module when called: only the worker makes
documents, and the web process never loads the renderer.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import registry
from documents.registry import PDF, PERIOD, XLSX, Kind, Readers, Scope
from followup.models import FollowUpPeriod
from prioritering.access import may

FOLLOWUP_PDF = "uppfoljning-pdf"
FOLLOWUP_XLSX = "uppfoljning-xlsx"
FOLLOWUP_KINDS = (FOLLOWUP_PDF, FOLLOWUP_XLSX)


def _find_period(round, pk: int) -> FollowUpPeriod:
    return get_object_or_404(FollowUpPeriod, round=round, pk=pk)


def _periods(user, round) -> list[FollowUpPeriod]:
    """The round's periods, for the controller (whose report it is)."""
    if not may(user, "export_follow_up", round):
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
    from followup.documents.followup import followup_document

    return followup_document(document.round, document.period)


def _followup_xlsx(document, out, progress):
    from followup.documents.followup import write_followup

    return write_followup(document.round, document.period, out, progress=progress)


registry.register_scope(
    Scope(
        name=PERIOD,
        find=_find_period,
        title=lambda period: period.get_kind_display(),
        slug=lambda period: period.slug,
        listed=_periods,
        template="followup/documents/list_periods.html",
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
        readers=Readers("export_follow_up"),
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
        readers=Readers("export_follow_up"),
        build=_followup_xlsx,
    )
)
