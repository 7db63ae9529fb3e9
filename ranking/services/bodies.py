"""Recording the decisions of the kommunstyrelse and the kommunfullmäktige on
a round's result (``ranking.models.BodyDecision``): the controller records
one, and corrects it later; the history keeps every version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import save_as
from ranking.models import Body, BodyDecision
from ranking.models.body import PARAGRAPH_MAX, TEXT_MAX
from rounds import locks
from rounds.models import Round, User
from rounds.uploads import clean_file_name


def body_decision_problems(body, decision_date, paragraph: str, text: str) -> dict:
    """What is wrong with a decision as given, per field (empty when none)."""
    errors = meeting_problems(decision_date, paragraph, text)
    if body not in Body.values:
        errors["body"] = [_("Välj organ: kommunstyrelsen eller kommunfullmäktige.")]
    return errors


def meeting_problems(decision_date, paragraph: str, text: str) -> dict:
    """What is wrong with a body's decision's date, § and text, per field —
    the same rules for KS and KF on a round and for the decisions on a
    follow-up period's measures (``followup.services``)."""
    errors: dict[str, list[str]] = {}
    if not decision_date:
        errors["decision_date"] = [_("Ange sammanträdesdatum.")]
    if not paragraph:
        errors["paragraph"] = [_("Ange paragraf (§).")]
    elif len(paragraph) > PARAGRAPH_MAX:
        errors["paragraph"] = [
            _("Paragrafen kan vara högst %(max)s tecken (nu %(count)s).")
            % {"max": PARAGRAPH_MAX, "count": len(paragraph)}
        ]
    if not text:
        errors["text"] = [_("Skriv vad organet beslutade.")]
    elif len(text) > TEXT_MAX:
        errors["text"] = [
            _("Texten kan vara högst %(max)s tecken (nu %(count)s).")
            % {"max": TEXT_MAX, "count": len(text)}
        ]
    return errors


def clean_paragraph(paragraph) -> str:
    """ "§ 45" and " 45 " are both 45."""
    return (paragraph or "").strip().lstrip("§").strip()


@transaction.atomic
def record_body_decision(
    round: Round,
    body: str,
    decision_date,
    paragraph: str,
    text: str,
    *,
    by: User,
    protocol=None,
    content_type: str = "",
    decision: BodyDecision | None = None,
) -> BodyDecision:
    """Record a new decision of KS or KF on ``round`` — or, given
    ``decision``, correct that one. ``protocol`` is an uploaded file already
    checked (``rounds.uploads.validate_upload``, which gave ``content_type``);
    without one, a corrected decision keeps its protocol."""
    round = locks.round_to_work_in(round)
    require(by, "record_body_decision", round)
    paragraph = clean_paragraph(paragraph)
    text = (text or "").strip()
    errors = body_decision_problems(body, decision_date, paragraph, text)
    if errors:
        raise ValidationError(errors)
    if decision is None:
        decision = BodyDecision(round=round)
        reason = _("Registrerat")
    else:
        decision = BodyDecision.objects.get(pk=decision.pk, round=round)
        reason = _("Rättat")
    decision.body = body
    decision.decision_date = decision_date
    decision.paragraph = paragraph
    decision.text = text
    if protocol is not None:
        decision.protocol = protocol
        decision.protocol_name = clean_file_name(protocol.name)
        decision.protocol_content_type = content_type
        decision.protocol_size = protocol.size
    decision.recorded_at = timezone.now()
    decision.recorded_by = by
    save_as(decision, by, reason)
    return decision
