"""A published round is final (issue 12): nothing its public page, its
published decision document and its decisions rest on can change — by any
role, by URL or by POST, nor through a service — its phase only moves
forward, and a decision is corrected by a rättelse beside the original."""

import re

import pytest
from django.urls import reverse

from prioritering.access import FINAL_ONCE_PUBLISHED, RoundIsFinal, may
from prioritering.audit import save_as
from ranking import selectors
from ranking.documents.pdf_content import decision_document
from ranking.models import Decision, DecisionCorrection, NamndResult, Outcome
from ranking.services import decision as decision_services
from rounds.models import Analysis, Phase, Proposal, Round, User
from rounds.services.setup import save_settings
from tests.helpers import CAST, data_fingerprint

YEAR = 2026
Y = {"year": YEAR}
PUBLIC = reverse("public_round", kwargs=Y)


@pytest.fixture
def published(demo_rounds, db):
    return Round.objects.get(budget_year=YEAR)


@pytest.fixture
def users(demo_rounds, db):
    return {user.username: user for user in User.objects.filter(username__in=CAST)}


def as_user(client, users, username):
    client.force_login(users[username])
    return client


def public_page(client) -> str:
    """The public page as an anonymous reader sees it, without the CSRF
    token of the language switch (it differs on every request)."""
    client.logout()
    response = client.get(PUBLIC)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def document_data(round) -> list[str]:
    round = Round.objects.get(pk=round.pk)
    return [part.html for part in decision_document(round).parts]


# --- the findings -------------------------------------------------------------------


def test_the_phase_of_a_published_round_does_not_move_back(client, users, published):
    url = reverse("round_move_phase", kwargs=Y)
    response = as_user(client, users, "controller").post(
        url, {"to_phase": str(published.phase - 1), "comment": "Tillbaka", "confirm": "1"}
    )
    assert response.status_code == 403
    assert "Omgången är publicerad och kan inte ändras" in response.content.decode()
    published.refresh_from_db()
    assert published.phase == Phase.UPPFOLJNING


def test_it_moves_forward_to_avslutad_and_no_further_back(client, users, published):
    client = as_user(client, users, "controller")
    url = reverse("round_move_phase", kwargs=Y)
    data = {"to_phase": str(Phase.AVSLUTAD), "comment": "", "confirm": "1"}
    assert client.post(url, data).status_code == 302
    published.refresh_from_db()
    assert published.phase == Phase.AVSLUTAD
    data = {"to_phase": str(Phase.UPPFOLJNING), "comment": "Igen", "confirm": "1"}
    response = client.post(url, data)
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.phase == Phase.AVSLUTAD


def test_the_round_page_offers_only_forward_and_no_set_up(client, users, published):
    text = as_user(client, users, "controller").get(reverse("round_detail", kwargs=Y))
    text = text.content.decode()
    assert "Flytta fram till Avslutad" in text
    assert "Flytta tillbaka" not in text
    assert reverse("round_settings", kwargs=Y) not in text
    assert "är låst" in text


def test_the_frame_cannot_be_saved_from_the_budget_line(client, users, published):
    before = public_page(client)
    frame = published.frame_tkr
    response = as_user(client, users, "controller").post(
        reverse("forum_budget", kwargs=Y), {"ram": "1"}
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.frame_tkr == frame
    assert public_page(client) == before
    page = as_user(client, users, "controller").get(reverse("forum_budget", kwargs=Y))
    assert "som omgångens ram" not in page.content.decode()


def test_the_settings_service_refuses_a_published_round(users, published):
    with pytest.raises(RoundIsFinal):
        save_settings(published, {"frame_tkr": 1}, {}, by=users["controller"])
    published.refresh_from_db()
    assert published.frame_tkr != 1


@pytest.mark.parametrize("phase", list(Phase))
def test_nothing_is_writable_in_any_phase_once_published(users, published, phase):
    """The access matrix's rows for a published round: every action that
    writes its record, for every role and every object of the round, is
    refused — even were the round's phase moved back, as the bug once let it."""
    published.phase = phase
    save_as(published, users["admin"])
    round = Round.objects.get(pk=published.pk)
    analyses = list(Analysis.objects.filter(round=round).select_related("forvaltning__namnd"))
    proposals = list(Proposal.objects.filter(round=round).select_related("analysis"))
    results = list(NamndResult.objects.filter(round=round))
    for obj in analyses + results:
        obj.round = round
    for proposal in proposals:
        proposal.round = proposal.analysis.round = round
        proposal.analysis.forvaltning = next(
            a.forvaltning for a in analyses if a.pk == proposal.analysis_id
        )
    objects = {
        "round": [round],
        "analysis": analyses,
        "proposal": proposals,
        "result": results,
    }
    kinds = {
        "set_up_round": "round",
        "move_phase_back": "round",
        "rank_in_forum": "round",
        "name_forum_members": "round",
        "decide_in_forum": "round",
        "publish_round": "round",
        "import_proposals": "round",
        "edit_analysis": "analysis",
        "submit_analysis": "analysis",
        "return_analysis": "analysis",
        "edit_proposal": "proposal",
        "withdraw_proposal": "proposal",
        "rank_in_namnd": "result",
        "record_namnd_result": "result",
    }
    assert set(kinds) == FINAL_ONCE_PUBLISHED
    allowed = [
        (username, action, obj)
        for username, user in users.items()
        for action, kind in kinds.items()
        for obj in objects[kind]
        if may(user, action, obj)
    ]
    assert allowed == []


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def write_requests(round) -> list[tuple[str, str, dict]]:
    """Every write of a published round's record, as the pages send it:
    (what, url, posted data)."""
    bildning = _first(Analysis, round=round, forvaltning__name="Bildningsförvaltningen")
    proposal = _first(Proposal, round=round, analysis=bildning)
    forwarded = selectors.outcome_rows(round)
    decided = forwarded[0].proposal
    result = _first(NamndResult, round=round, namnd=bildning.forvaltning.namnd)
    fid = {"year": YEAR, "forvaltning_id": bildning.forvaltning_id}
    return [
        (
            "settings",
            reverse("round_settings", kwargs=Y),
            {"purpose": round.purpose, "frame_tkr": "1", "instructions": "Ändrat"},
        ),
        (
            "förutsättningar",
            reverse("round_forutsattningar", kwargs=Y),
            {"action": "texts", "ekonomi": "Ändrat"},
        ),
        (
            "lists",
            reverse("round_lists", kwargs=Y),
            {"action": "add", "kind": "fokusomrade", "fokusomrade-name": "Nytt"},
        ),
        (
            "phase back",
            reverse("round_move_phase", kwargs=Y),
            {"to_phase": "5", "comment": "x", "confirm": "1"},
        ),
        ("frame", reverse("forum_budget", kwargs=Y), {"ram": "1"}),
        (
            "order",
            reverse("forum_order", kwargs=Y),
            {f"place_{row.proposal.pk}": str(len(forwarded) - i) for i, row in enumerate(forwarded)}
            | {f"motivation_{row.proposal.pk}": "Omvänt" for row in forwarded},
        ),
        ("review", reverse("forum_review", kwargs=Y), {"review_sarbehandling": "Ändrat"}),
        (
            "decisions",
            reverse("forum_decisions", kwargs=Y),
            {f"outcome_{decided.pk}": Outcome.AVSLAS, f"motivation_{decided.pk}": "Ändrat"},
        ),
        ("publish", reverse("forum_publish", kwargs=Y), {"confirm": "1"}),
        ("forum sheet", reverse("forum_sheet", kwargs=Y), {f"rank_{decided.pk}": "1"}),
        (
            "nämnd ranking",
            reverse("namnd_ranking_save", kwargs={**Y, "namnd_id": result.namnd_id}),
            {f"handling_{decided.pk}": "inom_ram", f"rank_{decided.pk}": "1"},
        ),
        (
            "nämnd decision",
            reverse("namnd_ranking_record", kwargs={**Y, "namnd_id": result.namnd_id}),
            {"decision_date": "2026-01-01", "paragraph": "99"},
        ),
        ("submit", reverse("analysis_submit", kwargs=fid), {"confirm": "1"}),
        ("return", reverse("analysis_return", kwargs=fid), {"comment": "Gör om", "confirm": "1"}),
        (
            "item",
            reverse("analysis_item_add", kwargs=fid),
            {"perspektiv": "1", "column": "1", "text": "Ny punkt"},
        ),
        ("new proposal", reverse("proposal_create", kwargs=fid), {"title": "Nytt"}),
        (
            "edit proposal",
            reverse("proposal_edit", kwargs={**Y, "number": proposal.number}),
            {"title": "Ändrat", "version": str(proposal.version)},
        ),
        (
            "withdraw",
            reverse("proposal_withdraw", kwargs={**Y, "number": proposal.number}),
            {"reason": "Ändrat"},
        ),
        ("import", reverse("import_proposals", kwargs=Y), {}),
    ]


@pytest.mark.parametrize("username", CAST)
def test_every_write_by_url_is_refused_and_changes_nothing(client, users, published, username):
    public = public_page(client)
    document = document_data(published)
    fingerprint = data_fingerprint()
    client = as_user(client, users, username)
    for what, url, data in write_requests(published):
        response = client.post(url, data)
        assert response.status_code in (400, 403, 404, 405), f"{username}: {what} {url}"
        assert data_fingerprint() == fingerprint, f"{username}: {what} wrote something"
    assert public_page(client) == public
    assert document_data(published) == document


# --- rättelse -----------------------------------------------------------------------


def correction_url(proposal):
    return reverse("forum_correction", kwargs={**Y, "number": proposal.number})


@pytest.fixture
def decided(published):
    """A published decision to correct: one that was refused (Avslås)."""
    decision = (
        Decision.objects.filter(round=published, outcome=Outcome.AVSLAS)
        .select_related("proposal")
        .order_by("pk")
        .first()
    )
    assert decision is not None, "the demo's 2026 refuses at least one proposal"
    return decision


REASON = "Kommunfullmäktige beslutade 2026-03-12 § 45 att finansiera förslaget."


def test_the_controller_records_a_correction_beside_the_original(client, users, decided):
    public_before = public_page(client)
    client = as_user(client, users, "controller")
    page = client.get(correction_url(decided.proposal))
    assert page.status_code == 200
    assert "Avslås" in page.content.decode()
    response = client.post(
        correction_url(decided.proposal),
        {"outcome": Outcome.FINANSIERAS, "reason": REASON, "confirm": "1"},
    )
    assert response.status_code == 302
    original = Decision.objects.get(pk=decided.pk)
    assert (original.outcome, original.motivation) == (decided.outcome, decided.motivation)
    correction = DecisionCorrection.objects.get(decision=decided)
    assert (correction.outcome, correction.reason) == (Outcome.FINANSIERAS, REASON)
    assert correction.corrected_by.username == "controller"
    public = public_page(client)
    assert public != public_before
    assert REASON in public
    assert "Publicerat beslut:" in public and "gäller nu" in public
    # In the history, with who.
    history = as_user(client, users, "controller").get(reverse("forum_history", kwargs=Y))
    text = history.content.decode()
    assert "Rättelse av beslutet om" in text and REASON in text
    assert DecisionCorrection.history.filter(history_user__username="controller").count() == 1


def test_the_next_decision_document_shows_the_correction(users, published, decided):
    decision_services.correct_decision(
        published, decided.proposal_id, Outcome.FINANSIERAS, None, REASON, by=users["controller"]
    )
    html = "".join(document_data(published))
    assert "Rättelse" in html and REASON in html
    assert decided.get_outcome_display() in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"outcome": Outcome.FINANSIERAS, "reason": ""}, "reason", "Skriv skälet"),
        ({"outcome": Outcome.AVSLAS, "reason": REASON}, "outcome", "ändrar inget"),
        ({"outcome": Outcome.DELVIS, "reason": REASON}, "amount", "Ange beviljat belopp"),
        ({"outcome": "", "reason": REASON}, "outcome", "Välj vad som gäller"),
        (
            {"outcome": Outcome.EFFEKTIVISERAS, "reason": REASON},
            "outcome",
            "Genomförs (effektivisering) gäller",
        ),
        (
            {"outcome": Outcome.DELVIS, "amount": "99 999", "reason": REASON},
            "amount",
            "mindre än förslagets kostnad",
        ),
        ({"outcome": Outcome.DELVIS, "amount": "²", "reason": REASON}, "amount", "heltal"),
    ],
)
def test_a_correction_is_checked_and_nothing_saved_when_wrong(
    client, users, decided, data, field, message
):
    response = as_user(client, users, "controller").post(
        correction_url(decided.proposal), {**data, "confirm": "1"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DecisionCorrection.objects.exists()


@pytest.mark.parametrize("username", [u for u in CAST if u != "controller"])
def test_only_the_controller_corrects(client, users, decided, username):
    client = as_user(client, users, username)
    url = correction_url(decided.proposal)
    assert client.get(url).status_code == 403
    data = {"outcome": Outcome.FINANSIERAS, "reason": REASON, "confirm": "1"}
    assert client.post(url, data).status_code == 403
    assert not DecisionCorrection.objects.exists()


def test_an_unpublished_round_is_not_corrected_but_decided(client, users, demo_rounds, db):
    url = reverse("forum_correction", kwargs={"year": 2027, "number": 1})
    assert as_user(client, users, "controller").get(url).status_code == 403


def test_the_decisions_page_offers_the_correction(client, users, decided):
    text = as_user(client, users, "controller").get(reverse("forum_decisions", kwargs=Y))
    assert correction_url(decided.proposal) in text.content.decode()
    text = as_user(client, users, "revisor").get(reverse("forum_decisions", kwargs=Y))
    assert correction_url(decided.proposal) not in text.content.decode()
