"""The words the product shows follow the source (Prioriteringscentrum's model,
../shared/seeds/001_…txt; Motala, 003_…txt), and what the tool adds to the
model is said to be an addition where it is offered."""

import html as html_lib

import pytest

from rounds.models import EffektFramstFor, ProposalType
from tests.factories import analysis_of, make_proposal, make_round
from tests.proposal_helpers import proposal_url

SOURCE_WORDS = [
    # The three ethical principles, in the source's words.
    "Mer av resurserna ska ges till de mest behövande.",
    "I val mellan åtgärder bör en rimlig relation mellan kostnad och effekt eftersträvas.",
    # The types and Motala's "effekt främst för".
    "Förbisedda behov och åtgärder – öka kvaliteten",
    "Den enskilde medborgaren",
    # Additions to the model, labelled as such.
    "Tillägg utöver modellen: nivåerna God, Måttlig, Låg och Saknas är verktygets egna.",
    "Tillägg utöver modellen: Icke-göra och FoU kommer från den nationella modellen för "
    "hälso- och sjukvården, inte från modellen för kommuner.",
]
HEALTH_CARE_WORDS = ["mätt i hälsa och livskvalitet", "höjd kvalitet", "Individen"]


@pytest.fixture
def proposal(demo):
    return make_proposal(analysis_of(make_round(), "Bildningsförvaltningen"), title="Läxhjälp")


def test_the_proposal_form_uses_the_sources_words(signed_in, proposal):
    html = html_lib.unescape(
        signed_in("tjp-bildning").get(proposal_url(proposal, "andra")).content.decode()
    )
    for words in SOURCE_WORDS:
        assert words in html
    for words in HEALTH_CARE_WORDS:
        assert words not in html


def test_the_labels_change_but_the_stored_values_do_not():
    assert (ProposalType.FORBISEDDA.value, ProposalType.FORBISEDDA.label) == (
        "forbisedda",
        "Förbisedda behov och åtgärder – öka kvaliteten",
    )
    assert (EffektFramstFor.INDIVIDEN.value, EffektFramstFor.INDIVIDEN.label) == (
        "individen",
        "Den enskilde medborgaren",
    )


def test_the_settings_say_the_kunskapsunderlag_levels_are_an_addition(signed_in):
    make_round()
    html = signed_in("controller").get("/omgangar/2027/installningar/").content.decode()
    assert "Tillägg utöver modellen: nivåerna God, Måttlig, Låg och Saknas" in html
    assert "Effekt främst för (den enskilde medborgaren, samhället, organisationen)" in html


def test_the_sarbehandling_question_says_only_what_the_source_says():
    from ranking.review import QUESTIONS

    hint = str(dict((name, help) for name, _q, help in QUESTIONS)["review_sarbehandling"])
    assert hint == (
        "Alla människor har lika värde oberoende av personliga egenskaper och funktioner i "
        "samhället: särbehandlar eller diskriminerar prioriteringen någon "
        "(människovärdesprincipen)?"
    )
