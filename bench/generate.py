"""Data for the benchmark: "Storkommun", a large municipality.

``generate(scale=n)`` makes sure passes 1..n exist and runs only the missing
ones, so ``generate(scale=1)`` followed by ``generate(scale=2)`` adds one more
pass on top of the first. Each pass is deterministic (its own
``random.Random`` seeded with the seed and the pass number) and atomic.

Pass 1 creates the kommun, its 14 nämnder, 20 förvaltningar and 300 users —
among them the *personas* the harness signs in as (``bench-<role>`` for every
role, and ``bench-alla-roller`` holding all of them). Every later pass adds 20
förvaltningar ("…, område Norr"), 300 users, and one more förvaltning or
nämnd to each persona whose role belongs to a unit, so a page whose query count
depends on the amount of data shows it. Round 2027 (verksamhetsanalys) gets
1,000 proposals a pass; round 2026, in the forum phase, 600 proposals sent on
to the forum and 40 forumdeltagare who have ranked all of them (see
:func:`forum`).

Audited models refuse ``bulk_create`` and ``QuerySet.update``
(``prioritering/audit.py``), so everything is created with ``save()``, inside
one transaction per pass; passwords are hashed once and the hash shared. The
exception is the forum's tens of thousands of rows (``forum``): those go in
with :func:`_bulk_create`, rows and history rows alike.

Later features add their data here: write a function taking a
:class:`Context`, decorate it with ``@generator`` and place it below the
generators it builds on (they run in the order they are defined). It reads
what earlier generators made from the context (``ctx.kommun``,
``ctx.forvaltningar``, ``ctx.users``, …), may add its own objects to
``ctx.extra`` for the generators after it, and the summary counts its models by
itself.
"""

import random
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from rounds.models import Forvaltning, Kommun, Membership, Namnd, Role, User

KOMMUN_NAME = "Storkommun"
DEFAULT_SEED = 2026
USERS_PER_PASS = 300
PASSWORD = "bench"  # noqa: S105 (a throwaway database's only password)
EMAIL_DOMAIN = "storkommun.se"
BULK_BATCH = 2000

# (nämnd, short name, is kommunstyrelsen, [förvaltningar]) — 14 nämnder, 20 förvaltningar.
ORGANISATION = [
    (
        "Kommunstyrelsen",
        "KS",
        True,
        ["Kommunledningsförvaltningen", "Digitaliseringsförvaltningen"],
    ),
    (
        "Barn- och utbildningsnämnden",
        "Barn och utbildning",
        False,
        ["Förskoleförvaltningen", "Grundskoleförvaltningen"],
    ),
    ("Gymnasienämnden", "Gymnasium", False, ["Gymnasie- och vuxenutbildningsförvaltningen"]),
    (
        "Socialnämnden",
        "Social",
        False,
        ["Socialförvaltningen", "Individ- och familjeomsorgsförvaltningen"],
    ),
    (
        "Vård- och omsorgsnämnden",
        "Vård och omsorg",
        False,
        ["Äldreomsorgsförvaltningen", "Funktionsstödsförvaltningen"],
    ),
    ("Tekniska nämnden", "Teknik", False, ["Tekniska förvaltningen", "Fastighetsförvaltningen"]),
    (
        "Kultur- och fritidsnämnden",
        "Kultur och fritid",
        False,
        ["Kultur- och fritidsförvaltningen"],
    ),
    ("Miljö- och byggnadsnämnden", "Miljö och bygg", False, ["Miljö- och byggförvaltningen"]),
    ("Arbetsmarknadsnämnden", "Arbetsmarknad", False, ["Arbetsmarknadsförvaltningen"]),
    ("Överförmyndarnämnden", "Överförmyndare", False, ["Överförmyndarförvaltningen"]),
    ("Räddningsnämnden", "Räddning", False, ["Räddningstjänsten"]),
    # Valnämnden has no förvaltning of its own: Kommunledningsförvaltningen serves it.
    ("Valnämnden", "Val", False, []),
    (
        "Samhällsbyggnadsnämnden",
        "Samhällsbyggnad",
        False,
        ["Samhällsbyggnadsförvaltningen", "Planförvaltningen"],
    ),
    ("Servicenämnden", "Service", False, ["Serviceförvaltningen", "Måltidsförvaltningen"]),
]

# Where later passes put their förvaltningar: "Socialförvaltningen, område Norr".
DISTRICTS = ["Norr", "Söder", "Öster", "Väster", "Centrum", "Hamnen", "Skogen", "Dalen"]

FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Malin",
    "Elin", "Sofia", "Linnea", "Fatima", "Amina", "Leila", "Hanna", "Johanna", "Åsa", "Birgitta",
    "Lars", "Anders", "Johan", "Per", "Karl", "Erik", "Mikael", "Nils", "Olof", "Jonas",
    "Peter", "Magnus", "Mohammed", "Ali", "Omar", "Ahmed", "Björn", "Göran", "Sven", "Mats",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Lindberg", "Lindqvist", "Lindgren", "Berg", "Holm", "Sundberg", "Wallin",
    "Öberg", "Åberg", "Ström", "Sjöberg", "Forsberg", "Haddad", "Karimi", "Hussein",
    "Mohammadi", "Yilmaz", "Nieminen", "Korhonen", "Novak", "Ekström", "Hedlund", "Björk",
]  # fmt: skip

# How each pass's users are spread over the roles, besides one förvaltningschef per
# förvaltning: these headcounts, tjänstepersoner for all but WITHOUT_ROLE_PER_PASS
# of the rest, and those few hold no role at all (new accounts).
ROLE_HEADCOUNT = [
    (Role.ADMINISTRATOR, 3),
    (Role.CONTROLLER, 6),
    (Role.NAMNDLEDAMOT, 98),
    (Role.FORUMDELTAGARE, 25),
    (Role.LASARE, 10),
]
WITHOUT_ROLE_PER_PASS = 8
INACTIVE_PER_PASS = 5
SECOND_ROLE_PER_PASS = 30  # users who also hold a second membership

# The users the harness signs in as: one per role, and one holding every role.
ALL_ROLES = "alla-roller"
PERSONAS = [*Role.values, ALL_ROLES]


def persona_username(persona: str) -> str:
    return f"bench-{persona}"


@dataclass
class Context:
    """What a pass has made so far; each generator reads and adds to it."""

    pass_no: int
    rng: random.Random
    password_hash: str
    kommun: Kommun | None = None
    namnder: list[Namnd] = field(default_factory=list)  # all of the kommun's
    forvaltningar: list[Forvaltning] = field(default_factory=list)  # made in this pass
    users: list[User] = field(default_factory=list)  # made in this pass, personas first
    personas: dict[str, User] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # for later generators

    @property
    def first_pass(self) -> bool:
        return self.pass_no == 1


Generator = Callable[[Context], None]
GENERATORS: list[Generator] = []


def generator(func: Generator) -> Generator:
    """Register ``func`` to run in every pass, after the generators before it."""
    GENERATORS.append(func)
    return func


# --- Generators, in the order they run ------------------------------------------


@generator
def organisation(ctx: Context) -> None:
    """The kommun and its nämnder once; 20 förvaltningar every pass."""
    if ctx.first_pass:
        ctx.kommun = Kommun.objects.create(name=KOMMUN_NAME)
        for namnd_name, short_name, is_ks, _forvaltningar in ORGANISATION:
            Namnd.objects.create(
                kommun=ctx.kommun, name=namnd_name, short_name=short_name, is_kommunstyrelsen=is_ks
            )
    else:
        ctx.kommun = Kommun.objects.get(name=KOMMUN_NAME)
    namnder = {namnd.name: namnd for namnd in Namnd.objects.filter(kommun=ctx.kommun)}
    ctx.namnder = [namnder[row[0]] for row in ORGANISATION]
    for namnd_name, _short, _is_ks, forvaltning_names in ORGANISATION:
        for name in forvaltning_names:
            ctx.forvaltningar.append(
                Forvaltning.objects.create(
                    namnd=namnder[namnd_name], name=forvaltning_name(name, ctx.pass_no)
                )
            )


@generator
def people(ctx: Context) -> None:
    """300 users per pass; in pass 1 the personas are among them."""
    if ctx.first_pass:
        for persona in PERSONAS:
            user = _new_user(ctx, persona_username(persona), "Bänk", _persona_last_name(persona))
            ctx.personas[persona] = user
            ctx.users.append(user)
    else:
        ctx.personas = {
            persona: User.objects.get(username=persona_username(persona)) for persona in PERSONAS
        }
    number = 0
    while len(ctx.users) < USERS_PER_PASS:
        number += 1
        first, last = ctx.rng.choice(FIRST_NAMES), ctx.rng.choice(LAST_NAMES)
        username = f"{_ascii(first)}.{_ascii(last)}.{ctx.pass_no}{number:03d}"
        ctx.users.append(_new_user(ctx, username, first, last))


@generator
def memberships(ctx: Context) -> None:
    """Every role, realistically spread; the personas' roles; a few inactive users."""
    rng = ctx.rng
    personas = set(ctx.personas.values())
    others = [user for user in ctx.users if user not in personas]
    rng.shuffle(others)

    # Förvaltningschefer: one per förvaltning, but a few förvaltningar lack one.
    without_chef = set(rng.sample(range(len(ctx.forvaltningar)), 2))
    chefs = iter(others)
    for index, forvaltning in enumerate(ctx.forvaltningar):
        if index not in without_chef:
            _member(next(chefs), Role.FORVALTNINGSCHEF, forvaltning=forvaltning)
    rest = list(chefs)

    # The rest by headcount, then tjänstepersoner; the last few hold no role.
    with_role = rest[: len(rest) - WITHOUT_ROLE_PER_PASS]
    headcount = [*ROLE_HEADCOUNT]
    headcount.append((Role.TJANSTEPERSON, len(with_role) - sum(n for _r, n in headcount)))
    position = 0
    for role, count in headcount:
        for user in with_role[position : position + count]:
            _member_somewhere(ctx, user, role)
        position += count

    # Some hold a second role: a tjänsteperson in the forum, a ledamot in two nämnder.
    for user in rng.sample(with_role, SECOND_ROLE_PER_PASS):
        role = rng.choice([Role.FORUMDELTAGARE, Role.NAMNDLEDAMOT, Role.TJANSTEPERSON])
        _member_somewhere(ctx, user, role)

    # A few who have left: inactive, their memberships kept.
    for user in rng.sample(rest, INACTIVE_PER_PASS):
        user.is_active = False
        user.save()

    # The personas: pass 1 gives each its role; every pass one more unit each.
    for persona, user in ctx.personas.items():
        roles = Role.values if persona == ALL_ROLES else [persona]
        for role in roles:
            if role in {Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON}:
                _member(user, role, forvaltning=ctx.forvaltningar[0])
            elif role == Role.NAMNDLEDAMOT:
                _member(user, role, namnd=ctx.namnder[(ctx.pass_no - 1) % len(ctx.namnder)])
            elif ctx.first_pass:
                _member(user, role)


BENCH_YEAR = 2027
PROPOSALS_PER_PASS = 1000
ITEMS_PER_ANALYSIS = 60
TOPICS = ["stöd", "tjänst", "lokal", "system", "verksamhet"]


@generator
def round_with_proposals(ctx: Context) -> None:
    """Round 2027 in the verksamhetsanalys phase; every pass adds analyses for its
    förvaltningar, a filled grid each and 1,000 assessed proposals (2,000 at
    scale 2). Every other förvaltning has submitted."""
    import datetime

    from django.utils import timezone

    from rounds.models import (
        AnalysisItem,
        AnalysisStatus,
        ListKind,
        Phase,
        PhaseDeadline,
        Proposal,
        ProposalType,
        Round,
    )
    from rounds.services.analysis import ensure_analyses
    from rounds.services.round import create_round

    rng = ctx.rng
    controller = ctx.personas[Role.CONTROLLER]
    if ctx.first_pass:
        round = create_round(ctx.kommun, budget_year=BENCH_YEAR, by=controller, frame_tkr=150000)
        PhaseDeadline.objects.create(
            round=round,
            phase=Phase.VERKSAMHETSANALYS,
            deadline=timezone.localdate() + datetime.timedelta(days=60),
        )
        round.phase = Phase.VERKSAMHETSANALYS
        round.save()
    round = Round.objects.get(kommun=ctx.kommun, budget_year=BENCH_YEAR)
    ensure_analyses(round, by=controller)
    analyses = list(
        round.analyses.filter(forvaltning__in=ctx.forvaltningar).order_by("forvaltning__name")
    )
    perspektiv = list(round.list_items.filter(kind=ListKind.PERSPEKTIV))
    verksamhetsomraden = list(round.list_items.filter(kind=ListKind.FOKUSOMRADE))
    for index, analysis in enumerate(analyses):
        for position in range(ITEMS_PER_ANALYSIS):
            AnalysisItem.objects.create(
                analysis=analysis,
                perspektiv=perspektiv[position % len(perspektiv)],
                column=1 + position % 4,
                text=f"Punkt {position + 1}: {rng.choice(LAST_NAMES)}gatans verksamhet",
                position=position,
            )
        # The persona's own förvaltning (the first) stays a draft it can edit.
        if index % 2 == 1:
            analysis.status = AnalysisStatus.SUBMITTED
            analysis.submitted_at = timezone.now()
            analysis.submitted_by = controller
            analysis.save()
    number = Proposal.objects.filter(round=round).count()
    author = ctx.personas[Role.TJANSTEPERSON]
    types = list(ProposalType.values)
    for n in range(PROPOSALS_PER_PASS):
        number += 1
        typ = types[n % len(types)]
        _new_proposal(
            rng, round, analyses[n % len(analyses)], number, typ, verksamhetsomraden, author
        )


def _new_proposal(rng, round, analysis, number, typ, fokusomraden, author):
    """One assessed proposal; a ransonering saves money (negative costs)."""
    from rounds.models import Proposal, ProposalType

    sign = -1 if typ == ProposalType.RANSONERING else 1
    return Proposal.objects.create(
        round=round,
        analysis=analysis,
        number=number,
        title=f"Förslag {number}: {rng.choice(LAST_NAMES)}s {rng.choice(TOPICS)}",
        typ=typ,
        ransonering_kind="process" if typ == ProposalType.RANSONERING else "",
        fokusomrade=rng.choice(fokusomraden),
        malomrade=rng.choice(["samhalle", "invanare", "organisation"]),
        situation="Situationen beskrivs här.",
        cost_year1=sign * rng.randrange(100, 5000, 50),
        cost_year2=sign * rng.randrange(100, 5000, 50),
        cost_year3=sign * rng.randrange(0, 5000, 50),
        svarighetsgrad=rng.randint(1, 4),
        effekt=rng.randint(0, 4),
        nytta=rng.randint(0, 4),
        kostnadseffektivitet=rng.randint(1, 4),
        kunskapsunderlag=rng.randint(0, 3),
        rangordning=rng.randint(1, 10),
        created_by=author,
    )


FORUM_YEAR = 2026
FORUM_FRAME_TKR = 400000
FORUM_PROPOSALS_PER_PASS = 720  # of which FORWARDED_PER_PASS go on to the forum
FORWARDED_PER_PASS = 600
FORUM_MEMBERS_PER_PASS = 40
DECIDED_SHARE = 0.5  # of each pass's forwarded proposals, the top of the agreed order
CONTENTIOUS_SHARE = 0.1  # proposals the members judge all over the scale
RANK_NOISE = [-2, -1, -1, 0, 0, 0, 0, 1, 1, 2]


@generator
def forum(ctx: Context) -> None:
    """Round 2026 in the forum phase (Kommunövergripande prioritering).

    A round of its own, so round 2027 stays in the verksamhetsanalys phase its
    pages are measured in (a tjänsteperson edits only then). Every pass adds:
    720 proposals in submitted analyses of its förvaltningar, ranked by their
    nämnder, 600 of them sent on to the forum (the rest kept within the
    nämnd's frame or not pursued); 40 forumdeltagare — in pass 1 the personas
    ``bench-forumdeltagare`` and ``bench-alla-roller`` first — and every
    forumdeltagare who ranks has ranked every forwarded proposal (600 × 40 =
    24,000 ForumRank rows at scale 1; 1,200 × 80 = 96,000 at scale 2); the
    agreed order for the pass's proposals (a few departing from the computed
    one, with a motivation) and decisions for the top half of it. The review
    is answered; nothing is published."""
    import datetime

    from django.utils import timezone

    from ranking.models import ForumResult, Handling, NamndRanking, NamndResult
    from rounds.models import (
        AnalysisStatus,
        ListKind,
        Phase,
        PhaseDeadline,
        Proposal,
        ProposalType,
        Round,
    )
    from rounds.services.analysis import ensure_analyses
    from rounds.services.round import create_round

    rng = ctx.rng
    controller = ctx.personas[Role.CONTROLLER]
    now = timezone.now()
    if ctx.first_pass:
        round = create_round(
            ctx.kommun, budget_year=FORUM_YEAR, by=controller, frame_tkr=FORUM_FRAME_TKR
        )
        today = timezone.localdate()
        for phase, days in [
            (Phase.VERKSAMHETSANALYS, -90),
            (Phase.NAMND, -30),
            (Phase.FORUM, 14),
            (Phase.BESLUT, 45),
        ]:
            PhaseDeadline.objects.create(
                round=round, phase=phase, deadline=today + datetime.timedelta(days=days)
            )
        round.phase = Phase.FORUM
        round.save()
    round = Round.objects.get(kommun=ctx.kommun, budget_year=FORUM_YEAR)
    ensure_analyses(round, by=controller)
    analyses = list(
        round.analyses.filter(forvaltning__in=ctx.forvaltningar)
        .select_related("forvaltning")
        .order_by("forvaltning__name")
    )
    for analysis in analyses:  # in the forum phase every analysis is in
        analysis.status = AnalysisStatus.SUBMITTED
        analysis.submitted_at = now
        analysis.submitted_by = controller
        analysis.save()

    # The proposals, and each nämnd's ranking of them.
    fokusomraden = list(round.list_items.filter(kind=ListKind.FOKUSOMRADE))
    number = Proposal.objects.filter(round=round).count()
    author = ctx.personas[Role.TJANSTEPERSON]
    types = list(ProposalType.values)
    proposals = []
    for n in range(FORUM_PROPOSALS_PER_PASS):
        number += 1
        analysis = analyses[n % len(analyses)]
        typ = types[n % len(types)]
        proposals.append(_new_proposal(rng, round, analysis, number, typ, fokusomraden, author))
    results = {result.namnd_id: result for result in NamndResult.objects.filter(round=round)}
    for namnd_id in sorted({analysis.forvaltning.namnd_id for analysis in analyses}):
        if namnd_id not in results:
            result = NamndResult(
                round=round,
                namnd_id=namnd_id,
                decision_date=timezone.localdate() - datetime.timedelta(days=35),
                paragraph=f"§ {rng.randint(20, 140)}",
                recorded_at=now,
                recorded_by=controller,
            )
            result.save()
            results[namnd_id] = result
    forwarded = set(rng.sample(range(len(proposals)), FORWARDED_PER_PASS))
    kept = [Handling.INOM_RAM, Handling.DRIVS_INTE]
    positions: dict[int, int] = {}
    rankings = []
    for index, proposal in enumerate(proposals):
        namnd_id = proposal.analysis.forvaltning.namnd_id
        if namnd_id not in positions:
            positions[namnd_id] = NamndRanking.objects.filter(result=results[namnd_id]).count()
        position = positions[namnd_id]
        positions[namnd_id] = position + 1
        rankings.append(
            NamndRanking(
                result=results[namnd_id],
                proposal=proposal,
                rank=proposal.rangordning,
                position=position,
                handling=Handling.KOMMUNGEMENSAM if index in forwarded else kept[index % 2],
            )
        )
    _bulk_create(NamndRanking, rankings, by=controller)

    # The forumdeltagare's ranks: new members rank every forwarded proposal,
    # earlier members the new ones.
    members = _forum_members(ctx)
    _name_forum(round, members, controller)
    _forum_ranks(ctx, round, members, now)

    # The forum's outcome for this pass's proposals.
    result = ForumResult.objects.filter(round=round).first()
    if result is None:
        result = ForumResult(
            round=round,
            order_recorded_at=now,
            order_recorded_by=controller,
            review_sarbehandling="Ingen risk för särbehandling har identifierats.",
            review_undantrangning="Förslagen under budgetlinjen trängs undan; se listan.",
            review_rimlighet="Prioriteringen bedöms rimlig i förhållande till nyttan.",
            review_lagkrav="Lagkraven uppfylls.",
            review_genomforbarhet="Förslagen bedöms genomförbara.",
            review_recorded_at=now,
            review_recorded_by=controller,
        )
        result.save()
    _agreed_order_and_decisions(
        ctx, round, result, {p.pk for i, p in enumerate(proposals) if i in forwarded}
    )


def _forum_members(ctx: Context) -> list[User]:
    """This pass's 40 forumdeltagare who rank: those the memberships
    generator made (personas first), topped up from the pass's other users."""
    personas = set(ctx.personas.values())
    holders = set(
        Membership.objects.filter(user__in=ctx.users, role=Role.FORUMDELTAGARE).values_list(
            "user_id", flat=True
        )
    )
    members = [user for user in ctx.users if user.is_active and user.pk in holders]
    others = [
        user
        for user in ctx.users
        if user.is_active and user.pk not in holders and user not in personas
    ]
    while len(members) < FORUM_MEMBERS_PER_PASS:
        user = others.pop(0)
        _member(user, Role.FORUMDELTAGARE)
        members.append(user)
    return members[:FORUM_MEMBERS_PER_PASS]


def _name_forum(round, members: list[User], controller: User) -> None:
    """The controller names the pass's members to the round's forum (only a
    round's members rank in it), representing "Annan" as the migration named
    the role's holders."""
    from ranking.models import ForumMember, Representation

    named = set(ForumMember.objects.filter(round=round).values_list("user_id", flat=True))
    _bulk_create(
        ForumMember,
        [
            ForumMember(
                round=round, user=user, representation=Representation.ANNAN, other="Forumdeltagare"
            )
            for user in members
            if user.pk not in named
        ],
        by=controller,
    )


def _forum_ranks(ctx: Context, round, new_members: list[User], now) -> None:
    """Every member who ranks has ranked every forwarded proposal: near the
    proposal's own rangordning, except the contentious ones, which the members
    judge all over the scale. Positions (the order within a rank) follow the
    proposal number."""
    from django.db.models import Count

    from ranking.models import ForumRank
    from ranking.selectors import forwarded_proposals

    rng = ctx.rng
    forwarded = list(forwarded_proposals(round).values_list("pk", "number", "rangordning"))
    done = ForumRank.objects.filter(round=round)
    earlier_ids = set(done.values_list("member_id", flat=True).distinct())
    ranked = set(done.values_list("member_id", "proposal_id"))
    taken = {
        (row["member_id"], row["rank"]): row["n"]
        for row in done.values("member_id", "rank").annotate(n=Count("pk"))
    }
    contentious = {pk for pk, _n, _r in forwarded if rng.random() < CONTENTIOUS_SHARE}
    earlier = list(User.objects.filter(pk__in=earlier_ids).order_by("pk"))
    rows = []
    for member in [*earlier, *new_members]:
        mine = []
        for pk, number, base in forwarded:
            if (member.pk, pk) in ranked:
                continue
            if pk in contentious:
                rank = rng.randint(1, 10)
            else:
                rank = min(10, max(1, (base or 5) + rng.choice(RANK_NOISE)))
            mine.append((rank, number, pk))
        for rank, _number, pk in sorted(mine):
            position = taken.get((member.pk, rank), 0)
            taken[(member.pk, rank)] = position + 1
            row = ForumRank(
                round=round, member=member, proposal_id=pk, rank=rank, position=position
            )
            row._history_user = member
            rows.append(row)
    _bulk_create(ForumRank, rows)


def _agreed_order_and_decisions(ctx: Context, round, result, new_ids: set[int]) -> None:
    """Places in the agreed order for this pass's forwarded proposals, after
    the earlier ones, in the computed order except every 40th pair, swapped
    with a motivation; decisions for the top DECIDED_SHARE of them."""
    from django.db.models import Max

    from ranking.models import AgreedPlace, Decision, Outcome
    from ranking.selectors import forum_table
    from rounds.models import ProposalType

    controller = ctx.personas[Role.CONTROLLER]
    table = forum_table(round)
    computed = {row.proposal.pk: i for i, row in enumerate(table, start=1)}
    new = [row.proposal for row in table if row.proposal.pk in new_ids]
    for i in range(0, len(new) - 1, 40):
        new[i], new[i + 1] = new[i + 1], new[i]
    start = AgreedPlace.objects.filter(result=result).aggregate(n=Max("position"))["n"] or 0
    places, decisions = [], []
    for i, proposal in enumerate(new):
        position = start + i + 1
        departs = position != computed[proposal.pk]
        places.append(
            AgreedPlace(
                result=result,
                proposal=proposal,
                position=position,
                computed_position=computed[proposal.pk],
                motivation="Forumet bedömde behovet som mer akut." if departs else "",
            )
        )
        if i >= DECIDED_SHARE * len(new):
            continue
        amount = None
        if proposal.typ in (ProposalType.RANSONERING, ProposalType.EFFEKTIVISERING):
            outcome = (
                (
                    Outcome.EFFEKTIVISERAS
                    if proposal.typ == ProposalType.EFFEKTIVISERING
                    else Outcome.RANSONERAS
                )
                if i % 9
                else Outcome.AVSLAS
            )
        elif i % 7 == 3 and proposal.cost_year1 > 1:
            outcome, amount = Outcome.DELVIS, proposal.cost_year1 // 2
        elif i % 11 == 5:
            outcome = Outcome.UTREDS
        else:
            outcome = Outcome.FINANSIERAS
        decisions.append(
            Decision(
                round=round,
                proposal=proposal,
                outcome=outcome,
                amount_tkr=amount,
                motivation="Forumets förslag till beslut.",
                decided_by=controller,
            )
        )
    _bulk_create(AgreedPlace, places, by=controller)
    _bulk_create(Decision, decisions, by=controller)


# Later features: add their generators here, each as
# ``@generator def name(ctx: Context) -> None``.


# --- Running the passes ---------------------------------------------------------


def generate(scale: int = 1, seed: int = DEFAULT_SEED) -> dict:
    """Make sure passes 1..scale exist; return a summary of the whole database."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    started = time.perf_counter()
    password_hash = None
    ran = []
    for pass_no in range(1, scale + 1):
        if _pass_done(pass_no):
            continue
        password_hash = password_hash or make_password(PASSWORD)
        ctx = Context(pass_no, random.Random(f"{seed}:{pass_no}"), password_hash)
        with transaction.atomic():
            for func in GENERATORS:
                func(ctx)
        ran.append(pass_no)
    return {
        "kommun": KOMMUN_NAME,
        "scale": scale,
        "seed": seed,
        "passes_run": ran,
        "seconds": round(time.perf_counter() - started, 2),
        "rows": count_rows(),
        "memberships_by_role": {
            role: Membership.objects.filter(role=role).count() for role in Role.values
        },
        "active_users_without_role": User.objects.filter(
            is_active=True, memberships__isnull=True
        ).count(),
    }


def count_rows() -> dict[str, int]:
    """Rows in every model of the project's apps (not their history tables)."""
    rows = {}
    for label in ("prioritering", "documents", "rounds", "ranking", "followup"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            if model._meta.model_name.startswith("historical"):
                continue
            rows[model._meta.label] = model._default_manager.count()
    return rows


def forvaltning_name(name: str, pass_no: int) -> str:
    if pass_no == 1:
        return name
    district = DISTRICTS[(pass_no - 2) % len(DISTRICTS)]
    cycle = (pass_no - 2) // len(DISTRICTS)
    return f"{name}, område {district}" + (f" {cycle + 1}" if cycle else "")


def _pass_done(pass_no: int) -> bool:
    return Forvaltning.objects.filter(
        namnd__kommun__name=KOMMUN_NAME,
        name=forvaltning_name(ORGANISATION[0][3][0], pass_no),
    ).exists()


def _new_user(ctx: Context, username: str, first: str, last: str) -> User:
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@{EMAIL_DOMAIN}",
        password=ctx.password_hash,
    )
    user.save()
    return user


def _member(user: User, role: str, forvaltning=None, namnd=None) -> Membership:
    membership = Membership(user=user, role=role, forvaltning=forvaltning, namnd=namnd)
    membership.save()
    return membership


def _member_somewhere(ctx: Context, user: User, role: str) -> None:
    """Give ``user`` ``role`` in a random unit of the kind the role needs, one
    the user does not hold it in already (nothing if there is none)."""
    held = [m for m in user.memberships.all() if m.role == role]
    if role in {Role.FORVALTNINGSCHEF, Role.TJANSTEPERSON}:
        units = [f for f in ctx.forvaltningar if f.pk not in {m.forvaltning_id for m in held}]
        if units:
            _member(user, role, forvaltning=ctx.rng.choice(units))
    elif role == Role.NAMNDLEDAMOT:
        units = [n for n in ctx.namnder if n.pk not in {m.namnd_id for m in held}]
        if units:
            _member(user, role, namnd=ctx.rng.choice(units))
    elif not held:
        _member(user, role)


def _bulk_create(model, objs: list, by: User | None = None) -> None:
    """Insert ``objs`` and their history rows in batches. Audited models refuse
    ``bulk_create`` (``prioritering/audit.py``) so that the app cannot write past
    the history; here, in a throwaway database, the rows are written with a
    plain QuerySet and their history rows the way django-simple-history's own
    ``bulk_create_with_history`` writes them (one "+" row each, naming ``by``
    or the object's ``_history_user``). Far faster than ``save()`` per row."""
    from django.db.models import QuerySet

    if objs:
        QuerySet(model).bulk_create(objs, batch_size=BULK_BATCH)
        model.history.bulk_history_create(objs, batch_size=BULK_BATCH, default_user=by)


def _persona_last_name(persona: str) -> str:
    return "Alla roller" if persona == ALL_ROLES else str(Role(persona).label)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
