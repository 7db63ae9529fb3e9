"""Screenshots of the working pages for the user guide (docs/*.md), into docs/bilder/.

Run from the repository's root:

    .venv/bin/python docs/screenshots.py            # every picture
    .venv/bin/python docs/screenshots.py beslut     # only the pictures of one demo phase

For each phase of round 2027 the pictures need (analys, namnd, forum, beslut) it
loads the demo into a scratch SQLite database of its own (demo.loading.load_demo,
round 2026 published and followed up beside it), serves it with `manage.py
runserver` on a free local port, signs in through the sign-in form as the role
each picture shows and takes the window as a 1280 × 900 browser sees it — the
window, not the whole page, so a picture shows what a user sees first. The
pictures are reduced to 256 colours (Pillow), which keeps text sharp and a
picture small. Nothing outside a temporary folder and docs/bilder/ is written.

Needs Playwright and Chromium (`chromium` on PATH, as for the browser tests).
A page that does not answer 200 or lacks its heading stops the run with a
message saying which, so a picture never shows an error page.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "bilder"
WIDTH, HEIGHT = 1280, 900
TIMEOUT_MS = 20_000
# An element at the window's top, with room above it for its heading.
SCROLL_TO = "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 64)"


@dataclass(frozen=True)
class Shot:
    """One picture: the file it is saved as, the user who looks (None: nobody
    signed in), the page, and optionally an element the window is scrolled to
    (its heading just above the window's top) when the page's work lies below
    its introduction; otherwise the picture shows the page's top."""

    name: str
    user: str | None
    url: str
    scroll_to: str | None = None


def setup_django(scratch: Path) -> None:
    """Django in this process, on the scratch database: to load the demo and to
    find the pages' addresses (reverse() and the ORM), as the demo's own ids."""
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'demo.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prioritering.settings")
    os.environ["DEBUG"] = "1"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database(scratch: Path, phase: str) -> Path:
    """A fresh copy of the migrated, empty database with the demo in ``phase``:
    its file, for the server."""
    from django.core.management import call_command
    from django.db import connections

    from demo.loading import load_demo

    connections.close_all()
    base = scratch / "migrated.sqlite3"
    target = scratch / "demo.sqlite3"
    if not base.exists():
        target.unlink(missing_ok=True)
        call_command("migrate", verbosity=0, interactive=False)
        connections.close_all()
        shutil.copyfile(target, base)
    shutil.copyfile(base, target)
    load_demo(with_round=True, phase=phase)
    connections.close_all()
    served = scratch / f"demo-{phase}.sqlite3"
    shutil.copyfile(target, served)
    return served


def shots_for(phase: str) -> list[Shot]:
    """The pictures of one phase, their addresses found in the loaded demo."""
    from django.urls import reverse

    from followup.models import FollowUpPeriod, FollowUpReport, PeriodKind
    from rounds.models import Forvaltning, Namnd, Proposal

    bildning = Forvaltning.objects.get(name="Bildningsförvaltningen")
    if phase == "analys":
        proposal = (
            Proposal.objects.filter(round__budget_year=2027, analysis__forvaltning=bildning)
            .order_by("number")
            .first()
        )
        if proposal is None:
            raise SystemExit(
                "Round 2027 has no proposal of Bildningsförvaltningen in the analys phase."
            )
        return [
            Shot("start-forvaltning", "tjp-bildning", reverse("start")),
            Shot(
                "analys-rutnat", "tjp-bildning", reverse("analysis_grid", args=[2027, bildning.pk])
            ),
            Shot(
                "forslag-formular",
                "tjp-bildning",
                reverse("proposal_edit", args=[2027, proposal.number]),
            ),
        ]
    if phase == "namnd":
        namnd = Namnd.objects.get(name="Bildningsnämnden")
        return [
            Shot("start-namnd", "ledamot-bildning", reverse("start")),
            Shot(
                "namnd-rangordning",
                "ledamot-bildning",
                reverse("namnd_ranking", args=[2027, namnd.pk]),
            ),
        ]
    if phase == "forum":
        period = FollowUpPeriod.objects.filter(round__budget_year=2026).order_by("-kind")
        period = period.filter(kind=PeriodKind.DELAR).first() or period.first()
        if period is None:
            raise SystemExit("Round 2026 has no follow-up period in the demo.")
        # A report Bildningsförvaltningen still has to write in the period, if
        # there is one (the form), else its first handed-in one.
        followed = sorted(
            {
                report.proposal.number
                for report in FollowUpReport.objects.filter(
                    period__round__budget_year=2026, proposal__analysis__forvaltning=bildning
                ).select_related("proposal")
            }
        )
        submitted = {
            report.proposal.number
            for report in FollowUpReport.objects.filter(period=period).select_related("proposal")
            if report.is_submitted
        }
        if not followed:
            raise SystemExit("Bildningsförvaltningen has no follow-up report in round 2026.")
        number = min(followed, key=lambda n: (n in submitted, n))
        return [
            Shot("start-forum", "forum-1", reverse("start")),
            Shot("forum-ark", "forum-1", reverse("forum_sheet", args=[2027])),
            Shot("forum-mote", "forum-1", reverse("forum_meeting", args=[2027])),
            Shot("start-controller", "controller", reverse("start")),
            Shot("forum-sammanstallning", "controller", reverse("forum_list", args=[2027])),
            Shot(
                "uppfoljning-oversikt",
                "controller",
                reverse("followup_overview", args=[2026, period.slug]),
            ),
            Shot("start-lasare", "revisor", reverse("start")),
            Shot(
                "lasare-uppfoljning",
                "revisor",
                reverse("followup_overview", args=[2026, period.slug]),
            ),
            Shot(
                "uppfoljning-rapport",
                "tjp-bildning",
                reverse("followup_report", args=[2026, period.slug, number]),
            ),
            Shot("allmanheten-omgang", None, reverse("public_round", args=[2026])),
        ]
    if phase == "beslut":
        return [
            # The summary and the chart under it, the page's heading and form above.
            Shot(
                "budgetlinje",
                "controller",
                reverse("forum_budget", args=[2027]),
                scroll_to=".budget-summary",
            ),
            Shot("beslut", "controller", reverse("forum_decisions", args=[2027])),
        ]
    raise SystemExit(f"Unknown phase {phase!r}.")


PHASES = ["analys", "namnd", "forum", "beslut"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(scratch: Path, database: Path) -> tuple[subprocess.Popen, str]:
    """runserver on one phase's database, answering once /halsa/ does."""
    port = free_port()
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    # The server writes to the log; this process's own handle is not needed.
    with open(scratch / "server.log", "ab") as log:
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        if server.poll() is not None:
            said = (scratch / "server.log").read_text(errors="replace")[-2000:]
            raise SystemExit(f"The server stopped:\n{said}")
        try:
            with urllib.request.urlopen(f"{base}/halsa/", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not answer within a minute.")


def sign_in(page, user: str) -> None:
    from demo.organisation import DEMO_PASSWORD

    page.goto("/konto/logga-in/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click('form[action="/konto/logga-in/"] button[type=submit]')
    if "/konto/logga-in/" in page.url:
        raise SystemExit(f"Could not sign in as {user}.")


def save(png: bytes, path: Path) -> int:
    """The picture in 256 colours without dithering (sharp text, a small file);
    unchanged when Pillow is missing."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is in requirements.txt
        path.write_bytes(png)
        return len(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(path, format="PNG", optimize=True)
    return path.stat().st_size


def take(browser, base: str, shots: list[Shot]) -> None:
    contexts = {}
    try:
        for shot in shots:
            if shot.user not in contexts:
                context = browser.new_context(
                    base_url=base,
                    viewport={"width": WIDTH, "height": HEIGHT},
                    locale="sv-SE",
                    timezone_id="Europe/Stockholm",
                    reduced_motion="reduce",
                )
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                if shot.user:
                    sign_in(page, shot.user)
                contexts[shot.user] = (context, page)
            page = contexts[shot.user][1]
            answer = page.goto(shot.url, wait_until="networkidle")
            if answer is None or answer.status != 200:
                status = answer.status if answer else "no answer"
                raise SystemExit(
                    f"{shot.name}: {shot.url} as {shot.user or 'nobody'} answered {status}."
                )
            if page.locator("main h1").count() == 0:
                raise SystemExit(f"{shot.name}: {shot.url} has no heading.")
            if shot.scroll_to:
                target = page.locator(shot.scroll_to).first
                if target.count():
                    target.evaluate(SCROLL_TO)
                else:
                    print(f"  {shot.name}: {shot.scroll_to} not on the page; the top is shown")
            size = save(
                page.screenshot(animations="disabled", caret="hide"), OUT / f"{shot.name}.png"
            )
            who = shot.user or "nobody signed in"
            print(f"  {shot.name}.png ({size // 1024} kB): {shot.url} as {who}")
    finally:
        for context, _page in contexts.values():
            context.close()


def main(phases: list[str]) -> None:
    unknown = [phase for phase in phases if phase not in PHASES]
    if unknown:
        raise SystemExit(
            f"Unknown phase(s) {', '.join(unknown)}; choose among {', '.join(PHASES)}."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("Needs Playwright: .venv/bin/pip install playwright") from None
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Needs Chromium on PATH (apt install chromium).")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="prioritering-bilder-") as folder:
        scratch = Path(folder)
        setup_django(scratch)
        # The databases first: Django's ORM refuses to run beside the event
        # loop Playwright keeps running while the browser is open.
        from django.db import connections

        prepared = []
        for phase in phases:
            print(f"Laddar demon med omgång 2027 i fasen {phase}")
            database = prepare_database(scratch, phase)
            prepared.append((phase, database, shots_for(phase)))
            connections.close_all()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                for phase, database, shots in prepared:
                    print(f"Omgång 2027 i fasen {phase}:")
                    server, base = serve(scratch, database)
                    try:
                        take(browser, base, shots)
                    finally:
                        server.terminate()
                        server.wait(timeout=30)
            finally:
                browser.close()
    print(f"Bilderna ligger i {OUT.relative_to(ROOT)}/.")


if __name__ == "__main__":
    main(sys.argv[1:] or PHASES)
