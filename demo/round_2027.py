"""The demo's prioriteringsomgång 2027, in the forum phase by default, or in
the phase ``load_demo --phase`` asks for.

Exempelkommun's five förvaltningar have filled in their verksamhetsanalys and
assessed their proposals: the rows of the source's tables (the forum
compilation, the base ranking tool and the investment tool, Krevers & Bäckman,
Rapport 2023:1) and Samhällsbyggnadsförvaltningen's grid exactly as the source
shows it. In the verksamhetsanalys phase two analyses are drafts, two are
submitted and one has been returned by the controller for completion; in a
later phase ``round_2027_ranking`` takes the round on from there.

Everything is written through the services (or ``save_as``), so the history
names who did what. The deadlines are relative to the day the demo is loaded,
so the round is live whenever it is. ``load_demo_round()`` is idempotent: an
existing round 2027 is returned unchanged.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from demo import round_2027_ranking
from demo.followup_2026 import CARRIED, carried_origin
from demo.organisation import (
    AUTHORS,
    BILDNING,
    CHEFS,
    KLF,
    SAMHALLSBYGGNAD,
    SOCIAL,
    TEKNIK,
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
    swedish_date,
)
from followup.services import carry_over
from prioritering.audit import save_as, set_m2m_as
from rounds.guidance import model_guidance
from rounds.models import (
    Analysis,
    AnalysisColumn,
    AnalysisItem,
    AnalysisStatus,
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
    ProposalType,
    Purpose,
    RansoneringDetail,
    RansoneringKind,
    Round,
    Svarighetsgrad,
    User,
)
from rounds.services.analysis import return_analysis, submit_analysis
from rounds.services.analysis_items import add_item
from rounds.services.proposal import create_proposal, save_proposal
from rounds.services.round import create_round, move_phase, set_deadlines

DEMO_YEAR = 2027
FRAME_TKR = 8000

# Where each analysis stands: drafts where the demo's tjänstepersoner can work.
WORKFLOW = {
    BILDNING: AnalysisStatus.DRAFT,
    SOCIAL: AnalysisStatus.DRAFT,
    KLF: AnalysisStatus.SUBMITTED,
    SAMHALLSBYGGNAD: AnalysisStatus.SUBMITTED,
    TEKNIK: AnalysisStatus.RETURNED,
}
RETURN_COMMENT = (
    "Komplettera driftkostnaderna för sportarenan och beskriv jämförelsealternativet "
    "för cykelvägen."
)

# Each phase's last day, in days from the day the demo is loaded.
DEADLINE_DAYS = {
    Phase.PLANERING: -21,
    Phase.VERKSAMHETSANALYS: 28,
    Phase.NAMND: 56,
    Phase.FORUM: 84,
    Phase.BESLUT: 112,
    Phase.UPPFOLJNING: 400,
}


def instructions(deadlines: dict[int, datetime.date]) -> str:
    d = {phase: swedish_date(day) for phase, day in deadlines.items()}
    return f"""## Syfte

Omgången för budgetår {DEMO_YEAR} ska **fördela nya resurser**. Kommunfullmäktige har \
gett ett ekonomiskt utrymme på **8 000 tkr** för nya behov. Förvaltningarnas förslag \
kommer att kosta mer än så, och därför prioriterar vi öppet: med samma kriterier och på \
samma villkor för alla nämnder, så att besluten kan förklaras för invånarna.

Ransoneringar och effektiviseringar som frigör resurser ökar utrymmet. Redovisa dem \
lika noga som nya behov, med en konsekvensanalys av vad som går förlorat.

Arbetet följer Prioriteringscentrums modell för prioriteringsarbete i kommuner \
(Rapport 2023:1).

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

- **Controllern** (Maria Holm) leder omgången, svarar på frågor och kan återlämna en \
analys som behöver kompletteras.
- **Förvaltningschefen** ansvarar för förvaltningens verksamhetsanalys och lämnar in den \
till nämnden.
- **Tjänstepersonerna** fyller i verksamhetsanalysen och bedömer förslagen.
- **Nämndledamöterna** rangordnar nämndens förslag och avgör vad som ryms inom \
nämndens ram och vad som går vidare till kommungemensam prioritering.
- **Forumet**, med representanter för kommunstyrelsen, nämnderna och förvaltningarna, \
rangordnar förslagen för hela kommunen.

## Så fyller ni i verksamhetsanalysen

Analysen har fyra perspektiv: invånare, medarbetare (inklusive kompetens), ekonomi och \
hållbarhet. Skriv en kort punkt per rad i respektive kolumn:

- **Nuläge**: hur det ser ut i dag, med fakta och nyckeltal där de finns.
- **Framtid och omvärld**: vad som förändras de närmaste åren, till exempel demografi, \
lagkrav och förväntningar.
- **Situationer och åtgärder som behöver nya resurser**: det som inte kan lösas inom \
nuvarande ram.
- **Situationer och åtgärder som kan ransoneras eller effektiviseras**: det som ger minst \
nytta i förhållande till kostnaden, eller som kan göras på ett annat sätt.

Punkterna i de två sista kolumnerna blir förslag. Bedöm varje förslag fullt ut. \
**Svårighetsgrad**, **nytta** och **kostnadseffektivitet** ska alltid anges; ange också \
åtgärdens effekt, kunskapsunderlagets kvalitet, måluppfyllelse och vem effekten främst \
gäller. Skriv en besparing som en negativ kostnad.

Frågor om omgången besvaras av controllern, controller@exempelkommun.se.

{model_guidance()}"""


FORUTSATTNINGAR = {
    ForutsattningKind.DEMOGRAFI: """Exempelkommun hade **42 180 invånare** den 31 \
december 2025, en ökning med 340 personer på ett år. Ökningen beror på inflyttning till \
de nya bostadsområdena i A och NN.

- Antalet invånare **80 år och äldre** ökar från 2 310 i dag till omkring 2 900 år \
2030 (+26 procent).
- Antalet barn **0–5 år** ökar från 2 950 till omkring 3 200 år 2030, främst i A och NN.
- Antalet invånare 20–64 år är i stort sett oförändrat, så försörjningskvoten stiger.
- Var sjätte invånare är född utomlands; andelen är högst i NN.""",
    ForutsattningKind.EKONOMI: """Skatteintäkter och generella statsbidrag beräknas till \
**2 765 mnkr** år 2027 med oförändrad skattesats, 22,14 kr.

- Kommunens finansiella mål är ett resultat på 2 procent av skatteintäkter och \
generella statsbidrag. Budgeten för 2027 ger **1,1 procent**.
- Det **ekonomiska utrymmet för nya behov är 8 000 tkr**. Besparingar genom \
ransonering och effektivisering ökar utrymmet med motsvarande belopp.
- Löneökningar beräknas till 3,2 procent och prisökningar till 2,0 procent; nämnderna \
kompenseras för löner men inte för priser.
- Investeringsramen för 2027 är 180 mnkr. Investeringar prövas mot den, men deras \
kapital- och driftkostnader ska rymmas i driftbudgeten.""",
    ForutsattningKind.NULAGE: """Årsredovisningen för 2025 visade ett resultat på 0,9 \
procent, under det finansiella målet.

- **Socialnämnden** redovisade ett underskott på 14 mnkr, främst för externa \
placeringar och försörjningsstöd.
- **Bildningsnämnden** redovisade ett underskott på 6 mnkr, främst för skolskjuts och \
köpta platser.
- Sjukfrånvaron var 7,8 procent, högst inom äldreomsorgen.
- 74 procent av eleverna i årskurs 9 var behöriga till gymnasiet, mot 82 procent i \
riket.""",
    ForutsattningKind.PROGNOSER: """Enligt SKR:s prognos växer skatteunderlaget \
långsammare 2027–2028 än under de senaste tio åren.

- Pensionskostnaderna ökar med 25 mnkr fram till 2029.
- Befolkningsprognosen visar ett ökat behov av **hemtjänst och särskilt boende** från \
2028 och av **förskoleplatser** i A och NN.
- Räntekostnaderna ökar när investeringarna i skolor och vatten och avlopp finansieras \
med lån.
- Utan prioriteringar växer kostnaderna snabbare än intäkterna med omkring 1 procent \
per år.""",
    ForutsattningKind.ANNAT: """Nämndernas uppföljning av förra årets prioriteringar \
redovisades i delårsrapporten 2026 och är ett underlag för årets verksamhetsanalyser.""",
}

# The source's Samhällsbyggnad grid, exactly: perspektiv → the four columns.
SAMHALLSBYGGNAD_GRID = {
    INVANARE: (
        [
            "Handläggningstider",
            "Telefontillgänglighet",
            "E-post-tillgänglighet",
            "Tillsyn",
            "Volymökning av ärenden hanteras inom ram",
        ],
        [
            "Ökar pga tillväxt volymer",
            "Ökade krav på service och rådgivning",
            "Ökade krav på E-tjänster",
            "Ökad tillsyn",
        ],
        ["Kortare handläggningstider", "Förbättrad tillgänglighet", "Förbättrad tillsyn"],
        ["Minska allmän rådgivning", "Effektivisering genom e-tjänster"],
    ),
    MEDARBETARE: (
        ["Personalomsättning"],
        ["Samverkan inom administrativa resurser", "Omsättning av personal"],
        ["Kombinationstjänster", "Kompetensutveckling", "Karriärmöjligheter"],
        [],
    ),
    EKONOMI: (
        ["Höga taxeintäkter", "Kostnad bostadsanpassningar"],
        [],
        [],
        ["Justerad taxa"],
    ),
    HALLBARHET: (
        ["Rutinutveckling"],
        ["Klimatanpassade detaljplaner"],
        [],
        [],
    ),
}

GRIDS = {
    SAMHALLSBYGGNAD: SAMHALLSBYGGNAD_GRID,
    BILDNING: {
        INVANARE: (
            [
                "74 procent av eleverna i åk 9 är behöriga till gymnasiet (riket 82)",
                "Ingen öppen mötesplats för unga kvällstid i NN",
                "Kön till förskolan hålls inom fyra månader",
            ],
            [
                "Fler barn 0–5 år i de nya bostadsområdena",
                "Ökat behov av språkstöd och integrationsinsatser",
            ],
            ["Fritidsgård i NN"],
            ["Färre öppna förskolor under sommarveckorna"],
        ),
        MEDARBETARE: (
            [
                "Svårt att rekrytera förskollärare och speciallärare",
                "Rektorerna har i snitt 45 medarbetare var",
            ],
            [
                "Stora pensionsavgångar bland förskollärare fram till 2030",
                "Grannkommunerna konkurrerar med karriärtjänster",
            ],
            ["Förstelärartjänster i förskolan", "Administrativt stöd till rektorerna"],
            ["Gemensam vikarieanskaffning för förskola och skola"],
        ),
        EKONOMI: (
            [
                "Skolskjutskostnaden har ökat med 18 procent på tre år",
                "Höga kostnader för köpta platser",
            ],
            ["Elevpengen räknas upp mindre än lönerna"],
            [],
            [
                "Samordnad skolskjuts med färre turer",
                "Bättre lokalutnyttjande i skolor med vikande elevtal",
            ],
        ),
        HALLBARHET: (
            ["Flera förskolelokaler behöver ventilationsåtgärder"],
            ["Krav på klimatanpassade skolgårdar"],
            [],
            [],
        ),
    },
    KLF: {
        INVANARE: (
            [
                "Invånare kopplas vidare flera gånger innan de får svar",
                "42 procent av samtalen löses vid första kontakten",
            ],
            [
                "Invånarna förväntar sig svar vid första kontakten",
                "Fler ärenden kommer in via e-tjänster",
            ],
            ["Gemensamt servicecenter"],
            ["Samordnad växel och reception i kommunhuset"],
        ),
        MEDARBETARE: (
            ["Sårbar IT- och arkivkompetens, två nyckelpersoner"],
            ["Ökad konkurrens om IT-kompetens"],
            ["Kompetensutveckling i informationshantering"],
            [],
        ),
        EKONOMI: (
            ["Kostnader för pappersarkiv och hyrt fjärrarkiv"],
            ["Ökade licenskostnader för verksamhetssystemen"],
            [],
            ["Avveckla överlappande system och licenser"],
        ),
        HALLBARHET: (
            ["Digitala handlingar bevaras inte långsiktigt"],
            ["Skärpta krav på digitalt bevarande enligt arkivlagen"],
            ["Införa e-arkiv"],
            [],
        ),
    },
    SOCIAL: {
        INVANARE: (
            [
                "Ett tjugotal personer med missbruk saknar egen bostad",
                "Var tredje äldre med hemtjänst känner sig ofta ensam",
                "Fler orosanmälningar för barn och unga",
            ],
            ["Fler invånare över 80 år", "Brist på små hyreslägenheter"],
            ["Bostad först för personer med missbruk", "Uppsökande verksamhet för äldre"],
            ["Färre externa placeringar genom utökad öppenvård"],
        ),
        MEDARBETARE: (
            [
                "Personalomsättningen i hemtjänsten är 22 procent",
                "Chefer med stora personalgrupper",
            ],
            ["Svårt att rekrytera undersköterskor och socionomer"],
            ["Kombinationstjänster och karriärvägar i hemtjänsten", "HR-stöd till cheferna"],
            ["Minska användningen av bemanningsföretag"],
        ),
        EKONOMI: (
            ["Externa placeringar kostar mer än budgeterat"],
            ["Försörjningsstödet väntas öka"],
            [],
            ["Digital tillsyn nattetid i hemtjänsten"],
        ),
        HALLBARHET: (
            ["Hemtjänstens bilar drivs till största delen med fossila bränslen"],
            ["Fler brukare med komplexa behov i hemmet"],
            [],
            ["Samordnad ruttplanering i hemtjänsten"],
        ),
    },
    TEKNIK: {
        INVANARE: (
            [
                "Fotbollsplanen på idrottsplatsen är obrukbar efter dräneringsskador",
                "Cykelväg saknas mellan bostadsområde A och centrum",
                "Parkeringen vid resecentrum B är fullbelagd vardagar",
            ],
            ["Befolkningen i A växer", "Fler föreningar efterfrågar träningstider"],
            [
                "Obrukbar fotbollsplan: sportarena",
                "Obrukbar fotbollsplan: ny fotbollsplan",
                "Utbyggnad av cykelväg A",
                "Utbyggnad av parkering B",
            ],
            [],
        ),
        MEDARBETARE: (
            ["Svårt att rekrytera drifttekniker"],
            ["Pensionsavgångar inom fastighetsdriften"],
            [],
            [],
        ),
        EKONOMI: (
            [
                "Energikostnaderna har ökat med 30 procent på två år",
                "Eftersatt underhåll i äldre lokaler",
            ],
            ["Fortsatt osäkra energipriser"],
            [],
            ["Sänkt temp i vissa lokaler"],
        ),
        HALLBARHET: (
            ["Energianvändningen i kommunens lokaler minskar långsamt"],
            ["Mål om halverade klimatutsläpp till 2030"],
            ["Energieffektivisering i skolor"],
            ["Släckt belysning nattetid på cykelvägar i ytterområden"],
        ),
    },
}

S = Svarighetsgrad
G = Grad
K = Kostnadseffektivitet
U = Kunskapsunderlag
F = EtikBedomning.FORENLIG
R = EtikBedomning.RISK

# The proposals in the order they are numbered. ``item`` is the analysis item
# (column 3 or 4 of the förvaltning's grid) the proposal comes from; list
# fields are given by name. Values of the source's tables are used as given.
PROPOSALS = [
    # Bildningsförvaltningen (draft)
    {
        "forvaltning": BILDNING,
        "item": "Fritidsgård i NN",
        "title": "Fritidsgård NN",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Fritid",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Integration",
        "effekt_pa_sikt": "Ambitionsökning",
        "costs": (1200, 1200, 1250),
        "scales": (S.STOR, G.STOR, G.STOR, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.STOR,
        "mal": ["Trygg uppväxt för barn och unga"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 2,
        "situation": (
            "I stadsdelen NN bor drygt 600 ungdomar i åldern 13–19 år. Det finns ingen "
            "öppen mötesplats kvällstid, och fältassistenterna ser fler unga som är ute "
            "sent utan vuxna. Många familjer i området är nyanlända, och föreningslivet "
            "når få av ungdomarna."
        ),
        "atgard": (
            "Öppna en fritidsgård i NN-skolans lokaler med två fritidsledare och öppet fyra "
            "kvällar i veckan. Verksamheten formas tillsammans med ungdomarna, i samverkan "
            "med föreningslivet och fältassistenterna."
        ),
        "jamforelsealternativ": (
            "Nuvarande läge: ungdomarna hänvisas till fritidsgården i centrum, fyra "
            "kilometer bort, som redan är fullbelagd kvällstid."
        ),
        "konsekvensanalys": "Fler unga saknar en trygg mötesplats kvällstid.",
        "kommentar": "Lokalen kan användas kvällstid utan hyra. År 3 inkluderar löneökning.",
        "etik": (F, F, F),
        "etik_kommentar": (
            "Insatsen riktas till ett område med större behov, i linje med "
            "behovs-solidaritetsprincipen."
        ),
    },
    {
        "forvaltning": BILDNING,
        "item": "Förstelärartjänster i förskolan",
        "title": "Förstelärartjänster",
        "fokusomrade": "Kompetensförsörjning",
        "verksamhetsomrade": "Förskola",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Arbetskraftsbrist",
        "effekt_pa_sikt": "Kompetensförsörjning",
        "costs": (900, 900, 900),
        "scales": (S.MATTLIG, G.STOR, G.STOR, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Attraktiv arbetsgivare", "Alla elever når godkända betyg"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 3,
        "situation": (
            "Förskolan har svårt att behålla legitimerade förskollärare. "
            "Personalomsättningen var 14 procent 2025, och flera erfarna pedagoger har gått "
            "till grannkommuner som erbjuder karriärtjänster. Andelen legitimerade "
            "förskollärare har sjunkit till 38 procent."
        ),
        "atgard": (
            "Inrätta sex förstelärartjänster i förskolan med ansvar för pedagogisk "
            "utveckling och handledning av nyanställda, med ett lönetillägg och tid för "
            "uppdraget."
        ),
        "jamforelsealternativ": "Nuvarande läge: förstelärartjänster finns bara i grundskolan.",
        "konsekvensanalys": "Svårare att behålla erfarna pedagoger.",
        "kommentar": (
            "Nyttan bedöms som större än situationens svårighetsgrad eftersom insatsen "
            "också stärker rekryteringen."
        ),
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    {
        "forvaltning": BILDNING,
        "item": "Administrativt stöd till rektorerna",
        "title": "Förstärkt stöd, tjänster",
        "fokusomrade": "Chefers förutsättningar",
        "verksamhetsomrade": "Grundskola",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Kompetensförsörjning",
        "costs": (1500, 1500, 1500),
        "scales": (S.STOR, G.MATTLIG, G.MATTLIG, K.MATTLIG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Alla elever når godkända betyg", "Attraktiv arbetsgivare"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 5,
        "situation": (
            "Grundskolan har fått 240 fler elever på fem år utan att skolledningen har "
            "förstärkts. Rektorerna har i snitt 45 medarbetare och lägger en stor del av "
            "sin tid på administration, schemaläggning och ekonomi."
        ),
        "atgard": (
            "Anställa tre skoladministratörer som stöd till rektorerna på de största skolorna."
        ),
        "jamforelsealternativ": "Nuvarande läge: en skoladministratör delas av två skolor.",
        "konsekvensanalys": "Rektorer får mindre tid för pedagogiskt ledarskap.",
        "kommentar": (
            "Arbetsmiljöverket påpekade rektorernas arbetsbelastning vid inspektionen 2025."
        ),
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    {
        "forvaltning": BILDNING,
        "item": "Samordnad skolskjuts med färre turer",
        "title": "Samordnad skolskjuts",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Grundskola",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.RANSONERING,
        "ransonering_kind": RansoneringKind.PROCESS,
        "ransonering_detail": RansoneringDetail.UTSPADNING,
        "orsak": "Besparing",
        "effekt_pa_sikt": "Ska utvärderas",
        "costs": (-400, -600, -600),
        "scales": (S.LITEN, G.LITEN, G.LITEN, K.HOG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.LITEN,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 8,
        "situation": (
            "Kommunen kör 14 skolskjutslinjer, delvis med parallella turer på landsbygden. "
            "Kostnaden har ökat med 18 procent på tre år."
        ),
        "atgard": (
            "Samordna skolskjutsen med kollektivtrafiken och slå ihop turer, så att linjerna "
            "minskar från 14 till 11 från höstterminen."
        ),
        "jamforelsealternativ": "Nuvarande skolskjutsorganisation med 14 linjer.",
        "konsekvensanalys": (
            "Längre restider, upp till 15 minuter per resa, för omkring 120 elever på landsbygden."
        ),
        "kommentar": "Halvårseffekt år 1.",
        "etik": (R, F, F),
        "etik_kommentar": (
            "Elever på landsbygden får längre restider än elever i tätorten. Elever med "
            "beslut om särskild skolskjuts på grund av funktionsnedsättning undantas, och "
            "restiden får inte överstiga riktlinjens 60 minuter."
        ),
    },
    # Kommunledningsförvaltningen (submitted)
    {
        "forvaltning": KLF,
        "item": "Införa e-arkiv",
        "title": "E-arkiv",
        "fokusomrade": "Digitalisering",
        "verksamhetsomrade": "Adm. enheten",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Processer och arbetsmetoder",
        "effekt_pa_sikt": "Effektivisering",
        "costs": (800, 300, 300),
        "scales": (S.MATTLIG, G.STOR, G.MATTLIG, K.HOG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 4,
        "situation": (
            "Allmänna handlingar som skapas digitalt bevaras i verksamhetssystemen eller "
            "skrivs ut på papper. Kommunen uppfyller inte arkivlagens krav på långsiktigt "
            "bevarande av elektroniska handlingar."
        ),
        "atgard": (
            "Införa ett gemensamt e-arkiv för hela kommunen via ett befintligt ramavtal, med "
            "leveranser från de fem största verksamhetssystemen under första året."
        ),
        "jamforelsealternativ": "Utskrift och pappersarkivering i hyrt fjärrarkiv.",
        "konsekvensanalys": "Lagkrav på bevarande riskerar att inte uppfyllas.",
        "kommentar": "År 1 avser införande och migrering, därefter licens och drift.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    {
        "forvaltning": KLF,
        "item": "Gemensamt servicecenter",
        "title": "Servicecenter",
        "fokusomrade": "Tillgänglighet och bemötande",
        "verksamhetsomrade": "Adm. enheten",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Processer och arbetsmetoder",
        "effekt_pa_sikt": "Effektivisering",
        "costs": (2500, 2000, 2000),
        "scales": (S.LITEN, G.STOR, G.STOR, K.MATTLIG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.STOR,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 7,
        "situation": (
            "Invånare som kontaktar kommunen kopplas ofta vidare flera gånger innan de får "
            "svar. Mätningen 2025 visade att 42 procent av samtalen löstes vid första "
            "kontakten, mot omkring 70 procent i jämförbara kommuner."
        ),
        "atgard": (
            "Inrätta ett servicecenter med sex kommunvägledare som tar emot samtal, e-post "
            "och besök och löser enklare ärenden direkt."
        ),
        "jamforelsealternativ": (
            "Nuvarande växel med två telefonister och förvaltningarnas egna telefontider."
        ),
        "konsekvensanalys": "Invånare fortsätter att slussas mellan förvaltningar.",
        "kommentar": (
            "År 1 inkluderar ombyggnad av entrén i kommunhuset och nytt telefonisystem. "
            "Nyttan för invånarna bedöms som stor, även om situationen i sig inte är "
            "allvarlig."
        ),
        "etik": (F, F, F),
        "etik_kommentar": (
            "Servicecentret ger bättre tillgänglighet för invånare som inte använder e-tjänster."
        ),
    },
    # Socialförvaltningen (draft)
    {
        "forvaltning": SOCIAL,
        "item": "Bostad först för personer med missbruk",
        "title": "Bostadsförsörjning missbrukare",
        "fokusomrade": "Tillväxt",
        "verksamhetsomrade": "Socialförvaltning",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (1800, 1800, 1800),
        "scales": (S.MYCKET_STOR, G.STOR, G.STOR, K.HOG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.STOR,
        "mal": ["Fler invånare i egen försörjning", "Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 1,
        "situation": (
            "Ett tjugotal personer med missbruk eller beroende saknar egen bostad och bor i "
            "akuta lösningar som vandrarhem och härbärge. Antalet har ökat två år i rad."
        ),
        "atgard": (
            "Tio lägenheter med boendestöd enligt Bostad först, i samarbete med det "
            "kommunala bostadsbolaget, och ett boendestödsteam med två tjänster."
        ),
        "jamforelsealternativ": "Nuvarande akutboenden på vandrarhem och härbärge.",
        "konsekvensanalys": "Risk för hemlöshet och ökad ohälsa.",
        "kommentar": (
            "Bostad först har god evidens för att personer behåller sitt boende. "
            "Kostnaderna för akutboende väntas minska på sikt."
        ),
        "etik": (F, F, F),
        "etik_kommentar": (
            "Insatsen riktas till en grupp med mycket stora behov. Lägenheterna fördelas "
            "efter individuell bedömning."
        ),
    },
    {
        "forvaltning": SOCIAL,
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
        "rangordning": 10,
        "situation": (
            "Förvaltningens chefer har i snitt 38 medarbetare och begränsat stöd i "
            "rehabiliteringsärenden och arbetsrättsliga frågor. Sjukfrånvaron är 9,1 procent."
        ),
        "atgard": (
            "Anlita en HR-konsult på halvtid under två år, medan den centrala HR-funktionen "
            "byggs ut."
        ),
        "jamforelsealternativ": "Stöd från den centrala HR-enheten i nuvarande omfattning.",
        "konsekvensanalys": "Chefer får mindre stöd i personalfrågor.",
        "kommentar": "Tidsbegränsad insats under två år, därför ingen kostnad år 3.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    {
        "forvaltning": SOCIAL,
        "item": "Uppsökande verksamhet för äldre",
        "title": "Ensamma äldre i ordinärt boende + uppsökande verksamhet med träffpunkter",
        "fokusomrade": "Folkhälsa och trygghet",
        "verksamhetsomrade": "Äldreomsorg",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Ambitionsökning",
        "costs": (1100, 1100, 1100),
        "scales": (S.MYCKET_STOR, G.MATTLIG, G.STOR, K.MATTLIG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 3,
        "situation": (
            "Ensamma äldre i ordinärt boende. Omkring 1 400 personer över 80 år bor i eget "
            "boende, och var tredje av dem som har hemtjänst uppger att de ofta känner sig "
            "ensamma. Ensamhet ökar risken för depression, fall och tidigare behov av "
            "särskilt boende."
        ),
        "atgard": (
            "Uppsökande verksamhet med träffpunkter: förebyggande hembesök hos alla som "
            "fyller 80 år och tre träffpunkter med öppen verksamhet och gemensamma måltider, "
            "i samverkan med pensionärsorganisationerna."
        ),
        "jamforelsealternativ": (
            "Nuvarande läge: en träffpunkt i centrum och inga förebyggande hembesök."
        ),
        "konsekvensanalys": (
            "Fler äldre blir isolerade, med risk för ohälsa och tidigare behov av hemtjänst "
            "och särskilt boende."
        ),
        "kommentar": (
            "Effekten av förebyggande hembesök är måttligt belagd; insatsen följs upp efter två år."
        ),
        "etik": (F, F, F),
        "etik_kommentar": (
            "Hembesöken erbjuds alla som fyller 80 år, oavsett om de har insatser i dag."
        ),
    },
    {
        "forvaltning": SOCIAL,
        "item": "Kombinationstjänster och karriärvägar i hemtjänsten",
        "title": "Hög personalomsättning i hemtjänsten + kombinationstjänster och karriärvägar",
        "fokusomrade": "Kompetensförsörjning",
        "verksamhetsomrade": "Äldreomsorg",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Arbetskraftsbrist",
        "effekt_pa_sikt": "Kompetensförsörjning",
        "costs": (900, 900, 900),
        "scales": (S.STOR, G.MATTLIG, G.MATTLIG, K.MATTLIG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Attraktiv arbetsgivare"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 5,
        "situation": (
            "Hög personalomsättning i hemtjänsten: 22 procent 2025. Var tredje timanställd "
            "slutar inom ett år, vilket ger sämre kontinuitet för brukarna och höga "
            "kostnader för introduktion."
        ),
        "atgard": (
            "Kombinationstjänster och karriärvägar: heltidstjänster som kombinerar hemtjänst "
            "och särskilt boende, specialistundersköterskor och ett introduktionsprogram."
        ),
        "jamforelsealternativ": "Nuvarande bemanning med en stor andel timanställda.",
        "konsekvensanalys": (
            "Fortsatt hög omsättning, fler vikarier och sämre kontinuitet för brukarna."
        ),
        "kommentar": (
            "Kostnaden avser utbildning av specialistundersköterskor och merkostnaden för "
            "heltidstjänster."
        ),
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    # Tekniska förvaltningen (returned)
    {
        "forvaltning": TEKNIK,
        "item": "Sänkt temp i vissa lokaler",
        "title": "Sänkt temp i vissa lokaler",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Fastighet",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.RANSONERING,
        "ransonering_kind": RansoneringKind.STRUKTUR,
        "ransonering_detail": RansoneringDetail.UTRUSTNING_LOKALER,
        "orsak": "Besparing",
        "effekt_pa_sikt": "Ska utvärderas",
        "costs": (-450, -450, -450),
        "scales": (S.LITEN, G.LITEN, G.LITEN, K.HOG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.LITEN,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 9,
        "situation": (
            "Energikostnaderna i kommunens lokaler har ökat med 30 procent på två år. "
            "Inomhustemperaturen i kontor, idrottshallar och förråd är i dag 21–22 grader."
        ),
        "atgard": (
            "Sänka inomhustemperaturen med två grader i kontor, idrottshallar och förråd. "
            "Förskolor, skolor och särskilda boenden undantas."
        ),
        "jamforelsealternativ": "Nuvarande temperatur, 21–22 grader.",
        "konsekvensanalys": "Något sämre komfort i lokalerna.",
        "kommentar": "Besparingen bygger på energipriset 2026 och kan variera.",
        "etik": (F, R, F),
        "etik_kommentar": (
            "Besökare med funktionsnedsättning kan påverkas i idrottshallar och andra "
            "publika lokaler; undantag prövas lokal för lokal."
        ),
    },
    {
        "forvaltning": TEKNIK,
        "item": "Obrukbar fotbollsplan: sportarena",
        "title": "Obrukbar fotbollsplan + sportarena",
        "fokusomrade": "Tillväxt",
        "verksamhetsomrade": "Fastighet",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.INVESTERING,
        "orsak": "Eftersatt underhåll",
        "effekt_pa_sikt": "Ambitionsökning",
        "costs": (10000, 10000, 100, 700),
        "cost_per_year": (2000, 2500),
        "scales": (S.MYCKET_STOR, G.MYCKET_STOR, G.MYCKET_STOR, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.STOR,
        "mal": ["Hållbar samhällsutveckling", "Trygg uppväxt för barn och unga"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 2,
        "situation": (
            "Obrukbar fotbollsplan: gräsplanen på idrottsplatsen har stängts efter "
            "dräneringsskador. Tolv föreningslag och skolornas idrottsundervisning saknar "
            "plan, och kommunen har ingen inomhusarena för vinterträning."
        ),
        "atgard": (
            "Bygga en sportarena med fullstor konstgräsplan under tak, omklädningsrum och "
            "läktare för 500 personer, som kan användas året runt av föreningar, skolor och "
            "för evenemang."
        ),
        "jamforelsealternativ": (
            "Ny fotbollsplan utomhus, se förslaget Obrukbar fotbollsplan + ny fotbollsplan."
        ),
        "konsekvensanalys": (
            "Föreningar och skolor saknar fortsatt plan. Barn och unga förlorar träningstider, "
            "och fler slutar med idrott."
        ),
        "kommentar": "Driftkostnaderna är preliminära.",
        "etik": (F, F, F),
        "etik_kommentar": "Arenan är tillgänglighetsanpassad och öppen för alla föreningar.",
    },
    {
        "forvaltning": TEKNIK,
        "item": "Obrukbar fotbollsplan: ny fotbollsplan",
        "title": "Obrukbar fotbollsplan + ny fotbollsplan",
        "fokusomrade": "Grunduppdrag",
        "verksamhetsomrade": "Fastighet",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.INVESTERING,
        "orsak": "Eftersatt underhåll",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (5000, 5000, 50, 300),
        "cost_per_year": (1000, 1500),
        "scales": (S.MYCKET_STOR, G.STOR, G.MATTLIG, K.MATTLIG),
        "kunskapsunderlag": U.GOD,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Trygg uppväxt för barn och unga"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 4,
        "situation": (
            "Obrukbar fotbollsplan: gräsplanen på idrottsplatsen har stängts efter "
            "dräneringsskador. Tolv föreningslag och skolornas idrottsundervisning saknar "
            "plan."
        ),
        "atgard": "Anlägga en ny fullstor konstgräsplan med belysning på samma plats.",
        "jamforelsealternativ": (
            "Sportarena med plan under tak, se förslaget Obrukbar fotbollsplan + sportarena."
        ),
        "konsekvensanalys": (
            "Föreningar och skolor saknar fortsatt plan. Barn och unga förlorar träningstider."
        ),
        "kommentar": "Planen kan inte användas när det ligger snö.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    {
        "forvaltning": TEKNIK,
        "item": "Utbyggnad av cykelväg A",
        "title": "Brist på cykelväg A + utbyggnad A",
        "fokusomrade": "Hållbar infrastruktur",
        "verksamhetsomrade": "Gata och park",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.INVESTERING,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Ambitionsökning",
        "costs": (4500, 3000, 0, 0),
        "cost_per_year": (700, 1000),
        "scales": (S.MATTLIG, G.MATTLIG, G.MATTLIG, K.MATTLIG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.MATTLIG,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 5,
        "situation": (
            "Brist på cykelväg A: mellan bostadsområde A och centrum saknas separerad "
            "cykelväg. Skolbarn cyklar 2,4 kilometer längs en landsväg med 70 km/tim."
        ),
        "atgard": "Bygga ut en separerad och belyst gång- och cykelväg på hela sträckan.",
        "jamforelsealternativ": "Nuvarande läge.",
        "konsekvensanalys": "Fortsatt otrygg skolväg, och fler föräldrar skjutsar med bil.",
        "kommentar": "Statlig medfinansiering har sökts men inte beviljats.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    {
        "forvaltning": TEKNIK,
        "item": "Utbyggnad av parkering B",
        "title": "Brist på parkeringsplats B + utbyggnad B",
        "fokusomrade": "Hållbar infrastruktur",
        "verksamhetsomrade": "Gata och park",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.INVESTERING,
        "orsak": "Volym/Demografi",
        "effekt_pa_sikt": "Ska utvärderas",
        "costs": (0, 0, 3000, 600),
        "cost_per_year": (500, 800),
        "scales": (S.LITEN, G.MATTLIG, G.LITEN, K.LAG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.LITEN,
        "mal": ["Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 9,
        "situation": (
            "Brist på parkeringsplats B: de 120 platserna vid resecentrum B är fullbelagda "
            "vardagar, och pendlare parkerar på gatan."
        ),
        "atgard": "Bygga ut parkeringen vid resecentrum B med 80 platser, varav tio med laddning.",
        "jamforelsealternativ": (
            "Nuvarande parkering och hänvisning till infartsparkeringen en kilometer bort."
        ),
        "konsekvensanalys": "Fortsatt gatuparkering och störningar för de boende.",
        "kommentar": "Utbyggnaden samordnas med detaljplanen för kvarteret B år 3.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    # Samhällsbyggnadsförvaltningen (submitted)
    {
        "forvaltning": SAMHALLSBYGGNAD,
        "item": "Kortare handläggningstider",
        "title": (
            "Långa handläggningstider för bygglov + digital ansökan med automatisk komplettering"
        ),
        "fokusomrade": "Digitalisering",
        "verksamhetsomrade": "Bygglov och lantmäteri",
        "malomrade": Malomrade.SAMHALLE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Ökad arbetsvolym",
        "effekt_pa_sikt": "Effektivisering",
        "costs": (650, 250, 250),
        "scales": (S.STOR, G.STOR, G.STOR, K.HOG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.STOR,
        "mal": ["Trygg och tillgänglig service", "Hållbar samhällsutveckling"],
        "effekt_framst_for": EffektFramstFor.SAMHALLET,
        "rangordning": 2,
        "situation": (
            "Långa handläggningstider för bygglov: i snitt nio veckor 2025, och var tredje "
            "ansökan måste kompletteras. Tidsfristen på tio veckor överskrids i 15 procent "
            "av ärendena, och då sätts avgiften ned."
        ),
        "atgard": (
            "Digital ansökan med automatisk komplettering: en e-tjänst som kontrollerar att "
            "ansökan är komplett innan den skickas in och begär in det som saknas."
        ),
        "jamforelsealternativ": "Ansökan på blankett eller via e-post, med manuell komplettering.",
        "konsekvensanalys": (
            "Fortsatt långa handläggningstider och sänkta avgifter när tidsfristen överskrids."
        ),
        "kommentar": "År 1 avser införande, därefter licens.",
        "etik": (F, F, F),
        "etik_kommentar": "Ansökan på papper finns kvar för den som inte kan använda e-tjänsten.",
    },
    {
        "forvaltning": SAMHALLSBYGGNAD,
        "item": "Förbättrad tillgänglighet",
        "title": "Låg telefontillgänglighet + utökade telefontider",
        "fokusomrade": "Tillgänglighet och bemötande",
        "verksamhetsomrade": "Bygglov och lantmäteri",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.NYA_BEHOV,
        "orsak": "Ökad arbetsvolym",
        "effekt_pa_sikt": "Bibehålla kvalitet",
        "costs": (400, 400, 400),
        "scales": (S.LITEN, G.LITEN, G.LITEN, K.LAG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.LITEN,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 9,
        "situation": (
            "Låg telefontillgänglighet: bygglovsenheten har telefontid en timme per dag, och "
            "35 procent av dem som ringde kom inte fram vid kommunens mätning."
        ),
        "atgard": (
            "Utökade telefontider: telefontid två timmar varje förmiddag, med en extra "
            "handläggare på deltid."
        ),
        "jamforelsealternativ": "Nuvarande telefontid, en timme per dag.",
        "konsekvensanalys": "Invånare och företag har fortsatt svårt att nå en handläggare.",
        "kommentar": "Ett gemensamt servicecenter kan på sikt ta de enklare frågorna.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    {
        "forvaltning": SAMHALLSBYGGNAD,
        "item": "Effektivisering genom e-tjänster",
        "title": "Ambitionsökning, mynd.utövning intern service",
        "fokusomrade": "Tillväxt",
        "verksamhetsomrade": "Bygglov och lantmäteri",
        "malomrade": Malomrade.ORGANISATION,
        "typ": ProposalType.EFFEKTIVISERING,
        "orsak": "Ökad arbetsvolym",
        "effekt_pa_sikt": "Ska utvärderas",
        "costs": (-300, -300, -300),
        "scales": (S.LITEN, G.LITEN, G.LITEN, K.MATTLIG),
        "kunskapsunderlag": U.LAG,
        "maluppfyllelse": G.LITEN,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.ORGANISATIONEN,
        "rangordning": 8,
        "situation": (
            "Ärendevolymerna inom bygglov och lantmäteri ökar med tillväxten, samtidigt som "
            "handläggarna lägger en stor del av sin tid på intern service till andra "
            "förvaltningar, som remissvar och kartunderlag."
        ),
        "atgard": (
            "Effektivisera myndighetsutövningen med e-tjänster för enklare ärenden och "
            "begränsa den interna servicen till det som krävs, så att en halv tjänst kan "
            "avvecklas vid naturlig avgång."
        ),
        "jamforelsealternativ": "Nuvarande arbetssätt och bemanning.",
        "konsekvensanalys": "Längre handläggningstider för enklare ärenden.",
        "kommentar": "Effekten utvärderas efter ett år.",
        "etik": (F, F, F),
        "etik_kommentar": "Inga risker för särbehandling har identifierats.",
    },
    {
        "forvaltning": SAMHALLSBYGGNAD,
        "item": "Minska allmän rådgivning",
        "title": "Minska allmän rådgivning",
        "fokusomrade": "Tillgänglighet och bemötande",
        "verksamhetsomrade": "Bygglov och lantmäteri",
        "malomrade": Malomrade.INVANARE,
        "typ": ProposalType.RANSONERING,
        "ransonering_kind": RansoneringKind.PROCESS,
        "ransonering_detail": RansoneringDetail.TIDSRANSONERING,
        "orsak": "Besparing",
        "effekt_pa_sikt": "Ska utvärderas",
        "costs": (-250, -250, -250),
        "scales": (S.LITEN, G.LITEN, G.LITEN, K.MATTLIG),
        "kunskapsunderlag": U.MATTLIG,
        "maluppfyllelse": G.LITEN,
        "mal": ["Trygg och tillgänglig service"],
        "effekt_framst_for": EffektFramstFor.INDIVIDEN,
        "rangordning": 9,
        "situation": (
            "Bygglovsenheten ger allmän rådgivning utan tidsbokning, i telefon och vid "
            "besök. Rådgivningen tar omkring 20 procent av handläggarnas tid."
        ),
        "atgard": (
            "Ge allmän rådgivning på bokade tider två dagar i veckan och hänvisa enklare "
            "frågor till vägledningar på webben."
        ),
        "jamforelsealternativ": "Nuvarande rådgivning utan tidsbokning.",
        "konsekvensanalys": (
            "Invånare får vänta längre på rådgivning, och risken ökar för ofullständiga "
            "ansökningar."
        ),
        "kommentar": "Genomförs tillsammans med den digitala ansökan.",
        "etik": (F, F, F),
        "etik_kommentar": (
            "Den som inte kan använda webben får fortfarande personlig rådgivning på bokad tid."
        ),
    },
]


# The phases round 2027 can be loaded in (``load_demo --phase``), by the
# command's word for each.
PHASES = {
    "analys": Phase.VERKSAMHETSANALYS,
    "namnd": Phase.NAMND,
    "forum": Phase.FORUM,
    "beslut": Phase.BESLUT,
}
DEFAULT_PHASE = "forum"

# How many days earlier the round's deadlines lie for each phase it has moved
# past the verksamhetsanalys: the current phase's deadline stays ahead, the
# earlier ones have passed.
DAYS_PER_PHASE = 35


def deadlines_for(phase: int, today: datetime.date) -> dict[int, datetime.date]:
    """Each phase's deadline for the round loaded in ``phase``."""
    shift = DAYS_PER_PHASE * (phase - Phase.VERKSAMHETSANALYS)
    return {
        each: today + datetime.timedelta(days=days - shift) for each, days in DEADLINE_DAYS.items()
    }


@transaction.atomic
def load_demo_round(kommun: Kommun, users: dict[str, User], phase: str = DEFAULT_PHASE) -> Round:
    """Round 2027 of the demo, in ``phase`` (a key of PHASES) with the work of
    the earlier phases done. An existing round for 2027 is returned as it is,
    whatever its phase."""
    to_phase = PHASES[phase]
    existing = Round.objects.filter(kommun=kommun, budget_year=DEMO_YEAR).first()
    users = ensure_round_users(kommun, users)
    if existing is not None:
        return existing
    controller = users["controller"]
    deadlines = deadlines_for(to_phase, timezone.localdate())

    # 1. The round, set up by the controller.
    round = create_round(
        kommun,
        budget_year=DEMO_YEAR,
        by=controller,
        purpose=Purpose.NYA,
        frame_tkr=FRAME_TKR,
        instructions=instructions(deadlines),
    )
    for forutsattning in round.forutsattningar.all():
        forutsattning.text = FORUTSATTNINGAR.get(forutsattning.kind, "")
        if forutsattning.text:
            save_as(forutsattning, controller)
    name_forum_members(round, users, controller)
    if to_phase == Phase.VERKSAMHETSANALYS:
        # Later phases set them once the analyses are in (round_2027_ranking):
        # a passed deadline closes the analyses for work.
        set_deadlines(round, deadlines, by=controller)

    # 2. The lists: the defaults plus what Exempelkommun's proposals use.
    for kind, names in EXTRA_LISTS.items():
        start = round.list_items.filter(kind=kind).count()
        for position, name in enumerate(names, start=start):
            save_as(ListItem(round=round, kind=kind, name=name, position=position), controller)
    lists = {(item.kind, item.name): item for item in round.list_items.all()}

    round = move_phase(round, to_phase=Phase.VERKSAMHETSANALYS, by=controller)

    # 3. Each förvaltning's grid, written by its staff.
    analyses = {
        analysis.forvaltning.name: analysis
        for analysis in Analysis.objects.filter(round=round).select_related(
            "round", "forvaltning__namnd"
        )
    }
    items: dict[tuple[str, str], AnalysisItem] = {}
    for forvaltning, grid in GRIDS.items():
        author = users[AUTHORS[forvaltning]]
        for perspektiv, cells in grid.items():
            for column, texts in zip(AnalysisColumn.values, cells, strict=True):
                for text in texts:
                    items[(forvaltning, text)] = add_item(
                        analyses[forvaltning],
                        perspektiv=lists[(ListKind.PERSPEKTIV, perspektiv)],
                        column=column,
                        text=text,
                        by=author,
                    )

    # 4. The proposals, numbered in this order, each from its analysis item.
    # Two were carried over from round 2026's follow-up by the controller, and
    # the förvaltning then wrote them up for the new year.
    for row in PROPOSALS:
        forvaltning = row["forvaltning"]
        author = users[AUTHORS[forvaltning]]
        item = items[(forvaltning, row["item"])]
        goals = [lists[(ListKind.POLITISKT_MAL, name)] for name in row["mal"]]
        fields = {
            "analysis_item": item,
            "perspektiv": item.perspektiv,
            **proposal_fields(row, lists),
        }
        origin = carried_origin(row["title"])
        if origin is not None:
            proposal = carry_over(origin, by=controller, reason=CARRIED[row["title"]])
            for name, value in fields.items():
                setattr(proposal, name, value)
            save_proposal(proposal, by=author, expected_version=proposal.version, goals=goals)
            continue
        proposal = create_proposal(analyses[forvaltning], by=author, **fields)
        set_m2m_as(proposal, "mal", goals, author)
    written_up = {row["title"] for row in PROPOSALS}
    for title, reason in CARRIED.items():
        origin = carried_origin(title)
        if title not in written_up and origin is not None:
            carry_over(origin, by=controller, reason=reason)  # as carried, not yet written up

    # 5. Where each analysis stands: submitted by its chef, one returned.
    for forvaltning, status in WORKFLOW.items():
        if status == AnalysisStatus.DRAFT:
            continue
        analysis = submit_analysis(analyses[forvaltning], by=users[CHEFS[forvaltning]])
        if status == AnalysisStatus.RETURNED:
            return_analysis(analysis, by=controller, comment=RETURN_COMMENT)

    # 6. On to the phase asked for, with the work of the phases before it done.
    if to_phase != Phase.VERKSAMHETSANALYS:
        round_2027_ranking.carry_on(round, users, to_phase, deadlines)
    return Round.objects.get(pk=round.pk)


# (singular, plural) for the command's output.
STATUS_WORDS = {
    AnalysisStatus.DRAFT: ("utkast", "utkast"),
    AnalysisStatus.SUBMITTED: ("inlämnad", "inlämnade"),
    AnalysisStatus.RETURNED: ("återlämnad", "återlämnade"),
}


def describe_round(round: Round) -> str:
    """One line for the command's output: where the demo round stands."""
    statuses = [analysis.status for analysis in round.analyses.all()]
    counts = ", ".join(
        f"{n} {STATUS_WORDS[status][n != 1]}"
        for status in AnalysisStatus.values
        if (n := statuses.count(status))
    )
    frame = f"{round.frame_tkr:,}".replace(",", " ")
    line = (
        f"Prioriteringsomgång {round.budget_year} i fasen {round.phase_label}: "
        f"{len(statuses)} verksamhetsanalyser ({counts}), "
        f"{round.proposals.count()} förslag, ekonomiskt utrymme {frame} tkr."
    )
    start = START.get(round.phase)
    return f"{line}\n{start.format(year=round.budget_year)}" if start else line


# Who can start at once in each phase the demo loads, and where (the line
# after describe_round's first).
START = {
    Phase.VERKSAMHETSANALYS: (
        "Börja som tjp-bildning: Bildningsförvaltningens verksamhetsanalys är ett utkast."
    ),
    Phase.NAMND: (
        "Börja som ledamot-bildning: ingen nämnd har rangordnat än (/omgangar/{year}/namnder/)."
    ),
    Phase.FORUM: (
        "Börja som forum-1: tre av fem forumdeltagare har rangordnat, forum-1 inte än "
        "(/omgangar/{year}/forum/mitt-ark/, mötet: /omgangar/{year}/forum/mote/)."
    ),
    Phase.BESLUT: (
        "Börja som controller: forumets ordning är registrerad, besluten återstår "
        "(/omgangar/{year}/forum/beslut/)."
    ),
}
