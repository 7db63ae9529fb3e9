"""Round 2027 taken on from the verksamhetsanalys phase, for the phase the
demo is loaded in (``load_demo --phase``): the analyses completed and
submitted, the nämnder's rankings, the forum members' ranks and the forum's
agreed order — each phase with the work of the earlier ones done, so the role
of that phase can start at once.

- ``namnd``: every analysis submitted (Tekniska förvaltningen's after the
  controller returned it, completed and submitted again); no nämnd has ranked.
- ``forum`` (the default): every nämnd has ranked and recorded its decision;
  three of the five forumdeltagare (forum-2, forum-3, forum-4) have ranked,
  forum-2 and forum-3 far apart on the football pitch and the service centre,
  so the meeting has something to discuss; forum-1 has not ranked yet.
- ``beslut``: all five have ranked and the controller has recorded the
  forum's agreed order (the sammanvägd rangordning); no decision yet.

Everything goes through the services as the demo's cast, in the steps round
2026 takes too (``demo.round_parts``)."""

import datetime

from demo.organisation import (
    BILDNING,
    BILDNINGSNAMNDEN,
    CHEFS,
    FORUM_MEMBERS,
    KS,
    PLAN_MILJO,
    SOCIAL,
    SOCIALNAMNDEN,
    TEKNIK,
    TEKNISKA_NAMNDEN,
)
from demo.round_parts import rank_in_forum, rank_in_namnder, record_agreed_order
from ranking.models import Handling
from rounds.models import Analysis, AnalysisStatus, Phase, Proposal, Round, User
from rounds.services.analysis import submit_analysis
from rounds.services.proposal import save_proposal
from rounds.services.round import move_phase, set_deadlines

# What Tekniska förvaltningen completed after the controller returned its
# analysis (round_2027.RETURN_COMMENT): title → the fields it changed.
COMPLETIONS = {
    "Obrukbar fotbollsplan + sportarena": {
        "kommentar": (
            "Driftkostnaden är beräknad till 2 000–2 500 tkr per år: uppvärmning, "
            "belysning, städning, vaktmästeri och underhåll av konstgräset. Hyresintäkter "
            "från föreningar och evenemang är inte medräknade."
        ),
    },
    "Brist på cykelväg A + utbyggnad A": {
        "jamforelsealternativ": (
            "Nuvarande läge: skolbarnen cyklar längs landsvägen eller skjutsas med bil. "
            "En sänkt hastighet till 50 km/tim prövades 2025 men minskade inte "
            "biltrafiken till skolan."
        ),
    },
}

# The analyses still drafts in the verksamhetsanalys phase, submitted by their chefs.
DRAFTS = (BILDNING, SOCIAL)

# How each nämnd handles a proposal: on to kommungemensam prioritering unless
# named here.
HANDLING = {
    "Förstelärartjänster": Handling.INOM_RAM,
    "HR-konsult": Handling.DRIVS_INTE,
    "Hög personalomsättning i hemtjänsten + kombinationstjänster och karriärvägar": (
        Handling.INOM_RAM
    ),
    "Obrukbar fotbollsplan + sportarena": Handling.DRIVS_INTE,
    "Brist på parkeringsplats B + utbyggnad B": Handling.DRIVS_INTE,
    "Låg telefontillgänglighet + utökade telefontider": Handling.INOM_RAM,
    "Minska allmän rådgivning": Handling.INOM_RAM,
}

# The nämnd's rank where it differs from the förvaltning's (or the
# förvaltning gave none: the förstudie carried over from 2026).
NAMND_RANKS = {
    "Obrukbar fotbollsplan + ny fotbollsplan": 2,
    "Obrukbar fotbollsplan + sportarena": 6,
    "Ny simhall, förstudie": 3,
}

# Each nämnd's meeting: days before the nämnd phase's deadline, paragraph and comment.
NAMND_MEETINGS = {
    PLAN_MILJO: (
        12,
        "12",
        "Telefontiderna utökas och den allmänna rådgivningen minskas inom nämndens ram.",
    ),
    SOCIALNAMNDEN: (
        10,
        "18",
        "HR-konsulten drivs inte vidare. Kombinationstjänsterna i hemtjänsten genomförs "
        "inom nämndens ram.",
    ),
    BILDNINGSNAMNDEN: (8, "15", "Förstelärartjänsterna finansieras med statsbidrag."),
    TEKNISKA_NAMNDEN: (
        6,
        "9",
        "Nämnden väljer en ny fotbollsplan utomhus framför sportarenan, som blir för dyr "
        "att driva. Förstudien för en ny simhall skickas vidare på nytt.",
    ),
    KS: (3, "21", ""),
}

# Each forumdeltagare's rank (forum-1 … forum-5) of each forwarded proposal:
# agreement on most, and forum-2 and forum-3 far apart on the football pitch
# and the service centre.
FORUM_RANKS = {
    "Bostadsförsörjning missbrukare": (1, 1, 2, 1, 2),
    "Ensamma äldre i ordinärt boende + uppsökande verksamhet med träffpunkter": (2, 3, 2, 2, 3),
    "Förstärkt stöd, tjänster": (3, 2, 3, 4, 3),
    "Fritidsgård NN": (4, 4, 5, 3, 4),
    "Långa handläggningstider för bygglov + digital ansökan med automatisk komplettering": (
        4,
        5,
        4,
        5,
        4,
    ),
    "Sänkt temp i vissa lokaler": (5, 6, 5, 6, 5),
    "Ambitionsökning, mynd.utövning intern service": (6, 5, 6, 6, 7),
    "E-arkiv": (5, 6, 6, 5, 6),
    "Samordnad skolskjuts": (7, 7, 6, 8, 7),
    "Obrukbar fotbollsplan + ny fotbollsplan": (3, 2, 9, 4, 8),
    "Servicecenter": (8, 9, 2, 7, 9),
    "Brist på cykelväg A + utbyggnad A": (7, 8, 8, 7, 6),
    "Ny simhall, förstudie": (9, 8, 7, 9, 8),
}

# Who has ranked in the forum phase: forum-1 has not, and can start at once.
RANKED_IN_FORUM = ("forum-2", "forum-3", "forum-4")


def _namnd_rank(proposal: Proposal) -> int:
    return NAMND_RANKS.get(proposal.title, proposal.rangordning)


def _handling(proposal: Proposal) -> str:
    return HANDLING.get(proposal.title, Handling.KOMMUNGEMENSAM)


def carry_on(
    round: Round,
    users: dict[str, User],
    to_phase: int,
    deadlines: dict[int, datetime.date],
) -> Round:
    """Take round 2027, in the verksamhetsanalys phase with Tekniska
    förvaltningen's analysis returned, on to ``to_phase`` (Phase.NAMND,
    FORUM or BESLUT). ``deadlines`` are set once the analyses are in: the
    verksamhetsanalys deadline has passed by then, which closes the analyses."""
    controller = users["controller"]
    analyses = {
        analysis.forvaltning.name: analysis
        for analysis in Analysis.objects.filter(round=round).select_related(
            "round", "forvaltning__namnd"
        )
    }

    # The returned analysis completed and submitted again, the drafts submitted.
    author = users[CHEFS[TEKNIK]]
    for proposal in Proposal.objects.filter(round=round, title__in=COMPLETIONS).select_related(
        "round", "analysis__round", "analysis__forvaltning"
    ):
        for name, value in COMPLETIONS[proposal.title].items():
            setattr(proposal, name, value)
        save_proposal(proposal, by=author, expected_version=proposal.version)
    for forvaltning in (TEKNIK, *DRAFTS):
        analysis = analyses[forvaltning]
        analysis.refresh_from_db()
        if analysis.status != AnalysisStatus.SUBMITTED:
            submit_analysis(analysis, by=users[CHEFS[forvaltning]])
    set_deadlines(round, deadlines, by=controller)

    round = move_phase(round, to_phase=Phase.NAMND, by=controller)
    if to_phase == Phase.NAMND:
        return round

    meeting_before = deadlines[Phase.NAMND]
    rank_in_namnder(
        round,
        users,
        {
            name: (meeting_before - datetime.timedelta(days=days), paragraph, comment)
            for name, (days, paragraph, comment) in NAMND_MEETINGS.items()
        },
        rank=_namnd_rank,
        handling=_handling,
    )
    round = move_phase(round, to_phase=Phase.FORUM, by=controller)
    if to_phase == Phase.FORUM:
        rank_in_forum(round, users, FORUM_RANKS, members=RANKED_IN_FORUM)
        return round

    rank_in_forum(round, users, FORUM_RANKS, members=FORUM_MEMBERS)
    record_agreed_order(round, controller)
    return move_phase(round, to_phase=Phase.BESLUT, by=controller)
