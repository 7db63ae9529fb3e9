"""Proposals imported from the municipalities' own Excel layouts.

- :mod:`rounds.importing.workbook` — the file checked (bytes, then sheets and
  rows, streamed) and opened safely;
- :mod:`rounds.importing.parse` — the layout found by its header words, each
  row read into a plain dataclass as it will be stored, with its problems;
- :mod:`rounds.importing.service` — where each row goes in the round, and the
  one transaction that stores everything or nothing;
- :mod:`rounds.importing.stash` — the uploaded file kept between the web
  page's preview and its confirmation.

The command ``import_proposals`` and the page ``rounds.views.importing`` are
thin layers over :func:`read_workbook`, :func:`plan_import` and
:func:`import_workbook`.
"""

from rounds.importing.parse import ParsedWorkbook, Problem, parse_workbook
from rounds.importing.service import (
    AlreadyImported,
    ImportRefused,
    ImportResult,
    Plan,
    PreviewOutdated,
    find_forvaltning,
    import_workbook,
    plan_import,
)
from rounds.importing.workbook import UnreadableWorkbook, open_workbook

__all__ = [
    "AlreadyImported",
    "ImportRefused",
    "ImportResult",
    "ParsedWorkbook",
    "Plan",
    "PreviewOutdated",
    "Problem",
    "UnreadableWorkbook",
    "bench_import",
    "find_forvaltning",
    "import_workbook",
    "plan_import",
    "read_workbook",
]


def read_workbook(data: bytes, name: str) -> ParsedWorkbook:
    """The file checked, opened and parsed. Raises :class:`UnreadableWorkbook`
    (with the reason in Swedish) for a file that is not a workbook we read."""
    return parse_workbook(open_workbook(data, name), name)


def bench_import(stream) -> int:
    """``make bench``: read a forum compilation and store it in a new, empty
    round of the same kommun (the year after the latest), as its controller.
    Returns the number of proposals stored."""
    from rounds.models import Membership, Role, Round
    from rounds.services.round import create_round

    latest = Round.objects.order_by("-budget_year").first()
    controller = Membership.objects.filter(role=Role.CONTROLLER).select_related("user").first().user
    parsed = read_workbook(stream.read(), "bench.xlsx")
    round = create_round(latest.kommun, budget_year=latest.budget_year + 1, by=controller)
    return import_workbook(round, parsed, by=controller).proposals
