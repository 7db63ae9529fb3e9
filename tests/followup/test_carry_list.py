"""What round N leaves for round N+1 (``followup_carry_list``): the
candidates by rule, per role (the controller every förvaltning, the staff
their own), the carried ones, the way there from a new round, and a query
count that does not grow with the proposals."""

import re

import pytest
from django.urls import reverse

from followup.models import PeriodKind, Progress
from followup.services import may_be_carried
from prioritering.access import may
from ranking.models import Outcome
from rounds.models import Proposal, Round
from tests.factories import analysis_of, make_proposal
from tests.followup.test_carry import (
    BILDNING,
    REASON,
    SOCIAL,
    build_years,
    carry_url,
    decide,
    report,
    user,
)
from tests.helpers import assert_queries_do_not_grow, assert_sent_to_sign_in, cast_except

URL = reverse("followup_carry_list", kwargs={"year": 2027})


@pytest.fixture
def years(demo):
    return build_years()


def references(html: str) -> list[str]:
    """The candidates' references, in the table's order."""
    section = html.split('id="candidates-heading"')[1].split("</section>")[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">(\d{4}-\d{3})</a>', section)


def carried_references(html: str) -> list[str]:
    section = html.split('id="carried-heading"')[1].split("</section>")[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">(\d{4}-\d{3})</a>', section)


def test_the_controller_sees_every_candidate_by_the_rule(years, signed_in):
    html = signed_in("controller").get(URL).content.decode()
    # The larger deviation and the study (Bildning), the one not begun (Social);
    # not what was done, nor what was refused.
    assert references(html) == [
        years["deviating"].reference,
        years["study"].reference,
        years["late"].reference,
    ]
    assert "Paviljongen blev sen." in html and "Hyr en tillfällig lokal." in html
    assert 'Större avvikelse</span> <span class="hint">(Delår 2026)</span>' in html
    assert 'Ej påbörjad</span> <span class="hint">(Tertial 1 2026)</span>' in html
    assert "Samarbetet med grannkommunen utreds först." in html
    for name in ("deviating", "study", "late"):
        assert f'href="{carry_url(years[name])}"' in html
    assert "Läsfrämjande" not in html and "Avslaget" not in html


def test_a_followed_up_proposal_without_a_submitted_report_is_not_listed(years, signed_in):
    extra = decide(
        make_proposal(analysis_of(years["old"], BILDNING), title="Inte rapporterat"),
        Outcome.FINANSIERAS,
    )
    report(extra, PeriodKind.TERTIAL_1, Progress.MINDRE_AVVIKELSE, 10, "x", "y", submit=False)
    assert extra.reference not in references(signed_in("controller").get(URL).content.decode())


def test_the_latest_submitted_report_decides(years, signed_in):
    # Finished at Årsbokslut: no longer a candidate.
    report(years["deviating"], PeriodKind.ARSBOKSLUT, Progress.GENOMFORD, 800)
    html = signed_in("controller").get(URL).content.decode()
    assert years["deviating"].reference not in references(html)


@pytest.mark.parametrize("username", ["tjp-bildning", "chef-bildning"])
def test_bildnings_staff_see_only_bildnings_candidates(years, signed_in, username):
    html = signed_in(username).get(URL).content.decode()
    assert references(html) == [years["deviating"].reference, years["study"].reference]
    assert "Fjärrtillsyn" not in html
    assert "Du ser förslagen från din egen förvaltning." in html
    assert f'href="{carry_url(years["deviating"])}"' in html


def test_socials_staff_see_only_socials_candidates(years, signed_in):
    html = signed_in("tjp-social").get(URL).content.decode()
    assert references(html) == [years["late"].reference]
    assert f'href="{carry_url(years["late"])}"' in html


@pytest.mark.parametrize(
    "username",
    cast_except("controller", "revisor", "chef-bildning", "tjp-bildning", "tjp-social"),
)
def test_everyone_else_is_refused(years, signed_in, username):
    assert signed_in(username).get(URL).status_code == 403


def test_signed_out_is_sent_to_sign_in(years, client):
    assert_sent_to_sign_in(client.get(URL))


def test_post_is_not_allowed(years, signed_in):
    assert signed_in("controller").post(URL).status_code == 405


def test_no_carry_link_when_the_target_round_is_past_the_verksamhetsanalys(years, signed_in):
    new = years["new"]
    new.phase = 3
    new.save()
    html = signed_in("controller").get(URL).content.decode()
    assert len(references(html)) == 3
    assert "/for-over/" not in html
    assert html.count("Inte överfört") == 3


def test_a_carried_candidate_links_to_its_new_proposal_and_is_listed_as_carried(years, signed_in):
    client = signed_in("controller")
    client.post(carry_url(years["deviating"]), {"reason": REASON})
    carried = Proposal.objects.get(carried_from=years["deviating"])
    html = client.get(URL).content.decode()
    assert (
        f'Redan överfört → <a href="/omgangar/2027/forslag/{carried.number}/">'
        f"{carried.reference}</a>"
    ) in html
    assert f'href="{carry_url(years["deviating"])}"' not in html
    assert carried_references(html) == [carried.reference]
    assert REASON in html.split('id="carried-heading"')[1]


def test_staff_see_only_their_own_carried_proposals(years, signed_in):
    signed_in("controller").post(carry_url(years["late"]), {"reason": "Social tar upp igen."})
    carried = Proposal.objects.get(carried_from=years["late"])
    assert carried_references(signed_in("tjp-social").get(URL).content.decode()) == [
        carried.reference
    ]
    html = signed_in("tjp-bildning").get(URL).content.decode()
    assert "Inga förslag är överförda ännu." in html


def test_without_a_round_the_year_before_there_is_nothing_to_carry(years, signed_in):
    url = reverse("followup_carry_list", kwargs={"year": 2026})
    response = signed_in("controller").get(url)
    assert response.status_code == 200
    assert "Det finns ingen omgång för budgetår 2025" in response.content.decode()
    assert signed_in("tjp-bildning").get(url).status_code == 403


def test_the_round_page_links_to_the_list_and_the_comparison_for_the_controller(years, signed_in):
    url = reverse("round_detail", kwargs={"year": 2027})
    html = signed_in("controller").get(url).content.decode()
    assert f'href="{URL}"' in html and "Överföring från omgången 2026" in html
    assert 'href="/omgangar/2027/jamforelse/"' in html
    html = signed_in("tjp-bildning").get(url).content.decode()
    assert f'href="{URL}"' not in html and "/jamforelse/" not in html


def test_a_round_created_from_a_copy_opens_the_list(years, signed_in):
    client = signed_in("controller")
    response = client.post(
        reverse("round_create"),
        {
            "budget_year": 2028,
            "purpose": "nya",
            "frame_tkr": 1000,
            "copy_from": str(years["new"].pk),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/omgangar/2028/overforing/"
    html = client.get(response["Location"]).content.decode()
    assert "Omgången för budgetår 2028 är skapad." in html
    assert "Inga förslag från 2027 behöver föras över." in html
    assert Round.objects.get(budget_year=2028).copied_from == years["new"]


def test_a_round_from_scratch_opens_its_own_page(years, signed_in):
    response = signed_in("controller").post(
        reverse("round_create"),
        {"budget_year": 2028, "purpose": "nya", "frame_tkr": 1000, "copy_from": ""},
    )
    assert response["Location"] == "/omgangar/2028/"


@pytest.mark.parametrize("username", ["controller", "tjp-bildning"])
def test_the_query_count_does_not_grow_with_the_proposals(years, signed_in, username):
    old = years["old"]

    def grow():
        for forvaltning in (BILDNING, SOCIAL):
            analysis = analysis_of(old, forvaltning)
            for i in range(4):
                proposal = decide(
                    make_proposal(analysis, title=f"Mer {forvaltning} {i}"), Outcome.FINANSIERAS
                )
                report(proposal, PeriodKind.TERTIAL_1, Progress.ENLIGT_PLAN, 10)
                report(
                    proposal, PeriodKind.DELAR, Progress.MINDRE_AVVIKELSE, 20, "Sent.", "Skynda."
                )
                decide(make_proposal(analysis, title=f"Utred {forvaltning} {i}"), Outcome.UTREDS)
        client = signed_in("controller")
        for proposal in Proposal.objects.filter(round=old, title__startswith="Utred")[:3]:
            client.post(carry_url(proposal), {"reason": "Tas upp igen."})
        signed_in(username)

    client = signed_in(username)
    before = len(references(client.get(URL).content.decode()))
    assert_queries_do_not_grow(client, URL, grow)
    after = len(references(client.get(URL).content.decode()))
    assert after > before + 5


@pytest.mark.parametrize("username", ["controller", "tjp-bildning", "tjp-social"])
def test_the_carry_links_agree_with_the_access_rule_and_the_service(years, signed_in, username):
    """The list asks the rule once per förvaltning (once for the controller):
    its answer must be the rule's and the service's for every row."""
    signed_in("controller").post(carry_url(years["study"]), {"reason": REASON})
    html = signed_in(username).get(URL).content.decode()
    shown = references(html)
    assert shown
    for proposal in Proposal.objects.filter(round=years["old"]).select_related(
        "round", "analysis__round", "analysis__forvaltning"
    ):
        if proposal.reference not in shown:
            continue
        expected = may(user(username), "carry_over_proposal", proposal) and may_be_carried(proposal)
        assert (f'href="{carry_url(proposal)}"' in html) is expected, proposal.reference
