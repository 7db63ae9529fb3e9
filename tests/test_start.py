"""The start page, "Mina uppgifter": what each role is expected to do next."""

import pytest
from django.urls import reverse

from rounds.models import Membership, Role, User
from tests.factories import grow_organisation
from tests.helpers import assert_queries_do_not_grow

# The section headings each demo user sees.
SECTIONS = {
    "admin": ["Administratör"],
    "controller": ["Controller"],
    "chef-bildning": ["Förvaltningschef, Bildningsförvaltningen"],
    "tjp-bildning": ["Tjänsteperson, Bildningsförvaltningen"],
    "tjp-social": ["Tjänsteperson, Socialförvaltningen"],
    "ledamot-bildning": ["Nämndledamot, Bildningsnämnden"],
    "forum-3": ["Forumdeltagare"],
    "revisor": ["Läsare"],
}


@pytest.mark.parametrize(("username", "titles"), SECTIONS.items())
def test_start_page_fits_the_role(signed_in, username, titles):
    response = signed_in(username).get(reverse("start"))
    assert response.status_code == 200
    assert [section.title for section in response.context["sections"]] == titles
    assert "<h1>Mina uppgifter</h1>" in response.content.decode()


def test_start_page_requires_sign_in(db, client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/?next=/"


def test_start_page_rejects_post(signed_in):
    assert signed_in("controller").post(reverse("start")).status_code == 405


def test_administrator_sees_users_without_a_role(signed_in, demo):
    User.objects.create_user("ny-medarbetare")
    response = signed_in("admin").get(reverse("start"))
    html = response.content.decode()
    assert "1 aktiva användare saknar roll." in html
    assert "/admin/rounds/user/?har_roll=nej" in html


def test_controller_sees_forvaltningar_without_a_chef(signed_in):
    html = signed_in("controller").get(reverse("start")).content.decode()
    # Only Bildningsförvaltningen has a chef in the demo.
    assert "Förvaltningar utan förvaltningschef" in html
    assert "Socialförvaltningen" in html
    assert (
        "Bildningsförvaltningen"
        not in html.split("Förvaltningar utan förvaltningschef")[1].split("</li>")[0]
    )


def test_a_user_with_several_roles_sees_each(signed_in, demo):
    Membership.objects.create(user=demo["tjp-bildning"], role=Role.FORUMDELTAGARE)
    response = signed_in("tjp-bildning").get(reverse("start"))
    assert [s.title for s in response.context["sections"]] == [
        "Forumdeltagare",
        "Tjänsteperson, Bildningsförvaltningen",
    ]


def test_a_user_without_a_role_is_told_whom_to_ask(client, db):
    user = User.objects.create_user("ingen-roll")
    client.force_login(user)
    html = client.get(reverse("start")).content.decode()
    assert "Du har ingen roll ännu" in html


@pytest.mark.parametrize("username", ["admin", "controller", "chef-bildning", "ledamot-bildning"])
def test_query_count_does_not_grow_with_the_organisation(signed_in, username):
    assert_queries_do_not_grow(
        signed_in(username), reverse("start"), lambda: grow_organisation(namnder=10, users=60)
    )


def test_navigation_marks_only_the_current_page(signed_in):
    response = signed_in("controller").get("/organisation/personer/")
    active = [item["label"] for item in response.context["navigation"] if item["active"]]
    assert active == ["Personer och roller"]
    labels = [str(item["label"]) for item in response.context["navigation"]]
    assert labels == ["Mina uppgifter", "Omgångar", "Organisation", "Personer och roller"]


def test_navigation_shows_each_role_what_it_may_do(signed_in):
    labels = [str(i["label"]) for i in signed_in("admin").get("/").context["navigation"]]
    assert labels == [
        "Mina uppgifter",
        "Omgångar",
        "Organisation",
        "Personer och roller",
        "Administration",
    ]
    labels = [str(i["label"]) for i in signed_in("revisor").get("/").context["navigation"]]
    assert labels == ["Mina uppgifter", "Omgångar", "Organisation"]


def test_navigation_leads_to_the_current_rounds_work(signed_in, demo):
    from tests.factories import make_round

    make_round()
    response = signed_in("tjp-bildning").get("/omgangar/2027/forslag/")
    nav = response.context["navigation"]
    assert [str(i["label"]) for i in nav][:4] == [
        "Mina uppgifter",
        "Verksamhetsanalyser",
        "Förslag",
        "Omgångar",
    ]
    assert [str(i["label"]) for i in nav if i["active"]] == ["Förslag"]


def test_staff_see_their_analysis_with_its_deadline(signed_in, demo):
    from tests.factories import make_round

    round = make_round()
    html = signed_in("tjp-bildning").get(reverse("start")).content.decode()
    assert "Fyll i verksamhetsanalysen" in html
    grid = reverse(
        "analysis_grid",
        args=[round.budget_year, demo["tjp-bildning"].memberships.get().forvaltning_id],
    )
    assert grid in html
    html = signed_in("chef-bildning").get(reverse("start")).content.decode()
    assert "Lämna in den till nämnden" in html
    assert "Omgång 2027 är i fasen Verksamhetsanalys." in html


def test_returned_analysis_shows_the_comment(signed_in, demo):
    from rounds.models import AnalysisStatus
    from tests.factories import analysis_of, make_round

    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    analysis.status = AnalysisStatus.RETURNED
    analysis.return_comment = "Beskriv jämförelsealternativen."
    analysis.save()
    html = signed_in("tjp-bildning").get(reverse("start")).content.decode()
    assert "Återlämnad med kommentaren: Beskriv jämförelsealternativen." in html


def test_controller_sees_how_many_have_submitted(signed_in, demo):
    from rounds.models import AnalysisStatus
    from tests.factories import analysis_of, make_round

    round = make_round()
    analysis = analysis_of(round, "Socialförvaltningen")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    html = signed_in("controller").get(reverse("start")).content.decode()
    assert "1 av 5 förvaltningar har lämnat in sin verksamhetsanalys." in html


def test_ledamot_sees_the_namnds_forvaltningar(signed_in, demo):
    from tests.factories import make_round

    make_round()
    html = signed_in("ledamot-bildning").get(reverse("start")).content.decode()
    assert "0 av 1 förvaltningar under nämnden har lämnat in." in html


@pytest.mark.parametrize("username", ["controller", "chef-bildning", "ledamot-bildning", "revisor"])
def test_query_count_does_not_grow_with_rounds_and_proposals(signed_in, username):
    from tests.factories import analysis_of, make_proposal, make_round

    round = make_round()

    def grow():
        for name in ("Bildningsförvaltningen", "Socialförvaltningen"):
            analysis = analysis_of(round, name)
            for _ in range(15):
                make_proposal(analysis)

    assert_queries_do_not_grow(signed_in(username), reverse("start"), grow)


def test_ledamot_is_asked_to_rank_in_the_namnd_phase(signed_in, demo):
    from rounds.models import Namnd, Phase
    from tests.factories import make_round

    make_round(phase=Phase.NAMND)
    html = signed_in("ledamot-bildning").get(reverse("start")).content.decode()
    assert "Rangordna nämndens förslag" in html
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    assert reverse("namnd_ranking", args=[2027, namnd.pk]) in html


# --- forum tasks ---


def test_forumdeltagare_is_sent_to_the_sheet_and_the_meeting_in_the_forum_phase(signed_in):
    from rounds.models import Phase
    from tests.factories import make_round

    make_round(phase=Phase.FORUM)
    html = signed_in("forum-3").get(reverse("start")).content.decode()
    assert reverse("forum_sheet", args=[2027]) in html
    assert reverse("forum_meeting", args=[2027]) in html
    html = signed_in("controller").get(reverse("start")).content.decode()
    assert reverse("forum_order", args=[2027]) in html


def test_after_the_forum_the_start_page_points_to_results_and_decisions(signed_in):
    from rounds.models import Phase
    from tests.factories import make_round

    make_round(phase=Phase.BESLUT)
    html = signed_in("forum-3").get(reverse("start")).content.decode()
    assert reverse("forum_sheet", args=[2027]) not in html
    assert reverse("forum_list", args=[2027]) in html
    html = signed_in("controller").get(reverse("start")).content.decode()
    assert reverse("forum_decisions", args=[2027]) in html
    # Documents
    assert reverse("document_list", args=[2027]) in html
    html = signed_in("forum-3").get(reverse("start")).content.decode()
    assert reverse("document_list", args=[2027]) not in html  # the controller's task
