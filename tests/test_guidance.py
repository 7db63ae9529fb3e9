"""The model's guidance built into the product (issue 16), each piece where it
is used: a new round's instructions, the grid's fourth column, the
definitions beside the kind of ransonering, the best and worst state per
målområde beside svårighetsgrad (the round's own, set by the controller), and
the alternativkostnad on the budget line."""

import re

import pytest
from django.urls import reverse

from rounds.formatting import render_instructions
from rounds.guidance import DEFAULT_STATES, STATE_FIELD_NAMES
from rounds.models import Round
from tests.factories import analysis_of, make_round
from tests.forum_setup import outcome_round
from tests.helpers import cast_except

FIVE_QUESTIONS = [
    "Hur **svår** är situationen som behöver åtgärdas i förhållande till gällande **mål** "
    "och **lagar**?",
    "Vilken **nytta** ger den planerade åtgärden i förhållande till gällande mål och lagar?",
    "Hur mycket **resurser** krävs?",
    "Är det **rimligt** att använda dessa resurser för att uppnå denna grad av nytta?",
    "Är det rimligt att använda resurserna för den planerade åtgärden, **jämfört med annat** "
    "som nu inte går att genomföra (förlorad nytta; alternativkostnad)?",
]
RANSONERING_QUESTIONS = [
    "Vilka situationer/tillstånd är minst svåra och innebär endast en mindre nedsättning av "
    "bästa tänkbara läge?",
    "Vad skapar minst nytta?",
    "Vad har en orimlig resursanvändning i förhållande till dess nytta?",
    "Kan någon annan yrkesgrupp istället för den ordinarie, göra en åtgärd?",
    "Vad tillför minst till att verksamhetens mål och uppdrag blir uppfyllda?",
]
EFFEKTIVISERING_QUESTION = (
    "Går något i verksamheten att effektivisera för att skapa ett högre värde"
)
SETTINGS = "/omgangar/2027/installningar/"


def new_round(client, year=2030) -> Round:
    response = client.post(
        "/omgangar/ny/",
        {"budget_year": str(year), "purpose": "nya", "frame_tkr": "0", "copy_from": ""},
    )
    assert response.status_code == 302
    return Round.objects.get(budget_year=year)


# --- a new round's instructions ---


@pytest.mark.parametrize("number", range(5))
def test_a_new_round_starts_with_each_of_the_five_questions(signed_in, number):
    round = new_round(signed_in("controller"))
    assert f"{number + 1}. {FIVE_QUESTIONS[number]}" in round.instructions


def test_a_new_round_gives_the_caveat_on_question_1(signed_in):
    text = new_round(signed_in("controller")).instructions
    assert (
        "Fråga 1 gäller om det finns en strävan att utjämna skillnader till förmån för de "
        "sämsta situationerna. Frågorna 2–5 kan alltid ställas vid fördelning av resurser."
    ) in text


def test_a_new_round_starts_with_the_three_principles_in_the_sources_words(signed_in):
    text = new_round(signed_in("controller")).instructions
    assert "**Människovärdesprincipen**: Alla människor har lika värde" in text
    assert (
        "**Behovs-solidaritetsprincipen**: Mer av resurserna ska ges till de mest behövande."
        in (text)
    )
    assert (
        "**Kostnadseffektivitetsprincipen**: I val mellan åtgärder bör en rimlig relation "
        "mellan kostnad och effekt eftersträvas"
    ) in text
    assert "mätt i hälsa och livskvalitet" not in text


def test_a_new_round_starts_with_ransonering_effektivisering_and_the_alternativkostnad(
    signed_in,
):
    text = new_round(signed_in("controller")).instructions
    for question in RANSONERING_QUESTIONS:
        assert question in text
    assert EFFEKTIVISERING_QUESTION in text
    for kind in ("Strukturransonering", "Processransonering", "Resultatransonering"):
        assert f"- **{kind}**: " in text
    assert "Minskar på förutsättningarna för det som ska göras med sämre resultat" in text
    assert "**Full finansiering/resursförsörjning**" in text
    assert "Viktigt att hålla isär dessa begrepp!" in text
    assert "## Alternativkostnad" in text
    assert (
        "avstå från den nytta man kunde ha fått om man använt samma resurser på något annat sätt"
    ) in text


def test_the_instructions_render_as_the_rounds_markup(signed_in):
    html = render_instructions(new_round(signed_in("controller")).instructions)
    questions = re.search(r"<ol>(.*?)</ol>", html, re.S).group(1)
    assert questions.count("<li>") == 5
    assert "<h3>De tre etiska principerna</h3>" in html
    assert "<strong>Behovs-solidaritetsprincipen</strong>" in html


def test_the_instructions_page_shows_the_models_text(signed_in):
    new_round(signed_in("controller"))
    html = signed_in("tjp-bildning").get("/omgangar/2030/").content.decode()
    assert "<h3>Frågor om ransonering</h3>" in html
    assert "Vad skapar minst nytta?" in html


def test_the_controller_edits_the_instructions_as_before(signed_in):
    client = signed_in("controller")
    round = new_round(client, year=2027)
    data = settings_data(client)
    data["instructions"] = "## Syfte\n\nVi sparar."
    assert client.post(SETTINGS, data).status_code == 302
    round.refresh_from_db()
    assert round.instructions == "## Syfte\n\nVi sparar."


def test_a_copied_round_keeps_the_earlier_rounds_text(signed_in):
    old = make_round()
    old.instructions = "Vår egen text."
    old.best_state_samhalle = "- fler företag"
    old.save()
    response = signed_in("controller").post(
        "/omgangar/ny/",
        {"budget_year": "2028", "purpose": "nya", "frame_tkr": "0", "copy_from": str(old.pk)},
    )
    assert response.status_code == 302
    new = Round.objects.get(budget_year=2028)
    assert new.instructions == "Vår egen text."
    assert new.best_state_samhalle == "- fler företag"


def test_the_create_form_says_what_starting_from_scratch_gives(signed_in):
    make_round()
    html = signed_in("controller").get("/omgangar/ny/").content.decode()
    assert "Börja från grunden (modellens vägledning som instruktioner, standardlistor)" in html


# --- the grid's fourth column ---


def grid_url(analysis):
    return f"/omgangar/{analysis.round.budget_year}/analyser/{analysis.forvaltning_id}/"


def test_the_grids_fourth_column_shows_the_ransonering_questions(signed_in, demo):
    bildning = analysis_of(make_round(), "Bildningsförvaltningen")
    html = signed_in("tjp-bildning").get(grid_url(bildning)).content.decode()
    heading = re.search(
        r'<th scope="col" class="analysis-grid__questions-column">(.*?)</th>', html, re.S
    ).group(1)
    assert heading.startswith("Situationer och åtgärder som kan ransoneras eller effektiviseras")
    assert "<summary>Frågor att ställa</summary>" in heading
    for question in RANSONERING_QUESTIONS:
        assert question in heading
    assert EFFEKTIVISERING_QUESTION in heading
    # The other columns carry nothing but their names.
    assert '<th scope="col">Situationer och åtgärder som behöver nya resurser</th>' in html


def test_a_narrow_screen_gets_the_same_questions_above_the_grid(signed_in, demo):
    bildning = analysis_of(make_round(), "Bildningsförvaltningen")
    html = signed_in("chef-bildning").get(grid_url(bildning)).content.decode()
    narrow = html.split('class="column-questions column-questions--narrow"')[1]
    narrow = narrow[: narrow.index("</details>")]
    assert html.index("column-questions--narrow") < html.index('<table class="analysis-grid">')
    assert (
        "Frågor att ställa: Situationer och åtgärder som kan ransoneras eller effektiviseras"
    ) in narrow
    for question in RANSONERING_QUESTIONS:
        assert question in narrow


def test_who_only_reads_the_grid_gets_it_calm_without_the_questions(signed_in, demo):
    bildning = analysis_of(make_round(), "Bildningsförvaltningen")
    html = signed_in("controller").get(grid_url(bildning)).content.decode()
    assert "Vad skapar minst nytta?" not in html
    assert "column-questions" not in html


# --- the proposal form ---


def proposal_form(client, analysis) -> str:
    url = f"/omgangar/{analysis.round.budget_year}/forslag/nytt/{analysis.forvaltning_id}/"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_ransonering_kinds_are_defined_beside_their_field(signed_in, demo):
    html = proposal_form(
        signed_in("tjp-bildning"), analysis_of(make_round(), "Bildningsförvaltningen")
    )
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend>Slag av ransonering", html)
    assert fieldset is not None
    describedby = re.search(r'aria-describedby="([^"]*)"', fieldset.group(0)).group(1).split()
    assert describedby == ["id_ransonering_kind_helptext", "id_ransonering_kind_guidance"]
    definitions = re.search(
        r'<dl class="hint proposal-definitions" id="id_ransonering_kind_guidance">(.*?)</dl>',
        html,
        re.S,
    ).group(1)
    assert (
        "<dt>Strukturransonering</dt><dd>Minskar på förutsättningarna för det som ska göras med "
        "sämre resultat, till lägre kostnad"
    ) in definitions
    assert "<dt>Processransonering</dt><dd>Minskar det verksamheter gör för målgrupper/områden" in (
        definitions
    )
    assert (
        "<dt>Resultatransonering</dt><dd>Sänkt mål för målgrupper/områden, till lägre kostnad"
        in (definitions)
    )


def test_an_error_keeps_the_definitions_described_too(signed_in, demo):
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    response = signed_in("tjp-bildning").post(
        f"/omgangar/2027/forslag/nytt/{analysis.forvaltning_id}/",
        {"title": "Kortare öppettider", "typ": "ransonering"},
    )
    html = response.content.decode()
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend>Slag av ransonering", html).group(0)
    assert (
        'aria-describedby="id_ransonering_kind_helptext id_ransonering_kind_error '
        'id_ransonering_kind_guidance"'
    ) in fieldset


def test_svarighetsgrad_shows_the_rounds_best_and_worst_state_per_malomrade(signed_in, demo):
    round = make_round()
    round.best_state_invanare = "- alla barn har en förskoleplats"
    round.save()
    html = proposal_form(signed_in("tjp-bildning"), analysis_of(round, "Bildningsförvaltningen"))
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend>Svårighetsgrad", html).group(0)
    assert "id_svarighetsgrad_guidance" in fieldset
    states = html.split('<details class="proposal-states" id="id_svarighetsgrad_guidance">')[1]
    states = states[: states.index("</details>")]
    assert "<summary>Bästa och sämsta tänkbara läge per målområde</summary>" in states
    for area in (
        "Samhällets livskraft",
        "Invånares hälsa och välbefinnande",
        "Organisationens effektivitet",
    ):
        assert f'<h3 class="proposal-states__area">{area}</h3>' in states
    assert "<li>alla barn har en förskoleplats</li>" in states  # the round's own
    assert "<li>god hälsa</li>" not in states
    assert "<li>mycket stor ohälsa</li>" in states  # the source's example, not changed
    assert "<li>hög effektivitet</li>" in states
    assert "Situationens svårighetsgrad bedöms utifrån hur långt från" in states


def test_a_state_left_empty_says_so(signed_in, demo):
    round = make_round()
    round.worst_state_samhalle = ""
    round.save()
    html = proposal_form(signed_in("tjp-bildning"), analysis_of(round, "Bildningsförvaltningen"))
    assert "Kommunen har inte beskrivit det här läget i omgången." in html


# --- the round's states: setting, validation, who may ---


def settings_data(client) -> dict:
    form = client.get(SETTINGS).context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if bound.name.startswith("uses_"):
            if value:
                data[bound.name] = "on"
        elif hasattr(value, "isoformat"):
            data[bound.name] = value.isoformat()
        else:
            data[bound.name] = "" if value is None else str(value)
    return data


def test_a_new_round_starts_from_the_sources_example_states(signed_in):
    round = new_round(signed_in("controller"))
    for name in STATE_FIELD_NAMES:
        assert getattr(round, name) == DEFAULT_STATES[name]
    assert "- eftersträvat antal invånare" in round.best_state_samhalle
    assert "- utslagning" in round.worst_state_invanare


def test_the_controller_sees_and_edits_the_states(signed_in):
    round = make_round()
    client = signed_in("controller")
    html = client.get(SETTINGS).content.decode()
    assert "<h2>Bästa och sämsta tänkbara läge per målområde</h2>" in html
    assert (
        '<label for="id_best_state_invanare">Bästa tänkbara läge, invånares hälsa och '
        "välbefinnande</label>"
    ) in html
    textarea = re.search(r'<textarea name="best_state_invanare"[^>]*>', html).group(0)
    assert 'aria-describedby="states-hint"' in textarea
    data = settings_data(client)
    data["best_state_invanare"] = "- alla barn läser"
    data["worst_state_organisation"] = ""
    assert client.post(SETTINGS, data).status_code == 302
    round.refresh_from_db()
    assert round.best_state_invanare == "- alla barn läser"
    assert round.worst_state_organisation == ""
    assert round.best_state_samhalle == DEFAULT_STATES["best_state_samhalle"]
    latest = round.history.first()
    assert latest.best_state_invanare == "- alla barn läser"
    assert latest.history_user.username == "controller"


def test_a_too_long_state_is_refused_in_swedish_and_nothing_is_lost(signed_in):
    round = make_round()
    client = signed_in("controller")
    data = settings_data(client)
    data["best_state_samhalle"] = "x" * 1001
    data["frame_tkr"] = "12000"
    response = client.post(SETTINGS, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["best_state_samhalle"] == [
        "Beskrivningen får vara högst 1000 tecken (den har 1001)."
    ]
    html = response.content.decode()
    textarea = re.search(r'<textarea name="best_state_samhalle"[^>]*>', html).group(0)
    assert 'aria-describedby="states-hint id_best_state_samhalle_error"' in textarea
    assert 'aria-invalid="true"' in textarea
    assert "x" * 1001 in html  # what was typed is shown back
    round.refresh_from_db()
    assert round.best_state_samhalle == DEFAULT_STATES["best_state_samhalle"]
    assert round.frame_tkr == 20000


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_may_change_the_states(signed_in, username):
    round = make_round()
    data = settings_data(signed_in("controller"))
    data["best_state_invanare"] = "- något annat"
    assert signed_in(username).post(SETTINGS, data).status_code == 403
    round.refresh_from_db()
    assert round.best_state_invanare == DEFAULT_STATES["best_state_invanare"]


# --- the budget line ---


def test_the_budget_line_explains_the_alternativkostnad(signed_in, demo):
    outcome_round()
    html = signed_in("revisor").get(reverse("forum_budget", kwargs={"year": 2027})).content.decode()
    paragraph = re.search(
        r'<p class="budget-alternativkostnad prose" id="alternativkostnad">(.*?)</p>', html, re.S
    ).group(1)
    assert paragraph.startswith("<strong>Alternativkostnad.</strong>")
    assert (
        "I resursfördelning måste en avvägning göras mellan vad som kommer att tillgodoses och "
        "vad som därmed inte kommer att kunna tillgodoses."
    ) in paragraph
    assert (
        "Utnyttjandet av resurser på ett visst sätt innebär att avstå från den nytta man kunde "
        "ha fått om man använt samma resurser på något annat sätt."
    ) in paragraph
    assert "under budgetlinjen är alltså alternativkostnaden för det som ryms över den" in paragraph
    # Near the line: before the table of proposals against the frame.
    assert html.index('id="alternativkostnad"') < html.index("Förslagen mot ramen")
