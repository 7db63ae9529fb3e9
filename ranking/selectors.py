"""What the ranking app's pages and documents read, never writing: the
proposals a nämnd ranks and its rows (the saved ones, and the förvaltning's
own ranks for proposals no ledamot has saved yet); the proposals the nämnder
sent on to the forum, the sammanvägd rangordning and what the live meeting
compares; and the forum's outcome rows — each forwarded proposal with its
sammanvägd rangordning, agreed place, decision and rättelser — with the budget
line and review flags laid on them.

``outcome_rows`` is the one selector the pages of the outcome share (order,
budget line, review, decisions, the public page): in the agreed order once it
is recorded and in the computed order before — in four queries, whatever the
number of proposals or members."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    F,
    Max,
    OuterRef,
    StringAgg,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf

from prioritering.access import shared_proposals
from ranking import aggregate, budget, robustness
from ranking.models import (
    AgreedPlace,
    BodyDecision,
    Decision,
    DecisionCorrection,
    ForumMember,
    ForumRank,
    ForumResult,
    Handling,
    NamndRanking,
    NamndResult,
    Outcome,
)
from ranking.ranks import in_rank_order
from ranking.review import ReviewFlag, review_flags
from rounds.models import AnalysisStatus, Namnd, Proposal, Round, User
from rounds.models.proposal import reference_for
from rounds.uploads import type_label

# Savings the decision stops from widening the frame.
REFUSED = {Outcome.AVSLAS, Outcome.UTREDS}


# The nämnd's ranking


def eligible_proposals(round: Round, namnd: Namnd):
    """The proposals the nämnd ranks: not withdrawn, shared (in submitted
    analyses) by the förvaltningar under the nämnd."""
    return shared_proposals().filter(
        round=round,
        analysis__forvaltning__namnd=namnd,
        withdrawn_at__isnull=True,
    )


def rankings_of(result: NamndResult):
    """The result's rows for the proposals it ranks now, in the nämnd's order."""
    return (
        result.rankings.filter(
            proposal__in=eligible_proposals(result.round, result.namnd).values("pk")
        )
        .select_related("proposal__round", "proposal__analysis__forvaltning")
        .order_by("position", "pk")
    )


def rankings_for_reading(result: NamndResult, *, complete: bool = False) -> list[NamndRanking]:
    """What the page shows: the saved rows, and — for proposals no ledamot has
    had in front of them yet — the förvaltning's own ranks as unsaved rows
    (reading changes nothing), each at the end of its rank. Always in rank
    order, rank 1 first and the unranked last, as the services store it
    (``ranking.services.namnd``). ``complete``: result_for has just made
    every row."""
    rankings = list(rankings_of(result)) if result.pk else []
    if complete:
        return in_rank_order(rankings)
    ranked = {ranking.proposal_id for ranking in rankings}
    missing = (
        eligible_proposals(result.round, result.namnd)
        .exclude(pk__in=ranked)
        .select_related("round", "analysis__forvaltning")
        .order_by(F("rangordning").asc(nulls_last=True), "number")
    )
    start = len(rankings)
    rankings += [
        NamndRanking(
            result=result, proposal=proposal, rank=proposal.rangordning, position=start + i
        )
        for i, proposal in enumerate(missing)
    ]
    return in_rank_order(rankings)


def unsaved_result(round: Round, namnd: Namnd) -> NamndResult:
    """The nämnd's result to read: the saved one, or a new one not yet saved
    (reading a page writes nothing; the first save makes it)."""
    result = NamndResult.objects.filter(round=round, namnd=namnd).first()
    if result is None:
        result = NamndResult(round=round, namnd=namnd)
    result.round, result.namnd = round, namnd
    return result


# The forum


def _sent_on(round: Round):
    """What the nämnder sent on, whether it is shared now or not."""
    return Proposal.objects.filter(
        round=round,
        namnd_ranking__result__round=round,
        namnd_ranking__handling=Handling.KOMMUNGEMENSAM,
        withdrawn_at__isnull=True,
    )


def forwarded_proposals(round: Round):
    """The proposals a nämnd has sent on to kommungemensam prioritering (in a
    result of the round, recorded or not), not withdrawn, with what the
    forum's tables show. Only shared material (``shared_proposals``): a
    proposal whose analysis went back to draft is not in the forum, its
    outcome, the public page or their documents until it is submitted again."""
    return (
        shared_proposals(_sent_on(round))
        .select_related(
            "round",
            "analysis__forvaltning__namnd",
            "fokusomrade",
            "verksamhetsomrade",
            "orsak",
            "effekt_pa_sikt",
        )
        .order_by("number")
    )


def held_back(round: Round) -> list[tuple[str, list[Proposal]]]:
    """The proposals a nämnd sent on whose analysis is not submitted now (it
    was returned): by förvaltning, for the controller's notice on the forum
    pages. They are back in the forum when the analysis is submitted again."""
    by_forvaltning: dict[str, list[Proposal]] = {}
    for proposal in (
        _sent_on(round)
        .exclude(analysis__status=AnalysisStatus.SUBMITTED)
        .select_related("round", "analysis__forvaltning")
        .order_by("analysis__forvaltning__name", "number")
    ):
        by_forvaltning.setdefault(proposal.analysis.forvaltning.name, []).append(proposal)
    return list(by_forvaltning.items())


def forum_ranks_of(round: Round, member: User) -> dict[int, int]:
    """The member's own ranks in the round, by proposal id."""
    return dict(
        ForumRank.objects.filter(round=round, member=member).values_list("proposal_id", "rank")
    )


def forum_stamp(round: Round) -> str:
    """What the live meeting view compares to see whether anything changed
    (one query): the count, the latest change and the sum of the round's
    ranks — a new or changed rank moves the latest change, a removal lowers
    the count — and the count and latest change of the proposals the forum
    shows, so a proposal leaving it (its analysis returned) or edited before
    it comes back changes the stamp too; and the count of the round's forum
    members (the "m" of "n av m"). The ranks are read in one pass (one
    subquery for all three, not one each: with 96,000 ranks each pass is most
    of the query's time); the stamp is only ever compared, never read."""

    def of(queryset, *values):
        parts = []
        for value in values:
            parts += [Cast(value, CharField()), Value("|")]
        joined = Concat(*parts[:-1], output_field=CharField())
        grouped = queryset.order_by().values("round").annotate(value=joined).values("value")
        return Subquery(grouped[:1], output_field=CharField())

    ranks = ForumRank.objects.filter(round=round)
    shown = forwarded_proposals(round)
    members = ForumMember.objects.filter(round=round, user__is_active=True)
    seen = (
        Round.objects.filter(pk=round.pk)
        .annotate(
            ranks=of(ranks, Count("pk"), Max("updated_at"), Sum("rank")),
            shown=of(shown, Count("pk", distinct=True), Max("updated_at")),
            members=of(members, Count("pk"), Max("pk")),
        )
        .values("ranks", "shown", "members")
        .get()
    )
    return f"{seen['ranks'] or '0'}/{seen['shown'] or '0'}/{seen['members'] or '0'}"


@dataclass(frozen=True)
class ProposalLine:
    """What the forum's long lists (the compilation, the meeting, the own
    sheet) show of a proposal, read as plain values: model instances with
    their related rows cost more for 1,200 proposals than the whole page may."""

    pk: int
    number: int
    reference: str
    title: str
    namnd: str
    typ: str
    also_types: str
    cost_year1: int
    svarighetsgrad: int | None
    nytta: int | None
    kostnadseffektivitet: int | None


@dataclass(frozen=True)
class ForumRow:
    proposal: Proposal | ProposalLine
    combined: aggregate.Combined
    disagreement: bool


def forwarded_lines(round: Round) -> dict[int, ProposalLine]:
    """The forwarded proposals (:func:`forwarded_proposals`) as lines, by id
    in number order (one query)."""
    lines = {}
    for pk, number, title, name, short, typ, also, cost, svarighetsgrad, nytta, effektivitet in (
        forwarded_proposals(round)
        .select_related(None)
        .values_list(
            "pk",
            "number",
            "title",
            "analysis__forvaltning__namnd__name",
            "analysis__forvaltning__namnd__short_name",
            "typ",
            "also_types",
            "cost_year1",
            "svarighetsgrad",
            "nytta",
            "kostnadseffektivitet",
        )
    ):
        lines[pk] = ProposalLine(
            pk=pk,
            number=number,
            reference=reference_for(round.budget_year, number),
            title=title,
            namnd=short or name,
            typ=typ,
            also_types=also,
            cost_year1=cost,
            svarighetsgrad=svarighetsgrad,
            nytta=nytta,
            kostnadseffektivitet=effektivitet,
        )
    return lines


class ForumTable(list):
    """The forum's rows (a list of :class:`ForumRow` or :class:`OutcomeRow`)
    with ``ranks_stamp``: a fingerprint of the round's ranks as the rows were
    read (each proposal's count per rank and its latest change), so what is
    computed from every member's ranks (``robustness_of``) can be kept until a
    rank changes without another query to ask."""

    ranks_stamp: str = ""


def _forum_rows(round: Round, proposals: dict) -> ForumTable:
    """``proposals`` (by id) with their sammanvägd rangordning, in the rule's
    order. The ranks are read as counts per proposal and rank (one query):
    ranks are 1–10, so each proposal's counts give the same median, mean and
    quartiles as its list of ranks, in at most 10 rows instead of one a member
    (96,000 rows at 1,200 proposals and 80 members)."""
    ranks: dict[int, list[int]] = {pk: [] for pk in proposals}
    stamp = hashlib.sha256()
    for proposal_id, rank, count, latest in (
        ForumRank.objects.filter(round=round)
        .order_by()
        .values_list("proposal_id", "rank")
        # The latest change only goes into the stamp: read as it comes (text
        # on SQLite), not made into a datetime 6,000 times a page.
        .annotate(count=Count("*"), latest=Max("updated_at", output_field=CharField()))
    ):
        stamp.update(f"{proposal_id}:{rank}:{count}:{latest};".encode())
        if proposal_id in ranks:
            ranks[proposal_id] += [rank] * count
    combined = aggregate.combined(ranks)
    flagged = aggregate.disagreement(combined)
    table = ForumTable(
        ForumRow(proposals[pk], combined[pk], pk in flagged) for pk in aggregate.order(combined)
    )
    table.ranks_stamp = stamp.hexdigest()
    return table


def forum_table(round: Round) -> list[ForumRow]:
    """The forwarded proposals with their sammanvägd rangordning, in the
    rule's order (two queries, whatever the number of proposals or members)."""
    return _forum_rows(round, {proposal.pk: proposal for proposal in forwarded_proposals(round)})


def forum_lines(round: Round) -> list[ForumRow]:
    """:func:`forum_table` for the pages that show only a line of each
    proposal (:class:`ProposalLine`): the compilation and the meeting (two
    queries)."""
    return _forum_rows(round, forwarded_lines(round))


def forum_member_count(round: Round) -> int:
    """How many members the round's forum has (the "m" of "n av m"): those
    the controller named (``ForumMember``) who can still sign in."""
    return ForumMember.objects.filter(round=round, user__is_active=True).count()


def forum_members(round: Round) -> list[ForumMember]:
    """The round's forum members, in the order of their representation
    (kommunstyrelsen, nämnder, förvaltningar, annan), each with ``ranked``:
    how many of the forum's proposals they have ranked (one query)."""
    ranked = (
        ForumRank.objects.filter(round=OuterRef("round"), member=OuterRef("user"))
        .order_by()
        .values("member")
        .annotate(count=Count("*"))
        .values("count")
    )
    members = list(
        ForumMember.objects.filter(round=round)
        .select_related("user", "namnd", "forvaltning__namnd")
        .annotate(ranked=Coalesce(Subquery(ranked), 0))
    )
    members.sort(key=lambda member: (*member.sort_key, str(member.user).casefold()))
    return members


def forum_representations(round: Round) -> list[tuple[str, int]]:
    """Whom the round's forum represents, without names (the public page):
    each representation with how many members hold it, in the members'
    order (one query)."""
    counts: dict[str, int] = {}
    members = ForumMember.objects.filter(round=round).select_related("namnd", "forvaltning")
    for member in sorted(members, key=lambda member: member.sort_key):
        counts[member.represents] = counts.get(member.represents, 0) + 1
    return list(counts.items())


def forum_table_digest(rows: list[ForumRow], members: int) -> str:
    """A short fingerprint of what the meeting view's table shows, so the view
    announces an update only when something visible changed (a change of a
    member's order within a rank moves the stamp but not the table)."""
    shown = [(members,)] + [
        (row.proposal.pk, row.proposal.cost_year1, row.combined, row.disagreement) for row in rows
    ]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


# The forum's outcome


@dataclass
class OutcomeRow:
    proposal: object
    combined: aggregate.Combined
    disagreement: bool
    computed_position: int
    place: AgreedPlace | None
    decision: Decision | None
    position: int = 0
    step: budget.Step | None = None
    saving_step: budget.SavingStep | None = None  # a saving not refused
    flags: list[ReviewFlag] | None = None
    shown: dict | None = None  # texts for long tables (ranking.views.common.shown_texts)
    corrections: list[DecisionCorrection] = field(default_factory=list)  # oldest first
    stability: robustness.Stability | None = None  # on the line (robustness_of)

    @property
    def departs(self) -> bool:
        return self.position != self.computed_position


def result_of(round: Round) -> ForumResult | None:
    """The round's ForumResult (with who recorded what), or None; kept on the
    round, so the access rules asking ``round.forum_result`` ask no more."""
    if Round.forum_result.is_cached(round):
        return getattr(round, "forum_result", None)
    result = (
        ForumResult.objects.filter(round=round)
        .select_related("order_recorded_by", "review_recorded_by", "published_by")
        .first()
    )
    Round.forum_result.related.set_cached_value(round, result)
    if result is not None:
        result.round = round
    return result


def outcome_rows(
    round: Round, table: list[ForumRow] | None = None, *, who_decided: bool = True
) -> ForumTable:
    """The forwarded proposals in the agreed order with their place, decision
    and rättelser (four queries). ``who_decided`` reads each decision's
    ``decided_by`` along, for the pages that name who decided."""
    table = forum_table(round) if table is None else table
    ids = [row.proposal.pk for row in table]
    places = {p.proposal_id: p for p in AgreedPlace.objects.filter(proposal_id__in=ids)}
    decided = Decision.objects.filter(round=round, proposal_id__in=ids)
    if who_decided:
        decided = decided.select_related("decided_by")
    decisions = {d.proposal_id: d for d in decided}
    corrections: dict[int, list[DecisionCorrection]] = {}
    result = result_of(round)
    if result is not None and result.is_published:  # none before
        for correction in (
            DecisionCorrection.objects.filter(decision__proposal_id__in=ids)
            .select_related("corrected_by")
            .order_by("corrected_at", "pk")
        ):
            corrections.setdefault(correction.decision_id, []).append(correction)
    rows = [
        OutcomeRow(
            proposal=row.proposal,
            combined=row.combined,
            disagreement=row.disagreement,
            computed_position=i,
            place=places.get(row.proposal.pk),
            decision=decisions.get(row.proposal.pk),
            corrections=corrections.get(decisions[row.proposal.pk].pk, [])
            if row.proposal.pk in decisions
            else [],
        )
        for i, row in enumerate(table, start=1)
    ]
    # The agreed order first; proposals without a place (sent on after the
    # order was recorded) follow in the computed order.
    rows.sort(key=lambda r: (r.place is None, r.place.position if r.place else r.computed_position))
    for position, row in enumerate(rows, start=1):
        row.position = position
    rows = ForumTable(rows)
    rows.ranks_stamp = getattr(table, "ranks_stamp", "")
    return rows


def entries(rows: list[OutcomeRow]) -> list[budget.Entry]:
    out = []
    for row in rows:
        proposal, decision = row.proposal, row.decision
        outcome = decision.outcome if decision else None
        out.append(
            budget.Entry(
                key=proposal.pk,
                cost_year1=proposal.cost_year1,
                cost_years1_3=proposal.cost_years1_3,
                partial_tkr=decision.amount_tkr if outcome == Outcome.DELVIS else None,
                off_line=outcome == Outcome.INOM_RAM,
                saving_refused=outcome in REFUSED,
            )
        )
    return out


def with_line(rows: list[OutcomeRow], frame: int, purpose: str) -> budget.Line:
    """The budget line for ``rows`` against ``frame`` read as the round's
    ``purpose`` says (``ranking.budget``); each row gets its step (None off
    the line) and, a saving not refused, its saving step."""
    line = budget.budget_line(entries(rows), frame, purpose)
    steps = {step.key: step for step in line.steps}
    saving_steps = {step.key: step for step in line.saving_steps}
    for row in rows:
        row.step = steps.get(row.proposal.pk)
        row.saving_step = saving_steps.get(row.proposal.pk)
    return line


def forum_ballots(round: Round, keys=None) -> list[dict[int, int]]:
    """Each member's ranks in the round as {proposal id: rank}, one mapping per
    member who ranked, in the order of the members' ids (one query). Only the
    proposals in ``keys`` when given. Whose ballot is whose is not returned."""
    ballots: dict[int, dict[int, int]] = {}
    for member_id, proposal_id, rank in (
        ForumRank.objects.filter(round=round)
        .order_by("member_id", "proposal_id")
        .values_list("member_id", "proposal_id", "rank")
    ):
        if keys is None or proposal_id in keys:
            ballots.setdefault(member_id, {})[proposal_id] = rank
    return list(ballots.values())


# How long a computed robustness is kept: its key changes with every rank,
# cost, decision and frame, so this only bounds the memory of old ones.
ROBUSTNESS_CACHE_SECONDS = 24 * 60 * 60


def robustness_of(
    round: Round,
    rows: list[OutcomeRow],
    line: budget.Line,
    percent: int = robustness.DEFAULT_PERCENT,
) -> robustness.Analysis:
    """How sure ``line`` (drawn over ``rows``, from :func:`outcome_rows`) is
    (``ranking.robustness``), kept in the cache under everything it depends
    on: the ranks as the rows read them (``ForumTable.ranks_stamp``), each
    proposal's costs and decision, the frame, the purpose and ``percent``. A
    page that has it cached asks no query; computing it reads the ballots
    (one query)."""
    found = entries(rows)
    key = hashlib.sha256(
        repr(
            (
                round.pk,
                getattr(rows, "ranks_stamp", "") or None,
                line.frame,
                line.purpose,
                percent,
                [tuple(vars(entry).values()) for entry in found],
            )
        ).encode()
    ).hexdigest()
    cache_key = f"robustness:{key}"
    analysis = cache.get(cache_key) if getattr(rows, "ranks_stamp", "") else None
    if analysis is None:
        ballots = forum_ballots(round, {entry.key for entry in found})
        analysis = robustness.analyse(ballots, found, line.frame, line.purpose, percent)
        cache.set(cache_key, analysis, ROBUSTNESS_CACHE_SECONDS)
    for row in rows:
        row.stability = analysis.of(row.proposal.pk)
    return analysis


def robustness_shown(rows: list[OutcomeRow], analysis: robustness.Analysis) -> dict:
    """What the pages and the decision document show of ``analysis`` (rows
    through :func:`robustness_of`): the rule, the other rules' names and the
    rows whose side of the line is not sure, in the rows' order."""
    return {
        "robustness": analysis,
        "robustness_rule": robustness.RULE,
        "robustness_rules": [
            (key, robustness.RULE_LABELS[key])
            for key in robustness.RULE_KEYS
            if key != robustness.MEDIAN
        ],
        "unsure_rows": [row for row in rows if row.stability and not row.stability.stable],
    }


def with_flags(rows: list[OutcomeRow], round) -> list[OutcomeRow]:
    """Each row's review flags, by kommunens riktvärden of ``round``."""
    riktvarden = round.riktvarden
    for row in rows:
        row.flags = review_flags(row.proposal, row.combined.median, riktvarden)
    return rows


# A proposal's way through the ranking, for its page


# Kept on the proposal for the rest of the request: the page's tag asks for it,
# and so does the proposal's life across years (followup.lifecycle), which
# reads it with with_ranking and remember_ranking in its own queries.
_RANKING_CACHE = "_proposal_ranking"


def proposal_ranking(proposal) -> dict:
    """A proposal's way through the ranking — the nämnd's rank and handling,
    the forum's sammanvägd rangordning, the agreed place and the decision —
    read once per request (one query, whatever the proposal's history)."""
    cached = proposal.__dict__.get(_RANKING_CACHE)
    if cached is None:
        found = with_ranking(Proposal.objects.filter(pk=proposal.pk)).first()
        cached = {} if found is None else _ranking_data(proposal, found)
        proposal.__dict__[_RANKING_CACHE] = cached
    return dict(cached)


def with_ranking(queryset):
    """``queryset`` of proposals read with what their way through the ranking
    needs, in the same query; :func:`remember_ranking` then keeps each one's
    data for :func:`proposal_ranking`."""
    ranks = (
        ForumRank.objects.filter(proposal=OuterRef("pk"))
        .values("proposal")
        .annotate(ranks=StringAgg(Cast("rank", CharField()), delimiter=Value(",")))
        .values("ranks")
    )
    return queryset.select_related(
        "namnd_ranking__result", "agreed_place__result", "decision"
    ).annotate(forum_rank_list=Subquery(ranks))


def remember_ranking(proposal, found) -> None:
    """Keep ``found``'s (a proposal read through :func:`with_ranking`) way
    through the ranking on ``proposal`` for the rest of the request."""
    proposal.__dict__[_RANKING_CACHE] = _ranking_data(proposal, found)


def _ranking_data(proposal, found) -> dict:
    namnd = getattr(found, "namnd_ranking", None)
    place = getattr(found, "agreed_place", None)
    forum = [int(value) for value in (found.forum_rank_list or "").split(",") if value]
    return {
        "namnd_ranking": namnd if namnd and namnd.result.round_id == proposal.round_id else None,
        "combined": aggregate.combine(forum) if forum else None,
        "place": place if place and place.result.order_recorded_at else None,
        "decision": getattr(found, "decision", None),
    }


# The outcome's own pages


# What the order, budget line, review and decisions pages read of a proposal
# (ranking/views/decision.py, ranking/views/outcome_tables.py and their
# templates); a field missing here would be read row by row, and the query
# count tests at two sizes would say so.
OUTCOME_PAGE_FIELDS = (
    "round_id",
    "analysis_id",
    "number",
    "title",
    "typ",
    "also_types",
    "cost_year1",
    "cost_year2",
    "cost_year3",
    "konsekvensanalys",
    "svarighetsgrad",
    "nytta",
    "kostnadseffektivitet",
)


def outcome_page_rows(round: Round) -> list[OutcomeRow]:
    """:func:`outcome_rows` for the outcome's pages: the proposals read with
    only what those pages show and the round they already hold, not every
    related row the documents and services need. The nämnd's name comes along
    as ``namnd_shown`` (what :func:`ranking.views.common.shown_texts` shows)
    rather than as an analysis, a förvaltning and a nämnd made for each row:
    at 1,200 proposals building those 3,600 objects was a fifth of the page
    (four queries, as outcome_rows)."""
    proposals = {}
    for proposal in (
        forwarded_proposals(round)
        .select_related(None)
        .only(*OUTCOME_PAGE_FIELDS)
        .annotate(
            namnd_shown=Coalesce(
                NullIf("analysis__forvaltning__namnd__short_name", Value("")),
                "analysis__forvaltning__namnd__name",
            )
        )
    ):
        proposal.round = round
        proposals[proposal.pk] = proposal
    return outcome_rows(round, table=_forum_rows(round, proposals), who_decided=False)


def body_decisions(round: Round) -> list[BodyDecision]:
    """The round's decisions of KS and KF in date order, each with a
    ``type_label`` for its protocol (one query)."""
    decisions = list(
        BodyDecision.objects.filter(round=round)
        .select_related("recorded_by")
        .order_by("decision_date", "pk")
    )
    for decision in decisions:
        decision.type_label = type_label(decision.protocol_content_type)
    return decisions


@dataclass
class NamndDecisions:
    """One nämnd's own decisions in a round: what it kept within its frame and
    what it stopped, under its recorded result (date, §, comment)."""

    result: NamndResult
    kept: list[Decision] = field(default_factory=list)
    stopped: list[Decision] = field(default_factory=list)

    @property
    def kept_tkr(self) -> int:
        return sum(decision.proposal.cost_year1 or 0 for decision in self.kept)


def namnd_decisions(round: Round) -> list[NamndDecisions]:
    """The nämnder's own decisions in the round (``Decision.namnd_result``
    set), per nämnd in the organisation's order (kommunstyrelsen first) and
    within it in the nämnd's order; each decision's proposal carries its
    nämnd ranking (one query)."""
    decisions = (
        Decision.objects.filter(round=round, namnd_result__isnull=False)
        .select_related(
            "namnd_result__namnd",
            "proposal__round",
            "proposal__analysis__forvaltning",
            "proposal__namnd_ranking",
        )
        .order_by(
            "-namnd_result__namnd__is_kommunstyrelsen",
            "namnd_result__namnd__name",
            "namnd_result__namnd_id",
            "proposal__namnd_ranking__position",
            "proposal__number",
        )
    )
    grouped: dict[int, NamndDecisions] = {}
    for decision in decisions:
        group = grouped.setdefault(decision.namnd_result_id, NamndDecisions(decision.namnd_result))
        (group.kept if decision.outcome == Outcome.INOM_RAM else group.stopped).append(decision)
    return list(grouped.values())
