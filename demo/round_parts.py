"""What the demo's rounds 2026 and 2027 are both made of: the perspektiv they
name, the lists they add to a new round's defaults, a proposal row turned into
create_proposal's fields, the dates of their instructions in Swedish, and the
steps of the ranking both rounds take (the controller names the forum's
members, the nämnder rank and record, the members rank, the controller records
the agreed order). Round 2026 builds on round 2027's lists and rows, so these
live here and neither round imports the other."""

import datetime
from collections.abc import Callable, Iterable

from demo.organisation import FORUM_MEMBERS, FORUM_REPRESENTATION, LEDAMOTER
from ranking import selectors
from ranking.services import decision as decision_services
from ranking.services import forum as forum_services
from ranking.services import forum_members as forum_member_services
from ranking.services import namnd as namnd_services
from rounds.models import Forvaltning, ListKind, Namnd, Proposal, Rekommendation, Round, User
from rounds.models.proposal import join_types

# Perspektiv as named in the default list.
INVANARE = "Invånare"
MEDARBETARE = "Medarbetare (inklusive kompetens)"
EKONOMI = "Ekonomi"
HALLBARHET = "Hållbarhet"

# Added to the default lists of a new round (rounds.services.round.DEFAULT_LISTS).
EXTRA_LISTS = {
    ListKind.VERKSAMHETSOMRADE: [
        "Förskola",
        "Grundskola",
        "Fritid",
        "Adm. enheten",
        "Fastighet",
        "Gata och park",
        "Socialförvaltning",
        "Äldreomsorg",
        "Bygglov och lantmäteri",
    ],
    ListKind.FOKUSOMRADE: ["Folkhälsa och trygghet", "Hållbar infrastruktur"],
    ListKind.ORSAK: ["Eftersatt underhåll"],
    ListKind.POLITISKT_MAL: [
        "Alla elever når godkända betyg",
        "Fler invånare i egen försörjning",
        "Trygg och tillgänglig service",
        "Trygg uppväxt för barn och unga",
        "Hållbar samhällsutveckling",
        "Attraktiv arbetsgivare",
    ],
}

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def swedish_date(day: datetime.date) -> str:
    """``2026-04-03`` → ``3 april 2026``, whatever the active language."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def proposal_fields(row: dict, lists) -> dict:
    """The fields of a demo proposal from its row (in the shape of PROPOSALS),
    for create_proposal: the list items looked up, the scales and costs
    unpacked. The goals (mal) are the caller's to set."""
    costs = (*row["costs"], 0)[:4]
    cost_min, cost_max = row.get("cost_per_year", (None, None))
    svarighetsgrad, effekt, nytta, kostnadseffektivitet = row["scales"]
    manniskovarde, behov, etik_kostnadseffektivitet = row["etik"]
    return {
        "title": row["title"],
        "verksamhetsomrade": lists[(ListKind.VERKSAMHETSOMRADE, row["verksamhetsomrade"])],
        "fokusomrade": lists[(ListKind.FOKUSOMRADE, row["fokusomrade"])],
        "malomrade": row["malomrade"],
        "situation": row["situation"],
        "atgard": row["atgard"],
        "jamforelsealternativ": row["jamforelsealternativ"],
        "orsak": lists[(ListKind.ORSAK, row["orsak"])],
        "effekt_pa_sikt": lists[(ListKind.EFFEKT_PA_SIKT, row["effekt_pa_sikt"])],
        "konsekvensanalys": row["konsekvensanalys"],
        "kommentar": row["kommentar"],
        "typ": row["typ"],
        "also_types": join_types(row.get("also_types", ()), row["typ"]),
        "ransonering_kind": row.get("ransonering_kind", ""),
        "ransonering_detail": row.get("ransonering_detail", ""),
        "cost_year1": costs[0],
        "cost_year2": costs[1],
        "cost_year3": costs[2],
        "cost_years4_10": costs[3],
        "cost_per_year_min": cost_min,
        "cost_per_year_max": cost_max,
        "svarighetsgrad": svarighetsgrad,
        "effekt": effekt,
        "nytta": nytta,
        "kostnadseffektivitet": kostnadseffektivitet,
        "kunskapsunderlag": row["kunskapsunderlag"],
        "maluppfyllelse": row["maluppfyllelse"],
        "effekt_framst_for": row["effekt_framst_for"],
        "rekommendation": Rekommendation.RANGORDNAS,
        "rangordning": row["rangordning"],
        "etik_manniskovarde": manniskovarde,
        "etik_behov": behov,
        "etik_kostnadseffektivitet": etik_kostnadseffektivitet,
        "etik_kommentar": row["etik_kommentar"],
    }


def rank_in_namnder(
    round: Round,
    users: dict[str, User],
    meetings: dict[str, tuple[datetime.date, str, str]],
    *,
    rank: Callable[[Proposal], int],
    handling: Callable[[Proposal], str],
) -> None:
    """Each nämnd of ``meetings`` (name → meeting day, paragraph, comment): its
    ledamot (``LEDAMOTER``) ranks the nämnd's proposals with ``rank``, marks
    each one's ``handling`` and records the nämnd's decision."""
    namnder = {namnd.name: namnd for namnd in Namnd.objects.filter(kommun_id=round.kommun_id)}
    for namnd_name, (day, paragraph, comment) in meetings.items():
        ledamot = users[LEDAMOTER[namnd_name]]
        result = namnd_services.result_for(round, namnder[namnd_name], by=ledamot)
        ranked = sorted(
            (ranking.proposal for ranking in selectors.rankings_of(result)),
            key=lambda proposal: (rank(proposal), proposal.number),
        )
        rows = [
            {"proposal_id": proposal.pk, "rank": rank(proposal), "handling": handling(proposal)}
            for proposal in ranked
        ]
        namnd_services.save_rankings(result, rows, [proposal.pk for proposal in ranked], by=ledamot)
        namnd_services.record_result(result, day, paragraph, comment, by=ledamot)


def name_forum_members(round: Round, users: dict[str, User], controller: User) -> None:
    """The controller names the round's forum: forum-1 … forum-5, each
    representing the kommunstyrelse, a nämnd or a förvaltning
    (``FORUM_REPRESENTATION``)."""
    for username in FORUM_MEMBERS:
        kind, unit = FORUM_REPRESENTATION[username]
        forum_member_services.add_forum_member(
            round,
            users[username],
            kind,
            by=controller,
            namnd=Namnd.objects.get(kommun=round.kommun_id, name=unit) if kind == "namnd" else None,
            forvaltning=(
                Forvaltning.objects.get(namnd__kommun=round.kommun_id, name=unit)
                if kind == "forvaltning"
                else None
            ),
        )


def rank_in_forum(
    round: Round,
    users: dict[str, User],
    ranks: dict[str, tuple[int, ...]],
    *,
    members: Iterable[str] = FORUM_MEMBERS,
) -> dict[str, Proposal]:
    """Each of ``members`` ranks the forwarded proposals: ``ranks`` gives per
    title the ranks of forum-1 … forum-5 (``FORUM_MEMBERS``), in that order.
    Returns the forwarded proposals by title."""
    forwarded = {proposal.title: proposal for proposal in selectors.forwarded_proposals(round)}
    for username in members:
        index = FORUM_MEMBERS.index(username)
        member = users[username]
        sheet = {forwarded[title].pk: values[index] for title, values in ranks.items()}
        forum_services.save_forum_ranks(round, member, sheet, by=member)
    return forwarded


def record_agreed_order(
    round: Round,
    controller: User,
    *,
    swapped: tuple[str, str] | None = None,
    motivations: dict[str, str] | None = None,
) -> None:
    """The controller records the forum's agreed order: the sammanvägd
    rangordning, with the two proposals titled ``swapped`` changing places,
    and ``motivations`` (title → text) for those that depart from it."""
    rows = selectors.outcome_rows(round)
    agreed = [row.proposal for row in rows]
    if swapped is not None:
        titles = [proposal.title for proposal in agreed]
        first, second = (titles.index(title) for title in swapped)
        agreed[first], agreed[second] = agreed[second], agreed[first]
    by_title = {proposal.title: proposal for proposal in agreed}
    places = {proposal.pk: place for place, proposal in enumerate(agreed, start=1)}
    texts = {by_title[title].pk: text for title, text in (motivations or {}).items()}
    decision_services.record_order(round, places, texts, by=controller)
