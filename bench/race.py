"""A race run: conflicting requests released together from several sessions,
against gunicorn (4 workers × 2 threads) on PostgreSQL, with production
settings — the conditions under which issue 13's deadlocks, double imports,
late writes and duplicates were found.

Run it with ``make bench-race`` or ``.venv/bin/python -m bench.race``.

What it does
------------
1. Creates (or empties) a PostgreSQL database of its own —
   ``RACE_DATABASE_URL``, by default
   ``postgres://postgres@127.0.0.1:5432/prioritering_bench_race``; its name
   must contain "bench" — migrates it and loads the demo's organisation and
   users, and three rounds: 2027 open for the verksamhetsanalys, 2026 in the
   nämnd phase (Bildning's six proposals ranked and sent on) and 2024 in the
   forum phase (four proposals sent on and ranked by three forumdeltagare).
2. Starts ``gunicorn prioritering.wsgi -w 4 --threads 2`` on a free port with
   production settings (``DEBUG=0``, HTTPS as behind a TLS proxy, as
   ``bench/load.py``). Every session signs in through the real sign-in form.
   The controller records 2024's order, review and decisions through the
   pages and moves it to the Beslut phase.
3. For ``RACE_SECONDS`` (60), five scenarios run side by side, each sending
   bursts of requests released together (a barrier), every POST with a
   ``submit_key`` as the pages give one:

   * **analysis** (2027, Bildning): two proposal creates and two item adds
     from four sessions of the tjänsteperson, beside the chef's "Lämna in" —
     or the controller's "Återlämna" — in turn.
   * **import** (2027): the controller uploads a small forum compilation
     (its own file name each time) and confirms the preview from three tabs
     at once.
   * **phases** (2026): three sessions of the nämndledamot save the nämnd's
     ranking, one forumdeltagare saves their sheet from two sessions (the
     plain "Spara" and the background save of ``static/js/ranklist.js``), and
     the controller moves the round nämnd → forum → nämnd, one move a burst.
   * **decisions** (2024): three sessions of the controller save the
     decisions (one takes the first proposal's decision away and gives it
     back in turn), two save the review.
   * **double clicks** (2027): the same form, with the same submit_key, sent
     three times at once: a new proposal, a new analysis item, a new entry
     in the round's perspektiv list.

   When the window closes the controller publishes 2024 with five clicks of
   one form, released together with a last burst of decision and review
   saves (again, until it is published: a decision may be missing).
4. Reports per kind of request: how many, their status codes, errors (an
   answer of 5xx or none); the records of level ERROR in gunicorn's log and
   its tracebacks, and the saves that lost a race and were run again
   (``prioritering.transactions``' warnings); and what the database shows
   afterwards: duplicates (a double click stored more than once, an import
   more than once), writes after a door closed (a proposal or item of the
   tjänsteperson's in a submitted analysis, a nämnd rank saved outside the
   nämnd phase, a forum rank outside the forum phase, anything after the
   publication), a published round with an undecided proposal, a public page
   that does not answer. The target is none of them; it exits non-zero when
   there is any.
5. Stops gunicorn and drops the database, also after a failure or Ctrl-C.

Environment
-----------
``RACE_SECONDS``       length of the window (default 60)
``RACE_WORKERS``       gunicorn workers (default 4)
``RACE_THREADS``       gunicorn threads per worker (default 2)
``RACE_DATABASE_URL``  the PostgreSQL database to use (emptied, then dropped)
``RACE_KEEP_LOG``      1 prints gunicorn's log at the end even when all went well
``RACE_JSON``          a file to write the report to, as JSON
"""

import datetime
import html
import http.client
import io
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.load import (
    _print_rows,
    database_settings,
    drop_database,
    free_port,
    recreate_database,
    server_environment,
    start_gunicorn,
    stop_gunicorn,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/prioritering_bench_race"
TIMEOUT = 60
ANALYSIS_YEAR, PHASES_YEAR, DECISIONS_YEAR = 2027, 2026, 2024
BILDNING = "Bildningsförvaltningen"
IMPORT_ROWS = 4  # the rows of the uploaded compilation
CLICKS = 3  # the clicks of a double click
PUBLISH_CLICKS = 5
PAUSE = 0.2  # seconds between two bursts of one scenario

# The kinds of request, in the report's order.
KINDS = [
    "Inloggning",
    "Förberedelse (2024)",
    "Sidor (GET)",
    "Nytt förslag",
    "Ny analyspunkt",
    "Lämna in analysen",
    "Återlämna analysen",
    "Import, uppladdning",
    "Import, bekräfta (3 flikar)",
    "Nämnd, spara rangordning",
    "Forum, spara arket (Spara)",
    "Forum, spara arket (bakgrund)",
    "Fasbyte",
    "Beslut, spara",
    "Granskning, spara",
    "Dubbelklick: nytt förslag",
    "Dubbelklick: ny analyspunkt",
    "Dubbelklick: ny listpost",
    "Publicera (5 klick)",
    "Publik sida",
]


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Sample:
    kind: str
    status: int  # 0: no answer
    error: str = ""


@dataclass
class Answer:
    status: int
    location: str
    body: str


@dataclass
class Run:
    port: int
    deadline: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # What the checks afterwards look up: (kind, identifier, answers).
    clicks: list[tuple[str, str, list[Answer]]] = field(default_factory=list)
    imports: list[tuple[str, list[Answer]]] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)

    def record(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def running(self) -> bool:
        return time.monotonic() < self.deadline


class Session:
    """One browser: its cookies, requests as a browser behind the TLS proxy
    sends them (as bench/load.py's), each recorded by kind."""

    def __init__(self, run: Run, username: str = ""):
        self.run = run
        self.username = username
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{run.port}"

    def request(self, kind, method, path, body=b"", headers=None) -> Answer:
        headers = {
            "Host": f"127.0.0.1:{self.run.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "prioritering-bench-race",
            "Accept-Language": "sv",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.setdefault("Origin", self.origin)
            headers.setdefault("Referer", self.origin + path)
            headers.setdefault("X-CSRFToken", self.cookies.get("csrftoken", ""))
        connection = http.client.HTTPConnection("127.0.0.1", self.run.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read().decode(errors="replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                self._store(value)
            answer = Answer(response.status, response.headers.get("Location", ""), content)
            error = f"HTTP {answer.status} {method} {path}" if answer.status >= 500 else ""
        except (OSError, http.client.HTTPException) as problem:
            answer = Answer(0, "", "")
            error = f"{type(problem).__name__}: {problem} ({method} {path})"
        finally:
            connection.close()
        self.run.record(Sample(kind, answer.status, error))
        return answer

    def _store(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str) -> Answer:
        return self.request("Sidor (GET)", "GET", path)

    def post(self, kind: str, path: str, data: dict, *, htmx: bool = False) -> Answer:
        fields = [("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))]
        for name, value in data.items():
            for one in value if isinstance(value, list) else [value]:
                fields.append((name, str(one)))
        headers = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}
        if htmx:
            headers["HX-Request"] = "true"
        return self.request(kind, "POST", path, urlencode(fields).encode(), headers)

    def upload(self, kind: str, path: str, data: dict, name: str, content: bytes) -> Answer:
        boundary = uuid.uuid4().hex
        parts = []
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        for key, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            "\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request(kind, "POST", path, b"".join(parts), headers)

    def sign_in(self, username: str, password: str) -> None:
        self.username = username
        page = self.request("Inloggning", "GET", "/konto/logga-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', page.body)
        answer = self.post(
            "Inloggning",
            "/konto/logga-in/",
            {"csrfmiddlewaretoken": token[1] if token else "", "username": username}
            | {"password": password, "next": ""},
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"sign-in refused for {username} (HTTP {answer.status})")

    def twin(self) -> "Session":
        """Another connection of the same browser (same cookies)."""
        other = Session(self.run, self.username)
        other.cookies = dict(self.cookies)
        return other


def key() -> str:
    return str(uuid.uuid4())


def together(*calls) -> list:
    """Run the calls in threads released at the same moment; their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- The pages' forms ---------------------------------------------------------------


class _Form(HTMLParser):
    """The fields of the form posting to ``action`` as a browser sends them."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = self.found = False
        self.fields: list[tuple[str, str]] = []
        self._text: tuple[str, list[str]] | None = None
        self._select: tuple[str, list] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
            self.found = self.found or self.inside
        if tag == "option" and self.inside and self._select is not None:
            self._select[1].append((attrs.get("value") or "", "selected" in attrs))
        if not self.inside or "name" not in attrs:
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind not in ("submit", "button", "image", "file", "reset"):
            if kind not in ("radio", "checkbox") or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._text = (attrs["name"], [])
        elif tag == "select":
            self._select = (attrs["name"], [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._text is not None:
            self.fields.append((self._text[0], "".join(self._text[1]).removeprefix("\n")))
            self._text = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            chosen = [v for v, selected in options if selected] or [v for v, _s in options[:1]]
            self.fields += [(name, value) for value in chosen[:1]]
            self._select = None


def form_of(page: str, action: str) -> dict | None:
    """The form of ``page`` posting to ``action`` as shown (None: no such
    form on the page), without its CSRF token; repeated names as lists."""
    parser = _Form(action)
    parser.feed(page)
    if not parser.found:
        return None
    fields: dict = {}
    for name, value in parser.fields:
        if name == "csrfmiddlewaretoken":
            continue
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    return fields


# --- The data ---------------------------------------------------------------------


def import_workbook_bytes() -> bytes:
    """A forum compilation of IMPORT_ROWS rows, in the municipalities' layout."""
    from openpyxl import Workbook

    header = ["Nämnd", "Fokusområde", "Verksamhetsområde", "Sammanfattande beskrivning"]
    header += ["Typ", "Orsak till behov", "Effekt på längre sikt", "Kostnader", None, None]
    header += ["Svårighetsgrad", "Nyttan", "Kostnadseffektivitet", "Sammanvägd rangordning"]
    header += ["Konsekvensanalys"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Sammanställning"
    sheet.append(header)
    sheet.append([None] * 7 + ["tkr År 1", "tkr År 2", "tkr År 3"])
    sheet.merge_cells(start_row=1, start_column=8, end_row=1, end_column=10)
    for i, namnd in enumerate(["Bildning", "Bildning", "Social", "Teknisk"][:IMPORT_ROWS]):
        sheet.append(
            [
                *(namnd, "Grunduppdrag", "Fritid", f"Importerat förslag {i}", "Nya behov"),
                *("Integration", "Ambitionsökning", 100 + i, 100, 100, "Stor", "Stor", "Hög"),
                *(i + 1, "Fler saknar en mötesplats."),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_data() -> dict:
    """The demo's organisation and users, and the three rounds (see above)."""
    from demo.loading import load_demo
    from prioritering.audit import save_as
    from ranking.models import (
        ForumMember,
        ForumRank,
        Handling,
        NamndRanking,
        NamndResult,
        Representation,
    )
    from rounds.models import (
        Analysis,
        AnalysisStatus,
        Kommun,
        Namnd,
        Phase,
        PhaseDeadline,
        Proposal,
        ProposalType,
        User,
    )
    from rounds.services.round import create_round

    load_demo()
    controller = User.objects.get(username="controller")
    kommun = Kommun.objects.get()
    rounds = {}
    for year, phase in [
        (DECISIONS_YEAR, Phase.FORUM),
        (PHASES_YEAR, Phase.NAMND),
        (ANALYSIS_YEAR, Phase.VERKSAMHETSANALYS),
    ]:
        round = create_round(kommun, budget_year=year, by=controller, frame_tkr=20000)
        PhaseDeadline.objects.create(
            round=round,
            phase=Phase.VERKSAMHETSANALYS,
            deadline=datetime.date.today() + datetime.timedelta(days=60),
        )
        round.phase = phase
        save_as(round, controller, "Förberedd för bänken")
        rounds[year] = round

    def proposals(round, forvaltning: str, count: int, start: int) -> list:
        analysis = Analysis.objects.get(round=round, forvaltning__name=forvaltning)
        analysis.status = AnalysisStatus.SUBMITTED
        save_as(analysis, controller, "Inlämnad")
        author = User.objects.get(username="tjp-bildning")
        return [
            Proposal.objects.create(
                round=round,
                analysis=analysis,
                number=start + i,
                created_by=author,
                title=f"{forvaltning.split('för')[0]} {start + i}",
                typ=ProposalType.NYA_BEHOV,
                cost_year1=300 + 100 * i,
                rangordning=i + 1,
            )
            for i in range(count)
        ]

    def sent_on(round, namnd: str, sent: list) -> None:
        result = NamndResult.objects.create(round=round, namnd=Namnd.objects.get(name=namnd))
        for position, proposal in enumerate(sent):
            NamndRanking.objects.create(
                result=result,
                proposal=proposal,
                rank=position + 1,
                position=position,
                handling=Handling.KOMMUNGEMENSAM,
            )

    sent_on(rounds[PHASES_YEAR], "Bildningsnämnden", proposals(rounds[PHASES_YEAR], BILDNING, 6, 1))
    decided = proposals(rounds[DECISIONS_YEAR], BILDNING, 2, 1)
    sent_on(rounds[DECISIONS_YEAR], "Bildningsnämnden", decided[:2])
    social = proposals(rounds[DECISIONS_YEAR], "Socialförvaltningen", 2, 3)
    sent_on(rounds[DECISIONS_YEAR], "Socialnämnden", social)
    for m, username in enumerate(["forum-1", "forum-2", "forum-3"]):
        member = User.objects.get(username=username)
        # Only the round's forum members rank in it.
        ForumMember.objects.create(
            round=rounds[DECISIONS_YEAR],
            user=member,
            representation=Representation.ANNAN,
            other="Forumdeltagare",
        )
        for p, proposal in enumerate([*decided, *social]):
            ForumRank.objects.create(
                round=rounds[DECISIONS_YEAR], member=member, proposal=proposal, rank=1 + (m + p) % 5
            )
    bildning = Analysis.objects.get(round=rounds[ANALYSIS_YEAR], forvaltning__name=BILDNING)
    perspektiv = rounds[ANALYSIS_YEAR].list_items.filter(kind="perspektiv").order_by("pk").first()
    return {
        "forvaltning_id": bildning.forvaltning_id,
        "perspektiv_id": perspektiv.pk,
        "namnd_id": Namnd.objects.get(name="Bildningsnämnden").pk,
        "ready_at": datetime.datetime.now(datetime.UTC),
    }


def prepare(url: str, static_root: str, media_root: str) -> dict:
    os.environ.update(server_environment(url, static_root))
    os.environ["MEDIA_ROOT"] = media_root
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connections

    logging.getLogger("prioritering.security").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    data = build_data()
    connections.close_all()
    return data


# --- The scenarios --------------------------------------------------------------------


def signed_in(run: Run, username: str, count: int = 1) -> list[Session]:
    from demo.organisation import DEMO_PASSWORD

    sessions = []
    for _ in range(count):
        session = Session(run)
        session.sign_in(username, DEMO_PASSWORD)
        sessions.append(session)
    return sessions


def proposal_form(title: str) -> dict:
    return {
        "title": title,
        "malomrade": "invanare",
        "situation": "Barngrupperna är för stora.",
        "atgard": "Anställ tre förskollärare.",
        "jamforelsealternativ": "Dagens bemanning.",
        "typ": "nya_behov",
        "cost_year1": "1 500",
        "cost_year2": "1 500",
        "cost_year3": "1 500",
        "cost_years4_10": "10 500",
        "svarighetsgrad": "3",
        "effekt": "3",
        "nytta": "3",
        "kostnadseffektivitet": "2",
        "kunskapsunderlag": "2",
        "maluppfyllelse": "2",
        "effekt_framst_for": "individen",
        "rekommendation": "rangordnas",
        "rangordning": "4",
        "konsekvensanalys": "Kön växer.",
        "etik_manniskovarde": "forenlig",
        "etik_behov": "forenlig",
        "etik_kostnadseffektivitet": "forenlig",
    }


class Paths:
    def __init__(self, data: dict):
        fid, nid = data["forvaltning_id"], data["namnd_id"]
        a, p, d = ANALYSIS_YEAR, PHASES_YEAR, DECISIONS_YEAR
        self.grid = f"/omgangar/{a}/analyser/{fid}/"
        self.add_item = self.grid + "punkter/ny/"
        self.submit = self.grid + "lamna-in/"
        self.give_back = self.grid + "aterlamna/"
        self.create = f"/omgangar/{a}/forslag/nytt/{fid}/"
        self.lists = f"/omgangar/{a}/listor/"
        self.upload = f"/omgangar/{a}/importera/"
        self.confirm = f"/omgangar/{a}/importera/bekrafta/"
        self.namnd_page = f"/omgangar/{p}/namnder/{nid}/"
        self.namnd_save = self.namnd_page + "spara/"
        self.sheet = f"/omgangar/{p}/forum/mitt-ark/"
        self.phases_move = f"/omgangar/{p}/fas/"
        self.order = f"/omgangar/{d}/forum/ordning/"
        self.review = f"/omgangar/{d}/forum/granskning/"
        self.decisions = f"/omgangar/{d}/forum/beslut/"
        self.publish = f"/omgangar/{d}/forum/publicera/"
        self.decisions_move = f"/omgangar/{d}/fas/"
        self.public = f"/oppna-prioriteringar/{d}/"


def scenario(run: Run, name: str, body) -> threading.Thread:
    def guarded():
        try:
            body()
        except Exception as error:  # a scenario that breaks is reported, not lost
            run.crashed.append(f"{name}: {type(error).__name__}: {error}")

    return threading.Thread(target=guarded, name=name, daemon=True)


def analysis_scenario(run: Run, paths: Paths, data: dict, sessions: dict):
    creators, adders = sessions["creators"], sessions["adders"]
    burst = 0
    while run.running():
        calls = [
            partial(
                session.post,
                "Nytt förslag",
                paths.create,
                {**proposal_form(f"Förslag {burst}-{i}"), "submit_key": key()},
            )
            for i, session in enumerate(creators)
        ]
        calls += [
            partial(
                session.post,
                "Ny analyspunkt",
                paths.add_item,
                {"perspektiv": data["perspektiv_id"], "column": 4, "text": f"Punkt {burst}-{i}"}
                | {"submit_key": key()},
            )
            for i, session in enumerate(adders)
        ]
        if burst % 2 == 0:
            submit = {"confirm": "1", "submit_key": key()}
            calls.append(partial(sessions["chef"].post, "Lämna in analysen", paths.submit, submit))
        else:
            back = {"comment": "Komplettera.", "extended_until": "", "confirm": "1"}
            back["submit_key"] = key()
            calls.append(
                partial(sessions["controller"].post, "Återlämna analysen", paths.give_back, back)
            )
        together(*calls)
        burst += 1
        time.sleep(PAUSE)


def import_scenario(run: Run, paths: Paths, sessions: dict):
    tabs = sessions["importers"]
    content = import_workbook_bytes()
    number = 0
    while run.running():
        name = f"race-{number}.xlsx"
        number += 1
        preview = tabs[0].upload(
            "Import, uppladdning", paths.upload, {"submit_key": key()}, name, content
        )
        token = re.search(r'name="token" value="([^"]+)"', preview.body)
        if not token:
            time.sleep(PAUSE)
            continue
        answers = together(
            *(
                partial(
                    tab.post,
                    "Import, bekräfta (3 flikar)",
                    paths.confirm,
                    {"token": html.unescape(token[1]), "submit_key": key()},
                )
                for tab in tabs
            )
        )
        with run.lock:
            run.imports.append((name, answers))
        time.sleep(PAUSE)


def phases_scenario(run: Run, paths: Paths, sessions: dict):
    ledamoter, member, mover = sessions["ledamoter"], sessions["member"], sessions["mover"]
    background = member.twin()
    forms: dict[int, dict] = {}
    sheet_form: dict = {}
    burst = 0
    forward = True  # 2026 starts in the nämnd phase
    while run.running():
        # Each page as its session sees it now (a read-only page keeps the last form).
        for i, ledamot in enumerate(ledamoter):
            forms[i] = form_of(ledamot.get(paths.namnd_page).body, paths.namnd_save) or forms.get(
                i, {}
            )
        sheet_form = form_of(member.get(paths.sheet).body, paths.sheet) or sheet_form
        calls = []
        for i, ledamot in enumerate(ledamoter):
            form = dict(forms[i])
            for name in [n for n in form if n.startswith("rank_")]:
                form[name] = str((burst + i + int(name[5:])) % 10 + 1)
                form[f"handling_{name[5:]}"] = "kommungemensam"
            form["submit_key"] = key()
            calls.append(partial(ledamot.post, "Nämnd, spara rangordning", paths.namnd_save, form))
        ranks = dict(sheet_form)
        for name in [n for n in ranks if n.startswith("rank_")]:
            ranks[name] = str((burst + int(name[5:])) % 10 + 1)
        plain = {**ranks, "submit_key": ranks.get("submit_key") or key()}
        # static/js/ranklist.js saves in the background without the form's submit key.
        quiet = {n: v for n, v in ranks.items() if n != "submit_key"}
        calls.append(partial(member.post, "Forum, spara arket (Spara)", paths.sheet, plain))
        calls.append(
            partial(background.post, "Forum, spara arket (bakgrund)", paths.sheet, quiet, htmx=True)
        )
        move = {"to_phase": 4 if forward else 3, "confirm": "1", "submit_key": key()}
        move["comment"] = "" if forward else "Nämnden behöver se över rangordningen."
        calls.append(partial(mover.post, "Fasbyte", paths.phases_move, move))
        if together(*calls)[-1].status == 302:
            forward = not forward
        burst += 1
        time.sleep(PAUSE)


def decision_burst(paths: Paths, savers, reviewers, burst: int) -> list:
    """The calls of one burst of decision and review saves, from the pages as
    each session sees them now."""
    calls = []
    for i, saver in enumerate(savers):
        form = form_of(saver.get(paths.decisions).body, paths.decisions) or {}
        outcomes = sorted(n for n in form if n.startswith("outcome_"))
        for name in outcomes:
            pk = name.removeprefix("outcome_")
            form[name] = form[name] or "finansieras"
            form[f"motivation_{pk}"] = form.get(f"motivation_{pk}") or "Beslutat."
        if outcomes and i == 0 and burst % 2 == 0:
            form[outcomes[0]] = ""  # the decision taken away (given back in the next burst)
        elif outcomes:
            form[f"motivation_{outcomes[0].removeprefix('outcome_')}"] = f"Ändrad {burst}-{i}"
        form["submit_key"] = key()
        calls.append(partial(saver.post, "Beslut, spara", paths.decisions, form))
    for i, reviewer in enumerate(reviewers):
        form = form_of(reviewer.get(paths.review).body, paths.review) or {}
        form |= {"review_sarbehandling": "Nej", "review_undantrangning": "Nej"}
        form |= {"review_rimlighet": f"Rimlig {burst}-{i}", "submit_key": key()}
        calls.append(partial(reviewer.post, "Granskning, spara", paths.review, form))
    return calls


def decisions_scenario(run: Run, paths: Paths, sessions: dict):
    from ranking.models import ForumResult

    savers, reviewers, publisher = sessions["savers"], sessions["reviewers"], sessions["publisher"]
    burst = 0
    while run.running():
        together(*decision_burst(paths, savers, reviewers, burst))
        burst += 1
        time.sleep(PAUSE)
    # The window is closed: publish with five clicks of one form, beside a last
    # burst of saves; again while a decision is missing.
    for attempt in range(6):
        form = form_of(publisher.get(paths.publish).body, paths.publish)
        if form is None:  # not publishable as the page stands: decide all again
            together(*decision_burst(paths, savers, reviewers, 2 * attempt + 1)[1:])
            continue
        form["submit_key"] = key()
        clicks = [publisher, *(publisher.twin() for _ in range(PUBLISH_CLICKS - 1))]
        calls = [partial(s.post, "Publicera (5 klick)", paths.publish, form) for s in clicks]
        calls += decision_burst(paths, savers, reviewers, 2 * attempt)
        answers = together(*calls)[:PUBLISH_CLICKS]
        with run.lock:
            run.clicks.append(("Publicera (5 klick)", "publish", answers))
        published = ForumResult.objects.filter(
            round__budget_year=DECISIONS_YEAR, published_at__isnull=False
        )
        if published.exists():
            return


def double_click_scenario(run: Run, paths: Paths, data: dict, sessions: dict):
    clicker, lister = sessions["clicker"], sessions["lister"]
    clickers = [clicker, *(clicker.twin() for _ in range(CLICKS - 1))]
    listers = [lister, *(lister.twin() for _ in range(CLICKS - 1))]
    burst = 0
    while run.running():
        title, text, name = f"Dubbelklick {burst}", f"Dubbelklickad punkt {burst}", f"Lista {burst}"
        item = {"perspektiv": data["perspektiv_id"], "column": 4, "text": text}
        entry = {"kind": "perspektiv", "action": "add", "perspektiv-name": name}
        for kind, tabs, path, form, identifier in [
            ("Dubbelklick: nytt förslag", clickers, paths.create, proposal_form(title), title),
            ("Dubbelklick: ny analyspunkt", clickers, paths.add_item, item, text),
            ("Dubbelklick: ny listpost", listers, paths.lists, entry, name),
        ]:
            same = {**form, "submit_key": key()}
            answers = together(*(partial(tab.post, kind, path, same) for tab in tabs))
            with run.lock:
                run.clicks.append((kind, identifier, answers))
        burst += 1
        time.sleep(PAUSE)


SETUP = "Förberedelse (2024)"


def set_up_decisions(paths: Paths, controller: Session) -> None:
    """2024: the order as computed, the review, every decision; then Beslut."""
    steps = [
        (paths.order, {}),
        (
            paths.review,
            {"review_sarbehandling": "Nej", "review_undantrangning": "Nej"}
            | {"review_rimlighet": "Ja"},
        ),
    ]
    for path, fill in steps:
        form = form_of(controller.get(path).body, path)
        if form is None:
            raise SystemExit(f"no form on {path}")
        answer = controller.post(SETUP, path, {**form, **fill, "submit_key": key()})
        if answer.status != 302:
            raise SystemExit(f"setting up {path}: HTTP {answer.status}")
    form = form_of(controller.get(paths.decisions).body, paths.decisions) or {}
    for name in [n for n in form if n.startswith("outcome_")]:
        form[name] = "finansieras"
        form[f"motivation_{name[8:]}"] = "Beslutat."
    answer = controller.post(SETUP, paths.decisions, {**form, "submit_key": key()})
    if answer.status != 302:
        raise SystemExit(f"setting up the decisions: HTTP {answer.status}")
    move = {"to_phase": 5, "comment": "", "confirm": "1", "submit_key": key()}
    if controller.post(SETUP, paths.decisions_move, move).status != 302:
        raise SystemExit("could not move 2024 to the Beslut phase")


# --- What the database shows afterwards ------------------------------------------------


def _phase_at(timeline: list[tuple[datetime.datetime, int]], moment) -> int:
    phase = timeline[0][1]
    for at, to_phase in timeline:
        if at <= moment:
            phase = to_phase
    return phase


def check_database(run: Run, data: dict) -> tuple[dict[str, int], list[str]]:
    """Duplicates per kind, and the problems the database shows."""
    from ranking.models import Decision, ForumRank, ForumResult, NamndRanking, NamndResult
    from rounds.models import (
        Analysis,
        AnalysisItem,
        AnalysisStatus,
        ListItem,
        Phase,
        PhaseTransition,
        Proposal,
        Round,
    )

    duplicates: Counter = Counter()
    problems: list[str] = []
    analysis_round = Round.objects.get(budget_year=ANALYSIS_YEAR)

    # Double clicks: one row and one history row each, the same answer for all.
    differing: dict[str, list[str]] = {}
    doubled: dict[str, list[str]] = {}
    for kind, identifier, answers in run.clicks:
        if kind == "Dubbelklick: nytt förslag":
            rows = Proposal.objects.filter(round=analysis_round, title=identifier).count()
            made = Proposal.history.filter(round_id=analysis_round.pk, title=identifier)
        elif kind == "Dubbelklick: ny analyspunkt":
            rows = AnalysisItem.objects.filter(text=identifier).count()
            made = AnalysisItem.history.filter(text=identifier)
        elif kind == "Dubbelklick: ny listpost":
            rows = ListItem.objects.filter(round=analysis_round, name=identifier).count()
            made = ListItem.history.filter(round_id=analysis_round.pk, name=identifier)
        else:
            rows = 1
            made = ForumResult.history.filter(
                round__budget_year=DECISIONS_YEAR, history_change_reason="Publicerad"
            )
        made = made.filter(history_type="+") if kind != "Publicera (5 klick)" else made
        if rows > 1 or made.count() > 1:
            duplicates[kind] += 1
            doubled.setdefault(kind, []).append(
                f"{identifier!r}: {rows} rows, {made.count()} history rows"
            )
        # In the analysis a refused click (4xx, not kept) may be followed by
        # one that is done (the analysis was returned meanwhile); elsewhere
        # every click gets the first one's answer.
        toggling = kind in ("Dubbelklick: nytt förslag", "Dubbelklick: ny analyspunkt")
        seen = {(a.status, a.location) for a in answers if a.status < 400 or not toggling}
        if len(seen) > 1:
            differing.setdefault(kind, []).append(f"{identifier!r}: {sorted(seen)}")
    for kind, found in doubled.items():
        problems.append(f"{kind}: {len(found)} stored more than once, e.g. {found[0]}")
    for kind, found in differing.items():
        problems.append(f"{kind}: {len(found)} with different answers, e.g. {found[0]}")

    # Imports: each preview imported once or not at all.
    imported_again = []
    for name, answers in run.imports:
        made = Proposal.history.filter(
            history_type="+", history_change_reason__endswith=name
        ).count()
        if made not in (0, IMPORT_ROWS):
            statuses = [a.status for a in answers]
            imported_again.append(f"{name}: {made} proposals for {IMPORT_ROWS} rows ({statuses})")
    if imported_again:
        duplicates["Import, bekräfta (3 flikar)"] = len(imported_again)
        problems.append(
            f"{len(imported_again)} of {len(run.imports)} previews imported more than once, "
            f"e.g. {imported_again[0]}"
        )

    # The analysis: nothing of the förvaltning's while it was submitted.
    analysis = Analysis.objects.get(round=analysis_round, forvaltning_id=data["forvaltning_id"])
    states = list(
        Analysis.history.filter(id=analysis.pk)
        .order_by("history_date", "history_id")
        .values_list("history_date", "status")
    )
    late = 0
    for model in (Proposal, AnalysisItem):
        for h in model.history.filter(analysis_id=analysis.pk).exclude(
            history_user__username="controller"
        ):
            status = [s for at, s in states if at <= h.history_date][-1:]
            if status == [AnalysisStatus.SUBMITTED]:
                late += 1
    if late:
        problems.append(f"{late} proposal or item writes in Bildning's analysis while submitted")

    # The phases of 2026: nämnd ranks only in the nämnd phase, forum ranks only in the forum's.
    phases_round = Round.objects.get(budget_year=PHASES_YEAR)
    timeline = [
        (data["ready_at"], Phase.NAMND),
        *PhaseTransition.objects.filter(round=phases_round)
        .order_by("at", "pk")
        .values_list("at", "to_phase"),
    ]
    ready = {"history_date__gt": data["ready_at"]}
    result = NamndResult.objects.get(round=phases_round, namnd_id=data["namnd_id"])
    late = sum(
        1
        for h in NamndRanking.history.filter(result_id=result.pk, **ready)
        if _phase_at(timeline, h.history_date) != Phase.NAMND
    )
    if late:
        problems.append(f"{late} nämnd rank writes outside the nämnd phase")
    late = sum(
        1
        for h in ForumRank.history.filter(round_id=phases_round.pk, **ready)
        if _phase_at(timeline, h.history_date) != Phase.FORUM
    )
    if late:
        problems.append(f"{late} forum rank writes outside the forum phase")

    # The publication: final, complete, readable.
    decisions_round = Round.objects.get(budget_year=DECISIONS_YEAR)
    published = ForumResult.objects.get(round=decisions_round).published_at
    if published is None:
        problems.append(f"{DECISIONS_YEAR} was never published")
    else:
        after = {"round_id": decisions_round.pk, "history_date__gt": published}
        late = Decision.history.filter(**after).count()
        if late:
            problems.append(f"{late} decision writes after the publication")
        reasons = [h.history_change_reason for h in ForumResult.history.filter(**after)]
        if reasons != ["Publicerad"]:
            problems.append(f"after the publication the result's history has {reasons}")
        sent = NamndRanking.objects.filter(result__round=decisions_round).count()
        decided = Decision.objects.filter(round=decisions_round).count()
        if decided < sent:
            problems.append(f"published with {sent - decided} undecided proposals")
    return dict(duplicates), problems


def read_log(log_path: Path) -> tuple[list[str], int, int]:
    """gunicorn's log: the ERROR (and CRITICAL) records, how many tracebacks
    they hold, and how many saves lost a race and ran again."""
    errors, tracebacks, retries = [], 0, 0
    current_error = False
    for line in log_path.read_text(errors="replace").splitlines():
        level = re.match(r"^\S+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ", line) or re.match(
            r"^\[[^]]+\] \[\d+\] \[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\]", line
        )
        if level:
            current_error = level[1] in ("ERROR", "CRITICAL")
            if current_error:
                errors.append(line)
            if "lost a race" in line:
                retries += 1
        elif line.startswith("Traceback") and current_error:
            tracebacks += 1
    return errors, tracebacks, retries


# --- The report -----------------------------------------------------------------------


def report(run: Run, duplicates: dict[str, int]) -> dict:
    rows = [("Request", "Requests", "Status codes", "Errors", "Duplicates")]
    result = {}
    for kind in KINDS:
        samples = [s for s in run.samples if s.kind == kind]
        if not samples:
            continue
        codes = Counter(s.status for s in samples)
        errors = sum(1 for s in samples if s.error)
        text = " ".join(f"{code}×{count}" for code, count in sorted(codes.items()))
        rows.append((kind, str(len(samples)), text, str(errors), str(duplicates.get(kind, 0))))
        result[kind] = {
            "requests": len(samples),
            "statuses": {str(code): count for code, count in sorted(codes.items())},
            "errors": errors,
            "duplicates": duplicates.get(kind, 0),
        }
    _print_rows(rows)
    return result


# --- Main -------------------------------------------------------------------------------


def main() -> int:
    seconds = env_float("RACE_SECONDS", 60)
    workers = env_int("RACE_WORKERS", 4)
    threads = env_int("RACE_THREADS", 2)
    url = os.environ.get("RACE_DATABASE_URL") or DEFAULT_DATABASE_URL
    if seconds <= 0 or workers < 1 or threads < 1:
        raise SystemExit("RACE_SECONDS > 0, RACE_WORKERS ≥ 1, RACE_THREADS ≥ 1.")
    config = database_settings(url)
    temp = Path(tempfile.mkdtemp(prefix="prioritering-bench-race-"))
    log_path = temp / "gunicorn.log"
    process = None
    failed = True
    try:
        print(f"Race run: database {config['NAME']} at {config.get('HOST') or 'localhost'}")
        recreate_database(config)
        data = prepare(url, str(temp / "static"), str(temp / "media"))
        port = free_port()
        env = {**server_environment(url, str(temp / "static")), "MEDIA_ROOT": str(temp / "media")}
        process = start_gunicorn(env, port, workers, log_path, threads=threads)
        print(f"gunicorn -w {workers} --threads {threads} on 127.0.0.1:{port}; signing in …")
        run = Run(port=port)
        paths = Paths(data)
        sessions = {
            "creators": signed_in(run, "tjp-bildning", 2),
            "adders": signed_in(run, "tjp-bildning", 2),
            "chef": signed_in(run, "chef-bildning")[0],
            "controller": signed_in(run, "controller")[0],
            "importers": [],
            "ledamoter": signed_in(run, "ledamot-bildning", 3),
            "member": signed_in(run, "forum-1")[0],
            "mover": signed_in(run, "controller")[0],
            "savers": signed_in(run, "controller", 3),
            "reviewers": signed_in(run, "controller", 2),
            "publisher": signed_in(run, "controller")[0],
            "clicker": signed_in(run, "tjp-bildning")[0],
            "lister": signed_in(run, "controller")[0],
        }
        importer = signed_in(run, "controller")[0]
        sessions["importers"] = [importer, importer.twin(), importer.twin()]
        set_up_decisions(paths, sessions["publisher"])
        setup_samples = len(run.samples)
        print(f"Racing for {seconds:.0f} s …", flush=True)
        run.deadline = time.monotonic() + seconds
        scenarios = [
            scenario(run, "analysis", partial(analysis_scenario, run, paths, data, sessions)),
            scenario(run, "import", partial(import_scenario, run, paths, sessions)),
            scenario(run, "phases", partial(phases_scenario, run, paths, sessions)),
            scenario(run, "decisions", partial(decisions_scenario, run, paths, sessions)),
            scenario(run, "clicks", partial(double_click_scenario, run, paths, data, sessions)),
        ]
        for thread in scenarios:
            thread.start()
        for thread in scenarios:
            thread.join()
        public = Session(run).request("Publik sida", "GET", paths.public)
        stop_gunicorn(process)
        process = None
        print(f"{len(run.samples) - setup_samples} requests in the window and after it.\n")

        duplicates, problems = check_database(run, data)
        result = {"seconds": seconds, "workers": workers, "threads": threads}
        result["kinds"] = report(run, duplicates)
        if public.status != 200:
            problems.append(f"the public page of {DECISIONS_YEAR} answered {public.status}")
        errors = [s for s in run.samples if s.error]
        if errors:
            kinds = Counter(s.error for s in errors)
            problems.append(f"{len(errors)} answers of 5xx or none")
            print("\nErrors:")
            for text, count in kinds.most_common(10):
                print(f"  {count:5d} × {text}")
        logged, tracebacks, retries = read_log(log_path)
        print(
            f"\ngunicorn's log: {len(logged)} records of level ERROR, {tracebacks} tracebacks; "
            f"{retries} saves lost a race and were run again"
        )
        for line in logged[:10]:
            print(f"  {line[:200]}")
        if logged:
            problems.append(f"{len(logged)} ERROR records ({tracebacks} tracebacks) in the log")
        problems += [f"scenario stopped: {text}" for text in run.crashed]
        result |= {"log_errors": len(logged), "tracebacks": tracebacks, "retries": retries}
        result["problems"] = problems
        if os.environ.get("RACE_JSON"):
            Path(os.environ["RACE_JSON"]).write_text(json.dumps(result, indent=2) + "\n")
        if problems:
            print("\nFAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        failed = False
        print("\nOK: no errors, no duplicates, nothing written after a door closed.")
        return 0
    finally:
        stop_gunicorn(process)
        if (failed or os.environ.get("RACE_KEEP_LOG") == "1") and log_path.exists():
            tail = log_path.read_text(errors="replace").splitlines()[-40:]
            if tail:
                print("\ngunicorn's log (last lines):\n  " + "\n  ".join(tail))
        if "django.db" in sys.modules:
            from django.conf import settings
            from django.db import connections

            if settings.configured:
                connections.close_all()
        drop_database(config)
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
