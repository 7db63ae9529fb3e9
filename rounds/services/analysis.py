"""The verksamhetsanalys workflow: draft → submitted → returned → resubmitted."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import save_as
from rounds import criteria, locks, notices
from rounds.models import Analysis, AnalysisStatus, Forvaltning, Round, User


def ensure_analyses(round: Round, *, by: User) -> None:
    """Every förvaltning of the kommun has an analysis in the round."""
    existing = set(round.analyses.values_list("forvaltning_id", flat=True))
    for forvaltning in Forvaltning.objects.filter(namnd__kommun=round.kommun).exclude(
        pk__in=existing
    ):
        save_as(Analysis(round=round, forvaltning=forvaltning), by)


def _locked(analysis: Analysis) -> Analysis:
    """The analysis re-read under its lock, after its round's (shared): the
    lock order of ``rounds.locks``. Two workflow steps cannot interleave, and
    the rules are asked of the round and analysis as they are now."""
    return locks.analysis_and_round(analysis, change=True)


@transaction.atomic
def submit_analysis(analysis: Analysis, *, by: User) -> Analysis:
    """Submit ``analysis`` to its nämnd; refused (:class:`IncompleteProposals`)
    while a proposal in it that is not withdrawn lacks a central criterion or
    a cost (``rounds.criteria``)."""
    analysis = _locked(analysis)
    require(by, "submit_analysis", analysis)
    lacking = criteria.incomplete(
        analysis.proposals.filter(withdrawn_at__isnull=True).order_by("number"),
        analysis.round.budget_year,
    )
    if lacking:
        raise criteria.IncompleteProposals(lacking)
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.submitted_at = timezone.now()
    analysis.submitted_by = by
    save_as(analysis, by, "Inlämnad till nämnden")
    notices.analysis_submitted(analysis)
    return analysis


@transaction.atomic
def return_analysis(
    analysis: Analysis,
    *,
    by: User,
    comment: str,
    extended_until: datetime.date | None = None,
) -> Analysis:
    """Send a submitted analysis back to the förvaltning with a comment. After
    the deadline the förvaltning needs a new last day to be able to work."""
    analysis = _locked(analysis)
    require(by, "return_analysis", analysis)
    errors = {}
    if not comment.strip():
        errors["comment"] = _("Skriv vad förvaltningen behöver komplettera eller ändra.")
    today = timezone.localdate()
    if extended_until is not None and extended_until < today:
        errors["extended_until"] = _("Den nya sista dagen kan inte ligga före i dag.")
    elif extended_until is None and analysis.deadline_passed(today):
        errors["extended_until"] = _(
            "Sista dagen har passerat: ange en ny sista dag så att förvaltningen kan arbeta."
        )
    if errors:
        raise ValidationError(errors)
    analysis.status = AnalysisStatus.RETURNED
    analysis.returned_at = timezone.now()
    analysis.returned_by = by
    analysis.return_comment = comment.strip()
    if extended_until is not None:
        analysis.extended_until = extended_until
    save_as(analysis, by, "Återlämnad till förvaltningen")
    notices.analysis_returned(analysis)
    return analysis
