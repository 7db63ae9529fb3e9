"""The demo's follow-up: round 2026 is carried out and followed up through
the year, and what it left unfinished is carried into round 2027.

The controller moves round 2026 to Genomförande och uppföljning and sets its
periods; each förvaltning reports on its decided proposals for Tertial 1 and
Delår. Most go to plan; Bostad först could only start with three of its five
flats (a larger deviation, with measures), the förskola's new unit opened late
and the digital night checks save less than decided (smaller deviations). The
Delår report on elevhälsan is not in although its last day has passed, and the
skyfall mapping's Delår report is still a draft. Four of the decided proposals
are recorded as taken into their nämnd's verksamhetsplan and budget (one also
into the internkontrollplan); the rest are not yet (genomförande).

Round 2027 is loaded after this: the controller carries Bostad först and the
swimming-hall study (Utreds vidare) into it, and the förvaltningar then write
them up for the new year (``demo.round_2027``).

The dates are relative to the day the demo is loaded, as the rounds' are.
``load_demo_follow_up()`` is idempotent: a round 2026 already in follow-up is
left as it is.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from demo.round_2026 import YEAR
from followup.models import FollowUpPeriod, PeriodKind, Progress
from followup.services import (
    record_implementation,
    report_for,
    save_report,
    set_periods,
    submit_report,
)
from prioritering.access import may
from rounds.models import Grad, Phase, Proposal, Round, User
from rounds.services.round import move_phase

# Each period's last day, in days from the day the demo is loaded.
PERIOD_DAYS = {PeriodKind.TERTIAL_1: -190, PeriodKind.DELAR: -70, PeriodKind.ARSBOKSLUT: 80}

# Who writes the reports of each förvaltning's proposals, and who hands them in.
REPORTERS = {
    "Bildningsförvaltningen": ("tjp-bildning", "chef-bildning"),
    "Socialförvaltningen": ("tjp-social", "chef-social"),
    "Kommunledningsförvaltningen": ("chef-klf", "chef-klf"),
    "Tekniska förvaltningen": ("chef-teknik", "chef-teknik"),
    "Samhällsbyggnadsförvaltningen": ("chef-samhallsbyggnad", "chef-samhallsbyggnad"),
}

# (title) -> {period: (progress, cost outcome tkr, effect, effect text, deviation, measures)}
# or None for a report that is not in. A report marked "draft" is saved, not submitted.
REPORTS = {
    "Bostadsförsörjning missbrukare": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            150,
            Grad.LITEN,
            "Två lägenheter är inflyttade och boendestödet är bemannat.",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.STORRE_AVVIKELSE,
            260,
            Grad.LITEN,
            "Tre personer bor i egen lägenhet med stöd; ingen har förlorat sitt boende.",
            "Bostadsbolaget har bara kunnat ställa tre av de fem lägenheterna till förfogande, "
            "så piloten når färre personer än beslutat och har kostat mindre än budgeterat. "
            "Två personer väntar på lägenhet i akutboende.",
            "Förvaltningen föreslår ett avtal med ytterligare en hyresvärd och att Bostad först "
            "tas upp på nytt i omgången 2027 med en plan för tio lägenheter, grundad på "
            "utvärderingen av de första månaderna.",
        ),
    },
    "Utökad hemtjänst nattetid": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            470,
            Grad.STOR,
            "Nattpatrullen är utökad med ett team; väntetiden på larm har halverats.",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.ENLIGT_PLAN,
            930,
            Grad.STOR,
            "Väntetiden på larm nattetid är i snitt 18 minuter, mot 35 före utökningen.",
            "",
            "",
        ),
    },
    "Digital fjärrtillsyn nattetid": {
        PeriodKind.TERTIAL_1: (
            Progress.EJ_PABORJAD,
            0,
            None,
            "",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.MINDRE_AVVIKELSE,
            -120,
            Grad.MATTLIG,
            "Tjugotvå brukare har fjärrtillsyn med kamera; de flesta är nöjda med att slippa "
            "bli väckta.",
            "Upphandlingen av kameror tog längre tid än planerat, och fjärrtillsynen började "
            "först i maj. Besparingen blir därför mindre än beslutat i år.",
            "Fler brukare erbjuds fjärrtillsyn under hösten; besparingen för helåret bedöms "
            "bli 250 tkr i stället för 350 tkr.",
        ),
    },
    "Fler platser i förskola": {
        PeriodKind.TERTIAL_1: (
            Progress.MINDRE_AVVIKELSE,
            520,
            Grad.MATTLIG,
            "Två nya avdelningar har öppnat i befintliga lokaler.",
            "Den nya paviljongen i A blev klar sex veckor senare än planerat.",
            "Barnen placeras tillfälligt på två andra förskolor; paviljongen tas i bruk i juni.",
        ),
        PeriodKind.DELAR: (
            Progress.MINDRE_AVVIKELSE,
            1450,
            Grad.STOR,
            "Alla barn i kön har fått plats inom fyra månader sedan juni.",
            "Paviljongen öppnade i juni, två månader sent; kostnaden ligger under budget.",
            "Ingen ytterligare åtgärd; förvaltningen följer barnantalet inför hösten.",
        ),
    },
    "Ökad bemanning elevhälsa": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            360,
            Grad.MATTLIG,
            "Två kuratorer är anställda; väntetiden till kurator har gått från fem till två "
            "veckor.",
            "",
            "",
        ),
        PeriodKind.DELAR: None,  # not in: the browser test and the demo's late report
    },
    "Säkerhetssamordnare, informationssäkerhet och krisberedskap": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            240,
            Grad.MATTLIG,
            "Säkerhetssamordnaren började i februari och har tagit fram en plan för krisberedskap.",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.ENLIGT_PLAN,
            560,
            Grad.STOR,
            "Krisledningsövning genomförd i maj; informationssäkerhetspolicyn är antagen.",
            "",
            "",
        ),
    },
    "Samordnade inköp": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            -180,
            Grad.MATTLIG,
            "Avtalstroheten är 82 procent, mot målet 85.",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.GENOMFORD,
            -420,
            Grad.STOR,
            "Alla förvaltningar beställer genom de gemensamma avtalen; avtalstroheten är 88 "
            "procent.",
            "",
            "",
        ),
    },
    "Förstärkt miljötillsyn": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            210,
            Grad.MATTLIG,
            "Inspektören är på plats; tillsynsskulden har minskat med 40 objekt.",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.ENLIGT_PLAN,
            440,
            Grad.STOR,
            "Tillsynsplanen följs; avgifterna täcker en tredjedel av kostnaden.",
            "",
            "",
        ),
    },
    "Skyfallskartering för detaljplaner": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            90,
            Grad.MATTLIG,
            "Konsulten är upphandlad och karteringen har börjat.",
            "",
            "",
        ),
        PeriodKind.DELAR: "draft",
    },
    "Sänkt temperatur i vissa lokaler": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            -210,
            Grad.MATTLIG,
            "Temperaturen är sänkt en grad i förvaltningsbyggnader, idrottshallar och förråd.",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.GENOMFORD,
            -330,
            Grad.MATTLIG,
            "Energiförbrukningen är sju procent lägre än samma period förra året.",
            "",
            "",
        ),
    },
    "Underhåll av gång- och cykelvägar": {
        PeriodKind.TERTIAL_1: (
            Progress.EJ_PABORJAD,
            0,
            None,
            "",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.ENLIGT_PLAN,
            610,
            Grad.MATTLIG,
            "Gång- och cykelvägarna vid fyra skolor och två äldreboenden är åtgärdade.",
            "",
            "",
        ),
    },
    # Kept within their nämnd's frame: the nämnd's own decisions, followed up too.
    "Sommarskola för elever som saknar betyg": {
        PeriodKind.TERTIAL_1: (
            Progress.EJ_PABORJAD,
            0,
            None,
            "",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.GENOMFORD,
            410,
            Grad.STOR,
            "Sommarskolan hölls i tre veckor med 46 elever; 31 av dem nådde godkänt betyg i "
            "det ämne de läste.",
            "",
            "",
        ),
    },
    "Digitalisering av bygglovsarkivet": {
        PeriodKind.TERTIAL_1: (
            Progress.ENLIGT_PLAN,
            140,
            Grad.LITEN,
            "Skanningen är upphandlad; handlingarna från 1950–1970 är inskannade.",
            "",
            "",
        ),
        PeriodKind.DELAR: (
            Progress.ENLIGT_PLAN,
            330,
            Grad.MATTLIG,
            "Två tredjedelar av arkivet är sökbart i kartsystemet; väntetiden på ritningar är "
            "nere i en dag.",
            "",
            "",
        ),
    },
}

# The skyfall mapping's Delår draft: begun, not handed in.
DRAFT = {
    "progress": Progress.ENLIGT_PLAN,
    "cost_outcome_tkr": 210,
    "effect_achieved": None,
    "effect_text": "",
    "deviation": "",
    "measures": "",
}

# Genomförande: where the decided proposals were taken into their nämnd's
# verksamhetsplan, budget and internkontrollplan, recorded by the förvaltning
# (or the controller). The budget is kommunfullmäktige's in November, the
# verksamhetsplaner the nämnder's in December, the internkontrollplaner in
# January (days from the day the demo is loaded). The others have nothing
# recorded yet: the overview says "Saknas".
BUDGET_DAY, VP_DAY, IKP_DAY = -380, -355, -330
IMPLEMENTATIONS = {
    "Utökad hemtjänst nattetid": (
        "tjp-social",
        {
            "vp": "VP 2026 Socialnämnden avsnitt 3.1",
            "budget": "KF § 112",
            "ikp": "IKP 2026 Socialnämnden punkt 4",
        },
        "",
    ),
    "Bostadsförsörjning missbrukare": (
        "tjp-social",
        {"vp": "VP 2026 Socialnämnden avsnitt 3.4", "budget": "KF § 112"},
        "Tas in i internkontrollplanen när avtalet med bostadsbolaget är klart.",
    ),
    "Fler platser i förskola": (
        "tjp-bildning",
        {"vp": "VP 2026 Bildningsnämnden avsnitt 2.2", "budget": "KF § 112"},
        "",
    ),
    "Samordnade inköp": (
        "controller",
        {"vp": "VP 2026 Kommunstyrelsen avsnitt 5.1"},
        "",
    ),
}
PART_DAYS = {"vp": VP_DAY, "budget": BUDGET_DAY, "ikp": IKP_DAY}
IMPLEMENTERS = {username for username, _references, _comment in IMPLEMENTATIONS.values()}

# Carried into round 2027 by the controller, with why.
CARRIED = {
    "Bostadsförsörjning missbrukare": (
        "Delår 2026: Större avvikelse. Piloten fick tre av fem lägenheter. Beslutet 2026 "
        "sade att en utökning till tio lägenheter prövas i omgången 2027, när det finns en "
        "första utvärdering."
    ),
    "Ny simhall, förstudie": (
        "Beslutet 2026 blev Utreds vidare. Utredningen om ett samarbete med grannkommunen "
        "är klar och förstudien föreslås på nytt inför investeringsplanen."
    ),
}


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


@transaction.atomic
def load_demo_follow_up() -> None:
    """Follow round 2026 up through Tertial 1 and Delår. (Round 2027, loaded
    next, carries two of its proposals over: see ``carried_origin``.)"""
    round = Round.objects.filter(budget_year=YEAR).first()
    if round is None or round.phase != Phase.BESLUT:
        return
    names = {"controller", *(name for pair in REPORTERS.values() for name in pair)}
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    controller = users["controller"]
    today = timezone.localdate()
    round = move_phase(round, to_phase=Phase.UPPFOLJNING, by=controller)
    set_periods(
        round,
        {kind: today + datetime.timedelta(days=days) for kind, days in PERIOD_DAYS.items()},
        by=controller,
    )
    periods = {period.kind: period for period in FollowUpPeriod.objects.filter(round=round)}
    proposals = {
        proposal.title: proposal
        for proposal in Proposal.objects.filter(round=round).select_related(
            "analysis__forvaltning", "analysis__round", "round"
        )
    }
    for kind in (PeriodKind.TERTIAL_1, PeriodKind.DELAR):
        period = periods[kind]
        handed_in = _at(period.deadline - datetime.timedelta(days=3))
        for title, reports in REPORTS.items():
            proposal = proposals[title]
            writer, chef = REPORTERS[proposal.analysis.forvaltning.name]
            entry = reports[kind]
            if entry is None:
                continue
            fields = DRAFT
            if entry != "draft":
                progress, cost, effect, effect_text, deviation, measures = entry
                fields = {
                    "progress": progress,
                    "cost_outcome_tkr": cost,
                    "effect_achieved": effect,
                    "effect_text": effect_text,
                    "deviation": deviation,
                    "measures": measures,
                }
            report = save_report(
                report_for(period, proposal), fields, by=users[writer], expected_version=None
            )
            if entry != "draft":
                submit_report(report, by=users[chef], now=handed_in)
    _record_implementations(proposals, today)


def _record_implementations(proposals: dict, today: datetime.date) -> None:
    users = {user.username: user for user in User.objects.filter(username__in=IMPLEMENTERS)}
    for title, (username, references, comment) in IMPLEMENTATIONS.items():
        fields = {"comment": comment}
        for part, days in PART_DAYS.items():
            reference = references.get(part, "")
            fields[f"{part}_date"] = today + datetime.timedelta(days=days) if reference else None
            fields[f"{part}_reference"] = reference
        record_implementation(proposals[title], fields, by=users[username], expected_version=None)


def carried_origin(title: str) -> Proposal | None:
    """The round-2026 proposal that round 2027's proposal ``title`` carries
    over, when the demo carries it and the controller may carry it now."""
    if title not in CARRIED:
        return None
    origin = (
        Proposal.objects.filter(round__budget_year=YEAR, title=title, carried_into__isnull=True)
        .select_related("round", "analysis__round")
        .first()
    )
    controller = User.objects.filter(username="controller").first()
    if origin is None or controller is None:
        return None
    return origin if may(controller, "carry_over_proposal", origin) else None
