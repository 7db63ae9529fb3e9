import functools
import threading

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The most SQL queries any page may issue (reliability bar: ≤ 15 per page).
PAGE_QUERY_BUDGET = 15


def count_queries(client, url, **kwargs) -> int:
    """How many SQL queries one GET of ``url`` issues (after a warm-up request)."""
    client.get(url, **kwargs)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return len(queries)


def assert_queries_do_not_grow(client, url, grow, **kwargs) -> int:
    """The page issues the same number of queries before and after ``grow()``,
    and stays within the budget. Returns the count."""
    before = count_queries(client, url, **kwargs)
    grow()
    after = count_queries(client, url, **kwargs)
    assert after == before, f"{url}: {before} queries before, {after} after growing the data"
    assert before <= PAGE_QUERY_BUDGET, f"{url}: {before} queries"
    return before


def assert_sent_to_sign_in(response) -> None:
    """A request without a signed-in user: a page redirects to sign in; a save
    (POST) answers 401 with the page that keeps what was posted and offers
    sign-in (prioritering.middleware.SessionExpiredMiddleware)."""
    if response.status_code == 302:
        assert response["Location"].startswith("/konto/logga-in/?next=")
        return
    assert response.status_code == 401, response.status_code
    text = response.content.decode()
    assert "utloggad" in text
    if response["Content-Type"].startswith("text/html"):
        assert 'href="/konto/logga-in/"' in text


# The fixed cast of the demo, one user per kind of access (STYLE.md): the
# administratör, the controller, Bildning's chef and tjänsteperson, the outsider
# from Social, Bildning's nämndledamot, a forumdeltagare and the läsare.
CAST = (
    "admin",
    "controller",
    "chef-bildning",
    "tjp-bildning",
    "tjp-social",
    "ledamot-bildning",
    "forum-1",
    "revisor",
)


def cast_except(*allowed: str) -> list[str]:
    """The cast without the users who are allowed: those who must be refused."""
    return [username for username in CAST if username not in allowed]


def run_together(*targets):
    """Start the targets in threads, let them meet at a barrier (each target
    gets it and calls ``barrier.wait()``), wait for all. Each thread uses its
    own database connection and closes it at the end; an exception is
    returned in its place, not lost in the thread."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def run(index, target):
        try:
            results[index] = target(barrier)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, target)) for index, target in enumerate(targets)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a save never finished (deadlock?)"
    return results


@functools.cache
def _fingerprint_query() -> str:
    from rounds.models import SubmittedForm

    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if (
            meta.app_label not in ("documents", "rounds", "ranking", "followup")
            or meta.proxy
            or not meta.managed
        ):
            continue
        if meta.db_table == SubmittedForm._meta.db_table:
            continue  # a record of the requests (their submit keys), not data
        parts.append(
            f"SELECT '{meta.db_table}', COUNT(*), MAX({quote(meta.pk.column)}) "  # noqa: S608
            f"FROM {quote(meta.db_table)}"
        )
    return " UNION ALL ".join(parts)


def data_fingerprint() -> tuple:
    """The count and largest id of every table of our apps, history tables
    included (every write to an audited model adds a row to one), in one
    query: an unchanged fingerprint means nothing was written. The submit
    keys of the requests (SubmittedForm) are left out."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_query())
        return tuple(sorted(cursor.fetchall()))
