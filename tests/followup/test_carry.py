"""Carrying a proposal into the next round (``proposal_carry_over``): the link
both ways, exactly the carried fields, lists mapped by name, nothing of the
old round changed, once only, who may, and the form's pre-filled reason.

The builders at the top are shared with the list, lifecycle and comparison
tests (tests/followup/test_carry_list.py, test_lifecycle.py,
test_comparison.py)."""

import datetime

import pytest
from django.urls import reverse

from followup.models import FollowUpPeriod, FollowUpReport, PeriodKind, Progress
from followup.services import (
    CARRIED_FIELDS,
    default_deadlines,
    report_for,
    save_report,
    set_periods,
    submit_report,
)
from prioritering.audit import save_as
from ranking.models import Decision, Outcome
from rounds.models import (
    Grad,
    Kostnadseffektivitet,
    Kunskapsunderlag,
    ListItem,
    ListKind,
    Malomrade,
    Phase,
    Proposal,
    ProposalType,
    Round,
    Svarighetsgrad,
    User,
)
from tests.factories import analysis_of, make_proposal, make_round
from tests.forum_setup import submitted
from tests.helpers import assert_sent_to_sign_in, cast_except

# --- builders (shared) --------------------------------------------------------

BILDNING = "Bildningsförvaltningen"
SOCIAL = "Socialförvaltningen"
# Who writes and who hands in a förvaltning's reports.
REPORTERS = {BILDNING: ("tjp-bildning", "chef-bildning"), SOCIAL: ("tjp-social", "tjp-social")}


def user(username: str) -> User:
    return User.objects.get(username=username)


def follow_up_round(year: int) -> Round:
    """A round in the uppföljning phase with its three periods, and Bildning's
    and Social's analyses submitted."""
    round = make_round(year, phase=Phase.UPPFOLJNING)
    set_periods(round, default_deadlines(year), by=user("controller"))
    submitted(round, BILDNING)
    submitted(round, SOCIAL)
    return Round.objects.get(pk=round.pk)


def decide(proposal: Proposal, outcome: str, amount: int | None = None, motivation="Beslutat."):
    save_as(
        Decision(
            round=proposal.round,
            proposal=proposal,
            outcome=outcome,
            amount_tkr=amount,
            motivation=motivation,
            decided_by=user("controller"),
        ),
        user("controller"),
    )
    return Proposal.objects.select_related("round", "analysis__forvaltning", "decision").get(
        pk=proposal.pk
    )


def report(
    proposal: Proposal,
    kind: int,
    progress: str,
    cost: int,
    deviation: str = "",
    measures: str = "",
    *,
    submit: bool = True,
) -> FollowUpReport:
    """A report written by the förvaltning's tjänsteperson and handed in by its chef."""
    writer, chef = REPORTERS[proposal.analysis.forvaltning.name]
    period = FollowUpPeriod.objects.get(round=proposal.round, kind=kind)
    fields = {
        "progress": progress,
        "cost_outcome_tkr": cost,
        "effect_achieved": None if progress == Progress.EJ_PABORJAD else Grad.MATTLIG,
        "effect_text": "",
        "deviation": deviation,
        "measures": measures,
    }
    saved = save_report(
        report_for(period, proposal), fields, by=user(writer), expected_version=None
    )
    if submit:
        saved = submit_report(saved, by=user(chef))
    return saved


def item(round: Round, kind: str, name: str) -> ListItem:
    return ListItem.objects.get_or_create(
        round=round, kind=kind, name=name, defaults={"position": 99}
    )[0]


def full_proposal(analysis, **fields) -> Proposal:
    """A proposal with every carried field set to something not the default,
    and list items and goals from its round's lists."""
    round = analysis.round
    values = {
        "title": "Fler platser i förskola",
        "malomrade": Malomrade.choices[1][0],
        "situation": "Kön växer.",
        "atgard": "Två nya avdelningar.",
        "jamforelsealternativ": "Barnen placeras långt bort.",
        "konsekvensanalys": "Föräldrar kan inte arbeta.",
        "typ": ProposalType.NYA_BEHOV,
        "cost_year1": 1200,
        "cost_year2": 1300,
        "cost_year3": 1400,
        "cost_years4_10": 9000,
        "cost_per_year_min": 1100,
        "cost_per_year_max": 1500,
        "svarighetsgrad": Svarighetsgrad.STOR,
        "effekt": Grad.STOR,
        "nytta": Grad.MATTLIG,
        "kostnadseffektivitet": Kostnadseffektivitet.HOG,
        "kunskapsunderlag": Kunskapsunderlag.GOD,
        "maluppfyllelse": Grad.STOR,
        "effekt_framst_for": "individen",
        "etik_manniskovarde": "forenlig",
        "etik_behov": "risk",
        "etik_kostnadseffektivitet": "forenlig",
        "etik_kommentar": "Inga invändningar.",
        "rangordning": 2,
        "kommentar": "Gammal kommentar.",
        "fokusomrade": item(round, ListKind.FOKUSOMRADE, "Digitalisering"),
        "perspektiv": item(round, ListKind.PERSPEKTIV, "Invånare"),
        "orsak": item(round, ListKind.ORSAK, "Volym/Demografi"),
        "effekt_pa_sikt": item(round, ListKind.EFFEKT_PA_SIKT, "Ambitionsökning"),
        "verksamhetsomrade": item(round, ListKind.VERKSAMHETSOMRADE, "Förskola"),
    }
    values.update(fields)
    proposal = make_proposal(analysis, **values)
    proposal.mal.set(
        [
            item(round, ListKind.POLITISKT_MAL, "Trygg skola"),
            item(round, ListKind.POLITISKT_MAL, "Bara i det gamla året"),
        ]
    )
    return proposal


# --- fixtures -------------------------------------------------------------------


@pytest.fixture
def years(demo):
    return build_years()


def build_years() -> dict:
    """Round 2026 followed up, round 2027 open for the verksamhetsanalys.

    2026, Bildning: ``deviating`` (Finansieras delvis 800; Tertial 1 to plan,
    Delår a larger deviation), ``done`` (Finansieras; Delår Genomförd),
    ``study`` (Utreds vidare), ``refused`` (Avslås). Social: ``late``
    (Genomförs; Tertial 1 not begun). 2027 has the lists of the same names,
    two proposals already, and the goal "Trygg skola" but not the old one."""
    old = follow_up_round(2026)
    new = make_round(2027)
    for kind, name in [
        (ListKind.FOKUSOMRADE, "Digitalisering"),
        (ListKind.VERKSAMHETSOMRADE, "Förskola"),
        (ListKind.POLITISKT_MAL, "Trygg skola"),
    ]:
        item(new, kind, name)
    bildning = analysis_of(old, BILDNING)
    social = analysis_of(old, SOCIAL)
    deviating = decide(full_proposal(bildning), Outcome.DELVIS, 800, "Pilot med fem lägenheter.")
    report(deviating, PeriodKind.TERTIAL_1, Progress.ENLIGT_PLAN, 300)
    report(
        deviating,
        PeriodKind.DELAR,
        Progress.STORRE_AVVIKELSE,
        500,
        "Paviljongen blev sen.",
        "Hyr en tillfällig lokal.",
    )
    done = decide(make_proposal(bildning, title="Läsfrämjande"), Outcome.FINANSIERAS)
    report(done, PeriodKind.DELAR, Progress.GENOMFORD, 100)
    study = decide(
        make_proposal(bildning, title="Ny simhall, förstudie"),
        Outcome.UTREDS,
        motivation="Samarbetet med grannkommunen utreds först.",
    )
    refused = decide(make_proposal(bildning, title="Avslaget"), Outcome.AVSLAS)
    late = decide(
        make_proposal(social, title="Fjärrtillsyn", typ=ProposalType.EFFEKTIVISERING),
        Outcome.EFFEKTIVISERAS,
    )
    report(late, PeriodKind.TERTIAL_1, Progress.EJ_PABORJAD, 0)
    for title in ("Finns redan 1", "Finns redan 2"):
        make_proposal(analysis_of(new, BILDNING), title=title)
    return {
        "old": old,
        "new": new,
        "deviating": deviating,
        "done": done,
        "study": study,
        "refused": refused,
        "late": late,
    }


def carry_url(proposal: Proposal) -> str:
    return reverse(
        "proposal_carry_over",
        kwargs={"year": proposal.round.budget_year, "number": proposal.number},
    )


def detail_url(proposal: Proposal) -> str:
    return reverse(
        "proposal_detail", kwargs={"year": proposal.round.budget_year, "number": proposal.number}
    )


REASON = "Paviljongen blev sen; föreslås på nytt med hyrd lokal."


def snapshot(proposal: Proposal) -> dict:
    """Everything of an old proposal that carrying over must leave alone."""
    proposal = Proposal.objects.get(pk=proposal.pk)
    decision = Decision.objects.get(proposal=proposal)
    return {
        "proposal": {
            field.attname: getattr(proposal, field.attname) for field in Proposal._meta.fields
        },
        "mal": sorted(proposal.mal.values_list("pk", flat=True)),
        "decision": {
            field.attname: getattr(decision, field.attname) for field in Decision._meta.fields
        },
        "proposal_history": proposal.history.count(),
        "decision_history": decision.history.count(),
        "reports": list(FollowUpReport.objects.filter(proposal=proposal).order_by("pk").values()),
        "old_round": list(Round.objects.filter(pk=proposal.round_id).values()),
    }


# --- carrying over --------------------------------------------------------------


def test_the_carried_proposal_is_linked_and_copies_exactly_the_carried_fields(years, signed_in):
    old, new = years["deviating"], years["new"]
    before = snapshot(old)
    response = signed_in("controller").post(carry_url(old), {"reason": REASON})

    carried = Proposal.objects.select_related("round", "analysis__forvaltning").get(
        carried_from=old
    )
    assert response.status_code == 302
    assert response["Location"] == f"/omgangar/2027/forslag/{carried.number}/"
    assert Proposal.objects.get(pk=old.pk).carried_into == carried
    assert carried.round == new
    assert carried.analysis == analysis_of(new, BILDNING)
    assert carried.number == 3  # after the two the round had
    assert carried.carry_over_reason == REASON
    for name in CARRIED_FIELDS:
        assert getattr(carried, name) == getattr(old, name), name
    # Lists: the new round's item of the same name; a name it lacks is dropped.
    for name in ("fokusomrade", "perspektiv", "orsak", "effekt_pa_sikt", "verksamhetsomrade"):
        mapped = getattr(carried, name)
        assert mapped.round_id == new.pk, name
        assert mapped.name == getattr(old, name).name, name
    assert [goal.name for goal in carried.mal.all()] == ["Trygg skola"]
    assert carried.mal.get().round_id == new.pk
    # Not carried: the new round judges it anew.
    assert carried.rangordning is None
    assert carried.kommentar == "Överfört från förslag 2026-001 i omgången 2026."
    assert carried.withdrawn_at is None
    assert not Decision.objects.filter(proposal=carried).exists()
    assert carried.history.count() >= 1
    assert carried.history.earliest().history_user.username == "controller"
    # Nothing of the old round changed.
    assert snapshot(old) == before


def test_the_success_message_names_the_new_proposal(years, signed_in):
    client = signed_in("controller")
    response = client.post(carry_url(years["deviating"]), {"reason": REASON}, follow=True)
    text = response.content.decode()
    assert "Förslaget 2026-001 är överfört till omgången 2027 som förslag 2027-003." in text
    assert "Fler platser i förskola" in text


def test_a_proposal_is_carried_only_once(years, signed_in):
    old = years["deviating"]
    client = signed_in("controller")
    client.post(carry_url(old), {"reason": REASON})
    carried = Proposal.objects.get(carried_from=old)

    response = client.get(carry_url(old))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Förslaget är redan överfört till nästa omgång" in text
    assert f'href="/omgangar/2027/forslag/{carried.number}/"' in text

    response = client.post(carry_url(old), {"reason": "Igen"})
    assert response.status_code == 404
    assert Proposal.objects.filter(round=years["new"]).count() == 3


def test_a_refused_proposal_cannot_be_carried(years, signed_in):
    client = signed_in("controller")
    response = client.get(carry_url(years["refused"]))
    assert response.status_code == 404
    assert "Beslutet blev ”Avslås”" in response.content.decode()
    assert client.post(carry_url(years["refused"]), {"reason": REASON}).status_code == 404
    assert not Proposal.objects.filter(carried_from__isnull=False).exists()


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning"])
def test_the_forvaltnings_staff_carry_their_own_proposal(years, signed_in, username):
    client = signed_in(username)
    assert client.get(carry_url(years["deviating"])).status_code == 200
    response = client.post(carry_url(years["deviating"]), {"reason": REASON})
    assert response.status_code == 302
    carried = Proposal.objects.get(carried_from=years["deviating"])
    assert carried.created_by.username == username


@pytest.mark.parametrize("username", cast_except("controller", "chef-bildning", "tjp-bildning"))
def test_everyone_else_is_refused_by_get_and_post(years, signed_in, username):
    client = signed_in(username)
    url = carry_url(years["deviating"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": REASON}).status_code == 403
    assert not Proposal.objects.filter(carried_from__isnull=False).exists()


def test_social_staff_carry_social_proposals_not_bildnings(years, signed_in):
    client = signed_in("tjp-social")
    assert client.get(carry_url(years["late"])).status_code == 200
    assert client.get(carry_url(years["deviating"])).status_code == 403


def test_signed_out_is_sent_to_sign_in(years, client):
    url = carry_url(years["deviating"])
    assert_sent_to_sign_in(client.get(url))
    assert_sent_to_sign_in(client.post(url, {"reason": REASON}))
    assert not Proposal.objects.filter(carried_from__isnull=False).exists()


def test_a_target_round_past_the_verksamhetsanalys_is_refused(years, signed_in):
    new = years["new"]
    new.phase = Phase.NAMND
    new.save()
    for username in ("controller", "tjp-bildning"):
        client = signed_in(username)
        assert client.get(carry_url(years["deviating"])).status_code == 403
        assert client.post(carry_url(years["deviating"]), {"reason": REASON}).status_code == 403
    assert not Proposal.objects.filter(carried_from__isnull=False).exists()


def test_staff_are_refused_when_their_analysis_there_is_closed(years, signed_in):
    analysis = analysis_of(years["new"], BILDNING)
    analysis.extended_until = None
    analysis.save()
    deadline = years["new"].deadlines.get(phase=Phase.VERKSAMHETSANALYS)
    deadline.deadline = datetime.date.today() - datetime.timedelta(days=1)
    deadline.save()
    assert signed_in("tjp-bildning").get(carry_url(years["deviating"])).status_code == 403
    assert signed_in("controller").get(carry_url(years["deviating"])).status_code == 200


def test_the_reason_is_required_and_nothing_is_written_without_it(years, signed_in):
    response = signed_in("controller").post(carry_url(years["deviating"]), {"reason": "  "})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Skriv varför förslaget förs över till nästa omgång." in text
    assert 'class="field field--error"' in text
    assert not Proposal.objects.filter(carried_from__isnull=False).exists()


def test_the_reason_starts_from_the_latest_submitted_report(years, signed_in):
    text = signed_in("controller").get(carry_url(years["deviating"])).content.decode()
    assert (
        "Delår 2026: Större avvikelse. Paviljongen blev sen. "
        "Föreslagna åtgärder: Hyr en tillfällig lokal.</textarea>"
    ) in text


def test_the_reason_starts_from_the_decision_when_there_is_no_report(years, signed_in):
    text = signed_in("controller").get(carry_url(years["study"])).content.decode()
    assert (
        "Beslutet 2026 blev Utreds vidare. Samarbetet med grannkommunen utreds först.</textarea>"
    ) in text


def test_a_draft_report_is_not_used_for_the_reason(years, signed_in):
    report(
        years["deviating"],
        PeriodKind.ARSBOKSLUT,
        Progress.GENOMFORD,
        800,
        submit=False,
    )
    text = signed_in("controller").get(carry_url(years["deviating"])).content.decode()
    assert "Delår 2026: Större avvikelse." in text
    assert "Årsbokslut" not in text.split("<textarea")[1]


def test_the_form_shows_what_is_copied_and_where_to(years, signed_in):
    text = signed_in("controller").get(carry_url(years["deviating"])).content.decode()
    assert "omgången 2027" in text
    assert "verksamhetsanalysen för Bildningsförvaltningen" in text
    assert "<dd>Fler platser i förskola</dd>" in text
    assert "<dd>Nya behov</dd>" in text
    assert "<dd>1\xa0200\xa0tkr</dd>" in text  # kostnad år 1
    assert "<dd>9\xa0000\xa0tkr</dd>" in text  # år 4–10
    assert "Konsekvensanalys" in text and "Svårighetsgrad" in text
    assert "Inte med: numret, rangordningen" in text
    assert 'name="reason"' in text


# --- the button on the proposal page -----------------------------------------


BUTTON = "För över till nästa omgång"


@pytest.mark.parametrize(
    ("username", "shown"),
    [("controller", True), ("tjp-bildning", True), ("tjp-social", False), ("revisor", False)],
)
def test_the_button_shows_exactly_when_allowed(years, signed_in, username, shown):
    text = signed_in(username).get(detail_url(years["deviating"])).content.decode()
    assert (BUTTON in text) is shown
    if shown:
        assert f'href="{carry_url(years["deviating"])}"' in text


def test_no_button_for_a_refused_proposal_or_once_carried(years, signed_in):
    client = signed_in("controller")
    assert BUTTON not in client.get(detail_url(years["refused"])).content.decode()
    client.post(carry_url(years["deviating"]), {"reason": REASON})
    assert BUTTON not in client.get(detail_url(years["deviating"])).content.decode()


def test_the_carried_proposal_is_marked_as_carried_over(years, signed_in):
    client = signed_in("controller")
    client.post(carry_url(years["deviating"]), {"reason": REASON})
    carried = Proposal.objects.get(carried_from=years["deviating"])
    text = client.get(detail_url(carried)).content.decode()
    assert "Förslaget är överfört från en tidigare omgång" in text
    assert BUTTON not in text  # round 2027 is not followed up
