"""The round's instructions page: what everyone signed in reads — purpose,
frame, instructions (safely rendered), the timeline with who does what, the
förutsättningar with attachments, and the log of phase moves."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile

from rounds.models import (
    Attachment,
    ForutsattningKind,
    Phase,
    PhaseDeadline,
    PhaseTransition,
    Purpose,
    User,
)
from tests.factories import make_round
from tests.helpers import CAST, assert_queries_do_not_grow

URL = "/omgangar/2027/"
EVERYONE = list(CAST)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def add_attachment(round, kind=ForutsattningKind.EKONOMI, name="Budget 2027.pdf", size=None):
    content = b"%PDF-1.4 test"
    return Attachment.objects.create(
        forutsattning=round.forutsattningar.get(kind=kind),
        file=ContentFile(content, name="x.pdf"),
        name=name,
        content_type="application/pdf",
        size=size or len(content),
        uploaded_by=User.objects.get(username="controller"),
    )


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("username", EVERYONE)
def test_every_signed_in_user_reads_the_instructions_page(signed_in, username):
    round = make_round()
    round.purpose = Purpose.OMFORDELA
    round.instructions = "## Så går det till\n\nFyll i **analysen** före mars."
    round.save()
    response = signed_in(username).get(URL)
    assert response.status_code == 200
    html = main_of(response)
    assert "<h1>Prioriteringsomgång 2027</h1>" in html
    assert "Omfördela befintliga resurser" in html
    assert "20\xa0000\xa0tkr" in html
    assert "<h3>Så går det till</h3>" in html
    assert "<strong>analysen</strong>" in html


def test_timeline_shows_every_phase_in_order_with_its_state_and_deadline(signed_in):
    round = make_round(phase=Phase.NAMND)
    PhaseDeadline.objects.create(
        round=round, phase=Phase.NAMND, deadline=datetime.date(2027, 4, 15)
    )
    html = main_of(signed_in("tjp-bildning").get(URL))
    start = html.index('<ol class="timeline">')
    timeline = html[start : html.index("</ol>", start)]
    steps = re.findall(r"<li class=\"timeline__step timeline__step--(\w+)\"", timeline)
    assert steps == ["done", "done", "current", "coming", "coming", "coming", "coming"]
    titles = re.findall(r'<h3 class="timeline__title">([^<]+)</h3>', timeline)
    assert titles == [phase.label for phase in Phase]
    assert timeline.count('aria-current="step"') == 1
    current = timeline[timeline.index('aria-current="step"') :]
    assert current.index("Prioritering i nämnd") < current.index("Kommunövergripande")
    assert ">Pågår nu<" in current
    assert timeline.count(">Klar<") == 2
    assert timeline.count(">Kommande<") == 4
    assert '<time datetime="2027-04-15">15 april 2027</time>' in timeline
    assert "Ingen sista dag satt" in timeline


def test_timeline_says_what_each_role_does(signed_in):
    make_round()
    html = main_of(signed_in("ledamot-bildning").get(URL))
    assert (
        "Förvaltningarnas tjänstepersoner fyller i verksamhetsanalysen och bedömer förslagen; "
        "förvaltningschefen lämnar in till nämnden."
    ) in html
    assert "Nämndens ledamöter rangordnar nämndens förslag" in html
    assert "Omgångens forumdeltagare, som controllern utser med representation" in html


def test_instructions_cannot_inject_a_script(signed_in):
    round = make_round()
    round.instructions = (
        '<script>alert("x")</script>\n\n'
        "[klick](javascript:alert(1))\n\n"
        "<img src=x onerror=alert(1)>"
    )
    round.save()
    html = main_of(signed_in("tjp-bildning").get(URL))
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_forutsattningar_with_text_and_attachments(signed_in, media):
    round = make_round()
    ekonomi = round.forutsattningar.get(kind=ForutsattningKind.EKONOMI)
    ekonomi.text = "Skatteintäkterna ökar med **2 procent**.\n\n<script>x()</script>"
    ekonomi.save()
    attachment = add_attachment(round, size=int(1.2 * 1024 * 1024))
    html = main_of(signed_in("revisor").get(URL))
    assert '<h3 id="forutsattning-ekonomi">Ekonomi</h3>' in html
    assert "<strong>2 procent</strong>" in html
    assert "<script" not in html
    assert f'href="/omgangar/2027/bilagor/{attachment.pk}/"' in html
    assert "Budget 2027.pdf" in html
    assert "(PDF, 1,2\xa0MB)" in html
    # A kind with neither text nor attachments is left out.
    assert "forutsattning-prognoser" not in html


def test_no_forutsattningar_yet(signed_in):
    make_round()
    html = main_of(signed_in("revisor").get(URL))
    assert "Inga förutsättningar är beskrivna ännu." in html


def test_log_of_phase_moves_is_visible_to_everyone(signed_in):
    round = make_round()
    controller = User.objects.get(username="controller")
    PhaseTransition.objects.create(
        round=round,
        from_phase=Phase.VERKSAMHETSANALYS,
        to_phase=Phase.PLANERING,
        by=controller,
        comment="Instruktionerna behöver kompletteras.",
    )
    html = main_of(signed_in("tjp-social").get(URL))
    log = html[html.index('id="log-heading"') :]
    assert "Maria Holm" in log
    assert "Instruktionerna behöver kompletteras." in log
    assert "<td>Verksamhetsanalys</td>" in log
    assert "Planering och instruktioner" in log
    assert "tillbaka" in log


def test_no_phase_moves_yet(signed_in):
    make_round()
    assert "Omgången har inte bytt fas ännu." in main_of(signed_in("revisor").get(URL))


def test_controller_sees_the_set_up_links_and_the_phase_form(signed_in):
    make_round()
    html = main_of(signed_in("controller").get(URL))
    for url in ("installningar/", "forutsattningar/", "listor/", "fas/"):
        assert f'"/omgangar/2027/{url}"' in html
    assert "Flytta fram till Prioritering i nämnd" in html
    assert "Flytta tillbaka till Planering och instruktioner" in html


@pytest.mark.parametrize("username", [u for u in EVERYONE if u != "controller"])
def test_others_see_no_set_up_links_or_phase_form(signed_in, username):
    make_round()
    html = main_of(signed_in(username).get(URL))
    for url in ("installningar/", "forutsattningar/", "listor/", "fas/"):
        assert f"/omgangar/2027/{url}" not in html
    assert "Flytta fram" not in html


def test_unknown_year_is_not_found(signed_in):
    make_round()
    assert signed_in("tjp-bildning").get("/omgangar/2031/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, demo):
    make_round()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_post_is_not_allowed(signed_in):
    make_round()
    assert signed_in("controller").post(URL).status_code == 405


def test_query_count_does_not_grow_with_moves_and_attachments(signed_in, media):
    round = make_round()
    controller = User.objects.get(username="controller")

    def grow():
        for i in range(6):
            PhaseTransition.objects.create(
                round=round, from_phase=2, to_phase=3 - i % 2, by=controller, comment=str(i)
            )
        for kind in ForutsattningKind:
            forutsattning = round.forutsattningar.get(kind=kind)
            forutsattning.text = f"Text om {kind.label}"
            forutsattning.save()
            add_attachment(round, kind=kind, name=f"{kind}.pdf")
            add_attachment(round, kind=kind, name=f"{kind}-2.pdf")
        for phase in (Phase.PLANERING, Phase.NAMND, Phase.FORUM):
            PhaseDeadline.objects.create(
                round=round, phase=phase, deadline=datetime.date(2027, phase, 1)
            )

    assert_queries_do_not_grow(signed_in("tjp-bildning"), URL, grow)
