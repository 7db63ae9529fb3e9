"""Publication against a crowd (PostgreSQL, gunicorn with 4 workers × 2
threads, one session per request, all released together): the controller
publishes while decisions, the review and the frame are saved from other
sessions. Whatever wins, nothing is written after the moment of publication —
the services ask the rule again under the lock publishing takes
(ranking.services.decision.publish). Before, 1–3 decisions, a frame and a review
answer landed after it in each of four runs."""

import html
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from demo.organisation import DEMO_PASSWORD
from prioritering.audit import save_as
from ranking.models import AgreedPlace, Decision, ForumResult
from rounds.models import Phase, Round, User
from tests.demo_snapshot import load_demo
from tests.test_worker import database_url

RUNS = 3


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """A browser of its own: cookies, the CSRF token, no redirects followed."""

    def __init__(self, base: str, username: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.get("/konto/logga-in/")
        assert self.post("/konto/logga-in/", {"username": username, "password": DEMO_PASSWORD})
        assert self.post("/konto/logga-in/", {}) == 302  # signed in: sent on

    def _open(self, request) -> tuple[int, str]:
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        return response.status, response.read().decode()

    def get(self, path: str) -> str:
        return self._open(self.base + path)[1]

    def post(self, path: str, data: dict) -> int:
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310 (our own server, http)
            self.base + path, body, headers={"Referer": self.base + path}
        )
        return self._open(request)[0]


@pytest.fixture
def server(postgres, transactional_db, tmp_path):
    """gunicorn on the test database, on a free port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    command = [sys.executable, "-m", "gunicorn", "prioritering.wsgi", "-w", "4", "--threads", "2"]
    process = subprocess.Popen(
        [*command, "-b", f"127.0.0.1:{port}"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()
        try:
            if urllib.request.urlopen(base + "/halsa/", timeout=5).status == 200:  # noqa: S310
                break
        except OSError:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
    yield base
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def ready_to_publish() -> Round:
    """The demo's 2026 as it was just before it was published."""
    admin = User.objects.get(username="admin")
    round = Round.objects.get(budget_year=2026)
    result = round.forum_result
    result.published_at = result.published_by = None
    save_as(result, admin)
    round.phase = Phase.BESLUT
    save_as(round, admin)
    return round


def version_of(page: str) -> str:
    """The version the page's form carries (ranking.services.decision: a save from an
    older one is a conflict, 409)."""
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def decisions_form(page: str) -> dict:
    """The decisions page's form, as it stands."""
    data = {"version": version_of(page)}
    for pk, outcome in re.findall(r'name="outcome_(\d+)".*?value="([a-z_]+)" selected', page, re.S):
        data[f"outcome_{pk}"] = outcome
    for pk, amount in re.findall(r'name="amount_(\d+)"[^>]*value="([^"]*)"', page):
        data[f"amount_{pk}"] = amount
    for pk, text in re.findall(r'name="motivation_(\d+)"[^>]*>([^<]*)</textarea>', page):
        data[f"motivation_{pk}"] = html.unescape(text)
    return data


def released_together(server: str) -> list[int]:
    """Publication, seven saves of the decisions, three of the frame and one
    of the review, each from a session of its own, sent at the same moment."""
    sessions = [Session(server, "controller") for _ in range(12)]
    form = decisions_form(sessions[0].get("/omgangar/2026/forum/beslut/"))
    assert len([key for key in form if key.startswith("outcome_")]) == 14
    first = next(key for key in form if key.startswith("motivation_"))
    review = {
        f"review_{name}": "Ändrad" for name in ("sarbehandling", "undantrangning", "rimlighet")
    }
    review["version"] = version_of(sessions[0].get("/omgangar/2026/forum/granskning/"))
    requests = [("/omgangar/2026/forum/publicera/", {"confirm": "1"})]
    requests += [("/omgangar/2026/forum/beslut/", {**form, first: f"Ändrad {i}"}) for i in range(7)]
    requests += [("/omgangar/2026/forum/budgetlinje/", {"ram": str(5000 + i)}) for i in range(3)]
    requests.append(("/omgangar/2026/forum/granskning/", review))
    barrier = threading.Barrier(len(requests))
    statuses: list = [None] * len(requests)

    def send(index, session, path, data):
        barrier.wait()
        statuses[index] = session.post(path, data)

    threads = [
        threading.Thread(target=send, args=(i, session, path, data))
        for i, (session, (path, data)) in enumerate(zip(sessions, requests, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


@pytest.mark.postgres
def test_nothing_lands_after_the_moment_of_publication(server):
    load_demo(with_round=True)
    for _run in range(RUNS):
        round = ready_to_publish()
        statuses = released_together(server)
        # Of the seven decisions saved from one form, one may win before the
        # publication; the others are refused (403) or meet its save (409).
        assert all(status in (302, 403, 409) for status in statuses), statuses
        assert statuses[0] == 302, statuses  # the publication itself went through

        published_at = ForumResult.objects.get(round=round).published_at
        assert published_at is not None
        after = {"history_date__gt": published_at}
        assert not Decision.history.filter(round_id=round.pk, **after).exists(), statuses
        assert not AgreedPlace.history.filter(proposal__round_id=round.pk, **after).exists()
        assert not Round.history.filter(id=round.pk, **after).exists(), statuses
        # The result's last row is the publication's own; no review after it.
        late = ForumResult.history.filter(round_id=round.pk, **after)
        assert [h.history_change_reason for h in late] == ["Publicerad"], statuses
