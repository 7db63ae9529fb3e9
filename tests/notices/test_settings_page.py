"""``/konto/aviseringar/``: each signed-in user's notice settings."""

import pytest

from notices.models import NoticeSettings
from tests.helpers import CAST, PAGE_QUERY_BUDGET, assert_sent_to_sign_in, count_queries

URL = "/konto/aviseringar/"


def test_anonymous_is_sent_to_sign_in(client, db):
    assert_sent_to_sign_in(client.get(URL))
    assert_sent_to_sign_in(client.post(URL, {"language": "en"}))
    assert not NoticeSettings.objects.exists()


@pytest.mark.parametrize("username", CAST)
def test_every_signed_in_user_opens_their_own(signed_in, username):
    response = signed_in(username).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{username}@exempelkommun.se" in text


def test_the_defaults_are_swedish_and_every_notice(signed_in):
    text = signed_in("tjp-bildning").get(URL).content.decode()
    assert (
        '<input type="radio" name="language" value="sv" id="id_language_0" required checked>'
        in text
    )
    assert text.count(" checked>") == 4  # the language and the three optional notices


def test_it_saves_the_language_and_the_optional_notices(signed_in, demo):
    client = signed_in("ledamot-bildning")
    response = client.post(URL, {"language": "en", "phase": "on"})
    assert response.status_code == 302
    assert response["Location"] == URL
    saved = NoticeSettings.objects.get(user=demo["ledamot-bildning"])
    assert (saved.language, saved.phase, saved.analysis_submitted, saved.published) == (
        "en",
        True,
        False,
        False,
    )
    client.post(URL, {"language": "sv", "published": "on"})
    saved.refresh_from_db()
    assert (saved.language, saved.phase, saved.published) == ("sv", False, True)
    assert NoticeSettings.objects.count() == 1


def test_a_user_changes_only_their_own(signed_in, demo):
    signed_in("tjp-social").post(URL, {"language": "en"})
    assert list(NoticeSettings.objects.values_list("user__username", flat=True)) == ["tjp-social"]


def test_an_unknown_language_is_refused(signed_in, demo):
    response = signed_in("tjp-social").post(URL, {"language": "xx"})
    assert response.status_code == 200
    assert not NoticeSettings.objects.exists()


def test_it_lists_the_notices_that_always_come(signed_in):
    text = signed_in("tjp-bildning").get(URL).content.decode()
    assert "Aviseringar som alltid skickas" in text
    assert "En verksamhetsanalys återlämnas" in text
    assert "Påminnelse om ditt arbete som snart ska vara klart" in text


def test_the_header_links_to_it(signed_in):
    assert f'href="{URL}"' in signed_in("revisor").get("/").content.decode()


def test_it_keeps_to_the_query_budget(signed_in):
    client = signed_in("controller")
    assert count_queries(client, URL) <= PAGE_QUERY_BUDGET


def test_the_administrator_reads_the_outbox_and_cannot_change_it(signed_in, demo):
    from notices.mail import queue_mail

    admin_client = signed_in("admin")
    queue_mail(demo["tjp-bildning"], "reminder", "reminder", {"items": []}, kommun="Exempelkommun")
    assert admin_client.get("/admin/notices/outgoingmail/").status_code == 200
    assert admin_client.get("/admin/notices/outgoingmail/add/").status_code == 403


@pytest.mark.parametrize("username", ["controller", "tjp-bildning", "revisor"])
def test_the_outbox_is_for_the_administrator_only(signed_in, username):
    response = signed_in(username).get("/admin/notices/outgoingmail/", follow=True)
    assert response.status_code == 403
