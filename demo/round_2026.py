"""The demo's prioriteringsomgång 2026: last year's round, through the whole
cycle up to publication, so every screen of the ranking and decision feature
has something to show.

Exempelkommun's five förvaltningar assessed their proposals and submitted
their analyses; each nämnd ranked its proposals and sent most of them on to
kommungemensam prioritering (a few handled within its own frame, a couple not
pursued); the five forumdeltagare ranked every forwarded proposal, agreeing on
most and disagreeing clearly on two; the controller recorded the forum's
agreed order (two proposals swapped, with motivations), the review, a decision
on every forwarded proposal along the budget line, and published the result.
The round stays in the Beslut phase (follow-up is a later feature).

Everything is written through the services by the acting demo users, so the
history names who did what. The dates are relative to the day the demo is
loaded: the round ran last year. ``load_demo_round_2026()`` is idempotent: an
existing round 2026 is returned unchanged. It is loaded before round 2027,
which stays the current round (the highest year not closed).
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from demo.organisation import (
    AUTHORS,
    BILDNING,
    BILDNINGSNAMNDEN,
    CHEFS,
    KLF,
    KS,
    PLAN_MILJO,
    SAMHALLSBYGGNAD,
    SOCIAL,
    SOCIALNAMNDEN,
    TEKNIK,
    TEKNISKA_NAMNDEN,
    ensure_round_users,
)
from demo.round_parts import (
    EKONOMI,
    EXTRA_LISTS,
    HALLBARHET,
    INVANARE,
    MEDARBETARE,
    name_forum_members,
    proposal_fields,
    rank_in_forum,
    rank_in_namnder,
    record_agreed_order,
    swedish_date,
)
from prioritering.audit import save_as
from ranking.models import Body, Handling, Outcome
from ranking.services import bodies as body_services
from ranking.services import decision as decision_services
from rounds.guidance import model_guidance
from rounds.models import (
    Analysis,
    AnalysisColumn,
    EffektFramstFor,
    EtikBedomning,
    ForutsattningKind,
    Grad,
    Kommun,
    Kostnadseffektivitet,
    Kunskapsunderlag,
    ListItem,
    ListKind,
    Malomrade,
    Phase,
    Proposal,
    ProposalType,
    Purpose,
    RansoneringDetail,
    RansoneringKind,
    Round,
    Svarighetsgrad,
    User,
)
from rounds.services.analysis import submit_analysis
from rounds.services.analysis_items import add_item
from rounds.services.faktaunderlag import add_faktaunderlag
from rounds.services.proposal import create_proposal
from rounds.services.round import create_round, move_phase, set_deadlines
from rounds.services.setup import save_forutsattning_texts

YEAR = 2026
FRAME_TKR = 6000

# Each phase's last day, in days from the day the demo is loaded: the round
# ran last year, and its follow-up runs until the annual report.
DEADLINE_DAYS = {
    Phase.PLANERING: -365,
    Phase.VERKSAMHETSANALYS: -330,
    Phase.NAMND: -290,
    Phase.FORUM: -245,
    Phase.BESLUT: -200,
    Phase.UPPFOLJNING: 120,
}

# Added to the default lists of the new round: 2027's additions and what the
# proposals of 2026 use besides.
LISTS = {
    **EXTRA_LISTS,
    ListKind.VERKSAMHETSOMRADE: [
        *EXTRA_LISTS[ListKind.VERKSAMHETSOMRADE],
        "Miljö och hälsoskydd",
        "Plan",
    ],
}


def instructions(deadlines: dict[int, datetime.date]) -> str:
    d = {phase: swedish_date(day) for phase, day in deadlines.items()}
    return f"""## Syfte

Omgången för budgetår {YEAR} ska **fördela nya resurser**. Kommunfullmäktige har \
gett ett ekonomiskt utrymme på **6 000 tkr** för nya behov. Ransoneringar och \
effektiviseringar som frigör resurser ökar utrymmet; redovisa dem lika noga som nya \
behov, med en konsekvensanalys av vad som går förlorat.

Arbetet följer Prioriteringscentrums modell för prioriteringsarbete i kommuner \
(Rapport 2023:1). Det är kommunens första omgång med modellen.

## Tidplan

- **Planering och instruktioner**: klart {d[Phase.PLANERING]}
- **Verksamhetsanalys**: förvaltningschefen lämnar in analysen och förslagen senast \
{d[Phase.VERKSAMHETSANALYS]}
- **Prioritering i nämnd**: nämnderna rangordnar sina förslag senast {d[Phase.NAMND]}
- **Kommunövergripande prioritering**: forumet lämnar sitt förslag senast {d[Phase.FORUM]}
- **Beslut**: kommunstyrelsen och kommunfullmäktige beslutar senast {d[Phase.BESLUT]}
- **Genomförande och uppföljning**: i tertialrapport, delårsrapport och årsredovisning, \
till och med {d[Phase.UPPFOLJNING]}

## Roller

- **Controllern** (Maria Holm) leder omgången och sammanställer forumets underlag.
- **Förvaltningschefen** lämnar in förvaltningens verksamhetsanalys till nämnden.
- **Nämndledamöterna** rangordnar nämndens förslag och avgör vad som går vidare till \
kommungemensam prioritering.
- **Forumet** rangordnar förslagen för hela kommunen och granskar resultatet innan \
beslut.

{model_guidance()}"""


FORUTSATTNINGAR = {
    ForutsattningKind.DEMOGRAFI: """Exempelkommun hade **41 840 invånare** den 31 \
december 2024, en ökning med 310 personer på ett år.

- Antalet invånare **80 år och äldre** ökar med omkring 100 personer per år.
- Antalet barn **0–5 år** ökar i de nya bostadsområdena i A.""",
    ForutsattningKind.EKONOMI: """Det **ekonomiska utrymmet för nya behov är 6 000 tkr** \
år 2026. Besparingar genom ransonering och effektivisering ökar utrymmet med \
motsvarande belopp.

- Löneökningar beräknas till 3,0 procent; nämnderna kompenseras för löner men inte \
för priser.""",
    ForutsattningKind.NULAGE: """Årsredovisningen för 2024 visade ett resultat på 1,2 \
procent, under det finansiella målet på 2 procent.

- Socialnämnden och bildningsnämnden redovisade underskott.
- Energikostnaderna i kommunens lokaler har ökat kraftigt.""",
    ForutsattningKind.PROGNOSER: """Skatteunderlaget växer långsammare de kommande åren, \
samtidigt som behoven av äldreomsorg och förskola ökar.""",
}

# Context for each förvaltning's grid: (perspektiv, column, text); the items of
# the last two columns come from the proposals below.
NULAGE = AnalysisColumn.NULAGE
FRAMTID = AnalysisColumn.FRAMTID
CONTEXT = {
    BILDNING: [
        (INVANARE, NULAGE, "76 procent av eleverna i åk 9 är behöriga till gymnasiet"),
        (INVANARE, NULAGE, "Väntetid till kurator upp till sex veckor"),
        (INVANARE, FRAMTID, "90 fler barn i förskoleåldern i A till 2027"),
        (MEDARBETARE, NULAGE, "Svårt att rekrytera förskollärare"),
        (EKONOMI, NULAGE, "Vikariekostnaderna ökar under sommaren"),
    ],
    KLF: [
        (INVANARE, NULAGE, "Två it-incidenter 2024 stoppade e-tjänsterna i flera dagar"),
        (INVANARE, FRAMTID, "Nya krav på civilt försvar och informationssäkerhet"),
        (MEDARBETARE, NULAGE, "380 rekryteringar 2024, var fjärde gjordes om"),
        (EKONOMI, NULAGE, "En tredjedel av inköpen görs utanför ramavtalen"),
    ],
    SOCIAL: [
        (INVANARE, NULAGE, "Ett femtontal personer med missbruk saknar egen bostad"),
        (INVANARE, NULAGE, "Väntetiden på trygghetslarm nattetid är 38 minuter"),
        (INVANARE, FRAMTID, "Fler invånare över 80 år bor kvar hemma"),
        (MEDARBETARE, NULAGE, "Sjukfrånvaron är 8,7 procent"),
    ],
    TEKNIK: [
        (INVANARE, NULAGE, "Simhallen från 1972 har stora brister"),
        (EKONOMI, NULAGE, "Energikostnaderna har ökat med 40 procent på två år"),
        (HALLBARHET, NULAGE, "Var fjärde kilometer gång- och cykelväg har skador"),
        (HALLBARHET, FRAMTID, "Mål om halverade klimatutsläpp till 2030"),
    ],
    SAMHALLSBYGGNAD: [
        (INVANARE, NULAGE, "Få besök i receptionen efter klockan 13"),
        (HALLBARHET, NULAGE, "900 enskilda avlopp saknar godkänd rening"),
        (HALLBARHET, FRAMTID, "Klimatanpassade detaljplaner"),
    ],
}

S = Svarighetsgrad
G = Grad
K = Kostnadseffektivitet
U = Kunskapsunderlag
F = EtikBedomning.FORENLIG
R = EtikBedomning.RISK
KOMMUNGEMENSAM = Handling.KOMMUNGEMENSAM

# The proposals in the order they are numbered. ``item`` is the analysis item
# the proposal comes from (column 3, or 4 for ransonering and
# effektivisering); ``namnd_rank`` the nämnd's rank where it differs from the
# förvaltning's; ``handling`` what the nämnd decided.
PROPOSALS = [
    # Bildningsförvaltningen
    {
        "forvaltning": BILDNING,
        "perspektiv": INVANARE,
        "item": "Ny förskoleavdelning i A",
        "title": "Fler platser i förskola",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Förskola",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (2400, 2600, 2600),
        "scales": (S.STOR, G.STOR, G.STOR, K.MATTLIG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.STOR,
        "mal": ["Trygg uppväxt för barn och unga"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 1,
        "situation": (
            "I de nya bostadsområdena i A väntas 90 fler barn i förskoleåldern till 2027. "
            "Redan i dag får var femte familj en plats längre bort än den önskat, och "
            "kommunen riskerar att inte kunna erbjuda plats inom fyra månader, som "
            "skollagen kräver."
        ),
        "atgard": (
            "Öppna tre nya avdelningar med 54 platser i inhyrda moduler vid A-skolan från "
            "augusti, med nio tjänster."
        ),
        "jamforelsealternativ": (
            "Placera barnen i befintliga förskolor, med större barngrupper och längre "
            "resor för familjerna."
        ),
        "konsekvensanalys": (
            "Kommunen riskerar att bryta mot skollagens krav på plats inom fyra månader, "
            "och barngrupperna blir större."
        ),
        "kommentar": "Modulerna hyrs i fem år, i väntan på en ny förskola i investeringsplanen.",
        "etik": (F, F, F),
        "etik_kommentar": "Platserna fördelas enligt kommunens köregler, lika för alla.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": BILDNING,
        "perspektiv": INVANARE,
        "item": "Fler kuratorer och skolsköterskor",
        "title": "Ökad bemanning elevhälsa",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Grundskola",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Ambitionsökning",
        "costs": (1100, 1100, 1100),
        "scales": (S.STOR, G.MATTLIG, G.STOR, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.STOR,
        "mal": ["Alla elever når godkända betyg", "Trygg uppväxt för barn och unga"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 2,
        "situation": (
            "Elevhälsan har en kurator per 520 elever och en skolsköterska per 480 elever. "
            "Väntetiden till kurator är upp till sex veckor, och den psykiska ohälsan bland "
            "eleverna i årskurs 7–9 har ökat enligt elevenkäten."
        ),
        "atgard": (
            "Anställa två kuratorer och en skolsköterska, så att varje högstadieskola har "
            "en kurator på heltid."
        ),
        "jamforelsealternativ": "Nuvarande bemanning, med kuratorer som delas mellan skolor.",
        "konsekvensanalys": (
            "Elever med psykisk ohälsa får vänta längre på stöd, och risken ökar för "
            "frånvaro och ofullständiga betyg."
        ),
        "kommentar": "Insatsen samordnas med socialtjänstens förebyggande arbete.",
        "etik": (F, F, F),
        "etik_kommentar": "Insatsen når alla elever och går först till dem med störst behov.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": BILDNING,
        "perspektiv": INVANARE,
        "item": "Sommarskola i årskurs 8–9",
        "title": "Sommarskola för elever som saknar betyg",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Grundskola",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Integration",
        "effekt_pa_sikt": "Ambitionsökning",
        "costs": (450, 450, 450),
        "scales": (S.MATTLIG, G.STOR, G.MATTLIG, K.HOG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Alla elever når godkända betyg"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 4,
        "situation": (
            "Var femte elev i årskurs 9 saknade godkänt betyg i minst ett ämne 2024, och "
            "andelen behöriga till gymnasiet var 76 procent."
        ),
        "atgard": (
            "Tre veckors sommarskola i matematik, svenska och engelska för elever i "
            "årskurs 8 och 9 som riskerar att inte nå godkänt betyg."
        ),
        "jamforelsealternativ": "Ingen sommarskola; stöd under terminerna.",
        "konsekvensanalys": "Fler elever lämnar grundskolan utan behörighet till gymnasiet.",
        "kommentar": "Statsbidrag kan täcka en del av kostnaden.",
        "etik": (F, F, F),
        "etik_kommentar": "Erbjuds alla elever som riskerar att inte nå godkänt betyg.",
        "handling": Handling.INOM_RAM,
    },
    {
        "forvaltning": BILDNING,
        "perspektiv": EKONOMI,
        "item": "Färre öppna förskolor under sommarveckorna",
        "title": "Sommarförskola på färre enheter",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Förskola",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.RANSONERING,
        "ransonering_kind": RansoneringKind.STRUKTUR,
        "ransonering_detail": RansoneringDetail.UTRUSTNING_LOKALER,
        "orsak": "Besparing",
        "effekt_pa_sikt": "Ska utvärderas",
        "costs": (-300, -300, -300),
        "scales": (S.LITEN, G.LITEN, G.LITEN, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.LITEN,
        "mal": ["Trygg uppväxt för barn och unga"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 8,
        "situation": (
            "Under de fyra sommarveckorna har alla tolv förskolor öppet, med i snitt 15 "
            "procent av barnen på plats, och varje enhet behöver vikarier."
        ),
        "atgard": "Samla sommarverksamheten på tre förskolor under fyra veckor i juli.",
        "jamforelsealternativ": "Alla tolv förskolor öppna hela sommaren.",
        "konsekvensanalys": (
            "Barn som går på förskola under sommaren får byta miljö och pedagoger i fyra "
            "veckor, och en del familjer får längre resväg."
        ),
        "kommentar": "Vårdnadshavarna anmäler behov av sommaromsorg i april.",
        "etik": (F, R, F),
        "etik_kommentar": (
            "Barn i behov av särskilt stöd påverkas mer av att byta förskola än andra barn. "
            "De ska kunna vara kvar på sin ordinarie förskola om det behövs."
        ),
        "handling": KOMMUNGEMENSAM,
    },
    # Kommunledningsförvaltningen
    {
        "forvaltning": KLF,
        "perspektiv": INVANARE,
        "item": "Säkerhetssamordnare och informationssäkerhet",
        "title": "Säkerhetssamordnare, informationssäkerhet och krisberedskap",
        "fokusomrade": "Digitalisering",
        "verksamhetsomrade": "Adm. enheten",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Lagkrav",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (850, 850, 850),
        "scales": (S.STOR, G.STOR, G.MATTLIG, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 1,
        "situation": (
            "Kommunen har en halvtidstjänst för säkerhet och beredskap. Kraven på civilt "
            "försvar och informationssäkerhet skärps, och två it-incidenter 2024 stoppade "
            "e-tjänsterna i flera dagar."
        ),
        "atgard": (
            "Anställa en säkerhetssamordnare och en informationssäkerhetsstrateg som tar "
            "fram krisplaner, övar förvaltningarna och leder arbetet med "
            "informationssäkerhet."
        ),
        "jamforelsealternativ": "Nuvarande halvtidstjänst och konsultstöd vid behov.",
        "konsekvensanalys": (
            "Kommunen riskerar att inte uppfylla lagkraven och är sämre rustad vid "
            "it-angrepp och kriser."
        ),
        "kommentar": "Statsbidraget för civilt försvar täcker en mindre del av kostnaden.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": KLF,
        "perspektiv": MEDARBETARE,
        "item": "Gemensam rekryteringsfunktion",
        "title": "Gemensam rekryteringsfunktion",
        "fokusomrade": "Kompetensförsörjning",
        "verksamhetsomrade": "Adm. enheten",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Arbetskraftsbrist",
        "effekt_pa_sikt": "Kompetensförsörjning",
        "costs": (700, 700, 700),
        "scales": (S.MATTLIG, G.MATTLIG, G.MATTLIG, K.MATTLIG),
        "kunskapsunderlag": U.LAG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Attraktiv arbetsgivare"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 3,
        "situation": (
            "Kommunen rekryterade 380 medarbetare 2024. Varje chef sköter sina "
            "rekryteringar själv, och var fjärde rekrytering av legitimerad personal fick "
            "göras om."
        ),
        "atgard": (
            "En gemensam rekryteringsfunktion med två rekryterare som stödjer cheferna med "
            "annonsering, urval och kompetensbaserade intervjuer."
        ),
        "jamforelsealternativ": "Cheferna rekryterar själva med mallar från HR-avdelningen.",
        "konsekvensanalys": (
            "Cheferna lägger fortsatt mycket tid på rekrytering, och fler rekryteringar misslyckas."
        ),
        "kommentar": "Kunskapsunderlaget är svagt: effekten i andra kommuner är inte utvärderad.",
        "etik": (F, F, F),
        "etik_kommentar": "Kompetensbaserad rekrytering minskar risken för diskriminering.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": KLF,
        "perspektiv": EKONOMI,
        "item": "Samordnade inköp och avtalstrohet",
        "title": "Samordnade inköp",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Adm. enheten",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.EFFEKTIVISERING,
        "orsak": "Processer och arbetsmetoder",
        "effekt_pa_sikt": "Effektivisering",
        "costs": (-600, -800, -800),
        "scales": (S.LITEN, G.MATTLIG, G.LITEN, K.MYCKET_HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.LITEN,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 6,
        "situation": (
            "Förvaltningarna köper förbrukningsmaterial, möbler och it-tillbehör var för "
            "sig. Avtalstroheten är 68 procent, och en tredjedel av inköpen görs utanför "
            "ramavtalen, till högre priser."
        ),
        "atgard": (
            "Samla inköpen i en gemensam beställningsportal med kommunens ramavtal och "
            "följa upp avtalstroheten varje kvartal."
        ),
        "jamforelsealternativ": "Förvaltningarnas egna inköp.",
        "konsekvensanalys": (
            "Enheterna får mindre frihet att välja leverantör, men får samma varor till lägre pris."
        ),
        "kommentar": "Besparingen bygger på att avtalstroheten når 90 procent år 2.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
        "handling": KOMMUNGEMENSAM,
    },
    # Socialförvaltningen
    {
        "forvaltning": SOCIAL,
        "perspektiv": INVANARE,
        "item": "Bostad först för personer med missbruk",
        "title": "Bostadsförsörjning missbrukare",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Socialförvaltning",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Ambitionsökning",
        "costs": (1200, 1200, 1200),
        "scales": (S.MYCKET_STOR, G.STOR, G.STOR, K.HOG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.STOR,
        "mal": ["Fler invånare i egen försörjning", "Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 1,
        "situation": (
            "Ett femtontal personer med missbruk eller beroende saknar egen bostad och bor "
            "växelvis på vandrarhem, i härbärge och hos bekanta. Akutboendena kostade 2,1 "
            "mnkr 2024."
        ),
        "atgard": (
            "Tio lägenheter enligt Bostad först, med boendestöd av ett team på en och en "
            "halv tjänst, i samarbete med det kommunala bostadsbolaget."
        ),
        "jamforelsealternativ": "Nuvarande akutboenden på vandrarhem och härbärge.",
        "konsekvensanalys": ("Fortsatt hemlöshet, ökad ohälsa och höga kostnader för akutboenden."),
        "kommentar": (
            "Bostad först har god evidens för att personer behåller sitt boende. "
            "Kostnaderna för akutboende väntas minska från år 2."
        ),
        "etik": (F, F, F),
        "etik_kommentar": (
            "Insatsen riktas till en grupp med mycket stora behov, i linje med "
            "behovs-solidaritetsprincipen."
        ),
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": SOCIAL,
        "perspektiv": INVANARE,
        "item": "Nattpatrull i hemtjänsten för fler brukare",
        "title": "Utökad hemtjänst nattetid",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Äldreomsorg",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (1400, 1400, 1450),
        "scales": (S.STOR, G.STOR, G.STOR, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.STOR,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 2,
        "situation": (
            "Nattpatrullen i hemtjänsten har två bilar och hinner inte med de planerade "
            "besöken. Antalet brukare med insatser nattetid har ökat från 48 till 71 på två "
            "år, och väntetiden på trygghetslarm nattetid är i snitt 38 minuter."
        ),
        "atgard": (
            "Utöka nattpatrullen med en tredje bil och två undersköterskor per natt, så att "
            "larm nattetid besvaras inom 20 minuter."
        ),
        "jamforelsealternativ": "Nuvarande nattpatrull med två bilar.",
        "konsekvensanalys": (
            "Längre väntan på hjälp nattetid, och risk för fall och otrygghet hos äldre som "
            "bor hemma."
        ),
        "kommentar": "År 3 inkluderar löneökning. Behovet ökar med antalet invånare över 80 år.",
        "etik": (F, F, F),
        "etik_kommentar": "Insatsen ges efter bedömt behov, oavsett var i kommunen brukaren bor.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": SOCIAL,
        "perspektiv": EKONOMI,
        "item": "Digital tillsyn nattetid i hemtjänsten",
        "title": "Digital fjärrtillsyn nattetid",
        "fokusomrade": "Digitalisering",
        "verksamhetsomrade": "Äldreomsorg",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.EFFEKTIVISERING,
        "orsak": "Processer och arbetsmetoder",
        "effekt_pa_sikt": "Effektivisering",
        "costs": (-350, -600, -600),
        "scales": (S.MATTLIG, G.MATTLIG, G.MATTLIG, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 5,
        "situation": (
            "Omkring 40 brukare får tillsynsbesök nattetid, där personalen tittar till "
            "brukaren utan att göra någon annan insats. Besöken väcker ofta brukaren och "
            "tar en stor del av nattpatrullens tid."
        ),
        "atgard": (
            "Erbjuda digital tillsyn med nattkamera till brukare som vill det, efter "
            "individuell bedömning. Den tid som frigörs motsvarar en tjänst år 1 och knappt "
            "två från år 2."
        ),
        "jamforelsealternativ": "Tillsynsbesök på plats nattetid.",
        "konsekvensanalys": (
            "Färre besök på plats nattetid; den som vill ha besök får det. Brukarna störs "
            "mindre i sin sömn."
        ),
        "kommentar": "Kamerorna installeras år 1, vilket ingår i beloppet.",
        "etik": (R, F, F),
        "etik_kommentar": (
            "Kamerabaserad tillsyn berör brukarens integritet. Tillsynen bygger på "
            "samtycke, och den som vill ha besök på plats får det."
        ),
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": SOCIAL,
        "perspektiv": MEDARBETARE,
        "item": "HR-stöd till cheferna",
        "title": "HR-konsult",
        "fokusomrade": "Chefers förutsättningar",
        "verksamhetsomrade": "Socialförvaltning",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Processer och arbetsmetoder",
        "effekt_pa_sikt": "Kompetensförsörjning",
        "costs": (600, 600, 0),
        "scales": (S.MATTLIG, G.LITEN, G.LITEN, K.LAG),
        "kunskapsunderlag": U.LAG,
        "maluppfyllelse": G.LITEN,
        "mal": ["Attraktiv arbetsgivare"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 9,
        "situation": (
            "Cheferna i socialförvaltningen har i snitt 36 medarbetare och lägger mycket tid "
            "på rehabiliteringsärenden. Sjukfrånvaron var 8,7 procent 2024."
        ),
        "atgard": (
            "Anlita en extern HR-konsult två dagar i veckan under två år, som stöd i "
            "rehabiliteringsärenden och arbetsrättsliga frågor."
        ),
        "jamforelsealternativ": "Stöd från den centrala HR-avdelningen.",
        "konsekvensanalys": "Cheferna får fortsatt begränsat stöd i personalfrågor.",
        "kommentar": "Effekten är osäker; liknande konsultstöd har sällan följts upp.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
        "handling": Handling.DRIVS_INTE,
    },
    # Tekniska förvaltningen
    {
        "forvaltning": TEKNIK,
        "perspektiv": INVANARE,
        "item": "Förstudie för ny simhall",
        "title": "Ny simhall, förstudie",
        "fokusomrade": "Folkhälsa och trygghet",
        "verksamhetsomrade": "Fritid",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.INVESTERING,
        "orsak": "Eftersatt underhåll",
        "effekt_pa_sikt": "Ska utvärderas",
        "costs": (1200, 300, 0, 0),
        "cost_per_year": (8000, 11000),
        "scales": (S.MATTLIG, G.MATTLIG, G.MATTLIG, K.MATTLIG),
        "kunskapsunderlag": U.LAG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Trygg uppväxt för barn och unga"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 5,
        "namnd_rank": 3,
        "situation": (
            "Simhallen från 1972 har stora brister i ventilation, bassängteknik och "
            "tillgänglighet. En statusbesiktning 2024 bedömer att den kan hållas öppen i "
            "högst sex år till. Var tionde elev i årskurs 6 klarar inte skolans krav på "
            "simkunnighet."
        ),
        "atgard": (
            "En förstudie som jämför renovering, ny simhall och samarbete med "
            "grannkommunen, med kostnader, placering och driftform, som underlag för "
            "investeringsplanen."
        ),
        "jamforelsealternativ": "Fortsatt drift med akuta reparationer tills hallen måste stängas.",
        "konsekvensanalys": (
            "Beslutet om simhallens framtid skjuts upp, och risken ökar för en oplanerad stängning."
        ),
        "kommentar": (
            "Kostnad per år avser en ny simhall (kapital- och driftkostnad), enligt en grov "
            "uppskattning."
        ),
        "etik": (F, F, F),
        "etik_kommentar": "Simundervisningen är en del av skolans uppdrag och når alla barn.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": TEKNIK,
        "perspektiv": HALLBARHET,
        "item": "Eftersatt underhåll av gång- och cykelvägar",
        "title": "Underhåll av gång- och cykelvägar",
        "fokusomrade": "Hållbar infrastruktur",
        "verksamhetsomrade": "Gata och park",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.FORBISEDDA,
        "orsak": "Eftersatt underhåll",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (900, 900, 900),
        "scales": (S.MATTLIG, G.MATTLIG, G.MATTLIG, K.MATTLIG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 4,
        "situation": (
            "Var fjärde kilometer gång- och cykelväg har sprickor och tjälskador enligt "
            "inventeringen 2024. Antalet skadeanmälningar efter fallolyckor har ökat två år "
            "i rad."
        ),
        "atgard": (
            "Åtgärda de tolv kilometer som är i sämst skick under tre år, med början vid "
            "skolor och äldreboenden."
        ),
        "jamforelsealternativ": "Akuta lagningar av de värsta skadorna.",
        "konsekvensanalys": (
            "Fler fallolyckor, främst bland äldre, och högre kostnader när vägarna måste byggas om."
        ),
        "kommentar": "Beloppet är en del av underhållsskulden på 14 mnkr.",
        "etik": (F, F, F),
        "etik_kommentar": "Arbetet börjar där äldre och barn går och cyklar mest.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": TEKNIK,
        "perspektiv": EKONOMI,
        "item": "Sänkt temperatur när lokalerna inte används",
        "title": "Sänkt temperatur i vissa lokaler",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Fastighet",
        "malomrade": Malomrade.ORGANISATION,
        # Less warmth for the same money: a ransonering (struktur: lokaler),
        # combined with the effektivisering of steering the heat per room.
        "typ": ProposalType.RANSONERING,
        "also_types": [ProposalType.EFFEKTIVISERING],
        "ransonering_kind": RansoneringKind.STRUKTUR,
        "ransonering_detail": RansoneringDetail.UTRUSTNING_LOKALER,
        "orsak": "Besparing",
        "effekt_pa_sikt": "Effektivisering",
        "costs": (-450, -450, -450),
        "scales": (S.LITEN, G.MATTLIG, G.LITEN, K.MYCKET_HOG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.LITEN,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 6,
        "situation": (
            "Energikostnaderna i kommunens lokaler har ökat med 40 procent på två år. "
            "Idrottshallar, förråd och kontor värms till 21 grader dygnet runt, även när de "
            "står tomma."
        ),
        "atgard": (
            "Sänka temperaturen till 18 grader nattetid och helger i lokaler som inte "
            "används, med ny styrning i fastighetssystemet, och till 16 grader i förråd."
        ),
        "jamforelsealternativ": "Samma temperatur dygnet runt.",
        "konsekvensanalys": (
            "Något kallare lokaler tidigt på morgonen för föreningar och personal som "
            "börjar tidigt."
        ),
        "kommentar": "Styrningen kan ändras per lokal om verksamheten kräver det.",
        "etik": (F, F, F),
        "etik_kommentar": "Lokaler för äldre, förskolor och boenden undantas.",
        "handling": KOMMUNGEMENSAM,
    },
    # Samhällsbyggnadsförvaltningen
    {
        "forvaltning": SAMHALLSBYGGNAD,
        "perspektiv": HALLBARHET,
        "item": "Tillsyn av enskilda avlopp och förorenade områden",
        "title": "Förstärkt miljötillsyn",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Miljö och hälsoskydd",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Lagkrav",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (650, 650, 650),
        "scales": (S.STOR, G.STOR, G.STOR, K.HOG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.STOR,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 1,
        "situation": (
            "Miljöenheten hinner med 60 procent av den planerade tillsynen. Omkring 900 "
            "enskilda avlopp saknar godkänd rening, och länsstyrelsen påpekade brister i "
            "tillsynen 2024."
        ),
        "atgard": (
            "Anställa en miljöinspektör för tillsyn av enskilda avlopp och förorenade områden."
        ),
        "jamforelsealternativ": "Tillsyn i nuvarande omfattning, främst efter klagomål.",
        "konsekvensanalys": (
            "Fortsatta utsläpp från avlopp till sjöar och vattendrag, och fortsatt kritik "
            "från länsstyrelsen."
        ),
        "kommentar": "Tillsynsavgifterna täcker en del av kostnaden från år 2.",
        "etik": (F, F, F),
        "etik_kommentar": "Tillsynen prioriteras efter risken för människors hälsa och miljön.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": SAMHALLSBYGGNAD,
        "perspektiv": INVANARE,
        "item": "Digitalt bygglovsarkiv",
        "title": "Digitalisering av bygglovsarkivet",
        "fokusomrade": "Digitalisering",
        "verksamhetsomrade": "Bygglov och lantmäteri",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Processer och arbetsmetoder",
        "effekt_pa_sikt": "Effektivisering",
        "costs": (500, 100, 100),
        "scales": (S.MATTLIG, G.STOR, G.MATTLIG, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 3,
        "situation": (
            "Bygglovsarkivet finns på papper. Handläggare och invånare som vill se ritningar "
            "får vänta upp till en vecka på att handlingarna tas fram."
        ),
        "atgard": (
            "Skanna in bygglovsarkivet från 1950 och framåt och göra ritningarna sökbara i "
            "kartsystemet."
        ),
        "jamforelsealternativ": "Pappersarkivet och manuell framtagning.",
        "konsekvensanalys": (
            "Fortsatt lång väntan på ritningar, och handläggarna lägger tid på att leta i arkivet."
        ),
        "kommentar": "Kan finansieras delvis med bygglovstaxan.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
        "handling": Handling.INOM_RAM,
    },
    {
        "forvaltning": SAMHALLSBYGGNAD,
        "perspektiv": HALLBARHET,
        "item": "Skyfallskartering",
        "title": "Skyfallskartering för detaljplaner",
        "fokusomrade": "Hållbar infrastruktur",
        "verksamhetsomrade": "Plan",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Lagkrav",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (350, 250, 0),
        "scales": (S.STOR, G.MATTLIG, G.STOR, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.STOR,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 2,
        "situation": (
            "Kommunen saknar en skyfallskartering. Plan- och bygglagen kräver att "
            "detaljplaner visar hur risken för översvämning hanteras, och länsstyrelsen har "
            "krävt kompletterande utredningar i två planer."
        ),
        "atgard": (
            "Ta fram en skyfallskartering för tätorterna med konsultstöd, som underlag för "
            "alla nya detaljplaner."
        ),
        "jamforelsealternativ": "En särskild dagvattenutredning i varje detaljplan.",
        "konsekvensanalys": (
            "Detaljplaner försenas, och bostäder kan byggas där risken för översvämning är hög."
        ),
        "kommentar": "År 2 avser uppdatering av karteringen och utbildning av planhandläggarna.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
        "handling": KOMMUNGEMENSAM,
    },
    {
        "forvaltning": SAMHALLSBYGGNAD,
        "perspektiv": INVANARE,
        "item": "Kortare öppettider i receptionen",
        "title": "Kortare öppettider i receptionen",
        "fokusomrade": "Tillgänglighet och bemötande",
        "verksamhetsomrade": "Bygglov och lantmäteri",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.RANSONERING,
        "ransonering_kind": RansoneringKind.PROCESS,
        "ransonering_detail": RansoneringDetail.TIDSRANSONERING,
        "orsak": "Besparing",
        "effekt_pa_sikt": "Ska utvärderas",
        "costs": (-200, -200, -200),
        "scales": (S.LITEN, G.LITEN, G.LITEN, K.MATTLIG),
        "kunskapsunderlag": U.LAG,
        "maluppfyllelse": G.LITEN,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 8,
        "situation": (
            "Samhällsbyggnadsförvaltningens reception har öppet 8–16 alla vardagar, men få "
            "besökare kommer efter klockan 13."
        ),
        "atgard": (
            "Ha receptionen öppen 9–12 på vardagar och hänvisa till telefon och e-tjänster "
            "övrig tid, så att en halv tjänst kan avvecklas vid naturlig avgång."
        ),
        "jamforelsealternativ": "Nuvarande öppettider.",
        "konsekvensanalys": (
            "Invånare och företag som vill ha personlig service på eftermiddagen måste boka tid."
        ),
        "kommentar": "Besöksstatistiken följs upp efter ett halvår.",
        "etik": (F, F, F),
        "etik_kommentar": "Den som inte kan använda e-tjänster kan boka tid för ett besök.",
        "handling": Handling.DRIVS_INTE,
    },
]

# Each nämnd's meeting: days from today, paragraph (the number; pages show
# "§ 44") and comment.
# The facts some proposals rest on: (file name, what it shows, its text).
FAKTAUNDERLAG = {
    "Ökad bemanning elevhälsa": (
        "elevhalsoenkat-2025.txt",
        "Elevhälsoenkäten 2025, årskurs 7–9",
        "Elevhälsoenkäten 2025, årskurs 7–9 (svar: 612 elever)\n"
        "Mår ganska eller mycket dåligt: 23 procent (2023: 17 procent)\n"
        "Väntetid till kurator, median: 5 veckor\n",
    ),
    "Utökad hemtjänst nattetid": (
        "larmstatistik-natt-2025.txt",
        "Trygghetslarm nattetid 2025",
        "Trygghetslarm kl. 22–07, januari–oktober 2025\n"
        "Larm: 4 812; genomsnittlig tid till besök: 35 minuter\n",
    ),
}

# What kommunstyrelsen and kommunfullmäktige decided on the forum's result:
# (body, days from the day the demo is loaded, §, text).
BODY_DECISIONS = [
    (
        Body.KS,
        -215,
        "98",
        "Kommunstyrelsen föreslår kommunfullmäktige att fastställa forumets prioriteringar "
        "inför 2026 och att ge nämnderna i uppdrag att genomföra de finansierade förslagen "
        "och besparingarna inom de beslutade beloppen.",
    ),
    (
        Body.KF,
        -201,
        "142",
        "Kommunfullmäktige fastställer prioriteringarna inför 2026 enligt kommunstyrelsens "
        "förslag. Budgeten för 2026 beslutas med de finansierade förslagen, den delvisa "
        "finansieringen av Bostad först och de tre besparingarna; förstudien om simhallen "
        "utreds vidare.",
    ),
]

NAMND_MEETINGS = {
    PLAN_MILJO: (
        -318,
        "44",
        "Bygglovsarkivet digitaliseras inom nämndens ram och finansieras delvis med "
        "bygglovstaxan. Receptionens öppettider behålls.",
    ),
    SOCIALNAMNDEN: (
        -315,
        "61",
        "HR-konsulten drivs inte vidare; stödet till cheferna tas upp i kommunens "
        "gemensamma HR-arbete.",
    ),
    BILDNINGSNAMNDEN: (
        -312,
        "52",
        "Sommarskolan genomförs inom nämndens ram, med stöd av statsbidrag.",
    ),
    TEKNISKA_NAMNDEN: (
        -308,
        "38",
        "Nämnden rangordnar förstudien för en ny simhall högre än förvaltningen, eftersom "
        "hallen kan behöva stängas inom några år.",
    ),
    KS: (-302, "87", ""),
}

# Each forumdeltagare's rank (forum-1 … forum-5) of each forwarded proposal:
# broad agreement, and a clear split on the simhall and the digital tillsyn.
FORUM_RANKS = {
    "Bostadsförsörjning missbrukare": (1, 1, 2, 1, 2),
    "Utökad hemtjänst nattetid": (2, 2, 1, 3, 2),
    "Fler platser i förskola": (3, 2, 3, 2, 1),
    "Säkerhetssamordnare, informationssäkerhet och krisberedskap": (3, 4, 3, 4, 3),
    "Ökad bemanning elevhälsa": (4, 3, 4, 5, 3),
    "Förstärkt miljötillsyn": (5, 4, 4, 4, 5),
    "Samordnade inköp": (4, 4, 5, 4, 6),
    "Ny simhall, förstudie": (2, 8, 7, 3, 6),
    "Sänkt temperatur i vissa lokaler": (6, 5, 5, 6, 7),
    "Skyfallskartering för detaljplaner": (6, 6, 7, 7, 6),
    "Digital fjärrtillsyn nattetid": (3, 8, 7, 4, 8),
    "Underhåll av gång- och cykelvägar": (7, 7, 8, 6, 7),
    "Gemensam rekryteringsfunktion": (8, 7, 9, 8, 8),
    "Sommarförskola på färre enheter": (9, 9, 8, 9, 10),
}

# The forum's agreed order is the computed one with these two swapped, each
# with its motivation.
SWAPPED = ("Ny simhall, förstudie", "Skyfallskartering för detaljplaner")
ORDER_MOTIVATIONS = {
    "Skyfallskartering för detaljplaner": (
        "Forumet flyttade upp skyfallskarteringen före förstudien för simhallen. "
        "Karteringen krävs enligt plan- och bygglagen för de detaljplaner som ska ge nya "
        "bostäder i A, och kostnaden är låg."
    ),
    "Ny simhall, förstudie": (
        "Forumet var oenigt om förstudien. Den flyttades ned efter skyfallskarteringen, "
        "eftersom simhallen enligt besiktningen kan hållas öppen i flera år till och "
        "förstudien kan göras ett senare år."
    ),
}

REVIEW = {
    "review_sarbehandling": (
        "Förslagen har granskats mot människovärdesprincipen. Digital fjärrtillsyn berör "
        "brukarnas integritet och genomförs bara med samtycke; den som vill ha besök på "
        "plats får det. Sommarförskola på färre enheter avslås bland annat för att barn i "
        "behov av särskilt stöd skulle påverkas mest. I övrigt har forumet inte funnit "
        "någon risk för särbehandling."
    ),
    "review_undantrangning": (
        "Under budgetlinjen hamnar förstudien för en ny simhall och en gemensam "
        "rekryteringsfunktion, sammanlagt 1 900 tkr år 1, och Bostad först finansieras "
        "bara till hälften det första året. Det kommunen avstår är främst ett snabbare "
        "underlag för beslut om simhallen."
    ),
    "review_rimlighet": (
        "Det som finansieras har stor eller mycket stor svårighetsgrad och hög "
        "kostnadseffektivitet, eller är lagkrav. Samordnade inköp markeras i granskningen "
        "för att medianen ligger långt från svårighetsgraden. Forumet rangordnade "
        "förslaget högt eftersom besparingen vidgar ramen utan att verksamheten "
        "försämras, och bedömer det som rimligt."
    ),
    "review_lagkrav": (
        "Fler platser i förskola (skollagens krav på plats inom fyra månader), förstärkt "
        "miljötillsyn (miljöbalken), skyfallskarteringen (plan- och bygglagen) och "
        "säkerhetssamordnaren (civilt försvar och informationssäkerhet) finansieras. "
        "Inget lagkrav påverkas av det som avslås."
    ),
    "review_genomforbarhet": (
        "Förskolemodulerna kan stå på plats i augusti, och rekryteringen till förskolan "
        "och nattpatrullen börjar direkt efter beslut. Bostadsbolaget har bekräftat fem "
        "lägenheter för Bostad först. Miljöinspektören och säkerhetssamordnaren "
        "rekryteras under våren."
    ),
}

# The decision on each forwarded proposal: (outcome, amount år 1 for partial
# financing, motivation). Those above the budget line are financed, the
# savings carried out, the rest refused, sent for further study or left to
# the nämnd's own frame.
DECISIONS = {
    "Bostadsförsörjning missbrukare": (
        Outcome.DELVIS,
        600,
        "Forumets högst rangordnade förslag. Finansieras delvis med 600 tkr år 1: "
        "bostadsbolaget kan ställa fem lägenheter till förfogande under 2026, och Bostad "
        "först startar som en pilot med dem. En utökning till tio lägenheter prövas i "
        "omgången 2027, när det finns en första utvärdering.",
    ),
    "Utökad hemtjänst nattetid": (
        Outcome.FINANSIERAS,
        None,
        "Antalet brukare med insatser nattetid har ökat kraftigt, och väntetiden på larm "
        "är för lång. Ryms över budgetlinjen.",
    ),
    "Fler platser i förskola": (
        Outcome.FINANSIERAS,
        None,
        "Skollagens krav på plats inom fyra månader ska uppfyllas när barnantalet i A "
        "ökar. Ryms över budgetlinjen.",
    ),
    "Säkerhetssamordnare, informationssäkerhet och krisberedskap": (
        Outcome.FINANSIERAS,
        None,
        "Kommunen behöver uppfylla kraven på civilt försvar och informationssäkerhet och "
        "kunna hantera kriser och it-angrepp. Ryms över budgetlinjen.",
    ),
    "Ökad bemanning elevhälsa": (
        Outcome.FINANSIERAS,
        None,
        "Stor svårighetsgrad och hög kostnadseffektivitet: kortare väntan på kurator för "
        "elever med psykisk ohälsa. Ryms över budgetlinjen.",
    ),
    "Förstärkt miljötillsyn": (
        Outcome.FINANSIERAS,
        None,
        "Tillsynen är ett lagkrav, och tillsynsavgifterna täcker en del av kostnaden. "
        "Ryms över budgetlinjen.",
    ),
    "Skyfallskartering för detaljplaner": (
        Outcome.FINANSIERAS,
        None,
        "Krävs för de detaljplaner som ska ge nya bostäder. Ryms över budgetlinjen efter "
        "forumets ändring av ordningen.",
    ),
    "Samordnade inköp": (
        Outcome.EFFEKTIVISERAS,
        None,
        "Samma varor till lägre pris. Besparingen på 600 tkr vidgar ramen; avtalstroheten "
        "följs upp varje kvartal.",
    ),
    "Sänkt temperatur i vissa lokaler": (
        Outcome.RANSONERAS,
        None,
        "Lägre energikostnader utan att verksamheten påverkas nämnvärt; lokaler för äldre "
        "och barn undantas. Besparingen vidgar ramen med 450 tkr.",
    ),
    "Digital fjärrtillsyn nattetid": (
        Outcome.EFFEKTIVISERAS,
        None,
        "Genomförs med samtycke: den som vill ha tillsynsbesök på plats får det. Forumet "
        "var oenigt, och socialnämnden redovisar brukarnas erfarenheter i "
        "delårsrapporten.",
    ),
    "Underhåll av gång- och cykelvägar": (
        Outcome.INOM_RAM,
        None,
        "Underhållet är en del av Tekniska nämndens grunduppdrag och ska rymmas inom "
        "nämndens ram, med början vid skolor och äldreboenden.",
    ),
    "Ny simhall, förstudie": (
        Outcome.UTREDS,
        None,
        "Hamnar under budgetlinjen. Kommunledningsförvaltningen och Tekniska "
        "förvaltningen utreder ett samarbete med grannkommunen om simhall inför "
        "investeringsplanen.",
    ),
    "Gemensam rekryteringsfunktion": (
        Outcome.AVSLAS,
        None,
        "Hamnar under budgetlinjen, och kunskapsunderlaget är svagt. HR-avdelningen tar "
        "fram gemensamma mallar för kompetensbaserad rekrytering inom befintlig ram.",
    ),
    "Sommarförskola på färre enheter": (
        Outcome.AVSLAS,
        None,
        "Besparingen är liten i förhållande till vad barnen och familjerna förlorar, "
        "särskilt barn i behov av särskilt stöd. Förskolorna samordnar i stället "
        "vikarierna under sommaren.",
    ),
}

BY_TITLE = {row["title"]: row for row in PROPOSALS}
SAVING_COLUMN_TYPES = {ProposalType.RANSONERING, ProposalType.EFFEKTIVISERING}


def _days(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)


@transaction.atomic
def load_demo_round_2026(kommun: Kommun, users: dict[str, User]) -> Round:
    """Round 2026 of the demo, published and in the Beslut phase. An existing
    round for 2026 is returned as it is."""
    users = ensure_round_users(kommun, users)
    existing = Round.objects.filter(kommun=kommun, budget_year=YEAR).first()
    if existing is not None:
        return existing
    controller = users["controller"]
    today = timezone.localdate()
    deadlines = {phase: _days(today, days) for phase, days in DEADLINE_DAYS.items()}

    # 1. Planering: the round, its instructions, lists and förutsättningar.
    round = create_round(
        kommun,
        budget_year=YEAR,
        by=controller,
        purpose=Purpose.NYA,
        frame_tkr=FRAME_TKR,
        instructions=instructions(deadlines),
        # The open data carries the forum's ranks without names.
        publish_ballots=True,
    )
    save_forutsattning_texts(round, FORUTSATTNINGAR, by=controller)
    name_forum_members(round, users, controller)
    for kind, names in LISTS.items():
        start = round.list_items.filter(kind=kind).count()
        for position, name in enumerate(names, start=start):
            save_as(ListItem(round=round, kind=kind, name=name, position=position), controller)
    lists = {(item.kind, item.name): item for item in round.list_items.all()}
    round = move_phase(round, to_phase=Phase.VERKSAMHETSANALYS, by=controller)

    # 2. Verksamhetsanalys: each förvaltning's grid and proposals, submitted by
    # its chef. The deadlines are set once the analyses are in: they have
    # passed, and a passed deadline closes the analysis for work.
    analyses = {
        analysis.forvaltning.name: analysis
        for analysis in Analysis.objects.filter(round=round).select_related(
            "round", "forvaltning__namnd"
        )
    }
    for forvaltning, items in CONTEXT.items():
        for perspektiv, column, text in items:
            add_item(
                analyses[forvaltning],
                perspektiv=lists[(ListKind.PERSPEKTIV, perspektiv)],
                column=column,
                text=text,
                by=users[AUTHORS[forvaltning]],
            )
    for row in PROPOSALS:
        _create_proposal(row, analyses, lists, users)
    for title, (name, what, text) in FAKTAUNDERLAG.items():
        proposal = Proposal.objects.get(round=round, title=title)
        add_faktaunderlag(
            proposal,
            ContentFile(text.encode("utf-8"), name=name),
            "text/plain",
            what,
            by=users[AUTHORS[proposal.analysis.forvaltning.name]],
        )
    for forvaltning in CHEFS:
        submit_analysis(analyses[forvaltning], by=users[CHEFS[forvaltning]])
    set_deadlines(round, deadlines, by=controller)

    # 3. Prioritering i nämnd: a ledamot of each nämnd ranks, marks the handling
    # and records the nämnd's decision.
    round = move_phase(round, to_phase=Phase.NAMND, by=controller)
    rank_in_namnder(
        round,
        users,
        {
            name: (_days(today, days), paragraph, comment)
            for name, (days, paragraph, comment) in NAMND_MEETINGS.items()
        },
        rank=_namnd_rank,
        handling=lambda proposal: BY_TITLE[proposal.title]["handling"],
    )

    # 4. Forum: every forumdeltagare ranks every forwarded proposal.
    round = move_phase(round, to_phase=Phase.FORUM, by=controller)
    forwarded = rank_in_forum(round, users, FORUM_RANKS)

    # The forum's agreed order (the computed one, two proposals swapped) and
    # its review, recorded by the controller.
    record_agreed_order(round, controller, swapped=SWAPPED, motivations=ORDER_MOTIVATIONS)
    decision_services.record_review(round, REVIEW, by=controller)

    # 5. Beslut: the decision on every forwarded proposal, then publication.
    round = move_phase(round, to_phase=Phase.BESLUT, by=controller)
    decision_services.save_decisions(
        round,
        {
            forwarded[title].pk: {"outcome": outcome, "amount": amount, "motivation": text}
            for title, (outcome, amount, text) in DECISIONS.items()
        },
        by=controller,
    )
    round = Round.objects.get(pk=round.pk)  # the forum's result as it is now
    decision_services.publish(round, by=controller)
    # The result goes on to kommunstyrelsen and kommunfullmäktige.
    round = Round.objects.get(pk=round.pk)
    for body, days, paragraph, text in BODY_DECISIONS:
        body_services.record_body_decision(
            round, body, _days(today, days), paragraph, text, by=controller
        )
    return Round.objects.get(pk=round.pk)


def _namnd_rank(proposal: Proposal) -> int:
    """The nämnd's rank of the proposal: the förvaltning's, unless the nämnd
    judged otherwise."""
    row = BY_TITLE[proposal.title]
    return row.get("namnd_rank", row["rangordning"])


def _create_proposal(row: dict, analyses, lists, users) -> Proposal:
    forvaltning = row["forvaltning"]
    author = users[AUTHORS[forvaltning]]
    perspektiv = lists[(ListKind.PERSPEKTIV, row["perspektiv"])]
    saving = row["typ"] in SAVING_COLUMN_TYPES
    column = AnalysisColumn.RANSONERA if saving else AnalysisColumn.NYA_RESURSER
    item = add_item(
        analyses[forvaltning], perspektiv=perspektiv, column=column, text=row["item"], by=author
    )
    return create_proposal(
        analyses[forvaltning],
        by=author,
        analysis_item=item,
        perspektiv=perspektiv,
        mal=[lists[(ListKind.POLITISKT_MAL, name)] for name in row["mal"]],
        **proposal_fields(row, lists),
    )
