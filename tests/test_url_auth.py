"""Every URL of the site, walked: anonymous visitors are sent to sign in except
on the few public pages, and each role gets exactly the answer the access rules
give. A new URL without a row here fails the suite."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.helpers import assert_sent_to_sign_in

LOGIN = "/konto/logga-in/"

# Public pages: (url name) -> why anyone may see it.
PUBLIC = {
    "login": "the sign-in page",
    "accessibility": "the accessibility statement must be public (DOS-lagen)",
    "health": "the load balancer's health check",
    "set_language": "choosing a language before signing in",
    # Decisions
    "public_list": "öppna prioriteringar: the published rounds",
    "open_data_schema": "the JSON Schema of the published rounds' open data",
}
# Public once published: an unpublished (here: missing) round is not found,
# never a sign-in page (tests/test_forum_outcome.py covers a published one).
PUBLIC_WHEN_PUBLISHED = {
    "public_round",
    "public_decision_document",
    "body_protocol",
    # Open data (tests/test_open_data.py covers a published round)
    "open_data_page",
    "open_data_json",
    "open_data_csv",
    "open_data_pabulib",
}
# Sign-in with the municipality's account: not found while OIDC_ISSUER is unset,
# public when set (tests/test_oidc.py, against a real provider).
PUBLIC_WHEN_OIDC = {"oidc_login", "oidc_callback"}

# Sample arguments for every URL pattern that takes any, by name.
Y = {"year": 2027}
YF = {"year": 2027, "forvaltning_id": 1}
YN = {"year": 2027, "number": 1}
SAMPLE_KWARGS: dict[str, dict] = {
    "round_detail": Y,
    "round_settings": Y,
    "round_move_phase": Y,
    "round_forutsattningar": Y,
    "attachment_download": {"year": 2027, "pk": 1},
    "round_lists": Y,
    "analysis_list": Y,
    "analysis_synthesis": Y,
    "analysis_synthesis_xlsx": Y,
    "analysis_submit": YF,
    "analysis_return": YF,
    "analysis_grid": YF,
    "analysis_cell": {**YF, "perspektiv_id": 1, "column": 1},
    "analysis_item_add": YF,
    "analysis_item_edit": {**YF, "item_id": 1},
    "analysis_item_move": {**YF, "item_id": 1},
    "analysis_item_delete": {**YF, "item_id": 1},
    "analysis_item_proposal": {**YF, "item_id": 1},
    "proposal_list": Y,
    "proposal_create": YF,
    "proposal_detail": YN,
    "proposal_edit": YN,
    "proposal_withdraw": YN,
    "proposal_faktaunderlag": YN,
    "item_faktaunderlag": {**YF, "item_id": 1},
    "faktaunderlag_download": {"year": 2027, "pk": 1},
    "namnd_ranking_list": Y,
    "namnd_ranking": {"year": 2027, "namnd_id": 1},
    "namnd_ranking_save": {"year": 2027, "namnd_id": 1},
    "namnd_ranking_record": {"year": 2027, "namnd_id": 1},
    "forum_list": Y,
    "forum_sheet": Y,
    # Forum meeting
    "forum_meeting": Y,
    "forum_meeting_table": Y,
    # The round's forum members
    "forum_members": Y,
    "forum_member_edit": {"year": 2027, "pk": 1},
    "forum_member_remove": {"year": 2027, "pk": 1},
    # Decisions
    "forum_order": Y,
    "forum_budget": Y,
    "forum_review": Y,
    "forum_decisions": Y,
    "forum_publish": Y,
    "public_round": Y,
    "forum_history": Y,
    "forum_correction": YN,
    "body_decisions": Y,
    "body_decision_edit": {"year": 2027, "pk": 1},
    "body_protocol": {"year": 2027, "pk": 1},
    # Documents
    "document_list": Y,
    "document_request": Y,
    "document_detail": {"year": 2027, "pk": 1},
    "document_rerun": {"year": 2027, "pk": 1},
    "document_download": {"year": 2027, "pk": 1},
    "public_decision_document": Y,
    # Open data
    "open_data_page": Y,
    "open_data_json": Y,
    "open_data_csv": Y,
    "open_data_pabulib": Y,
    # Import
    "import_proposals": Y,
    "import_proposals_confirm": Y,
    # Follow-up reports
    "followup_index": Y,
    "followup_periods": Y,
    "followup_report": {"year": 2027, "period": "delar", "number": 1},
    "followup_report_return": {"year": 2027, "period": "delar", "number": 1},
    # Follow-up carry
    "proposal_carry_over": YN,
    "followup_carry_list": Y,
    "round_comparison": Y,
    # Follow-up overview
    "followup_overview": {"year": 2027, "period": "delar"},
    "period_decisions": {"year": 2027, "period": "delar"},
    "period_decision_edit": {"year": 2027, "period": "delar", "pk": 1},
    # Genomförande
    "proposal_implementation": YN,
}

# Argument names used by the Django admin's patterns.
ADMIN_SAMPLE = {
    "object_id": "1",
    "id": "1",
    "app_label": "rounds",
    "content_type_id": "1",
    "history_id": "1",
    "uidb64": "MQ",
    "token": "x",
    "url": "x",
}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from walk(entry.url_patterns, namespace if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def all_urls():
    urls = []
    for name, pattern in walk(get_resolver().url_patterns):
        arg_names = list(pattern.pattern.regex.groupindex)
        if name.startswith("admin:"):
            kwargs = {arg: ADMIN_SAMPLE[arg] for arg in arg_names}
        elif arg_names or name in SAMPLE_KWARGS:  # (an include's arguments are its own)
            assert name in SAMPLE_KWARGS, f"URL {name} needs sample arguments in SAMPLE_KWARGS"
            kwargs = SAMPLE_KWARGS[name]
        else:
            kwargs = {}
        regex = pattern.pattern.regex
        args = ["1"] * regex.groups if name.startswith("admin:") and not regex.groupindex else []
        urls.append((name, reverse(name, args=args or None, kwargs=kwargs or None)))
    return urls


URLS = all_urls()


def test_the_walk_finds_the_site():
    names = {name for name, _ in URLS}
    assert {"start", "organisation", "people", "login", "admin:index"} <= names


@pytest.mark.parametrize(("name", "url"), URLS, ids=[name for name, _ in URLS])
def test_anonymous_is_sent_to_sign_in_unless_public(db, client, name, url):
    if name in PUBLIC_WHEN_PUBLISHED or name in PUBLIC_WHEN_OIDC:
        assert client.get(url).status_code == 404
        return
    if name in PUBLIC:
        response = client.get(url)
        assert response.status_code in (200, 302, 405)
        if response.status_code == 302:
            assert not response["Location"].startswith(LOGIN)
        return
    for method in ("get", "post"):
        response = getattr(client, method)(url, follow=True)
        where = f"{method.upper()} {url}"
        if response.status_code == 405:
            continue
        if response.status_code == 401 and not response.redirect_chain:
            assert method == "post", where
            assert_sent_to_sign_in(response)  # the save is kept, sign-in offered
            continue
        assert response.redirect_chain, where
        assert response.redirect_chain[-1][0].startswith(LOGIN), where
        assert response.status_code == 200, where


# Expected status per signed-in user for each of our own pages (GET).
ALL = {
    "admin": 200,
    "controller": 200,
    "chef-bildning": 200,
    "tjp-bildning": 200,
    "tjp-social": 200,
    "ledamot-bildning": 200,
    "forum-1": 200,
    "revisor": 200,
}
ONLY = lambda *allowed: {user: 200 if user in allowed else 403 for user in ALL}  # noqa: E731

ROLE_MATRIX = {
    "start": ALL,
    "organisation": ALL,
    "people": ONLY("admin", "controller"),
    "password_change": ALL,
    # Two-factor (TOTP): who may enrol; the second step of signing in sends a
    # signed-in user on to the start page (tests/test_two_factor_*.py).
    "two_factor": ONLY("admin", "controller"),
    "two_factor_verify": ALL,
    "notice_settings": ALL,
    "admin:index": ONLY("admin"),
    "accessibility": ALL,
    "health": ALL,
    "public_list": ALL,
    "open_data_schema": ALL,
    "round_list": ALL,
    "round_create": ONLY("controller"),
}

# Pages of the demo round (2027: Bildning's analysis a draft, Kommunlednings-
# förvaltningen's submitted), as (url name, which object) -> status per user.
STAFF_OF_BILDNING = {"chef-bildning", "tjp-bildning"}
READERS_OF_DRAFT = {"controller", *STAFF_OF_BILDNING}


def draft(allowed, seen_by=READERS_OF_DRAFT):
    """On Bildning's draft: allowed → 200; sees it but may not → 403; else 404."""
    return {u: 200 if u in allowed else 403 if u in seen_by else 404 for u in ALL}


ROUND_MATRIX = {
    ("round_detail", None): ALL,
    ("document_list", None): ALL,
    ("round_settings", None): ONLY("controller"),
    ("round_forutsattningar", None): ONLY("controller"),
    ("round_lists", None): ONLY("controller"),
    # Import
    ("import_proposals", None): ONLY("controller"),
    ("analysis_list", None): ALL,
    # Everyone signed in; each finds only the analyses they may read in it
    # (tests/test_access_rounds.py, tests/test_analysis_synthesis.py).
    ("analysis_synthesis", None): ALL,
    ("analysis_synthesis_xlsx", None): ALL,
    ("proposal_list", None): ALL,
    ("analysis_grid", "draft"): draft(READERS_OF_DRAFT),
    ("analysis_grid", "submitted"): ALL,
    # The confirmation pages of the irreversible steps (tests/test_confirm_steps.py):
    # refused on GET exactly as the step itself is refused.
    ("round_move_phase", None): ONLY("controller"),
    ("analysis_submit", "draft"): draft({"chef-bildning"}),
    ("analysis_submit", "submitted"): ONLY(),
    ("forum_publish", None): ONLY(),  # 2027 is not in the Beslut phase
    ("analysis_return", "draft"): draft(set()),
    ("analysis_return", "submitted"): ONLY("controller"),
    ("proposal_create", "draft"): draft(STAFF_OF_BILDNING),
    ("proposal_create", "submitted"): ONLY(),
    ("proposal_detail", "draft"): draft(READERS_OF_DRAFT),
    ("proposal_detail", "submitted"): ALL,
    ("proposal_edit", "draft"): draft(STAFF_OF_BILDNING),
    ("proposal_edit", "submitted"): ONLY(),
    ("proposal_withdraw", "draft"): draft(STAFF_OF_BILDNING),
    ("proposal_withdraw", "submitted"): ONLY(),
    # Read as the proposal is read; adding and removing is tested by POST
    # beside the view (tests/test_faktaunderlag.py).
    ("proposal_faktaunderlag", "draft"): draft(READERS_OF_DRAFT),
    ("proposal_faktaunderlag", "submitted"): ALL,
    # The round is not in the nämnd phase: everyone reads, nobody ranks.
    ("namnd_ranking_list", None): ALL,
    ("namnd_ranking", "draft"): ALL,
    ("namnd_ranking", "submitted"): ALL,
    # Nor in the forum phase: everyone reads the forum's list, nobody ranks.
    ("forum_list", None): ALL,
    ("forum_sheet", None): ONLY(),
    # Forum meeting
    # The live meeting view and its polled table: every signed-in user.
    ("forum_meeting", None): ALL,
    ("forum_meeting_table", None): ALL,
    # The round's forum members: the controller names them.
    ("forum_members", None): ONLY("controller"),
    # Decisions
    # Everyone signed in reads the forum's outcome pages; recording is tested
    # by POST beside the views (tests/test_forum_outcome.py).
    ("forum_order", None): ALL,
    ("forum_budget", None): ALL,
    ("forum_review", None): ALL,
    ("forum_decisions", None): ALL,
    ("forum_history", None): ALL,
    # KS and KF decide after the forum: 2027 is in the forum phase
    # (tests/test_body_decisions.py records them in a round past it).
    ("body_decisions", None): ONLY(),
    # Follow-up reports
    # The follow-up: the controller, the läsare (reading) and every
    # förvaltning's staff (each their own).
    ("followup_index", None): ONLY(
        "controller", "revisor", "chef-bildning", "tjp-bildning", "tjp-social"
    ),
    ("followup_periods", None): ONLY("controller"),
    # Follow-up carry
    # What 2026 leaves for 2027: the controller and the läsare, and the staff
    # of a förvaltning (each their own); comparing rounds: the controller and
    # the läsare. 2027 is not followed up, so nobody carries its proposals
    # (tests/followup/test_carry.py carries 2026's).
    ("followup_carry_list", None): ONLY(
        "controller", "revisor", "chef-bildning", "tjp-bildning", "tjp-social"
    ),
    ("round_comparison", None): ONLY("controller", "revisor"),
    ("proposal_carry_over", "draft"): draft(set()),
    ("proposal_carry_over", "submitted"): ONLY(),
}
# POST-only actions answer GET with 405; the item actions of the grid and the
# attachment download have their role tests beside their views.
ELSEWHERE = {
    "attachment_download": "tests/test_round_forutsattningar.py",
    "item_faktaunderlag": "tests/test_faktaunderlag.py",
    "faktaunderlag_download": "tests/test_faktaunderlag.py",
    "analysis_cell": "tests/test_analysis_grid.py",
    "analysis_item_add": "tests/test_analysis_items.py",
    "analysis_item_edit": "tests/test_analysis_items.py",
    "analysis_item_move": "tests/test_analysis_items.py",
    "analysis_item_delete": "tests/test_analysis_items.py",
    "analysis_item_proposal": "tests/test_analysis_items.py",
    "namnd_ranking_save": "tests/test_namnd_ranking.py",
    "namnd_ranking_record": "tests/test_namnd_ranking.py",
    # The round's forum members: a member's own pages, by role and phase.
    "forum_member_edit": "tests/test_forum_members.py",
    "forum_member_remove": "tests/test_forum_members.py",
    # Decisions
    "public_round": "tests/test_forum_outcome.py",
    "forum_correction": "tests/test_publication_final.py",
    "body_decision_edit": "tests/test_body_decisions.py",
    "body_protocol": "tests/test_body_decisions.py",
    # Open data: public once published, the same for every role
    "open_data_page": "tests/test_open_data.py",
    "open_data_json": "tests/test_open_data.py",
    "open_data_csv": "tests/test_open_data.py",
    "open_data_pabulib": "tests/test_open_data.py",
    # Import
    "import_proposals_confirm": "tests/test_import_web.py",
    # Documents
    "document_request": "tests/test_document_access.py",
    "document_detail": "tests/test_document_access.py",
    "document_download": "tests/test_document_access.py",
    "document_rerun": "tests/test_document_access.py",
    "public_decision_document": "tests/test_document_access.py",
    # Follow-up reports
    # Reports exist only for decided proposals of a round in follow-up (not 2027).
    "followup_report": "tests/followup/test_report_page.py",
    "followup_report_return": "tests/followup/test_report_page.py",
    # Follow-up periods exist only in a round being followed up (not 2027).
    "period_decisions": "tests/followup/test_period_decisions.py",
    "period_decision_edit": "tests/followup/test_period_decisions.py",
    # Follow-up overview
    # Round 2027 has no periods: the controller's overview of a round in
    # follow-up, and every other role refused, are tested beside the view.
    "followup_overview": "tests/followup/test_overview.py",
    # Two-factor (TOTP): the enrol page's steps answer only POST.
    "two_factor_start": "tests/test_two_factor_enrol.py",
    "two_factor_confirm": "tests/test_two_factor_enrol.py",
    "two_factor_cancel": "tests/test_two_factor_enrol.py",
    "two_factor_replace": "tests/test_two_factor_enrol.py",
    "two_factor_remove": "tests/test_two_factor_enrol.py",
    # Genomförande: only a published round's proposal decided to be carried
    # out has one (round 2027 is in the analysis phase here).
    "proposal_implementation": "tests/followup/test_implementation.py",
    # Sign-in with the municipality's account (anonymous, public when OIDC is on).
    "oidc_login": "tests/test_oidc.py",
    "oidc_callback": "tests/test_oidc.py",
}


def test_every_own_page_has_a_row_in_the_role_matrix():
    own = {
        name
        for name, _ in URLS
        if not name.startswith("admin:") and name not in {"login", "logout", "set_language"}
    }
    covered = set(ROLE_MATRIX) | {name for name, _ in ROUND_MATRIX} | set(ELSEWHERE)
    assert own <= covered, f"add rows for: {sorted(own - covered)}"


@pytest.fixture(scope="module")
def demo_rounds(django_db_setup, django_db_blocker):
    """The demo with its rounds, loaded once for this module and rolled back
    after it (the matrix only reads; each test runs in a savepoint within)."""
    from django.db import transaction

    from demo.loading import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True, phase="analys")  # the matrix is the analysis phase
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_round(demo_rounds, db):
    from rounds.models import Analysis

    # Demo round 2026
    # The demo also holds last year's round 2026 (published): these are 2027's.
    in_2027 = Analysis.objects.filter(round__budget_year=2027)
    analyses = {
        "draft": in_2027.get(forvaltning__name="Bildningsförvaltningen"),
        "submitted": in_2027.get(forvaltning__name="Kommunledningsförvaltningen"),
    }
    return analyses


def round_url(name, which, analyses):
    if name == "round_move_phase":  # its confirmation page, for the next phase
        return reverse(name, kwargs={"year": 2027}) + "?to_phase=3"
    if which is None:
        return reverse(name, kwargs={"year": 2027})
    analysis = analyses[which]
    if name == "namnd_ranking":
        return reverse(name, kwargs={"year": 2027, "namnd_id": analysis.forvaltning.namnd_id})
    if name.startswith("proposal_") and name != "proposal_create":
        number = analysis.proposals.order_by("number").first().number
        return reverse(name, kwargs={"year": 2027, "number": number})
    return reverse(name, kwargs={"year": 2027, "forvaltning_id": analysis.forvaltning_id})


@pytest.mark.parametrize(("name", "which"), list(ROUND_MATRIX), ids=lambda v: str(v))
def test_round_role_matrix(client, demo_round, name, which):
    from rounds.models import User

    url = round_url(name, which, demo_round)
    for username, expected in ROUND_MATRIX[(name, which)].items():
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == expected, f"{username} GET {url}"


@pytest.mark.parametrize("username", sorted(ALL))
@pytest.mark.parametrize("name", sorted(ROLE_MATRIX))
def test_role_matrix(signed_in, name, username):
    client = signed_in(username)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == ROLE_MATRIX[name][username]


@pytest.mark.parametrize("username", sorted(set(ALL) - {"admin"}))
def test_admin_pages_refuse_everyone_but_the_administrator(signed_in, username):
    client = signed_in(username)
    for url in ("/admin/rounds/user/", "/admin/rounds/membership/add/", "/admin/rounds/namnd/"):
        assert client.get(url, follow=True).status_code == 403, url
        assert client.post(url, {}, follow=True).status_code == 403, url


def test_admin_login_sends_to_the_sign_in_page_and_back(demo, client, demo_password):
    response = client.get("/admin/rounds/user/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=/admin/rounds/user/"
    response = client.post(
        response.redirect_chain[-1][0],
        {"username": "admin", "password": demo_password, "next": "/admin/rounds/user/"},
    )
    assert response["Location"] == "/admin/rounds/user/"
    assert client.get("/admin/login/?next=/admin/rounds/user/")["Location"] == "/admin/rounds/user/"
