"""What the demo's rounds 2026 and 2027 are both made of: the perspektiv they
name, the lists they add to a new round's defaults, a proposal row turned into
create_proposal's fields, and the dates of their instructions in Swedish.
Round 2026 builds on round 2027's lists and rows, so these live here and neither
round imports the other."""

import datetime

from rounds.models import ListKind, Rekommendation

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
