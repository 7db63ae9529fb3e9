"""Numbers typed or sent in a request (issue 12, finding 4): a character that
Python's ``isdigit()`` or ``int()`` takes for a digit ("²", "٣"), a number too
large for the database, or an id that is no proposal of the page is refused
in Swedish or as "not found" — never a server error, and never after
something was already written."""

import pytest
from django.urls import reverse

from documents.models import Document
from followup.documents import FOLLOWUP_PDF
from ranking.documents import RANKING_PDF
from ranking.models import AgreedPlace, Decision, ForumRank, NamndRanking
from rounds.documents import ANALYSIS_PDF
from rounds.models import AnalysisColumn, AnalysisItem, ListItem, Namnd, Phase, Round
from tests.factories import analysis_of, make_proposal, make_round
from tests.forum_setup import outcome_round, send_on, submitted

Y = {"year": 2027}
HTMX = {"HTTP_HX_REQUEST": "true"}
NINES = "9" * 400
DIGITS_25 = "1" * 25


# --- the analysis grid --------------------------------------------------------------


@pytest.mark.parametrize("focus", ["²", "٣", NINES, "-1", " 1 "])
def test_a_grid_cell_ignores_a_focus_that_is_no_item(demo, signed_in, focus):
    round = make_round()
    analysis = analysis_of(round, "Bildningsförvaltningen")
    perspektiv = ListItem.objects.get(round=round, kind="perspektiv", name="Invånare")
    AnalysisItem.objects.create(
        analysis=analysis, perspektiv=perspektiv, column=AnalysisColumn.NYA_RESURSER, text="x"
    )
    url = reverse(
        "analysis_cell",
        kwargs={
            **Y,
            "forvaltning_id": analysis.forvaltning_id,
            "perspektiv_id": perspektiv.pk,
            "column": AnalysisColumn.NYA_RESURSER,
        },
    )
    response = signed_in("tjp-bildning").get(url, {"fokus": focus}, **HTMX)
    assert response.status_code == 200


# --- documents ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (ANALYSIS_PDF, "analysis"),
        (RANKING_PDF, "namnd"),
        (FOLLOWUP_PDF, "period"),
    ],
)
@pytest.mark.parametrize("value", ["²", "¹", "³", "٣", DIGITS_25, " 1", "+1"])
def test_a_document_for_a_scope_that_is_no_id_is_not_found(
    demo, signed_in, settings, tmp_path, kind, name, value
):
    settings.MEDIA_ROOT = tmp_path
    make_round()
    response = signed_in("controller").post(
        reverse("document_request", kwargs=Y), {"kind": kind, name: value}
    )
    assert response.status_code == 404
    assert not Document.objects.exists()


# --- the forum's own sheet ----------------------------------------------------------


@pytest.fixture
def forum_sheet(demo):
    round = make_round(phase=Phase.FORUM)
    bildning = submitted(round, "Bildningsförvaltningen")
    first = send_on(round, make_proposal(bildning, title="Stöd"), "Bildningsnämnden")
    second = send_on(round, make_proposal(bildning, title="Skjuts"), "Bildningsnämnden")
    return round, first, second


SHEET = reverse("forum_sheet", kwargs=Y)


@pytest.mark.parametrize(
    "extra",
    [
        {"rank_²": "1"},
        {"rank_٣": "1"},
        {f"rank_{DIGITS_25}": "1"},
        {"ordning": "²"},
        {"ordning": "٣"},
        {"ordning": DIGITS_25},
        {"flytta": "upp:²"},
        {"flytta": "upp:٣"},
        {"flytta": f"upp:{DIGITS_25}"},
        {"flytta": "upp:99999"},
    ],
)
def test_the_forum_sheet_refuses_ids_that_are_no_proposal(forum_sheet, signed_in, extra):
    _round, first, _second = forum_sheet
    client = signed_in("forum-1")
    response = client.post(SHEET, {f"rank_{first.pk}": "3", **extra})
    assert response.status_code in (200, 400)
    assert not ForumRank.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("٣", "Ange rangordningen som ett heltal 1–10."),
        ("²", "Ange rangordningen som ett heltal 1–10."),
        (" 3 x", "Ange rangordningen som ett heltal 1–10."),
        ("1_0", "Ange rangordningen som ett heltal 1–10."),
        ("3.0", "Ange rangordningen som ett heltal 1–10."),
        (NINES, "Rangordningen ska vara ett heltal 1–10."),
    ],
)
def test_a_forum_rank_must_be_a_plain_number(forum_sheet, signed_in, value, message):
    _round, first, _second = forum_sheet
    response = signed_in("forum-1").post(SHEET, {f"rank_{first.pk}": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ForumRank.objects.exists()


# --- the nämnd's ranking ------------------------------------------------------------


@pytest.fixture
def namnd_round(demo):
    round = make_round(phase=Phase.NAMND)
    analysis = submitted(round, "Bildningsförvaltningen")
    first = make_proposal(analysis, title="Stöd", rangordning=1)
    second = make_proposal(analysis, title="Skjuts", rangordning=2)
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    url = reverse("namnd_ranking_save", kwargs={**Y, "namnd_id": namnd.pk})
    return round, first, second, url


def namnd_save(client, url, first, second, **extra):
    data = {
        f"rank_{first.pk}": "4",
        f"handling_{first.pk}": "",
        f"rank_{second.pk}": "5",
        f"handling_{second.pk}": "",
        "ordning": [second.pk, first.pk],
    }
    data.update(extra)
    return client.post(url, data)


def saved_ranks(first, second):
    return [
        NamndRanking.objects.filter(proposal=p).values_list("rank", flat=True).first()
        for p in (first, second)
    ]


@pytest.mark.parametrize(
    "extra",
    [
        {"ordning": "²"},
        {"ordning": "٣"},
        {"ordning": DIGITS_25},
        {"flytta": "upp:²"},
        {"flytta": "upp:٣"},
        {"flytta": f"upp:{DIGITS_25}"},
        {"flytta": "upp:99999"},
        {"flytta": "sidled:1"},
    ],
)
def test_the_namnd_ranking_refuses_ids_that_are_no_proposal_and_writes_nothing(
    namnd_round, signed_in, extra
):
    _round, first, second, url = namnd_round
    client = signed_in("ledamot-bildning")
    client.get(url.removesuffix("spara/"))  # reading makes nothing; a refused save neither
    before = saved_ranks(first, second)
    response = namnd_save(client, url, first, second, **extra)
    assert response.status_code in (200, 400)
    assert saved_ranks(first, second) == before


def test_a_rank_field_of_no_proposal_is_not_the_forms_and_is_ignored(namnd_round, signed_in):
    _round, first, second, url = namnd_round
    client = signed_in("ledamot-bildning")
    client.get(url.removesuffix("spara/"))
    response = namnd_save(client, url, first, second, **{"rank_²": "1", "rank_٣": "1"})
    assert response.status_code == 302
    assert saved_ranks(first, second) == [4, 5]


def test_a_move_of_a_proposal_not_in_the_namnd_is_a_swedish_error(namnd_round, signed_in):
    _round, first, second, url = namnd_round
    client = signed_in("ledamot-bildning")
    client.get(url.removesuffix("spara/"))
    response = namnd_save(client, url, first, second, flytta="upp:99999")
    assert response.status_code == 200
    assert "Förslaget finns inte bland nämndens förslag." in response.content.decode()
    assert saved_ranks(first, second) == [None, None]  # the typed ranks are not saved either


def test_a_move_still_saves_and_moves_in_one_go(namnd_round, signed_in):
    _round, first, second, url = namnd_round
    client = signed_in("ledamot-bildning")
    client.get(url.removesuffix("spara/"))
    response = namnd_save(client, url, first, second, flytta=f"upp:{first.pk}")
    assert response.status_code == 302
    rows = NamndRanking.objects.order_by("position")
    assert [(r.proposal_id, r.rank) for r in rows] == [(first.pk, 4), (second.pk, 5)]


# --- the forum's order and decisions ------------------------------------------------


@pytest.mark.parametrize("name", ["place_²", "place_٣", f"place_{DIGITS_25}", "motivation_²"])
def test_the_order_refuses_fields_of_no_proposal(demo, signed_in, name):
    _round, proposals = outcome_round()
    data = {f"place_{p.pk}": str(i) for i, p in enumerate(proposals, start=1)}
    data[name] = "1"
    response = signed_in("controller").post(reverse("forum_order", kwargs=Y), data)
    assert response.status_code in (200, 400)
    assert not AgreedPlace.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("²", "Ange platsen som ett heltal 1–4."),
        ("٣", "Ange platsen som ett heltal 1–4."),
        ("1_0", "Ange platsen som ett heltal 1–4."),
        (" 1 x", "Ange platsen som ett heltal 1–4."),
        (NINES, "Platsen ska vara ett heltal 1–4."),
    ],
)
def test_a_place_must_be_a_plain_number(demo, signed_in, value, message):
    _round, proposals = outcome_round()
    data = {f"place_{p.pk}": str(i) for i, p in enumerate(proposals, start=1)}
    data["version"] = "1"  # the order's version the form was loaded at
    data[f"place_{proposals[0].pk}"] = value
    data.update({f"motivation_{p.pk}": "Därför" for p in proposals})
    response = signed_in("controller").post(reverse("forum_order", kwargs=Y), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AgreedPlace.objects.exists()


@pytest.mark.parametrize("name", ["outcome_²", "amount_٣", f"outcome_{DIGITS_25}"])
def test_the_decisions_refuse_fields_of_no_proposal(demo, signed_in, name):
    outcome_round()
    response = signed_in("controller").post(
        reverse("forum_decisions", kwargs=Y), {name: "finansieras"}
    )
    assert response.status_code in (200, 400)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("amount", ["٣٠٠", "3_00", "3e2", NINES])
def test_a_partial_amount_must_be_whole_tkr(demo, signed_in, amount):
    _round, (first, *_rest) = outcome_round()
    data = {
        "version": "1",  # the decisions' version the form was loaded at
        f"outcome_{first.pk}": "delvis",
        f"amount_{first.pk}": amount,
        f"motivation_{first.pk}": "Ryms delvis",
    }
    response = signed_in("controller").post(reverse("forum_decisions", kwargs=Y), data)
    assert response.status_code == 200
    assert not Decision.objects.exists()


# --- frames -------------------------------------------------------------------------

BUDGET = reverse("forum_budget", kwargs=Y)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (NINES, "Beloppet kan vara högst 99 999 999 tkr."),
        ("-" + NINES, "Ramen kan inte vara negativ."),
        ("٣٠٠", "Ange ramen som ett heltal i tkr."),
        ("1_000", "Ange ramen som ett heltal i tkr."),
        ("1e5", "Ange ramen som ett heltal i tkr."),
    ],
)
def test_trying_a_frame_that_is_no_amount_is_refused(demo, signed_in, frame, message):
    outcome_round()
    response = signed_in("controller").get(BUDGET, {"ram": frame})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("frame", [DIGITS_25, NINES, "٣٠٠", "1_000"])
def test_saving_a_frame_that_is_no_amount_is_refused(demo, signed_in, frame):
    round, _ = outcome_round()
    response = signed_in("controller").post(BUDGET, {"ram": frame})
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.frame_tkr == 1000


@pytest.mark.parametrize("frame", [DIGITS_25, "3000000000", "٣٠٠", "1_000"])
def test_the_settings_refuse_a_frame_the_database_cannot_hold(demo, signed_in, frame):
    make_round()
    from tests.test_round_settings import form_data

    response = signed_in("controller").post(
        reverse("round_settings", kwargs=Y), form_data(frame_tkr=frame)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["frame_tkr"]
    assert Round.objects.get().frame_tkr == 20000


@pytest.mark.parametrize("frame", [DIGITS_25, "3000000000", "٣٠٠"])
def test_a_new_round_refuses_a_frame_the_database_cannot_hold(demo, signed_in, frame):
    response = signed_in("controller").post(
        reverse("round_create"), {"budget_year": "2031", "purpose": "nya", "frame_tkr": frame}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["frame_tkr"]
    assert not Round.objects.exists()


def test_the_frame_is_typed_as_a_swede_writes_it(demo, signed_in):
    make_round()
    from tests.test_round_settings import form_data

    response = signed_in("controller").post(
        reverse("round_settings", kwargs=Y), form_data(frame_tkr="15\u00a0000")
    )
    assert response.status_code == 302
    assert Round.objects.get().frame_tkr == 15000


# --- ids in URLs --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"/omgangar/2027/forslag/{DIGITS_25}/",
        f"/omgangar/2027/analyser/{DIGITS_25}/",
        f"/omgangar/2027/dokument/{DIGITS_25}/",
        f"/omgangar/2027/namnder/{DIGITS_25}/",
        f"/omgangar/{DIGITS_25}/",
        f"/oppna-prioriteringar/{DIGITS_25}/",
        "/omgangar/20271/",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(demo, signed_in, url):
    make_round()
    assert signed_in("controller").get(url).status_code == 404


# --- a NUL in a text (PostgreSQL cannot store one) ----------------------------------

NUL_ERROR = "Null-tecken är inte tillåtna."


def test_a_nul_in_a_motivation_of_the_order_is_a_field_error(demo, signed_in):
    _round, (first, second, third, saving) = outcome_round()
    places = {first: 1, second: 2, third: 3, saving: 4}
    data = {f"place_{p.pk}": str(place) for p, place in places.items()}
    data[f"motivation_{first.pk}"] = "Lag\x00krav"
    response = signed_in("controller").post(reverse("forum_order", kwargs=Y), data)
    assert response.status_code == 200
    assert NUL_ERROR in response.content.decode()
    assert not AgreedPlace.objects.exists()


def test_a_nul_in_a_decision_or_a_review_is_a_field_error(demo, signed_in):
    _round, (first, *_rest) = outcome_round()
    client = signed_in("controller")
    data = {f"outcome_{first.pk}": "finansieras", f"motivation_{first.pk}": "\x00"}
    response = client.post(reverse("forum_decisions", kwargs=Y), data)
    assert response.status_code == 200
    assert NUL_ERROR in response.content.decode()
    assert not Decision.objects.exists()
    answers = {
        "review_sarbehandling": "Nej\x00",
        "review_undantrangning": "Skolskjutsen.",
        "review_rimlighet": "Rimligt.",
    }
    response = client.post(reverse("forum_review", kwargs=Y), answers)
    assert response.status_code == 200
    assert NUL_ERROR in response.content.decode()


def test_a_nul_in_a_search_finds_nothing_special(demo, signed_in):
    response = signed_in("controller").get(reverse("people"), {"q": "\x00"})
    assert response.status_code == 200
