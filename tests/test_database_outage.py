"""A database that cannot be reached gives the Swedish 503 page — for a signed-in
page, a page for someone not signed in, an htmx request and the health check —
never a 500 or Django's 400 "the session was deleted"; the error is logged once,
without a traceback; and an error that is not a lost connection stays a bug.

The outage is real (tests/outage.py): the connection is pointed at a database
that is not there, and put back after each test."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection

from prioritering.database import lost_connection
from rounds.models import User
from tests.outage import Outage

pytestmark = pytest.mark.django_db(transaction=True)

HEADING = "Tjänsten är tillfälligt otillgänglig"
HTMX_TEXT = "Databasen går inte att nå just nu. Inget sparades. Försök igen om några minuter."


@pytest.fixture
def outage():
    with Outage() as outage:
        yield outage


@pytest.fixture
def anna(client):
    client.force_login(User.objects.create_user("anna", password="x"))
    return client


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f"<h1>{HEADING}</h1>" in html
    assert "Databasen går inte att nå just nu" in html
    assert f'href="mailto:{settings.KOMMUN_CONTACT_EMAIL}"' in html
    assert "Inloggad som" not in html  # the shell reads no user, no round


def test_a_signed_in_page_answers_503(anna, outage):
    outage.start()
    assert_unavailable_page(anna.get("/"))


def test_a_page_for_someone_not_signed_in_answers_503(client, outage):
    outage.start()
    assert_unavailable_page(client.get("/konto/logga-in/"))


def test_a_post_answers_503_and_keeps_the_session(anna, outage):
    cookie = anna.cookies[settings.SESSION_COOKIE_NAME].value
    outage.start()
    assert_unavailable_page(anna.post("/konto/losenord/", {"old_password": "x"}))
    assert anna.cookies[settings.SESSION_COOKIE_NAME].value == cookie
    outage.end()
    assert anna.get("/tillganglighet/").status_code == 200  # still signed in


def test_an_htmx_request_answers_503_with_the_text_app_js_announces(anna, outage):
    outage.start()
    response = anna.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == HTMX_TEXT
    assert response["Retry-After"] == "30"


def test_the_health_check_answers_503_in_plain_text(client, outage):
    outage.start()
    response = client.get("/halsa/")
    assert response.status_code == 503
    assert response.content.decode() == "databasen svarar inte"
    assert response["Content-Type"].startswith("text/plain")


def test_a_database_lost_before_the_session_is_saved_answers_503_not_400(client, outage):
    """Django takes any error saving a session for a session deleted meanwhile
    (SessionInterrupted, 400). Here the database goes after the session was
    read, and the request itself needs no other query."""
    session = client.session
    session["seen"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    def cut_after_the_session_is_read(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "django_session" in sql and outage.saved is None:
            outage.start()
        return result

    with connection.execute_wrapper(cut_after_the_session_is_read):
        response = client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert outage.saved is not None  # the outage came where it was meant to
    assert_unavailable_page(response)


def test_the_page_follows_the_readers_language(client, outage):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    outage.start()
    response = client.get("/konto/logga-in/")
    assert response.status_code == 503
    assert "<h1>The service is temporarily unavailable</h1>" in response.content.decode()


def test_the_error_is_logged_once_without_a_traceback(anna, outage, caplog):
    outage.start()
    anna.get("/")
    ours = [r for r in caplog.records if r.name.startswith("prioritering")]
    assert [(r.levelname, r.getMessage().split(" (")[0]) for r in ours] == [
        ("WARNING", "database unreachable: GET /")
    ]
    assert not [r for r in caplog.records if r.exc_info]


def test_pages_answer_again_when_the_database_is_back(anna, outage):
    outage.start()
    assert anna.get("/halsa/").status_code == 503
    outage.end()
    assert anna.get("/halsa/").content == b"ok"
    assert anna.get("/tillganglighet/").status_code == 200


def test_a_refused_connection_is_a_lost_one(outage):
    outage.start()
    with pytest.raises(DatabaseError) as raised:
        User.objects.count()
    assert lost_connection(raised.value) is raised.value


def test_a_failing_query_on_a_live_connection_is_not_an_outage():
    """SQLite raises OperationalError for a missing table, PostgreSQL for a
    statement that ran too long: bugs or load, not a database that is gone."""
    with pytest.raises(DatabaseError) as raised, connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT * FROM no_such_table")
        else:
            cursor.execute("SET statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    assert lost_connection(raised.value) is None
