"""The model's guidance, in the source's own words (Krevers & Bäckman,
*Modell för prioriteringsarbete i kommuner*, Rapport 2023:1, Prioriteringscentrum).

One module holds every piece, as gettext strings, so that each is said once
and translated once, and appears where it is used:

- a new round's instructions start from :func:`model_instructions` (the five
  questions, the three ethical principles, full financing / ransonering /
  effektivisering kept apart, the kinds of ransonering, the questions for
  ransonering and effektivisering, the alternativkostnad);
- the grid's fourth column shows :data:`RANSONERING_QUESTIONS` and
  :data:`EFFEKTIVISERING_QUESTIONS`;
- the proposal form shows :data:`RANSONERING_DEFINITIONS` beside the kind of
  ransonering, and the round's best and worst conceivable state per målområde
  (:func:`states_of`) beside svårighetsgrad;
- the budget line shows :data:`ALTERNATIVKOSTNAD`.

The best and worst conceivable states are the round's own: the source gives
them as *examples* ("Exempel på mål inom olika områden") for the municipality to
describe, so a round starts from :data:`DEFAULT_STATES` (the source's example
wording) and the controller edits them in the round's settings.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rounds.formatting import render_instructions
from rounds.models import AnalysisColumn, Malomrade, RansoneringKind, Round

FIVE_QUESTIONS = (
    _(
        "Hur **svår** är situationen som behöver åtgärdas i förhållande till gällande **mål** "
        "och **lagar**?"
    ),
    _("Vilken **nytta** ger den planerade åtgärden i förhållande till gällande mål och lagar?"),
    _("Hur mycket **resurser** krävs?"),
    _("Är det **rimligt** att använda dessa resurser för att uppnå denna grad av nytta?"),
    _(
        "Är det rimligt att använda resurserna för den planerade åtgärden, **jämfört med annat** "
        "som nu inte går att genomföra (förlorad nytta; alternativkostnad)?"
    ),
)
FIVE_QUESTIONS_CAVEAT = _(
    "Fråga 1 gäller om det finns en strävan att utjämna skillnader till förmån för de sämsta "
    "situationerna. Frågorna 2–5 kan alltid ställas vid fördelning av resurser."
)

PRINCIPLES = (
    (
        _("Människovärdesprincipen"),
        _(
            "Alla människor har lika värde oberoende av personliga egenskaper och funktioner i "
            "samhället – inte särbehandla eller diskriminera."
        ),
    ),
    (
        _("Behovs-solidaritetsprincipen"),
        _("Mer av resurserna ska ges till de mest behövande."),
    ),
    (
        _("Kostnadseffektivitetsprincipen"),
        _(
            "I val mellan åtgärder bör en rimlig relation mellan kostnad och effekt eftersträvas "
            "– inte slösa resurser på åtgärder med liten/utan nytta."
        ),
    ),
)
PRINCIPLES_OUTSIDE_HEALTH_CARE = _(
    "Principerna kommer från hälso- och sjukvården. Prioriteringscentrums utgångspunkt är att "
    "de tre etiska principerna går att använda inom andra välfärdsområden om de inte strider "
    "mot andra styrande lagar."
)

CENTRAL_CRITERIA = (
    (
        _("Svårighetsgrad"),
        _("avstånd till bästa tänkbara hälsa eller situation (måluppfyllelse)."),
    ),
    (_("Nytta"), _("åtgärdens förmåga att uppnå bästa tänkbara hälsa eller situation.")),
    (_("Kostnadseffektivitet"), _("åtgärdens nytta i förhållande till dess kostnad (rimlighet).")),
)

# What is decided about each situation: the three must be kept apart.
DECISIONS = (
    (_("Full finansiering/resursförsörjning"), None),
    (
        _("Ransonera"),
        _(
            "att minska resurser eller helt ta bort resurser och få ut mindre värde/resultat – "
            "minskar kostnader."
        ),
    ),
    (
        _("Effektivisera"),
        _("att använda resurser och ger högre värde/resultat – kan minska eller öka kostnader."),
    ),
)
KEEP_APART = _("Viktigt att hålla isär dessa begrepp!")

RANSONERING_MEANS = _(
    "Ransonering: minska kostnader och få sämre resultat, men resurserna kan räcka till fler."
)
RANSONERING_DEFINITIONS = {
    RansoneringKind.STRUKTUR: _(
        "Minskar på förutsättningarna för det som ska göras med sämre resultat, till lägre "
        "kostnad: utrustning, lokaler, kompetens, personalstyrka."
    ),
    RansoneringKind.PROCESS: _(
        "Minskar det verksamheter gör för målgrupper/områden med sämre resultat, till lägre "
        "kostnad: indikationsskärpning inför åtgärd, tidsransonering för åtgärder, utspädning "
        "av åtgärder."
    ),
    RansoneringKind.RESULTAT: _(
        "Sänkt mål för målgrupper/områden, till lägre kostnad. Målransonering av resultat: att "
        "endast åtgärda vissa aspekter av behovet."
    ),
    RansoneringKind.ANNAT: _(
        "Ger ransonering av kärnverksamhet men utan att minska kostnader. "
        "Effektivitetssänkning: personal ägnar sig åt något som inte tillför värde till "
        "kärnverksamheten som motsvarar den resurs som åtgår."
    ),
}

RANSONERING_QUESTIONS_LEAD = _(
    "Av allt det ni gör i er verksamhet, utifrån olika perspektiv såsom målgrupper, invånare, "
    "medarbetare, ekonomi, hållbarhet:"
)
RANSONERING_QUESTIONS = (
    _(
        "Vilka situationer/tillstånd är minst svåra och innebär endast en mindre nedsättning av "
        "bästa tänkbara läge?"
    ),
    _("Vad skapar minst nytta?"),
    _("Vad har en orimlig resursanvändning i förhållande till dess nytta?"),
    _(
        "Det som tillför minst till att nå verksamhetens mål – går det att ransonera genom att "
        "förändra mål, innehåll, tillgänglighet eller helt upphöra?"
    ),
    _(
        "Kan någon annan yrkesgrupp istället för den ordinarie, göra en åtgärd? Exempelvis av "
        "lägre avlönad personal eller yrkesgrupper som det finns fler av eller som är mer "
        "tillgänglig."
    ),
    _("Vad tillför minst till att verksamhetens mål och uppdrag blir uppfyllda?"),
)
EFFEKTIVISERING_QUESTIONS = (
    _(
        "Går något i verksamheten att effektivisera för att skapa ett högre värde, genom att "
        "förändra arbetssätt och användning av personal, kompetenser, material, utrustning, "
        "lokaler?"
    ),
)

# The grid's column where the source asks these questions, and the questions.
COLUMN_QUESTIONS = {
    "column": AnalysisColumn.RANSONERA,
    "ransonering_lead": RANSONERING_QUESTIONS_LEAD,
    "ransonering": RANSONERING_QUESTIONS,
    "effektivisering": EFFEKTIVISERING_QUESTIONS,
}

ALTERNATIVKOSTNAD_BALANCE = _(
    "I resursfördelning måste en avvägning göras mellan vad som kommer att tillgodoses och vad "
    "som därmed inte kommer att kunna tillgodoses."
)
ALTERNATIVKOSTNAD = _(
    "Utnyttjandet av resurser på ett visst sätt innebär att avstå från den nytta man kunde ha "
    "fått om man använt samma resurser på något annat sätt."
)

ALTERNATIVKOSTNAD_ON_THE_LINE = _(
    "Det som ligger under budgetlinjen är alltså alternativkostnaden för det som ryms över den."
)

# The budget line's explanation, in the source's words.
LINE_ALTERNATIVKOSTNAD = {
    "term": _("Alternativkostnad"),
    "balance": ALTERNATIVKOSTNAD_BALANCE,
    "definition": ALTERNATIVKOSTNAD,
    "on_the_line": ALTERNATIVKOSTNAD_ON_THE_LINE,
}

SEVERITY_FROM_STATES = _(
    "Situationens svårighetsgrad bedöms utifrån hur långt från ”bästa tänkbara läge” (målet) "
    "situationen är nu och även hur risken för framtida försämring är."
)
BEST_STATE_LEAD = _("Bästa tänkbara läge för området kännetecknas av eller bidrar till:")
WORST_STATE_LEAD = _("Sämsta tänkbara läge för området kännetecknas av eller medför risk för:")

# The round's fields for the best and worst conceivable state of each målområde.
STATE_FIELDS = {
    Malomrade.SAMHALLE: ("best_state_samhalle", "worst_state_samhalle"),
    Malomrade.INVANARE: ("best_state_invanare", "worst_state_invanare"),
    Malomrade.ORGANISATION: ("best_state_organisation", "worst_state_organisation"),
}
STATE_FIELD_NAMES = tuple(name for pair in STATE_FIELDS.values() for name in pair)

# The source's example wording ("Exempel på mål inom olika områden"), a "- " list each.
DEFAULT_STATES = {
    "best_state_samhalle": _(
        "- eftersträvat antal invånare\n"
        "- välutvecklad besöksnäring\n"
        "- eftersträvat antal företag (arbetstillfällen)\n"
        "- antal bostäder efter behov\n"
        "- välkänt och uppskattat platsvarumärke"
    ),
    "worst_state_samhalle": _("- mycket negativ inverkan på utveckling av ovanstående"),
    "best_state_invanare": _(
        "- god hälsa\n"
        "- gott välbefinnande\n"
        "- god levnadsnivå\n"
        "- meningsfull tillvaro\n"
        "- godkända skolbetyg\n"
        "- sysselsättning"
    ),
    "worst_state_invanare": _(
        "- mycket stor ohälsa\n"
        "- förtida död\n"
        "- låg levnadsnivå\n"
        "- ej godkända skolbetyg\n"
        "- ingen egen försörjning\n"
        "- utsatthet\n"
        "- utslagning"
    ),
    "best_state_organisation": _("- hög effektivitet\n- ändamålsenlig\n- god servicenivå"),
    "worst_state_organisation": _(
        "- mycket negativa konsekvenser för organisationen, kärnverksamhet eller anställda "
        "avseende ovanstående"
    ),
}


def default_states() -> dict[str, str]:
    """The source's example states, in the active language, by the round's field."""
    return {name: str(text) for name, text in DEFAULT_STATES.items()}


def states_of(round: Round) -> list[dict]:
    """Per målområde, the round's best and worst conceivable state as safe HTML."""
    return [
        {
            "malomrade": malomrade.label,
            "best": render_instructions(getattr(round, best), top_heading=4),
            "worst": render_instructions(getattr(round, worst), top_heading=4),
        }
        for malomrade, (best, worst) in STATE_FIELDS.items()
    ]


def _bullets(lines) -> str:
    return "\n".join(f"- {line}" for line in lines)


def model_instructions() -> str:
    """The instructions a new round starts from, in the round's markup."""
    intro = gettext(
        "Omgången följer Prioriteringscentrums modell för prioriteringsarbete i kommuner "
        "(Krevers och Bäckman, Rapport 2023:1). Texten nedan är modellens vägledning; "
        "controllern kompletterar den med omgångens syfte, tidplan och roller."
    )
    return f"{intro}\n\n{model_guidance()}"


def model_guidance() -> str:
    """The model's guidance as sections of the round's markup, for the
    instructions of a new round and of the demo's rounds."""
    numbered = "\n".join(f"{n}. {q}" for n, q in enumerate(FIVE_QUESTIONS, start=1))
    principles = _bullets(f"**{name}**: {text}" for name, text in PRINCIPLES)
    criteria = _bullets(f"**{name}** – {text}" for name, text in CENTRAL_CRITERIA)
    decisions = _bullets(
        f"**{name}**" if text is None else f"**{name}**: {text}" for name, text in DECISIONS
    )
    kinds = _bullets(f"**{kind.label}**: {text}" for kind, text in RANSONERING_DEFINITIONS.items())
    parts = [
        "## " + gettext("Frågor att ställa vid beslut om prioritering och resursfördelning"),
        numbered,
        str(FIVE_QUESTIONS_CAVEAT),
        "## " + gettext("De tre etiska principerna"),
        principles,
        str(PRINCIPLES_OUTSIDE_HEALTH_CARE),
        "## " + gettext("Tre centrala kriterier"),
        gettext("Svårighetsgrad, nytta och kostnadseffektivitet bedöms alltid, för varje förslag:"),
        criteria,
        "## " + gettext("Full finansiering, ransonering och effektivisering"),
        gettext("Beslut om vad som ska prioriteras och i vilken grad det ska få resurser:"),
        decisions,
        f"**{KEEP_APART}**",
        "## " + gettext("Olika typer av ransonering"),
        str(RANSONERING_MEANS),
        kinds,
        "## " + gettext("Frågor om ransonering"),
        str(RANSONERING_QUESTIONS_LEAD),
        _bullets(RANSONERING_QUESTIONS),
        "## " + gettext("Frågor om effektivisering"),
        _bullets(EFFEKTIVISERING_QUESTIONS),
        "## " + gettext("Alternativkostnad"),
        f"{ALTERNATIVKOSTNAD_BALANCE} **{gettext('Alternativkostnad')}**: {ALTERNATIVKOSTNAD}",
    ]
    return "\n\n".join(str(part) for part in parts)
