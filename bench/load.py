"""A load run of the forum's live meeting: gunicorn on PostgreSQL, many members
ranking at once while the meeting view refreshes.

Run it with ``make bench-load`` or ``.venv/bin/python -m bench.load``.

What it does
------------
1. Creates (or empties) a PostgreSQL database of its own —
   ``LOAD_DATABASE_URL``, by default
   ``postgres://postgres@127.0.0.1:5432/prioritering_bench_load``; its name must
   contain "bench" — migrates it and fills it with
   :func:`bench.generate.generate` at ``scale=1``: among the rest, round 2026
   in the forum phase with 600 forwarded proposals and 40 forumdeltagare who
   have ranked all of them.
2. Starts ``gunicorn prioritering.wsgi -w 2`` on a free port of 127.0.0.1 with
   production settings: ``DEBUG=0``, a throwaway ``SECRET_KEY``,
   ``ALLOWED_HOSTS=127.0.0.1``, static files collected into a temporary
   ``STATIC_ROOT`` and served by WhiteNoise. HTTPS as behind a TLS proxy:
   ``BEHIND_TLS_PROXY=1`` and every request carries ``X-Forwarded-Proto:
   https``, so the HTTPS redirect, secure cookies, HSTS and the CSRF origin
   check do their real work, as in production behind nginx.
3. Simulates, with one thread each and plain ``http.client`` (no library the
   app does not already need):

   * ``LOAD_MEMBERS`` (40) forumdeltagare. Each signs in through the real
     sign-in form (``/konto/logga-in/``, CSRF token from the form, the right
     password: django-axes sees no failure), opens their sheet, and then
     every 2–4 s (random, seeded) moves one row of it a few places, as with
     drag and drop — the row takes its new neighbour's rank under the sheet's
     rule, so the move usually changes a rank — and saves it the way
     ``static/js/ranklist.js`` does: a POST of the whole form
     (URL-encoded, ``HX-Request``, ``X-CSRFToken``) answered 204.
   * ``LOAD_VIEWERS`` (3) meeting screens (the controller's, a läsare's, an
     administratör's). Each opens the meeting view and then asks every 2 s for
     its table with the stamp it shows, as htmx does (``HX-Request``): 204
     while nothing changed, else the new table, whose stamp it uses next.

   Sign-ins start ``LOAD_RAMP_STEP`` (1) s apart, as people arrive at a
   meeting; password hashing is slow on purpose, so they are reported but not
   held to the target. The measured window of ``LOAD_SECONDS`` (60) begins
   when everyone has signed in and opened their page.
4. Reports per kind of request, and over the window: requests, throughput,
   median, 95th percentile and maximum latency (client-side: from sending the
   request to the last byte of the answer) and errors (an answer outside
   2xx/3xx, or no answer). Exits non-zero when the window's p95 is
   ``LOAD_TARGET_MS`` (300) or more, or when there was any error, in the
   window or before it.
5. Stops gunicorn and drops the database, also after a failure or Ctrl-C.

Client and server share the machine (2 cores here), so the numbers include
the load generator's own use of it: a ceiling for what one small server does,
not what a municipality with its own host would see.

Environment
-----------
``LOAD_SECONDS``       length of the measured window (default 60)
``LOAD_MEMBERS``       simulated forumdeltagare (default 40, at most 40)
``LOAD_VIEWERS``       meeting screens (default 3)
``LOAD_WORKERS``       gunicorn workers (default 2)
``LOAD_RAMP_STEP``     seconds between two sign-ins (default 1)
``LOAD_TARGET_MS``     the p95 target (default 300)
``LOAD_SEED``          the random seed (default 2026)
``LOAD_DATABASE_URL``  the PostgreSQL database to use (emptied, then dropped)
``LOAD_KEEP_LOG``      1 prints gunicorn's log at the end even when all went well
"""

import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/prioritering_bench_load"
SECRET_KEY = "bench-load-only-secret-key-never-used-elsewhere-0123456789abcdef"  # noqa: S105 (a throwaway server)
VIEWER_PERSONAS = ["controller", "lasare", "administrator"]
POLL_SECONDS = 2.0
SAVE_EVERY = (2.0, 4.0)  # seconds between two saves of one member
MOVE_DISTANCE = 12  # at most this many places up or down per move
TIMEOUT = 30

# What a request was, for the report. The window's kinds are held to the target.
SIGN_IN = "Logga in (formulär + POST)"
SHEET_PAGE = "Mitt ark, sidan"
MEETING_PAGE = "Möte, sidan"
SAVE = "Mitt ark, spara flytt (htmx POST)"
POLL_SAME = "Möte, tabell oförändrad (204)"
POLL_NEW = "Möte, tabell ny (200)"
SETUP_KINDS = [SIGN_IN, SHEET_PAGE, MEETING_PAGE]
WINDOW_KINDS = [SAVE, POLL_SAME, POLL_NEW]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


@dataclass
class Sample:
    kind: str
    in_window: bool
    status: int  # 0: no answer
    ms: float
    error: str = ""


@dataclass
class Run:
    """What the threads share: where the server is, the samples, the clock."""

    port: int
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ready: threading.Barrier | None = None
    window_start: float = 0.0
    window_end: float = 0.0
    stop: threading.Event = field(default_factory=threading.Event)

    def record(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def in_window(self) -> bool:
        return self.window_start <= time.monotonic() < self.window_end


class Browser:
    """One user's browser: cookies, and requests as a browser behind the
    municipality's TLS proxy would send them."""

    def __init__(self, run: Run):
        self.run = run
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{run.port}"

    def request(self, kind, method, path, body=None, headers=None, in_window=None, record=True):
        """Send one request; returns (status, body, sample) — status 0 when
        there was no answer. Records the sample unless told not to."""
        headers = {
            "Host": f"127.0.0.1:{self.run.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "prioritering-bench-load",
            "Accept-Language": "sv",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.setdefault("Origin", self.origin)
            headers.setdefault("Referer", self.origin + path)
        window = self.run.in_window() if in_window is None else in_window
        connection = http.client.HTTPConnection("127.0.0.1", self.run.port, timeout=TIMEOUT)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            status = response.status
            for value in response.headers.get_all("Set-Cookie") or []:
                self._store(value)
        except (OSError, http.client.HTTPException) as error:
            elapsed = (time.perf_counter() - started) * 1000
            status, content = 0, b""
            problem = f"{type(error).__name__}: {error} ({method} {path.split('?')[0]})"
        else:
            problem = "" if 200 <= status < 400 else f"HTTP {status} {method} {path.split('?')[0]}"
        finally:
            connection.close()
        sample = Sample(kind, window, status, elapsed, problem)
        if record:
            self.run.record(sample)
        return status, content, sample

    def _store(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def sign_in(self, username: str, password: str) -> bool:
        """The sign-in form and its POST, recorded as one request: the time a
        person waits from opening the page to being let in (without the
        start page that follows)."""
        path = "/konto/logga-in/"
        status, page, first = self.request(SIGN_IN, "GET", path, in_window=False, record=False)
        token = _hidden(page, "csrfmiddlewaretoken")
        second = None
        if status == 200 and token:
            form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
            status, _page, second = self.request(
                SIGN_IN,
                "POST",
                path,
                body=urlencode({**form, "next": ""}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                in_window=False,
                record=False,
            )
        error = first.error or (second.error if second else "no CSRF token on the sign-in page")
        if not error and (status != 302 or "sessionid" not in self.cookies):
            error = f"sign-in refused for {username} (HTTP {status})"
        ms = first.ms + (second.ms if second else 0)
        self.run.record(Sample(SIGN_IN, False, status, ms, error))
        return not error


def _hidden(page: bytes, name: str) -> str:
    match = re.search(rb'name="' + name.encode() + rb'" value="([^"]*)"', page)
    return match.group(1).decode() if match else ""


ROW = re.compile(rb'<tr id="forslag-\d+" data-proposal="(\d+)" data-number="(\d+)"')
RANK = re.compile(rb'name="rank_(\d+)" id="id_rank_\d+" value="([^"]*)"')
POLL_URL = re.compile(rb'id="forum-meeting-table"[^>]*?hx-get="([^"]+)"', re.S)


def member(run: Run, username: str, password: str, year: int, rng: random.Random, delay: float):
    """A forumdeltagare: sign in, open the sheet, then move a row and save it
    every 2–4 s until the window closes."""
    from ranking.services.forum import SheetRow, place_row

    browser = Browser(run)
    sheet = f"/omgangar/{year}/forum/mitt-ark/"
    rows = []
    try:
        time.sleep(delay)
        if browser.sign_in(username, password):
            status, page, _sample = browser.request(SHEET_PAGE, "GET", sheet, in_window=False)
            ranks = {int(pk): value.decode() for pk, value in RANK.findall(page)}
            rows = [
                SheetRow(int(pk), int(number), int(ranks[int(pk)]) if ranks.get(int(pk)) else None)
                for pk, number in ROW.findall(page)
            ]
            if status == 200 and not rows:
                run.record(Sample(SHEET_PAGE, False, 0, 0, f"no rows on {username}'s sheet"))
    except Exception as error:  # a page we could not read counts as an error, not a crash
        rows = []
        run.record(Sample(SHEET_PAGE, False, 0, 0, f"{type(error).__name__}: {error}"))
    finally:
        run.ready.wait()
    if not rows:
        return
    time.sleep(rng.uniform(0, SAVE_EVERY[1]))  # not all at the same moment
    while time.monotonic() < run.window_end and not run.stop.is_set():
        index = rng.randrange(len(rows))
        target = min(len(rows) - 1, max(0, index + rng.randint(-MOVE_DISTANCE, MOVE_DISTANCE)))
        moved = place_row(rows, index, target) if target != index else rows
        token = browser.cookies.get("csrftoken", "")
        fields = [("csrfmiddlewaretoken", token)]
        fields += [(f"rank_{row.proposal_id}", str(row.rank or "")) for row in moved]
        fields += [("ordning", str(row.proposal_id)) for row in moved]
        status, _answer, _sample = browser.request(
            SAVE,
            "POST",
            sheet,
            body=urlencode(fields).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
                "HX-Request": "true",
                "X-CSRFToken": token,
            },
        )
        if status == 204:
            rows = moved
        run.stop.wait(rng.uniform(*SAVE_EVERY))


def viewer(run: Run, username: str, password: str, year: int, delay: float):
    """A meeting screen: open the meeting view, then poll its table every 2 s
    with the stamp it shows."""
    browser = Browser(run)
    page_url = f"/omgangar/{year}/forum/mote/"
    poll = ""
    try:
        time.sleep(delay)
        if browser.sign_in(username, password):
            _status, page, _sample = browser.request(MEETING_PAGE, "GET", page_url, in_window=False)
            poll = _poll_url(page)
            if not poll:
                run.record(Sample(MEETING_PAGE, False, 0, 0, "no poll URL on the meeting page"))
    except Exception as error:
        poll = ""
        run.record(Sample(MEETING_PAGE, False, 0, 0, f"{type(error).__name__}: {error}"))
    finally:
        run.ready.wait()
    headers = {
        "HX-Request": "true",
        "HX-Target": "forum-meeting-table",
        "HX-Trigger": "forum-meeting-table",
        "HX-Current-URL": browser.origin + page_url,
    }
    while poll and time.monotonic() < run.window_end and not run.stop.is_set():
        tick = time.monotonic()
        status, fragment, sample = browser.request(
            POLL_NEW, "GET", poll, headers=headers, record=False
        )
        if status == 204:
            sample.kind = POLL_SAME
        elif status == 200:
            poll = _poll_url(fragment) or poll
        run.record(sample)
        run.stop.wait(max(0.0, POLL_SECONDS - (time.monotonic() - tick)))


def _poll_url(page: bytes) -> str:
    match = POLL_URL.search(page)
    return match.group(1).decode().replace("&amp;", "&") if match else ""


# --- The database and the server ---------------------------------------------


def database_settings(url: str) -> dict:
    import dj_database_url

    config = dj_database_url.parse(url)
    name = str(config.get("NAME") or "")
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit(f"LOAD_DATABASE_URL must be a PostgreSQL database, not {url!r}.")
    if "bench" not in name.lower() or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(
            f"LOAD_DATABASE_URL names the database {name!r}; the load run empties and drops "
            "it, so its name must contain 'bench' (letters, digits and _ only)."
        )
    return config


def _maintenance(config: dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )


def recreate_database(config: dict) -> None:
    with _maintenance(config) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def drop_database(config: dict) -> None:
    with _maintenance(config) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


def server_environment(url: str, static_root: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "prioritering.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static_root,
        # TLS ends at the (here imagined) proxy, which says so in X-Forwarded-Proto.
        "BEHIND_TLS_PROXY": "1",
        "SECURE_SSL_REDIRECT": "1",
    }


def prepare(url: str, static_root: str) -> tuple[int, list[str]]:
    """Migrate, collect static files, generate the data; the forum's year and
    its members' usernames (persona first)."""
    os.environ.update(server_environment(url, static_root))
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connections

    from bench.generate import FORUM_YEAR, generate
    from ranking.models import ForumRank

    logging.getLogger("prioritering.security").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    summary = generate(scale=1)
    members = list(
        ForumRank.objects.filter(round__budget_year=FORUM_YEAR)
        .values_list("member__username", flat=True)
        .distinct()
        .order_by("member__username")
    )
    print(
        f"Data: {summary['rows'].get('rounds.User')} users, round {FORUM_YEAR} with "
        f"{summary['rows'].get('ranking.ForumRank')} forum ranks by {len(members)} members "
        f"(generated in {summary['seconds']} s)"
    )
    connections.close_all()
    return FORUM_YEAR, members


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, log_path: Path, threads: int = 1):
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
        [
            *(sys.executable, "-m", "gunicorn", "prioritering.wsgi"),
            *("-w", str(workers), "--threads", str(threads), "-b"),
            f"127.0.0.1:{port}",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start (exit {process.returncode}); see below.")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request(
                "GET", "/halsa/", headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
            )
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /halsa/ within 60 s.")


def stop_gunicorn(process) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop; it stops its workers
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- The report -----------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(share * len(ordered)) - 1]


def summarise(samples: list[Sample], seconds: float | None) -> dict:
    times = [s.ms for s in samples]
    return {
        "requests": len(samples),
        "per_second": round(len(samples) / seconds, 1) if seconds else None,
        "median_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
        "errors": sum(1 for s in samples if s.error),
    }


def report(run: Run, seconds: float, target_ms: float) -> tuple[dict, list[str]]:
    window = [s for s in run.samples if s.in_window]
    before = [s for s in run.samples if not s.in_window]
    result = {"window_seconds": round(seconds, 1), "target_ms": target_ms, "kinds": {}}
    rows = [("Request", "Requests", "Req/s", "Median ms", "p95 ms", "Max ms", "Errors")]

    def add(label, samples, per_second_over):
        summary = summarise(samples, per_second_over)
        result["kinds"][label] = summary
        rows.append(
            (
                label,
                str(summary["requests"]),
                "–" if summary["per_second"] is None else f"{summary['per_second']:.1f}",
                *(
                    "–" if summary[key] is None else f"{summary[key]:.0f}"
                    for key in ("median_ms", "p95_ms", "max_ms")
                ),
                str(summary["errors"]),
            )
        )
        return summary

    for kind in SETUP_KINDS:
        add(f"{kind} (före fönstret)", [s for s in before if s.kind == kind], None)
    for kind in WINDOW_KINDS:
        add(kind, [s for s in window if s.kind == kind], seconds)
    overall = add("Alla i fönstret", window, seconds)
    result["overall"] = overall
    _print_rows(rows)
    problems = []
    if not window:
        problems.append("no request was made in the window")
    elif overall["p95_ms"] >= target_ms:
        problems.append(f"p95 {overall['p95_ms']:.0f} ms in the window, target < {target_ms:.0f}")
    errors = [s for s in run.samples if s.error]
    if errors:
        kinds: dict[str, int] = {}
        for sample in errors:
            kinds[sample.error] = kinds.get(sample.error, 0) + 1
        problems.append(f"{len(errors)} errors")
        print("\nErrors:")
        for text, count in sorted(kinds.items(), key=lambda item: -item[1])[:10]:
            print(f"  {count:5d} × {text}")
    return result, problems


def _print_rows(rows) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


# --- Main -------------------------------------------------------------------------


def main() -> int:
    seconds = env_float("LOAD_SECONDS", 60)
    member_count = env_int("LOAD_MEMBERS", 40)
    viewer_count = env_int("LOAD_VIEWERS", 3)
    workers = env_int("LOAD_WORKERS", 2)
    ramp_step = env_float("LOAD_RAMP_STEP", 1.0)
    target_ms = env_float("LOAD_TARGET_MS", 300)
    seed = env_int("LOAD_SEED", 2026)
    url = os.environ.get("LOAD_DATABASE_URL") or DEFAULT_DATABASE_URL
    if seconds <= 0 or member_count < 0 or viewer_count < 0 or workers < 1:
        raise SystemExit("LOAD_SECONDS > 0, LOAD_MEMBERS ≥ 0, LOAD_VIEWERS ≥ 0, LOAD_WORKERS ≥ 1.")
    config = database_settings(url)
    temp = Path(tempfile.mkdtemp(prefix="prioritering-bench-load-"))
    static_root = temp / "static"
    log_path = temp / "gunicorn.log"
    process = None
    failed = True
    try:
        print(f"Load run: database {config['NAME']} at {config.get('HOST') or 'localhost'}")
        recreate_database(config)
        year, members = prepare(url, str(static_root))
        if member_count > len(members):
            raise SystemExit(f"LOAD_MEMBERS is {member_count}; the data has {len(members)}.")
        from bench.generate import PASSWORD, persona_username

        port = free_port()
        process = start_gunicorn(server_environment(url, str(static_root)), port, workers, log_path)
        print(
            f"gunicorn -w {workers} on 127.0.0.1:{port}: {member_count} members saving every "
            f"{SAVE_EVERY[0]:.0f}–{SAVE_EVERY[1]:.0f} s, {viewer_count} meeting screens polling "
            f"every {POLL_SECONDS:.0f} s; window {seconds:.0f} s after the sign-ins"
        )
        run = Run(port=port)
        run.window_start = run.window_end = float("inf")
        threads = []
        rng = random.Random(seed)
        for i, username in enumerate(members[:member_count]):
            args = (run, username, PASSWORD, year, random.Random(rng.random()), i * ramp_step)
            threads.append(threading.Thread(target=member, args=args, daemon=True))
        for i in range(viewer_count):
            username = persona_username(VIEWER_PERSONAS[i % len(VIEWER_PERSONAS)])
            delay = (member_count + i) * ramp_step
            threads.append(
                threading.Thread(
                    target=viewer, args=(run, username, PASSWORD, year, delay), daemon=True
                )
            )

        def open_window():
            run.window_start = time.monotonic()
            run.window_end = run.window_start + seconds
            print(f"Everyone is in; measuring for {seconds:.0f} s …", flush=True)

        run.ready = threading.Barrier(len(threads), action=open_window)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result, problems = report(run, seconds, target_ms)
        result.update(
            {
                "members": member_count,
                "viewers": viewer_count,
                "workers": workers,
                "database": "postgresql",
                "cpus": os.cpu_count(),
            }
        )
        if os.environ.get("LOAD_JSON"):
            Path(os.environ["LOAD_JSON"]).write_text(json.dumps(result, indent=2) + "\n")
        if problems:
            print("\nFAILED: " + "; ".join(problems), file=sys.stderr)
            return 1
        failed = False
        print(f"\nOK: p95 {result['overall']['p95_ms']:.0f} ms < {target_ms:.0f} ms, no errors.")
        return 0
    finally:
        stop_gunicorn(process)
        if (failed or os.environ.get("LOAD_KEEP_LOG") == "1") and log_path.exists():
            tail = log_path.read_text(errors="replace").splitlines()[-40:]
            if tail:
                print("\ngunicorn's log (last lines):\n  " + "\n  ".join(tail))
        if "django.db" in sys.modules:  # the data was made here: let go of the database
            from django.conf import settings
            from django.db import connections

            if settings.configured:
                connections.close_all()
        drop_database(config)
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
