"""The Django admin: in Swedish, open to the administrator only, nothing of the
organisation deleted outright, every change in the history."""

import pytest

from rounds.models import Forvaltning, Membership, Namnd, Role


@pytest.fixture
def admin_client(signed_in):
    return signed_in("admin")


def test_admin_is_in_swedish(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Organisation och behörigheter" in html
    assert "Förvaltningar" in html
    assert "Medlemskap" in html
    assert 'lang="sv"' in html


def test_the_sign_in_records_are_named_in_swedish(admin_client):
    """django-axes has no Swedish: its app and models get Swedish names here."""
    html = admin_client.get("/admin/").content.decode()
    for english in ("Axes", "Access attempts", "Access failures", "Access logs"):
        assert f">{english}<" not in html, english
    for swedish in (
        "Inloggningsförsök",
        "Spärrar och försök",
        "Misslyckade inloggningar",
        "Inloggningar",
    ):
        assert f">{swedish}<" in html, swedish


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/axes/accessattempt/", "spärr efter misslyckad inloggning"),
        ("/admin/axes/accessfailurelog/", "misslyckad inloggning"),
        ("/admin/axes/accesslog/", "inloggning"),
    ],
)
def test_the_sign_in_record_lists_are_titled_in_swedish(admin_client, url, title):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert f"<title>Välj {title} för visning |" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/rounds/kommun/",
        "/admin/rounds/namnd/",
        "/admin/rounds/forvaltning/",
        "/admin/rounds/user/",
        "/admin/rounds/membership/",
        "/admin/rounds/membership/add/",
        "/admin/rounds/user/add/",
        "/admin/rounds/user/?har_roll=nej",
    ],
)
def test_admin_pages_open_for_the_administrator(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_organisation_cannot_be_deleted_outright(admin_client):
    namnd = Namnd.objects.get(name="Tekniska nämnden")
    assert admin_client.get(f"/admin/rounds/namnd/{namnd.pk}/delete/").status_code == 403
    assert (
        admin_client.post(f"/admin/rounds/namnd/{namnd.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Namnd.objects.filter(pk=namnd.pk).exists()


def test_a_membership_can_end_and_its_history_stays(admin_client, demo):
    membership = Membership.objects.get(user=demo["revisor"])
    response = admin_client.post(
        f"/admin/rounds/membership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert (
        Membership.history.filter(id=membership.pk, history_type="-").get().history_user
        == demo["admin"]
    )


def test_membership_with_the_wrong_unit_is_explained_in_swedish(admin_client, demo):
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    response = admin_client.post(
        "/admin/rounds/membership/add/",
        {"user": demo["revisor"].pk, "role": Role.TJANSTEPERSON, "namnd": namnd.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rollen hör till en förvaltning: välj vilken." in html
    assert not Membership.objects.filter(user=demo["revisor"], role=Role.TJANSTEPERSON).exists()


def test_administrator_gives_a_role(admin_client, demo):
    forvaltning = Forvaltning.objects.get(name="Socialförvaltningen")
    response = admin_client.post(
        "/admin/rounds/membership/add/",
        {
            "user": demo["tjp-social"].pk,
            "role": Role.FORVALTNINGSCHEF,
            "forvaltning": forvaltning.pk,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=demo["tjp-social"], role=Role.FORVALTNINGSCHEF)
    assert membership.history.get().history_user == demo["admin"]


def test_history_page_shows_changes(admin_client):
    namnd = Namnd.objects.get(name="Bildningsnämnden")
    response = admin_client.get(f"/admin/rounds/namnd/{namnd.pk}/history/")
    assert response.status_code == 200
    assert "Bildningsnämnden" in response.content.decode()


def test_administrator_lifts_a_sign_in_lock(admin_client, settings):
    from axes.models import AccessAttempt
    from django.test import Client

    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/konto/logga-in/", {"username": "controller", "password": "fel"})
    attempt = AccessAttempt.objects.get(username="controller")
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    response = client.post("/konto/logga-in/", {"username": "controller", "password": "demo"})
    assert response.status_code == 302


@pytest.mark.parametrize("username", ["controller", "revisor"])
def test_sign_in_records_are_for_the_administrator_only(signed_in, username):
    assert signed_in(username).get("/admin/axes/accessattempt/", follow=True).status_code == 403


def test_sign_in_records_cannot_be_edited(admin_client):
    assert admin_client.get("/admin/axes/accesslog/add/").status_code == 403


ENGLISH = (
    "Attempt Time",
    "IP Address",
    "Username",
    "User Agent",
    ">Path<",
    "Failed Logins",
    "Logout Time",
    "Access lock out",
    "Locked Out",
    "Attempt Remaining",
    "Form Data",
    "Meta Data",
    "HTTP Accept<",
    "GET Data",
    "POST Data",
    "Clean up expired attempts",
    "By attempt",
    "By path",
    "Filter by",
)


@pytest.fixture
def sign_in_records():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    where = {
        "ip_address": "10.0.0.1",
        "user_agent": "Firefox",
        "http_accept": "text/html",
        "path_info": "/konto/logga-in/",
    }
    return {
        "accessattempt": AccessAttempt.objects.create(
            username="ledamot-bildning", failures_since_start=2, get_data="", post_data="", **where
        ),
        "accesslog": AccessLog.objects.create(username="controller", **where),
        "accessfailurelog": AccessFailureLog.objects.create(
            username="ledamot-bildning", locked_out=False, **where
        ),
    }


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_the_sign_in_records_columns_filters_and_fields_are_in_swedish(
    admin_client, sign_in_records, model
):
    record = sign_in_records[model]
    listing = admin_client.get(f"/admin/axes/{model}/").content.decode()
    detail = admin_client.get(f"/admin/axes/{model}/{record.pk}/change/").content.decode()
    for html in (listing, detail):
        for english in ENGLISH:
            assert english not in html, (model, english)
    for swedish in ("Tidpunkt", "Användarnamn", "IP-adress"):
        assert swedish in listing, (model, swedish)
    assert "På tidpunkt" in listing and "På sökväg" in listing
    assert "Webbläsare" in detail and "Firefox" in detail


def test_a_lock_says_how_many_attempts_are_left(admin_client, sign_in_records, settings):
    listing = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "3 försök kvar" in listing and "Misslyckade försök" in listing
    assert "På spärrad" in listing


def test_a_sign_in_record_is_named_by_its_username_and_time(admin_client, sign_in_records):
    record = sign_in_records["accessattempt"]
    assert str(record).startswith("ledamot-bildning, ")
    detail = admin_client.get(f"/admin/axes/accessattempt/{record.pk}/change/").content.decode()
    assert "Attempted Access" not in detail and "+00:00" not in detail
