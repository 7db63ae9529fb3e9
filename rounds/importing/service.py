"""Where parsed rows go in a round, and storing them: all or nothing.

:func:`plan_import` decides, without writing, where each row goes:

- A row with a nämnd (the forum compilation) goes to that nämnd's förvaltning;
  the Nämnd column may also name a förvaltning. A nämnd with several
  förvaltningar sends its rows to the förvaltning chosen for the import when
  it is one of them, otherwise to its first by name — said next to the row.
- A sheet without a nämnd column (the base and investment tools, a grid) goes
  to the förvaltning chosen for the import; without a choice, to the nämnd or
  förvaltning the sheet is named after (our exports name a sheet per nämnd),
  or the "Förvaltning: …" title above a grid.
- The rows land in that förvaltning's verksamhetsanalys in the round; a
  missing analysis is created as a draft. The controller imports on the
  round's behalf, into a submitted analysis too — said beside each row in the
  preview; an analysis submitted *after* the preview was shown refuses the
  confirmation, so nothing lands in it that the preview did not announce.
- Fokusområde, verksamhetsområde, orsak and effekt på längre sikt (and a
  grid's perspektiv) are the round's list entries, matched without regard to
  case, punctuation or "och"; an entry the round lacks is added to its list.

:func:`import_workbook` plans again under the round's lock and, if nothing is
wrong, stores everything in one transaction: proposals numbered on from the
round's highest, one history row each naming the actor and the file. The rows
are written in bulk (the history too, through simple-history's
``bulk_history_create``) — the audited managers refuse bulk writes because
they skip the history, so this module writes the history itself.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from prioritering.access import require
from prioritering.audit import save_as
from rounds import criteria, locks
from rounds.importing.parse import (
    LIST_FIELDS,
    Layout,
    ParsedSheet,
    ParsedWorkbook,
    Problem,
    ProposalRow,
)
from rounds.importing.values import key
from rounds.models import (
    Analysis,
    AnalysisItem,
    AnalysisStatus,
    Forvaltning,
    ListItem,
    ListKind,
    Namnd,
    Proposal,
    Round,
    User,
)
from rounds.proposal_fields import LIST_FIELDS as PROPOSAL_LIST_KINDS
from rounds.services.proposal import next_number

REASON = "Importerat från Excel"
HISTORY_REASON_LENGTH = 100
LIST_KINDS = {name: PROPOSAL_LIST_KINDS[name] for name in LIST_FIELDS}
# Proposal fields a bulk import checks itself rather than by a query per row.
RELATIONS = [
    "round",
    "analysis",
    "analysis_item",
    "verksamhetsomrade",
    "fokusomrade",
    "perspektiv",
    "orsak",
    "effekt_pa_sikt",
    "created_by",
    "withdrawn_by",
    "mal",
]


class ImportRefused(Exception):  # noqa: N818 (a refusal, not a bug)
    """Nothing was imported; ``problems`` says why, row by row."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Plan:
    """What an import will store (or why it cannot)."""

    round: Round
    parsed: ParsedWorkbook
    forvaltning: Forvaltning | None
    # Per row (by id()): the förvaltning it goes to.
    targets: dict[int, Forvaltning] = field(default_factory=dict)
    analyses: dict[int, Analysis] = field(default_factory=dict)  # by förvaltning id
    new_analyses: list[Forvaltning] = field(default_factory=list)
    lists: dict[tuple[str, str], ListItem] = field(default_factory=dict)
    new_list_items: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return self.parsed.all_problems

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def proposal_count(self) -> int:
        return len(self.parsed.proposals)

    @property
    def item_count(self) -> int:
        return sum(len(row.items) for row in self.parsed.grid)

    @property
    def new_list_names(self) -> list[tuple[str, str]]:
        """(list label, name) of the entries the import adds to the round's lists."""
        return sorted(
            (str(ListKind(kind).label), name) for (kind, _k), name in self.new_list_items.items()
        )


@dataclass(frozen=True)
class ImportResult:
    proposals: int
    items: int
    numbers: tuple[int, int] | None  # first and last proposal number given
    analyses_created: int
    list_items_created: int


def loose_key(name: str) -> str:
    """A list entry's name as compared: "Processer Arbetsmetoder" matches
    "Processer och arbetsmetoder"."""
    words = re.sub(r"[^\w]+", " ", key(name)).split()
    return " ".join(word for word in words if word != "och")


# --- the organisation -------------------------------------------------------------------


class _Organisation:
    """The kommun's nämnder and förvaltningar, read once, found by any of their names."""

    def __init__(self, round: Round):
        self.namnder = list(
            Namnd.objects.filter(kommun_id=round.kommun_id).prefetch_related("forvaltningar")
        )
        self.by_namnd: dict[str, Namnd] = {}
        self.by_forvaltning: dict[str, Forvaltning] = {}
        for namnd in self.namnder:
            for name in (namnd.name, namnd.short_name):
                if name:
                    self.by_namnd.setdefault(key(name), namnd)
            for forvaltning in namnd.forvaltningar.all():
                forvaltning.namnd = namnd
                self.by_forvaltning[key(forvaltning.name)] = forvaltning

    def known_namnder(self) -> str:
        return ", ".join(namnd.short_name or namnd.name for namnd in self.namnder)

    def forvaltningar_of(self, namnd: Namnd) -> list[Forvaltning]:
        return sorted(namnd.forvaltningar.all(), key=lambda f: f.name)

    def find(self, name: str) -> tuple[Namnd | None, Forvaltning | None]:
        word = key(name)
        if word in self.by_forvaltning:
            return None, self.by_forvaltning[word]
        return self.by_namnd.get(word), None

    def forvaltning_like(self, name: str) -> Forvaltning | None:
        """A förvaltning by its name, or the one whose name starts with it
        ("Samhällsbyggnad" → Samhällsbyggnadsförvaltningen), or a nämnd's only one."""
        namnd, forvaltning = self.find(name)
        if forvaltning:
            return forvaltning
        if namnd and len(self.forvaltningar_of(namnd)) == 1:
            return self.forvaltningar_of(namnd)[0]
        word = key(name)
        if not word:
            return None
        starting = [f for k, f in self.by_forvaltning.items() if k.startswith(word)]
        return starting[0] if len(starting) == 1 else None


def find_forvaltning(round: Round, name: str) -> Forvaltning | None:
    """The kommun's förvaltning called ``name`` (or whose name starts with it)."""
    return _Organisation(round).forvaltning_like(name)


# --- planning -----------------------------------------------------------------------------


def plan_import(round: Round, parsed: ParsedWorkbook, *, forvaltning=None) -> Plan:
    """Where every row goes, what will be created, and every problem. Reads a
    fixed number of queries, whatever the number of rows."""
    plan = Plan(round=round, parsed=parsed, forvaltning=forvaltning)
    organisation = _Organisation(round)
    if forvaltning is not None:
        forvaltning = organisation.by_forvaltning.get(key(forvaltning.name), forvaltning)
        plan.forvaltning = forvaltning
    analyses = {
        a.forvaltning_id: a
        for a in Analysis.objects.filter(round=round).select_related("forvaltning")
    }
    lists = {
        (item.kind, loose_key(item.name)): item
        for item in ListItem.objects.filter(
            round=round, kind__in=[*LIST_KINDS.values(), ListKind.PERSPEKTIV]
        )
    }
    plan.lists = lists
    for sheet in parsed.sheets:
        sheet.place_problems = []
        sheet_target = (
            None if sheet.has_namnd_column else _sheet_target(sheet, organisation, forvaltning)
        )
        if not sheet.has_namnd_column and sheet_target is None:
            sheet.place_problems.append(
                Problem(
                    sheet.title,
                    sheet.header_row,
                    "",
                    _(
                        "Bladet har ingen kolumn Nämnd: välj vilken förvaltning raderna hör "
                        "till. Förvaltningar: %(names)s."
                    )
                    % {
                        "names": ", ".join(
                            sorted(
                                organisation.by_forvaltning[k].name
                                for k in organisation.by_forvaltning
                            )
                        )
                    },
                )
            )
        for row in [*sheet.proposals, *sheet.grid]:
            row.place_problems, row.place_notes = [], []
            target = sheet_target
            if sheet.has_namnd_column:
                target = _row_target(sheet, row, organisation, forvaltning)
            if target is None:
                continue
            plan.targets[id(row)] = target
            if isinstance(row, ProposalRow):
                row.forvaltning_name = target.name
            _place(plan, sheet, row, target, analyses)
            _lists(plan, row)
    return plan


def _sheet_target(sheet: ParsedSheet, organisation: _Organisation, chosen) -> Forvaltning | None:
    if chosen is not None:
        return chosen
    for hint in (sheet.forvaltning_hint, sheet.title):
        found = organisation.forvaltning_like(hint) if hint else None
        if found:
            return found
    return None


def _row_target(sheet, row: ProposalRow, organisation: _Organisation, chosen):
    column = sheet.headers.get("namnd", "")
    if not row.namnd:
        row.place_problems.append(
            Problem(
                sheet.title,
                row.row,
                column,
                _("Nämnd saknas. Kända nämnder: %(names)s.")
                % {"names": organisation.known_namnder()},
            )
        )
        return None
    namnd, forvaltning = organisation.find(row.namnd)
    if forvaltning:
        return forvaltning
    if namnd is None:
        row.place_problems.append(
            Problem(
                sheet.title,
                row.row,
                column,
                _("Okänd nämnd ”%(name)s”. Kända nämnder: %(names)s.")
                % {"name": row.namnd, "names": organisation.known_namnder()},
            )
        )
        return None
    choices = organisation.forvaltningar_of(namnd)
    if not choices:
        row.place_problems.append(
            Problem(
                sheet.title,
                row.row,
                column,
                _("Nämnden ”%(name)s” har ingen förvaltning att lägga förslaget hos.")
                % {"name": row.namnd},
            )
        )
        return None
    if chosen is not None and chosen in choices:
        return chosen
    if len(choices) > 1:
        row.place_notes.append(
            _(
                "Nämnden har flera förvaltningar (%(names)s): förslaget läggs hos %(first)s. "
                "Välj förvaltning för importen för att lägga det hos en annan."
            )
            % {"names": ", ".join(f.name for f in choices), "first": choices[0].name}
        )
    return choices[0]


def _place(plan: Plan, sheet, row, target: Forvaltning, analyses: dict[int, Analysis]) -> None:
    analysis = analyses.get(target.pk)
    if analysis is None:
        if target not in plan.new_analyses:
            plan.new_analyses.append(target)
        row.place_notes.append(
            _("%(forvaltning)s har ingen verksamhetsanalys i omgången: den skapas som utkast.")
            % {"forvaltning": target.name}
        )
        return
    plan.analyses[target.pk] = analysis
    if analysis.status == AnalysisStatus.SUBMITTED and isinstance(row, ProposalRow):
        _complete_for_submitted(sheet, row, target)
    if analysis.status == AnalysisStatus.SUBMITTED:
        # The controller imports on the round's behalf (the spreadsheets that
        # were mailed around before the app): into a submitted analysis too,
        # said beside the row, and kept in the history as an import.
        row.place_notes.append(
            _(
                "%(forvaltning)s har redan lämnat in sin verksamhetsanalys: förslaget läggs "
                "till i den inlämnade analysen och kan läsas av alla i omgången."
            )
            % {"forvaltning": target.name}
        )


def _complete_for_submitted(sheet, row: ProposalRow, target: Forvaltning) -> None:
    """A proposal added to a submitted analysis has gone to its nämnd: it
    must have the central criteria and a cost as a submission must
    (``rounds.criteria``), or the import is refused."""
    missing = criteria.missing_fields(row)
    if not missing:
        return
    labels = criteria.criterion_labels()
    row.place_problems.append(
        Problem(
            sheet.title,
            row.row,
            sheet.headers.get(missing[0], ""),
            _(
                "%(forvaltning)s har lämnat in sin verksamhetsanalys, och ett förslag i en "
                "inlämnad analys måste ha de centrala kriterierna och en kostnad. Saknas: "
                "%(missing)s."
            )
            % {
                "forvaltning": target.name,
                "missing": ", ".join(labels[name] for name in missing),
            },
        )
    )


def _lists(plan: Plan, row) -> None:
    names = (
        [(LIST_KINDS[name], getattr(row, name)) for name in LIST_FIELDS]
        if isinstance(row, ProposalRow)
        else [(ListKind.PERSPEKTIV, row.perspektiv)]
    )
    for kind, name in names:
        if not name:
            continue
        entry = (kind, loose_key(name))
        if entry in plan.lists:
            continue
        if entry not in plan.new_list_items:
            plan.new_list_items[entry] = name
        row.place_notes.append(
            _("”%(name)s” läggs till i listan %(list)s.")
            % {"name": name, "list": str(ListKind(kind).label).lower()}
        )


# --- storing -------------------------------------------------------------------------------


def bulk_create_as(model, objects: list, by: User, reason: str) -> list:
    """``objects`` inserted in bulk, with one history row each naming ``by``.

    The audited managers refuse bulk writes (``prioritering.audit``) so that
    nothing skips the history; here the history is written in the same
    transaction, so the refusal's purpose holds."""
    if not objects:
        return []
    created = QuerySet(model).bulk_create(objects, batch_size=500)
    model.history.bulk_history_create(
        created, batch_size=500, default_user=by, default_change_reason=reason
    )
    return created


class PreviewOutdated(ImportRefused):
    """The file is fine, but an analysis it goes to changed since the preview
    was shown: the preview is shown again, to be confirmed again."""


class AlreadyImported(Exception):  # noqa: N818 (a situation, not a bug)
    """The preview was confirmed before: it is imported once."""


def _submitted_since(plan: Plan, previewed_at) -> list[Problem]:
    """An analysis the rows go to that was submitted after the preview was
    shown: the controller confirmed what the preview said, so the import
    waits for a new look at it."""
    if previewed_at is None:
        return []
    return [
        Problem(
            "",
            None,
            "",
            _(
                "%(forvaltning)s lämnade in sin verksamhetsanalys efter förhandsvisningen. "
                "Se över förhandsvisningen nedan och bekräfta importen igen."
            )
            % {"forvaltning": analysis.forvaltning.name},
        )
        for analysis in plan.analyses.values()
        if analysis.status == AnalysisStatus.SUBMITTED
        and analysis.submitted_at is not None
        and analysis.submitted_at > previewed_at
    ]


@transaction.atomic
def import_workbook(
    round: Round,
    parsed: ParsedWorkbook,
    *,
    by: User,
    forvaltning=None,
    token: str | None = None,
    previewed_at=None,
) -> ImportResult:
    """Store every row of ``parsed`` in ``round``, all or nothing. Raises
    :class:`ImportRefused` with every problem when anything is wrong, and
    PermissionDenied unless ``by`` may import. ``token`` names the preview
    being confirmed: it is imported once (:class:`AlreadyImported` after
    that); ``previewed_at``: when the preview was shown — an analysis
    submitted since is a problem, so nothing lands in it unseen."""
    require(by, "import_proposals", round)
    # The round's exclusive lock (rounds.locks): it numbers the proposals, and
    # no analysis is submitted, no phase moved and nothing published meanwhile.
    round = locks.round_to_change(round)
    require(by, "import_proposals", round)  # again, under the lock publishing takes
    if token is not None and not locks.claim_once(by, f"import:{token}", "import"):
        raise AlreadyImported
    plan = plan_import(round, parsed, forvaltning=forvaltning)
    if not plan.ok:
        raise ImportRefused(plan.problems)
    changed = _submitted_since(plan, previewed_at)
    if changed:
        raise PreviewOutdated(changed)
    reason = f"{REASON}: {parsed.name}"[:HISTORY_REASON_LENGTH]
    analyses = dict(plan.analyses)
    for target in plan.new_analyses:
        analysis = Analysis(round=round, forvaltning=target)
        save_as(analysis, by, reason)
        analyses[target.pk] = analysis
    lists = dict(plan.lists)
    positions: dict[str, int] = {}
    for (kind, entry), name in plan.new_list_items.items():
        if kind not in positions:
            highest = ListItem.objects.filter(round=round, kind=kind).aggregate(n=Max("position"))
            positions[kind] = (highest["n"] or 0) + 1
        item = ListItem(round=round, kind=kind, name=name, position=positions[kind])
        positions[kind] += 1
        save_as(item, by, reason)
        lists[(kind, entry)] = item
    proposals = _proposals(plan, round, analyses, lists, by)
    items = _items(plan, analyses, lists)
    bulk_create_as(Proposal, proposals, by, reason)
    bulk_create_as(AnalysisItem, items, by, reason)
    numbers = (proposals[0].number, proposals[-1].number) if proposals else None
    return ImportResult(
        proposals=len(proposals),
        items=len(items),
        numbers=numbers,
        analyses_created=len(plan.new_analyses),
        list_items_created=len(plan.new_list_items),
    )


PLAIN_FIELDS = (
    "title",
    "situation",
    "atgard",
    "konsekvensanalys",
    "kommentar",
    "malomrade",
    "typ",
    "also_types",
    "cost_year1",
    "cost_year2",
    "cost_year3",
    "cost_years4_10",
    "cost_per_year_min",
    "cost_per_year_max",
    "svarighetsgrad",
    "effekt",
    "nytta",
    "kostnadseffektivitet",
    "rekommendation",
    "rangordning",
)


def _proposals(plan: Plan, round: Round, analyses, lists, by: User) -> list[Proposal]:
    number = next_number(round)
    proposals, problems = [], []
    for row in plan.parsed.proposals:
        target = plan.targets[id(row)]
        proposal = Proposal(
            round=round,
            analysis=analyses[target.pk],
            number=number,
            created_by=by,
            **{name: getattr(row, name) for name in PLAIN_FIELDS},
            **{
                name: lists[(LIST_KINDS[name], loose_key(getattr(row, name)))]
                for name in LIST_FIELDS
                if getattr(row, name)
            },
        )
        try:
            proposal.clean_fields(exclude=RELATIONS)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems += [Problem(row.sheet, row.row, name, message) for message in messages]
        proposals.append(proposal)
        number += 1
    if problems:
        raise ImportRefused(problems)
    return proposals


def _items(plan: Plan, analyses, lists) -> list[AnalysisItem]:
    """The grid's items, each placed after what its cell already holds."""
    if not plan.parsed.grid:
        return []
    targets = {analyses[plan.targets[id(row)].pk].pk for row in plan.parsed.grid}
    next_position: dict[tuple, int] = defaultdict(int)
    for analysis_id, perspektiv_id, column, highest in (
        AnalysisItem.objects.filter(analysis_id__in=targets)
        .values_list("analysis_id", "perspektiv_id", "column")
        .annotate(n=Max("position"))
        .values_list("analysis_id", "perspektiv_id", "column", "n")
    ):
        next_position[(analysis_id, perspektiv_id, column)] = highest + 1
    items = []
    for row in plan.parsed.grid:
        if not row.items:
            continue
        analysis = analyses[plan.targets[id(row)].pk]
        perspektiv = lists[(ListKind.PERSPEKTIV, loose_key(row.perspektiv))]
        for column, text in row.items:
            cell = (analysis.pk, perspektiv.pk, column)
            items.append(
                AnalysisItem(
                    analysis=analysis,
                    perspektiv=perspektiv,
                    column=column,
                    text=text,
                    position=next_position[cell],
                )
            )
            next_position[cell] += 1
    return items


def layout_summary(parsed: ParsedWorkbook) -> str:
    """The layouts found, e.g. "Forumsammanställning (Sammanställning)"."""
    return ", ".join(f"{Layout.LABELS[s.layout]} ({s.title})" for s in parsed.sheets)
