"""Every write request in one transaction, retried once when it loses a race
(prioritering.transactions): real lock waits and a real deadlock on
PostgreSQL, between the test's own views here (the app's services take their
locks in one order and should never meet one; these views are written to).

Each view locks user rows FOR UPDATE and renames them; ``attempts`` counts
how often the middleware ran it."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.test import Client
from django.urls import path

from prioritering import urls as app_urls
from tests.helpers import run_together

User = get_user_model()
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.test_write_transactions"),
]

attempts: dict[str, int] = {}
released = threading.Event()  # set by a view whose first attempt lost the lock
meet = threading.Barrier(2)  # where the two deadlocking requests meet


def _count(request, name: str) -> int:
    attempts[name] = attempts.get(name, 0) + 1
    return attempts[name]


def rename_without_waiting(request, pk):
    """Locks the user at once or fails (55P03, lock_not_available). After its
    first attempt fails it lets the holder go and waits for the lock."""
    first = _count(request, "rename") == 1
    with connection.cursor() as cursor:
        if request.POST.get("patient") == "no" or first:
            cursor.execute("SET LOCAL lock_timeout = '100ms'")
        try:
            user = User.objects.select_for_update().get(pk=pk)
        finally:
            if first:
                released.set()
    user.first_name = request.POST["name"]
    user.save(update_fields=["first_name"])
    return HttpResponseRedirect("/klart/")


def rename_both(request, first, second):
    """Locks ``first``, meets the other request, then locks ``second``: two
    such requests in opposite orders deadlock, and PostgreSQL stops one."""
    users = [User.objects.select_for_update().get(pk=first)]
    if _count(request, f"both {first}") == 1:
        meet.wait(timeout=20)
    users.append(User.objects.select_for_update().get(pk=second))
    for user in users:
        user.last_name = f"{first}-{second}"
        user.save(update_fields=["last_name"])
    return HttpResponse("klart")


urlpatterns = [
    path("byt-namn/<int:pk>/", rename_without_waiting),
    path("byt-bada/<int:first>/<int:second>/", rename_both),
    *app_urls.urlpatterns,  # the pages the busy page links to
]


@pytest.fixture(autouse=True)
def fresh():
    attempts.clear()
    released.clear()
    meet.reset()


@pytest.fixture
def people(postgres):
    return (
        User.objects.create(username="anna", first_name="Anna"),
        User.objects.create(username="bo", first_name="Bo"),
    )


def hold_until_released(pk, holding: threading.Event, wait_for_release: bool):
    """In a connection of its own: lock the user and keep the lock until a
    view lets it go (or for two seconds)."""
    try:
        with transaction.atomic():
            User.objects.select_for_update().get(pk=pk)
            holding.set()
            if wait_for_release:
                released.wait(timeout=20)
            else:
                threading.Event().wait(2)
    finally:
        connection.close()


def test_a_request_that_lost_a_lock_wait_runs_again_and_saves(people):
    anna, _bo = people
    holding = threading.Event()
    holder = threading.Thread(target=hold_until_released, args=(anna.pk, holding, True))
    holder.start()
    assert holding.wait(timeout=20)
    response = Client().post(f"/byt-namn/{anna.pk}/", {"name": "Annika"})
    holder.join(timeout=30)
    assert response.status_code == 302
    assert attempts["rename"] == 2
    assert User.objects.get(pk=anna.pk).first_name == "Annika"


def test_a_request_that_loses_twice_gets_the_busy_page_with_what_was_posted(people):
    anna, _bo = people
    holding = threading.Event()
    holder = threading.Thread(target=hold_until_released, args=(anna.pk, holding, False))
    holder.start()
    assert holding.wait(timeout=20)
    posted = {"name": "Annika <Andersson>", "patient": "no", "submit_key": "abcdefgh-1234"}
    response = Client().post(f"/byt-namn/{anna.pk}/", posted)
    holder.join(timeout=30)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    page = response.content.decode()
    assert "Inget sparades – försök igen" in page
    # Everything posted is on the page, escaped, and "Skicka igen" sends it
    # again to the same address, with the same key.
    assert f'action="/byt-namn/{anna.pk}/"' in page
    assert 'name="name" value="Annika &lt;Andersson&gt;"' in page
    assert 'name="submit_key" value="abcdefgh-1234"' in page
    assert "csrfmiddlewaretoken" in page  # a fresh token of its own
    assert attempts["rename"] == 2
    assert User.objects.get(pk=anna.pk).first_name == "Anna"  # nothing written


def test_an_htmx_request_that_loses_twice_gets_the_sentence(people):
    anna, _bo = people
    holding = threading.Event()
    holder = threading.Thread(target=hold_until_released, args=(anna.pk, holding, False))
    holder.start()
    assert holding.wait(timeout=20)
    response = Client().post(
        f"/byt-namn/{anna.pk}/", {"name": "Annika", "patient": "no"}, HTTP_HX_REQUEST="true"
    )
    holder.join(timeout=30)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == (
        "Många sparar samtidigt just nu. Inget sparades – försök igen."
    )


def test_two_requests_that_deadlock_both_save(people):
    anna, bo = people

    def send(first, second):
        def target(barrier):
            barrier.wait()
            return Client().post(f"/byt-bada/{first.pk}/{second.pk}/").status_code

        return target

    statuses = run_together(send(anna, bo), send(bo, anna))
    assert statuses == [200, 200]
    # PostgreSQL stopped one of them (deadlock_detected); it ran again.
    assert sorted(attempts.values()) == [1, 2]
    names = set(User.objects.filter(pk__in=[anna.pk, bo.pk]).values_list("last_name", flat=True))
    assert len(names) == 1  # both rows from the one that came last
