"""The published round as open data (ranking.open_data, ranking/views/open_data.py):
the JSON valid against its schema, the CSV for Swedish Excel, the Pabulib file
read back by pabutools, the ballots without names in an order fixed at
publication and enough to recompute the sammanvägd rangordning, the caching,
the 404s of an unpublished round and of a round that keeps its ballots, and the
round setting that decides."""

import csv
import io
import json
import statistics

import jsonschema
import pytest
from django.urls import reverse

from prioritering.audit import save_as
from ranking import aggregate, open_data, robustness, selectors
from ranking.models import Decision, ForumResult, Outcome
from rounds.models import Proposal, Round, User
from rounds.services.setup import save_settings
from tests.factories import make_proposal
from tests.forum_setup import rank, send_on, submitted
from tests.helpers import CAST, assert_queries_do_not_grow, cast_except

PUBLISHED, OPEN = 2026, 2027
FILES = ("open_data_json", "open_data_csv", "open_data_pabulib")
ALL_FOUR = ("open_data_page", *FILES)


@pytest.fixture
def published(demo_rounds, db):
    return Round.objects.get(budget_year=PUBLISHED)


@pytest.fixture
def users(demo_rounds, db):
    return {user.username: user for user in User.objects.all()}


def url(name, year=PUBLISHED):
    return reverse(name, kwargs={"year": year})


def get_json(client, year=PUBLISHED):
    response = client.get(url("open_data_json", year))
    assert response.status_code == 200
    return json.loads(response.content.decode("utf-8"))


def changed(obj, **fields):
    """``obj`` saved with ``fields`` changed, with history (as the services do)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    save_as(obj, User.objects.get(username="controller"))
    return obj


def set_seed(round, value):
    changed(ForumResult.objects.get(round=round), ballot_seed=value)


def ballots_off(round, users):
    round.publish_ballots = False
    save_as(round, users["controller"])


# --- the JSON and its schema ---


def test_the_json_validates_against_the_schema(client, published):
    data = get_json(client)
    jsonschema.Draft202012Validator.check_schema(open_data.schema())
    jsonschema.Draft202012Validator(
        open_data.schema(), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    assert data["budget_year"] == PUBLISHED
    assert data["kommun"] == published.kommun.name
    assert data["ballots"]  # the demo publishes them


def test_the_schema_is_served_and_describes_every_field_in_swedish(client):
    response = client.get(reverse("open_data_schema"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/schema+json")
    schema = json.loads(response.content.decode("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def described(node):
        for name, spec in node.get("properties", {}).items():
            assert spec.get("description"), name
        for spec in node.get("$defs", {}).values():
            described(spec)

    described(schema)
    for name in ("stability",):
        described(schema["$defs"][name]["properties"]["rules"])


def test_the_json_is_utf8_without_escapes(client, published):
    response = client.get(url("open_data_json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "ä".encode() in response.content or "ö".encode() in response.content
    assert b"\\u00" not in response.content


def test_the_proposals_follow_the_public_page(client, published):
    data = get_json(client)
    rows = selectors.outcome_rows(published)
    line = selectors.with_line(rows, published.frame_tkr, published.purpose)
    assert [p["reference"] for p in data["proposals"]] == [r.proposal.reference for r in rows]
    assert [p["place"] for p in data["proposals"]] == list(range(1, len(rows) + 1))
    assert data["frame_with_savings_tkr"] == line.effective_frame
    assert data["savings_tkr"] == line.savings
    assert data["frame_tkr"] == published.frame_tkr
    for proposal, row in zip(data["proposals"], rows, strict=True):
        assert proposal["decision"] == row.decision.outcome
        assert proposal["cost_year1_tkr"] == row.proposal.cost_year1
        on_line = row.step is not None
        assert (proposal["above_line"] is not None) == on_line
        assert (proposal["stability"] is not None) == on_line
    stable = [p["stability"] for p in data["proposals"] if p["stability"]]
    assert stable and all(s["class"] in robustness.CLASS_LABELS for s in stable)


def test_a_correction_says_what_it_changed(client, published, users):
    from ranking.services.decision import correct_decision

    row = next(
        r for r in selectors.outcome_rows(published) if r.decision.outcome == Outcome.FINANSIERAS
    )
    correct_decision(
        published,
        row.proposal.pk,
        Outcome.AVSLAS,
        None,
        "Kommunfullmäktige avslog förslaget.",
        by=users["controller"],
    )
    proposal = next(
        p for p in get_json(client)["proposals"] if p["reference"] == row.proposal.reference
    )
    (correction,) = proposal["corrections"]
    assert correction["from_decision"] == "finansieras"
    assert correction["decision"] == "avslas"
    assert correction["reason"] == "Kommunfullmäktige avslog förslaget."
    assert proposal["decision"] == "finansieras"  # as published; the correction holds


# --- no names ---


def test_no_name_username_or_email_of_any_user_is_in_the_files(client, published):
    bodies = [client.get(url(name)).content.decode("utf-8") for name in FILES]
    for user in User.objects.all():
        for value in (user.username, user.email, user.get_full_name()):
            if value and len(value) > 3:
                for body in bodies:
                    assert value not in body, value
    data = json.loads(bodies[0])
    assert all(
        set(ballot) <= {p["reference"] for p in data["proposals"]} for ballot in data["ballots"]
    )


def test_nothing_of_a_draft_is_in_the_files(client, published):
    from tests.factories import analysis_of

    draft = analysis_of(published, "Kommunledningsförvaltningen")
    draft.status = "draft"
    draft.save()
    make_proposal(draft, title="Hemligt utkast om öppna data")
    for name in FILES:
        assert "Hemligt utkast" not in client.get(url(name)).content.decode("utf-8")


# --- the ballots ---


def test_with_the_setting_off_there_are_no_ballots_and_no_pb(client, published, users):
    ballots_off(published, users)
    assert "ballots" not in get_json(client)
    assert client.get(url("open_data_pabulib")).status_code == 404
    assert client.get(url("open_data_csv")).status_code == 200
    page = client.get(url("open_data_page")).content.decode()
    assert url("open_data_pabulib") not in page


@pytest.mark.parametrize("name", ALL_FOUR)
def test_an_unpublished_round_answers_404(client, demo_rounds, db, name):
    assert client.get(url(name, OPEN)).status_code == 404


def test_recomputing_from_the_ballots_gives_the_published_sammanvagd_rangordning(client, published):
    data = get_json(client)
    references = [p["reference"] for p in data["proposals"]]
    # The rule breaks a tie of median and mean by registration order: the id.
    ids = dict(Proposal.objects.filter(round=published).values_list("number", "pk"))
    key = {ref: ids[int(ref.split("-")[1])] for ref in references}
    ranks = {ref: [] for ref in references}
    for ballot in data["ballots"]:
        for reference, value in ballot.items():
            ranks[reference].append(value)
    for proposal in data["proposals"]:
        mine = ranks[proposal["reference"]]
        assert proposal["ranked_by"] == len(mine)
        if mine:
            combined = aggregate.combine(mine)
            assert proposal["median_rank"] == statistics.median(mine) == combined.median
            assert proposal["mean_rank"] == pytest.approx(statistics.fmean(mine))
            assert proposal["iqr"] == combined.iqr
    order = aggregate.order({key[ref]: aggregate.combine(ranks[ref]) for ref in references})
    by_key = {key[ref]: ref for ref in references}
    computed = {by_key[pk]: place for place, pk in enumerate(order, start=1)}
    ballots_by_key = [{key[ref]: r for ref, r in ballot.items()} for ballot in data["ballots"]]
    median_order = robustness.median_order(ballots_by_key, list(by_key))
    assert median_order == order
    for proposal in data["proposals"]:
        expected = computed[proposal["reference"]] if proposal["ranked_by"] else None
        assert proposal["combined_place"] == expected


def test_the_ballot_order_is_the_same_on_every_request(client, published):
    assert get_json(client)["ballots"] == get_json(client)["ballots"]


def test_the_ballot_order_is_shuffled_by_the_stored_seed(client, published):
    keys = {p.pk for p in Proposal.objects.filter(round=published)}
    in_member_order = selectors.forum_ballots(published, keys)
    assert len(in_member_order) >= 3
    seed = ForumResult.objects.get(round=published).ballot_seed
    assert seed is not None

    def published_ballots():
        data = get_json(client)
        ids = {p.reference: p.pk for p in Proposal.objects.filter(round=published)}
        return [{ids[ref]: r for ref, r in ballot.items()} for ballot in data["ballots"]]

    assert published_ballots() == open_data.shuffled(in_member_order, seed)
    # Some seed gives another order than the members' (and the stored one is used).
    other = next(s for s in range(100) if open_data.shuffled(in_member_order, s) != in_member_order)
    set_seed(published, other)
    assert published_ballots() == open_data.shuffled(in_member_order, other)
    assert published_ballots() != in_member_order


def test_publishing_draws_the_seed_with_history(published):
    result = ForumResult.objects.get(round=published)
    assert result.ballot_seed is not None
    published_row = result.history.filter(history_change_reason="Publicerad").get()
    assert published_row.ballot_seed == result.ballot_seed


def test_a_result_without_a_seed_publishes_no_ballots(client, published):
    set_seed(published, None)
    assert "ballots" not in get_json(client)
    assert client.get(url("open_data_pabulib")).status_code == 404


# --- the Pabulib file ---


def test_the_pb_file_reads_back_with_pabutools(client, published, tmp_path):
    from pabutools.election import parse_pabulib

    data = get_json(client)
    response = client.get(url("open_data_pabulib"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename=rangordningar-{PUBLISHED}.pb"
    path = tmp_path / "rangordningar.pb"
    path.write_bytes(response.content)
    instance, profile = parse_pabulib(str(path))
    assert len(instance) == len(data["proposals"])
    assert len(profile) == len(data["ballots"])
    assert instance.meta["vote_type"] == "ordinal"
    assert instance.meta["num_projects"] == str(len(data["proposals"]))
    assert instance.meta["num_votes"] == str(len(data["ballots"]))
    assert instance.budget_limit == data["frame_with_savings_tkr"]
    costs = {p.name: p.cost for p in instance}
    assert costs == {p["reference"]: p["cost_year1_tkr"] for p in data["proposals"]}
    # Each vote in preference order with its ranks, ties recoverable.
    for ballot, published_ballot in zip(profile, data["ballots"], strict=True):
        names = [project.name for project in ballot]
        ranks = [int(value) for value in ballot.meta["ranks"].split(",")]
        assert dict(zip(names, ranks, strict=True)) == published_ballot
        assert ranks == sorted(ranks)


def test_a_saving_has_a_negative_cost_in_the_pb_file(client, published, users, tmp_path):
    from pabutools.election import parse_pabulib

    social = submitted(published, "Socialförvaltningen")
    saving = send_on(
        published, make_proposal(social, title="Sparar", cost_year1=-300), "Socialnämnden"
    )
    Decision.objects.create(
        round=published,
        proposal=saving,
        outcome=Outcome.EFFEKTIVISERAS,
        decided_by=users["controller"],
    )
    rank(published, "forum-1", saving, 2)
    path = tmp_path / "r.pb"
    path.write_bytes(client.get(url("open_data_pabulib")).content)
    instance, _profile = parse_pabulib(str(path))
    assert instance.get_project(saving.reference).cost == -300


# --- the CSV ---


def test_the_csv_is_for_swedish_excel(client, published):
    response = client.get(url("open_data_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f"attachment; filename=prioriteringar-{PUBLISHED}.csv"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Referens", "Titel", "Nämnd", "Typ"]
    assert rows[0][-1] == "Stabilitet"
    data = get_json(client)
    assert len(rows) == 1 + len(data["proposals"])
    median = rows[0].index("Median")
    halves = [p for p in data["proposals"] if p["median_rank"] and p["median_rank"] % 1]
    values = {row[0]: row[median] for row in rows[1:]}
    for p in halves:
        assert "," in values[p["reference"]]


def test_a_title_starting_with_a_formula_is_neutralised(client, published):
    proposal = Proposal.objects.filter(round=published, decision__isnull=False).first()
    changed(proposal, title='=HYPERLINK("x")')
    rows = list(
        csv.reader(
            io.StringIO(client.get(url("open_data_csv")).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles[proposal.reference] == '\'=HYPERLINK("x")'


# --- caching ---


@pytest.mark.parametrize("name", FILES)
def test_the_files_carry_an_etag_and_answer_304(client, published, name):
    response = client.get(url(name))
    assert response["Cache-Control"] == "public, max-age=300"
    tag = response["ETag"]
    assert tag.startswith('"')
    again = client.get(url(name), headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again["ETag"] == tag
    assert client.get(url(name), headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_change_changes_the_etag(client, published, users):
    before = client.get(url("open_data_json"))["ETag"]
    decision = Decision.objects.filter(round=published, namnd_result__isnull=True).first()
    changed(decision, motivation="Ny motivering")
    assert client.get(url("open_data_json"))["ETag"] != before


def test_the_data_is_swedish_whatever_the_readers_language(client, published):
    swedish = client.get(url("open_data_json")).content
    client.cookies["django_language"] = "en"
    assert client.get(url("open_data_json")).content == swedish


@pytest.mark.parametrize("name", ALL_FOUR)
def test_the_query_count_does_not_grow_with_the_proposals(client, published, users, name):
    social = submitted(published, "Socialförvaltningen")

    def grow():
        for i in range(6):
            proposal = send_on(
                published,
                make_proposal(social, title=f"Fler {i}", cost_year1=50),
                "Socialnämnden",
            )
            Decision.objects.create(
                round=published,
                proposal=proposal,
                outcome=Outcome.AVSLAS,
                motivation="Nej",
                decided_by=users["controller"],
            )
            rank(published, "forum-2", proposal, 1 + i)

    assert_queries_do_not_grow(client, url(name), grow)


# --- the page ---


@pytest.mark.parametrize("username", [None, *CAST])
def test_everyone_reads_the_page_and_the_files(client, published, users, username):
    if username:
        client.force_login(users[username])
    page = client.get(url("open_data_page"))
    assert page.status_code == 200
    text = page.content.decode()
    for name in FILES:
        assert reverse(name, kwargs={"year": PUBLISHED}) in text
        assert client.get(url(name)).status_code == 200
    assert reverse("open_data_schema") in text
    assert "CC0 1.0" in text
    assert "median_rank" in text and "Medianen av forumdeltagarnas" in text


def test_the_public_round_page_links_to_the_open_data(client, published):
    text = client.get(reverse("public_round", kwargs={"year": PUBLISHED})).content.decode()
    assert url("open_data_page") in text


def test_the_licence_comes_from_the_settings(client, published, settings):
    settings.OPEN_DATA_LICENCE_NAME = "CC BY 4.0"
    settings.OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
    assert get_json(client)["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert "CC BY 4.0" in client.get(url("open_data_page")).content.decode()


@pytest.mark.parametrize("name", [*ALL_FOUR])
def test_the_files_answer_only_get(client, published, name):
    assert client.post(url(name)).status_code in (403, 405)


# --- the round setting ---

SETTINGS = "/omgangar/2027/installningar/"


def test_the_controller_turns_the_setting_on_with_history(client, users, demo_rounds, db):
    from tests.test_round_settings import form_data

    round = Round.objects.get(budget_year=OPEN)
    assert round.publish_ballots is False
    client.force_login(users["controller"])
    page = client.get(SETTINGS).content.decode()
    assert "Publicera anonymiserade rangordningar" in page
    data = form_data(version=str(round.settings_version), publish_ballots="on")
    response = client.post(SETTINGS, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    round.refresh_from_db()
    assert round.publish_ballots is True
    latest = round.history.latest()
    assert latest.publish_ballots is True
    assert latest.history_user == users["controller"]
    save_settings(round, {"publish_ballots": False}, {}, by=users["controller"])
    round.refresh_from_db()
    assert round.publish_ballots is False
    assert [h.publish_ballots for h in round.history.order_by("-history_date")[:2]] == [
        False,
        True,
    ]


@pytest.mark.parametrize("username", cast_except("controller"))
def test_only_the_controller_may_change_the_setting(client, users, demo_rounds, db, username):
    from tests.test_round_settings import form_data

    round = Round.objects.get(budget_year=OPEN)
    client.force_login(users[username])
    data = form_data(version=str(round.settings_version), publish_ballots="on")
    assert client.post(SETTINGS, data).status_code == 403
    round.refresh_from_db()
    assert round.publish_ballots is False
