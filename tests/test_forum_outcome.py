"""The forum's outcome: the agreed order, the budget line page, the review, the
decisions and the publication — who may record, validation that loses
nothing, the history, and query counts that do not grow."""

import pytest
from django.urls import reverse

from ranking import selectors
from ranking.models import AgreedPlace, Decision, ForumResult, Outcome
from ranking.services import decision as decision_services
from rounds.models import Phase
from tests.factories import make_proposal
from tests.forum_setup import outcome_round, rank, send_on, submitted
from tests.helpers import CAST, assert_queries_do_not_grow, assert_sent_to_sign_in, cast_except

Y = {"year": 2027}
ORDER = reverse("forum_order", kwargs=Y)
BUDGET = reverse("forum_budget", kwargs=Y)
REVIEW = reverse("forum_review", kwargs=Y)
DECISIONS = reverse("forum_decisions", kwargs=Y)
PUBLISH = reverse("forum_publish", kwargs=Y)
CONFIRM = {"confirm": "1"}
PUBLIC = reverse("public_round", kwargs=Y)
PAGES = [ORDER, BUDGET, REVIEW, DECISIONS, reverse("forum_history", kwargs=Y)]


@pytest.fixture
def forum(demo):
    return outcome_round()


def computed_ids(round):
    return [row.proposal.pk for row in selectors.outcome_rows(round)]


# --- reading ---


@pytest.mark.parametrize("username", CAST)
@pytest.mark.parametrize("url", PAGES)
def test_every_signed_in_user_reads_the_outcome_pages(forum, signed_in, username, url):
    assert signed_in(username).get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_nobody_signed_out_reads_the_outcome_pages(forum, client, url):
    assert_sent_to_sign_in(client.get(url))


def test_the_computed_order_comes_from_the_sammanvagd_rangordning(forum):
    round, (first, second, third, saving) = forum
    assert computed_ids(round) == [second.pk, first.pk, third.pk, saving.pk]


# --- the agreed order ---


def version(field: str) -> str:
    """The version of one of the result's forms now, as the page would carry it."""
    result = ForumResult.objects.first()
    return str(getattr(result, field)) if result else "1"


def post_order(client, places, motivations=None):
    data = {f"place_{pk}": str(place) for pk, place in places.items()}
    data["version"] = version("order_version")
    data.update({f"motivation_{pk}": text for pk, text in (motivations or {}).items()})
    return client.post(ORDER, data)


def test_controller_records_the_computed_order_without_motivations(forum, signed_in):
    round, (first, second, third, saving) = forum
    client = signed_in("controller")
    response = post_order(client, {second.pk: 1, first.pk: 2, third.pk: 3, saving.pk: 4})
    assert response.status_code == 302
    places = dict(AgreedPlace.objects.values_list("proposal_id", "position"))
    assert places == {second.pk: 1, first.pk: 2, third.pk: 3, saving.pk: 4}
    result = ForumResult.objects.get(round=round)
    assert result.order_recorded_by.username == "controller"
    assert "Ordningen registrerades" in client.get(ORDER).content.decode()


def test_a_departure_needs_a_motivation_and_nothing_is_saved_without_it(forum, signed_in):
    _round, (first, second, third, saving) = forum
    client = signed_in("controller")
    response = post_order(client, {first.pk: 1, second.pk: 2, third.pk: 3, saving.pk: 4})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{first.reference}: Motivera varför förslaget får plats 1 i stället för plats 2" in text
    assert 'value="1"' in text  # what was typed is kept
    assert not AgreedPlace.objects.exists()
    response = post_order(
        client,
        {first.pk: 1, second.pk: 2, third.pk: 3, saving.pk: 4},
        {first.pk: "Lagkrav", second.pk: "Följer av att stödet går först"},
    )
    assert response.status_code == 302
    place = AgreedPlace.objects.get(proposal=first)
    assert (place.position, place.computed_position, place.motivation) == (1, 2, "Lagkrav")
    assert place.departs


@pytest.mark.parametrize(
    ("places", "message"),
    [
        ((1, 1, 3, 4), "Plats 1 är angiven för flera förslag"),
        ((1, 2, 3, 9), "Platsen ska vara ett heltal 1–4"),
        ((1, 2, 3, "x"), "Ange platsen som ett heltal 1–4"),
    ],
)
def test_invalid_places_are_refused_in_swedish(forum, signed_in, places, message):
    _round, proposals = forum
    order = [proposals[1], proposals[0], proposals[2], proposals[3]]
    response = post_order(
        signed_in("controller"), {p.pk: v for p, v in zip(order, places, strict=True)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AgreedPlace.objects.exists()


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_records_the_order(forum, signed_in, username):
    _round, (first, second, third, saving) = forum
    response = post_order(
        signed_in(username), {second.pk: 1, first.pk: 2, third.pk: 3, saving.pk: 4}
    )
    assert response.status_code == 403
    assert not AgreedPlace.objects.exists()


def test_the_order_is_not_recorded_outside_the_forum_and_beslut_phases(forum, signed_in):
    round, (first, second, third, saving) = forum
    round.phase = Phase.NAMND
    round.save()
    response = post_order(
        signed_in("controller"), {second.pk: 1, first.pk: 2, third.pk: 3, saving.pk: 4}
    )
    assert response.status_code == 403


def test_the_agreed_order_keeps_its_history(forum, demo):
    round, (first, second, third, saving) = forum
    controller = demo["controller"]
    decision_services.record_order(
        round, {second.pk: 1, first.pk: 2, third.pk: 3, saving.pk: 4}, {}, by=controller
    )
    decision_services.record_order(
        round,
        {second.pk: 1, first.pk: 3, third.pk: 2, saving.pk: 4},
        {first.pk: "Omprövad", third.pk: "Kort väg"},
        by=controller,
    )
    history = AgreedPlace.history.filter(proposal_id=first.pk).order_by("history_date")
    assert [h.position for h in history] == [2, 3]
    assert {h.history_user.username for h in history} == {"controller"}


# --- the budget line page ---


def test_the_budget_line_page_shows_above_and_below_the_line(forum, signed_in):
    _round, (first, _second, third, _saving) = forum
    text = signed_in("revisor").get(BUDGET).content.decode()
    # Frame 1 000 + saving 200 = 1 200; second 400, first 600 → 1 000; third 300 → 1 300.
    assert "1\xa0200\xa0tkr" in text
    assert "Budgetlinjen – ramen 1\xa0200\xa0tkr" in text
    table = text[text.index("outcome-table--budget") :]  # the line's own table
    assert table.index(first.title) < table.index("Budgetlinjen – ramen") < table.index(third.title)
    assert "Längre resor" in text  # what is given up shows its konsekvensanalys
    assert 'role="img"' in text and "<desc" in text


def test_trying_another_frame_moves_the_line_and_saves_nothing(forum, signed_in):
    round, (_first, _second, _third, _saving) = forum
    client = signed_in("controller")
    text = client.get(BUDGET, {"ram": "1 300"}).content.decode()
    assert "Du prövar ramen 1\xa0300\xa0tkr. Inget är sparat." in text
    assert "Budgetlinjen – ramen" not in text  # everything fits 1 500
    round.refresh_from_db()
    assert round.frame_tkr == 1000
    text = client.get(BUDGET, {"ram": "mycket"}).content.decode()
    assert "Ange ramen som ett heltal i tkr." in text


def test_the_controller_can_save_a_tried_frame(forum, signed_in):
    round, _ = forum
    response = signed_in("controller").post(BUDGET, {"ram": "1300"})
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.frame_tkr == 1300


@pytest.mark.parametrize("username", cast_except("controller"))
def test_others_cannot_save_the_frame(forum, signed_in, username):
    round, _ = forum
    assert signed_in(username).post(BUDGET, {"ram": "1300"}).status_code == 403
    round.refresh_from_db()
    assert round.frame_tkr == 1000


# --- the review ---

ANSWERS = {
    "review_sarbehandling": "Ingen grupp gynnas utan behov.",
    "review_undantrangning": "Skolskjutsen trängs undan.",
    "review_rimlighet": "Rimligt.",
}


def post_review(client, answers):
    return client.post(REVIEW, {**answers, "version": version("review_version")})


def test_the_review_flags_proposals_whose_rank_disagrees_with_their_assessment(forum, signed_in):
    _round, (_first, _second, _third, _saving) = forum
    text = signed_in("forum-2").get(REVIEW).content.decode()
    # Förstärkt stöd: median 2 with Liten svårighetsgrad and Liten nytta.
    assert "Högt rangordnat (median 2) trots liten svårighetsgrad och liten nytta." in text


def test_the_review_measures_against_the_rounds_own_riktvarden(forum, signed_in):
    round, _ = forum
    far = "Medianen 2 ligger långt från kommunens riktvärden för svårighetsgraden liten"
    text = signed_in("forum-2").get(REVIEW).content.decode()
    assert f"{far} (7–10)." in text
    # The page shows the guide as the municipality's, beside the source's examples,
    # and says why low cost-effectiveness is no flag at Mycket stor.
    assert "<caption>Kommunens riktvärden</caption>" in text
    assert '<tr><th scope="row">Liten</th><td>7–10</td></tr>' in text
    assert "Tillstånd A + Åtgärd x, jämfört med nuvarande vård X" in text
    assert "nyttan få kosta mer för dem med de svåraste tillstånden" in text
    round.riktvarde_liten_fran, round.riktvarde_liten_till = 1, 4
    round.save()
    text = signed_in("forum-2").get(REVIEW).content.decode()
    assert far not in text
    assert '<tr><th scope="row">Liten</th><td>1–4</td></tr>' in text


def test_controller_records_the_review(forum, signed_in):
    round, _ = forum
    client = signed_in("controller")
    response = post_review(client, ANSWERS)
    assert response.status_code == 302
    result = ForumResult.objects.get(round=round)
    assert result.review_undantrangning == "Skolskjutsen trängs undan."
    assert result.review_recorded_by.username == "controller"


def test_an_unanswered_review_question_is_refused_and_the_answers_are_kept(forum, signed_in):
    response = post_review(signed_in("controller"), {**ANSWERS, "review_rimlighet": " "})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Besvara frågan." in text
    assert "Skolskjutsen trängs undan." in text
    assert not ForumResult.objects.filter(review_recorded_at__isnull=False).exists()


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_records_the_review(forum, signed_in, username):
    assert post_review(signed_in(username), ANSWERS).status_code == 403
    assert not ForumResult.objects.exists()


# --- the decisions ---


def decide(client, rows):
    data = {"version": version("decisions_version")}
    for pk, (outcome, amount, motivation) in rows.items():
        data[f"outcome_{pk}"] = outcome
        data[f"amount_{pk}"] = amount
        data[f"motivation_{pk}"] = motivation
    return client.post(DECISIONS, data)


def all_decided(forum):
    _round, (first, second, third, saving) = forum
    return {
        second.pk: (Outcome.FINANSIERAS, "", "Högst rangordnat"),
        first.pk: (Outcome.DELVIS, "500", "Ryms delvis"),
        third.pk: (Outcome.AVSLAS, "", "Under linjen"),
        saving.pk: (Outcome.EFFEKTIVISERAS, "", "Sparar 200 tkr"),
    }


def test_controller_records_decisions_and_their_history(forum, signed_in):
    _round, (first, second, _third, _saving) = forum
    response = decide(signed_in("controller"), all_decided(forum))
    assert response.status_code == 302
    partial = Decision.objects.get(proposal=first)
    assert (partial.outcome, partial.amount_tkr, partial.motivation) == (
        "delvis",
        500,
        "Ryms delvis",
    )
    assert Decision.objects.count() == 4
    assert (
        Decision.history.filter(proposal_id=second.pk).get().history_user.username == "controller"
    )


@pytest.mark.parametrize(
    ("which", "row", "message"),
    [
        (0, (Outcome.DELVIS, "", "x"), "Ange beviljat belopp år 1 i tkr."),
        (0, (Outcome.DELVIS, "600", "x"), "Beloppet ska vara större än 0 och mindre än"),
        (0, (Outcome.DELVIS, "fem", "x"), "Ange beloppet som ett heltal i tkr."),
        (
            0,
            (Outcome.EFFEKTIVISERAS, "", "x"),
            "Genomförs (effektivisering) gäller förslag av typen",
        ),
        (0, (Outcome.RANSONERAS, "", "x"), "Genomförs (ransonering) gäller förslag av typen"),
        (3, (Outcome.RANSONERAS, "", "x"), "Genomförs (ransonering) gäller förslag av typen"),
        (0, (Outcome.FINANSIERAS, "", " "), "Motivera beslutet."),
        (0, ("kanske", "", "x"), "Välj ett beslut bland alternativen."),
        (3, (Outcome.DELVIS, "100", "x"), "Delvis finansiering gäller förslag som kostar"),
    ],
)
def test_invalid_decisions_are_refused_and_nothing_is_saved(forum, signed_in, which, row, message):
    _round, proposals = forum
    rows = all_decided(forum)
    rows[proposals[which].pk] = row
    response = decide(signed_in("controller"), rows)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "Högst rangordnat" in text  # the other rows keep what was typed
    assert not Decision.objects.exists()


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_decides(forum, signed_in, username):
    assert decide(signed_in(username), all_decided(forum)).status_code == 403
    assert not Decision.objects.exists()


def test_partial_financing_moves_the_budget_line(forum, signed_in, demo):
    round, (first, _second, _third, _saving) = forum
    decision_services.save_decisions(
        round,
        {first.pk: {"outcome": Outcome.DELVIS, "amount": "300", "motivation": "Delvis"}},
        by=demo["controller"],
    )
    rows = selectors.outcome_rows(round)
    line = selectors.with_line(rows, round.frame_tkr, round.purpose)
    # 400 + 300 + 300 = 1 000 ≤ 1 200: now everything fits.
    assert [step.funded for step in line.steps] == [True, True, True]


# --- publication ---


def ready(forum, demo):
    round, (first, second, third, saving) = forum
    controller = demo["controller"]
    decision_services.record_order(
        round, {second.pk: 1, first.pk: 2, third.pk: 3, saving.pk: 4}, {}, by=controller
    )
    decision_services.record_review(round, ANSWERS, by=controller)
    decision_services.save_decisions(
        round,
        {
            pk: {"outcome": o, "amount": a, "motivation": m}
            for pk, (o, a, m) in all_decided(forum).items()
        },
        by=controller,
    )
    round.phase = Phase.BESLUT
    round.save()
    return round


def test_publishing_needs_the_beslut_phase_order_review_and_every_decision(forum, demo, signed_in):
    round, _ = forum
    client = signed_in("controller")
    assert client.post(PUBLISH, CONFIRM).status_code == 403  # still the forum phase
    round.phase = Phase.BESLUT
    round.save()
    response = client.post(PUBLISH, CONFIRM, follow=True)
    text = response.content.decode()
    assert "Forumets ordning är inte registrerad." in text
    assert "Granskningen är inte registrerad." in text
    assert "Beslut saknas för 4 förslag" in text
    assert not ForumResult.objects.filter(published_at__isnull=False).exists()


def test_controller_publishes_and_the_outcome_is_locked(forum, demo, signed_in):
    round = ready(forum, demo)
    client = signed_in("controller")
    response = client.post(PUBLISH, CONFIRM)
    assert response.status_code == 302 and response["Location"] == PUBLIC
    result = ForumResult.objects.get(round=round)
    assert result.published_by.username == "controller"
    assert client.post(PUBLISH, CONFIRM).status_code == 403
    assert post_review(client, ANSWERS).status_code == 403
    assert decide(client, all_decided(forum)).status_code == 403
    assert result.history.filter(history_change_reason="Publicerad").count() == 1


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_publishes(forum, demo, signed_in, username):
    ready(forum, demo)
    assert signed_in(username).post(PUBLISH, CONFIRM).status_code == 403
    assert signed_in(username).get(PUBLISH).status_code == 403
    assert not ForumResult.objects.filter(published_at__isnull=False).exists()


def test_publish_answers_get_with_the_confirmation_page(forum, demo, signed_in):
    ready(forum, demo)
    response = signed_in("controller").get(PUBLISH)
    assert response.status_code == 200
    assert "Publicera resultatet 2027?" in response.content.decode()


# --- query counts ---


@pytest.mark.parametrize("url", [*PAGES, f"{BUDGET}?ram=5000"])
def test_outcome_pages_do_not_grow_with_proposals_and_members(forum, demo, signed_in, url):
    round, _ = forum
    ready(forum, demo)
    round.phase = Phase.FORUM
    round.save()
    client = signed_in("controller")
    social = submitted(round, "Socialförvaltningen")

    def grow():
        for i in range(8):
            proposal = send_on(
                round, make_proposal(social, title=f"Fler {i}", cost_year1=50), "Socialnämnden"
            )
            for member in ("forum-1", "forum-4", "forum-5"):
                rank(round, member, proposal, 1 + i % 10)

    assert_queries_do_not_grow(client, url, grow)


# --- the public page ---


def test_an_unpublished_round_does_not_exist_for_anyone_on_the_public_page(
    forum, demo, client, signed_in
):
    ready(forum, demo)
    assert client.get(PUBLIC).status_code == 404
    assert (
        "Inga prioriteringsomgångar är publicerade än."
        in client.get(reverse("public_list")).content.decode()
    )
    assert signed_in("controller").get(PUBLIC).status_code == 404


def test_anyone_reads_a_published_round_without_signing_in(forum, demo, client):
    round = ready(forum, demo)
    decision_services.publish(round, by=demo["controller"])
    _round, (first, second, third, _saving) = forum
    listing = client.get(reverse("public_list")).content.decode()
    assert f'href="{PUBLIC}"' in listing
    response = client.get(PUBLIC)
    assert response.status_code == 200
    text = response.content.decode()
    # The decided order, each decision with its motivation, the line and the review.
    decided = text[text.index('id="beslut"') :]  # the decisions in the forum's order
    assert decided.index(second.title) < decided.index(first.title) < decided.index(third.title)
    for motivation in ("Högst rangordnat", "Ryms delvis", "Under linjen", "Sparar 200 tkr"):
        assert motivation in text
    assert "Finansieras delvis" in text and "500\xa0tkr" in text
    assert "Skolskjutsen trängs undan." in text
    assert 'role="img"' in text
    assert "Elever utan stöd" in text  # the assessment's konsekvensanalys
    # No names of officials: not who proposed, recorded, decided or published.
    for user in (demo["controller"], demo["tjp-bildning"]):
        assert user.get_full_name() not in text
        assert user.username not in text
    # Nothing that only signed-in users may open.
    assert "/omgangar/" not in text


def test_the_public_page_shows_nothing_from_drafts(forum, demo, client):
    round = ready(forum, demo)
    from tests.factories import analysis_of

    draft = analysis_of(round, "Kommunledningsförvaltningen")
    make_proposal(draft, title="Hemligt utkast")
    decision_services.publish(round, by=demo["controller"])
    assert "Hemligt utkast" not in client.get(PUBLIC).content.decode()


def test_the_public_page_query_count_does_not_grow(forum, demo, client):
    round = ready(forum, demo)
    decision_services.publish(round, by=demo["controller"])
    social = submitted(round, "Socialförvaltningen")

    def grow():
        for i in range(6):
            proposal = send_on(
                round, make_proposal(social, title=f"Fler {i}", cost_year1=50), "Socialnämnden"
            )
            Decision.objects.create(
                round=round,
                proposal=proposal,
                outcome=Outcome.AVSLAS,
                motivation="Nej",
                decided_by=demo["controller"],
            )
            rank(round, "forum-2", proposal, 4)

    assert_queries_do_not_grow(client, PUBLIC, grow)


HISTORY = reverse("forum_history", kwargs=Y)


def test_the_history_shows_who_changed_what_and_when(forum, demo, signed_in):
    round = ready(forum, demo)
    _round, (first, second, _third, _saving) = forum
    decision_services.publish(round, by=demo["controller"])
    history = signed_in("revisor").get(HISTORY).content.decode()
    controller = str(demo["controller"])
    assert f"{controller}: Publicerad" in history
    assert (
        f"{controller}: Beslut om {first.reference}: Finansieras delvis (500 tkr). "
        "Motivering: Ryms delvis" in history
    )
    assert f"{second.reference} fick plats 1 (sammanvägd: 1)." in history
    assert "Granskningen registrerad" in history


def test_a_proposals_page_shows_its_way_through_the_ranking(forum, demo, signed_in):
    round = ready(forum, demo)
    _round, (first, _second, _third, _saving) = forum
    decision_services.record_order(
        round,
        {p.pk: i for i, p in enumerate(forum[1], start=1)},
        {forum[1][0].pk: "Lagkrav", forum[1][1].pk: "Följer"},
        by=demo["controller"],
    )
    text = (
        signed_in("revisor")
        .get(reverse("proposal_detail", kwargs={"year": 2027, "number": first.number}))
        .content.decode()
    )
    section = text.split('id="del-prioritering"')[1].split("</section>")[0]
    assert "Median 2, medel 2,3, kvartilavstånd 0,5 (3 har rangordnat)" in section
    assert "1 (sammanvägd rangordning gav plats 2): Lagkrav" in section
    assert "Finansieras delvis (500\xa0tkr): Ryms delvis" in section
    assert "1, till kommungemensam prioritering" in section


def test_an_invalid_frame_is_not_saved_and_is_shown_back(forum, signed_in):
    round, _ = forum
    client = signed_in("controller")
    response = client.post(BUDGET, {"ram": "tio&x=1"})
    assert response.status_code == 302
    assert response["Location"] == f"{BUDGET}?ram=tio%26x%3D1"
    text = client.get(response["Location"]).content.decode()
    assert "Ramen sparades inte" in text
    assert "Ange ramen som ett heltal i tkr." in text
    round.refresh_from_db()
    assert round.frame_tkr == 1000
