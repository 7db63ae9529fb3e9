"""Faktaunderlag on a proposal or an analysis item: add and remove, each in
one transaction under the analysis's lock (a submission cannot slip in
between the check and the write), with the rules of editing the proposal or
the grid, and a history row. The file is checked before it gets here
(``rounds.uploads.validate_upload``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import delete_as, save_as
from rounds import locks
from rounds.models import AnalysisItem, Faktaunderlag, Proposal, User
from rounds.models.faktaunderlag import TITLE_MAX
from rounds.uploads import clean_file_name


def _locked_owner(owner: Proposal | AnalysisItem, by: User) -> Proposal | AnalysisItem:
    """The proposal or item afresh, its analysis (and round) locked, and the
    right to change it checked as things stand now."""
    analysis = locks.analysis_and_round(owner.analysis_id, change=False)
    if isinstance(owner, Proposal):
        owner = Proposal.objects.select_related("round").get(pk=owner.pk)
        owner.analysis = analysis
        require(by, "edit_proposal", owner)
    else:
        owner = AnalysisItem.objects.get(pk=owner.pk)
        owner.analysis = analysis
        require(by, "edit_analysis", analysis)
    return owner


@transaction.atomic
def add_faktaunderlag(
    owner: Proposal | AnalysisItem, uploaded, content_type: str, title: str = "", *, by: User
) -> Faktaunderlag:
    owner = _locked_owner(owner, by)
    # Printable only, as the file name (rounds.uploads.clean_file_name): the
    # proposal page reads the list joined by control characters.
    title = "".join(ch for ch in (title or "") if ch.isprintable()).strip()
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": [_("Skriv högst %(max)s tecken.") % {"max": TITLE_MAX}]})
    fakta = Faktaunderlag(
        title=title,
        file=uploaded,
        name=clean_file_name(uploaded.name),
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=by,
    )
    if isinstance(owner, Proposal):
        fakta.proposal = owner
    else:
        fakta.analysis_item = owner
    save_as(fakta, by, _("Uppladdat"))
    return fakta


@transaction.atomic
def remove_faktaunderlag(fakta: Faktaunderlag, *, by: User) -> None:
    """The row goes; the file stays on disk, so the history can still name it."""
    _locked_owner(fakta.proposal or fakta.analysis_item, by)
    delete_as(fakta, by, _("Borttaget"))
