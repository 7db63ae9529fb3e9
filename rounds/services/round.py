"""Setting up a round and moving it through its phases."""

import datetime
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import delete_as, save_as
from rounds import locks, notices
from rounds.guidance import STATE_FIELD_NAMES, default_states, model_instructions
from rounds.models import (
    Forutsattning,
    ForutsattningKind,
    Kommun,
    ListItem,
    ListKind,
    Phase,
    PhaseDeadline,
    PhaseTransition,
    Round,
    User,
)
from rounds.models.round import RIKTVARDE_LEVELS, riktvarde_fields
from rounds.services.analysis import ensure_analyses

# The lists a new round starts with when there is no earlier round to copy:
# the source's own words (Rapport 2023:1 and its tools).
DEFAULT_LISTS = {
    ListKind.PERSPEKTIV: [
        "Invånare",
        "Medarbetare (inklusive kompetens)",
        "Ekonomi",
        "Hållbarhet",
    ],
    ListKind.FOKUSOMRADE: [
        "Grunduppdrag",
        "Kompetensförsörjning",
        "Chefers förutsättningar",
        "Digitalisering",
        "Tillgänglighet och bemötande",
        "Tillväxt",
    ],
    ListKind.VERKSAMHETSOMRADE: [],
    ListKind.ORSAK: [
        "Volym/Demografi",
        "Integration",
        "Arbetskraftsbrist",
        "Processer och arbetsmetoder",
        "Ökad arbetsvolym",
        "Besparing",
        "Lagkrav",
    ],
    ListKind.EFFEKT_PA_SIKT: [
        "Ambitionsökning",
        "Kompetensförsörjning",
        "Effektivisering",
        "Bibehålla kvalitet",
        "Ska utvärderas",
    ],
    ListKind.POLITISKT_MAL: [],
}

# Fields of a round's set-up that a copy takes over.
COPIED_FIELDS = (
    "purpose",
    "frame_tkr",
    "instructions",
    "uses_effekt",
    "uses_kunskapsunderlag",
    "uses_maluppfyllelse",
    "uses_effekt_framst_for",
    "uses_etisk_granskning",
    *(field for _level, name in RIKTVARDE_LEVELS for field in riktvarde_fields(name)),
    *STATE_FIELD_NAMES,
)


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def create_round(
    kommun: Kommun, *, budget_year: int, by: User, copy_from: Round | None = None, **fields
) -> Round:
    """A new round. From ``copy_from`` it takes the set-up — purpose, frame,
    instructions, criteria, best and worst states, lists, förutsättningar
    (text), deadlines moved by the difference in years — never its analyses or
    proposals. Without it, the instructions start from the model's guidance
    and the states from the source's examples (:mod:`rounds.guidance`)."""
    require(by, "manage_round")
    if Round.objects.filter(kommun=kommun, budget_year=budget_year).exists():
        raise ValidationError(
            {
                "budget_year": _("Det finns redan en omgång för budgetår %(year)s.")
                % {"year": budget_year}
            }
        )
    if copy_from is not None:
        for name in COPIED_FIELDS:
            fields.setdefault(name, getattr(copy_from, name))
    else:
        fields.setdefault("instructions", model_instructions())
        for name, text in default_states().items():
            fields.setdefault(name, text)
    round = Round(kommun=kommun, budget_year=budget_year, copied_from=copy_from, **fields)
    round.full_clean()
    try:
        with transaction.atomic():
            save_as(round, by, "Skapad")
    except IntegrityError:  # a colleague created the year a moment before
        raise ValidationError(
            {
                "budget_year": _("Det finns redan en omgång för budgetår %(year)s.")
                % {"year": budget_year}
            }
        ) from None
    if copy_from is None:
        for kind, names in DEFAULT_LISTS.items():
            for position, name in enumerate(names):
                save_as(ListItem(round=round, kind=kind, name=name, position=position), by)
        for kind in ForutsattningKind.values:
            save_as(Forutsattning(round=round, kind=kind), by)
    else:
        for item in copy_from.list_items.all():
            copy = ListItem(round=round, kind=item.kind, name=item.name, position=item.position)
            save_as(copy, by)
        for forutsattning in copy_from.forutsattningar.all():
            save_as(
                Forutsattning(round=round, kind=forutsattning.kind, text=forutsattning.text), by
            )
        years = budget_year - copy_from.budget_year
        for deadline in copy_from.deadlines.all():
            shifted = _shift_year(deadline.deadline, years)
            save_as(PhaseDeadline(round=round, phase=deadline.phase, deadline=shifted), by)
    ensure_analyses(round, by=by)
    return round


@transaction.atomic
def move_phase(round: Round, *, to_phase: int, by: User, comment: str = "") -> Round:
    """Move the round one phase forward or back. Going back is allowed and, as
    every move, logged with who and when — but never once the round is
    published (``move_phase_back``): its phase then only moves forward."""
    round = locks.round_to_change(round)
    require(by, "move_phase_back" if to_phase < round.phase else "manage_round", round)
    if to_phase not in Phase.values or abs(to_phase - round.phase) != 1:
        raise ValidationError(_("En omgång flyttas en fas i taget, framåt eller bakåt."))
    if to_phase < round.phase and not comment.strip():
        raise ValidationError({"comment": _("Skriv varför omgången flyttas tillbaka.")})
    PhaseTransition.objects.create(
        round=round, from_phase=round.phase, to_phase=to_phase, by=by, comment=comment.strip()
    )
    forward = to_phase > round.phase
    round.phase = to_phase
    save_as(round, by, "Fasbyte")
    if to_phase == Phase.VERKSAMHETSANALYS:
        ensure_analyses(round, by=by)
    if forward:
        notices.phase_moved(round)
    return round


@transaction.atomic
def set_deadlines(round: Round, deadlines: dict[int, datetime.date | None], *, by: User) -> None:
    """Set (or clear) each phase's deadline; they must follow the phases' order."""
    require(by, "set_up_round", round)
    dated = sorted((phase, day) for phase, day in deadlines.items() if day)
    for (phase_a, day_a), (phase_b, day_b) in pairwise(dated):
        if day_b < day_a:
            raise ValidationError(
                _("Sista dag för %(later)s kan inte ligga före sista dag för %(earlier)s.")
                % {"later": Phase(phase_b).label, "earlier": Phase(phase_a).label}
            )
    for phase, day in deadlines.items():
        existing = PhaseDeadline.objects.filter(round=round, phase=phase).first()
        if day is None:
            if existing:
                delete_as(existing, by)
        elif existing is None:
            save_as(PhaseDeadline(round=round, phase=phase, deadline=day), by)
        elif existing.deadline != day:
            existing.deadline = day
            save_as(existing, by)
