"""Measure the controller's follow-up overview (issue 6): server time and SQL
queries with 150 and then 1,500 decided proposals followed up through three
periods.

Run by ``make bench`` after the pages and the documents (or alone:
``.venv/bin/python -m bench.followup``). It uses the page bench's harness
(``bench.run``): production settings (``DEBUG=0``, HTTPS, whitenoise), the
Django test client in-process, ``BENCH_WARMUP`` untimed and ``BENCH_REPEAT``
timed requests per page, median and 95th percentile, the queries of each
request counted.

The data: the bench generator's organisation (one pass, its own rounds kept
small), and round 2025 in *Genomförande och uppföljning* with three periods —
Tertial 1, Delår and Årsbokslut, all three past their last day — and
proposals decided Finansieras, Finansieras delvis, Genomförs and Inom nämndens
ram, spread over the 20 förvaltningar. Each proposal has a report for each
period, in a seeded mix: most submitted on time, some late, some drafts, some
missing; statuses from Ej påbörjad to Avbruten, the deviations with their
texts. First 150 proposals are measured, then the round grows to 1,500 and is
measured again; the query count of every page must be the same at both sizes.
Proposals, decisions and reports go in as bulk inserts with their history rows
(``bench.generate._bulk_create``); the app itself never writes that way.

Then the Årsbokslut report is made as Excel and as PDF, as the worker makes
it, and its seconds and pages are reported.

Pass/fail, as the page bench: a page that answers with another status than
expected, or whose query count differs between repeats or sizes, fails the
run. The 200 ms target for the median is reported, not failed (the machines
are shared and noisy). Results go to ``bench/results-followup.json``.
"""

import datetime
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

YEAR = 2025
SIZES = tuple(int(n) for n in os.environ.get("BENCH_FOLLOWUP_SIZES", "150,1500").split(","))
TARGET_MS = 200
RESULTS = Path(__file__).with_name("results-followup.json")
SEED = 2025
# Last days, in days from today: all three periods have passed.
PERIOD_DAYS = {1: -250, 2: -130, 3: -10}
BASE = f"/omgangar/{YEAR}/uppfoljning"


def pages():
    from bench.run import HTMX, Page

    return [
        Page("Uppföljning: årsbokslut", f"{BASE}/arsbokslut/", "controller", target_ms=TARGET_MS),
        Page("Uppföljning: delår", f"{BASE}/delar/", "controller", target_ms=TARGET_MS),
        Page(
            "Uppföljning: årsbokslut, sida 3",
            f"{BASE}/arsbokslut/?sida=3",
            "controller",
            target_ms=TARGET_MS,
        ),
        Page(
            "Uppföljning: avvikelser, en nämnd (htmx)",
            f"{BASE}/arsbokslut/?status=avvikelse&namnd={{namnd}}",
            "controller",
            HTMX,
            TARGET_MS,
        ),
    ]


def shrink_generator() -> None:
    """One pass of the bench generator for its organisation and personas;
    its own rounds small, since they are not what is measured here."""
    from bench import generate as gen

    gen.PROPOSALS_PER_PASS = 10
    gen.ITEMS_PER_ANALYSIS = 4
    gen.FORUM_PROPOSALS_PER_PASS = 20
    gen.FORWARDED_PER_PASS = 10
    gen.FORUM_MEMBERS_PER_PASS = 3
    gen.generate(scale=1)


def followup_round():
    """Round 2025 in the follow-up phase with its three periods (made once)."""
    from django.utils import timezone

    from bench.generate import KOMMUN_NAME, persona_username
    from followup.services import set_periods
    from rounds.models import AnalysisStatus, Kommun, Phase, Round, User
    from rounds.services.analysis import ensure_analyses
    from rounds.services.round import create_round

    round = Round.objects.filter(budget_year=YEAR).first()
    if round is not None:
        return round
    controller = User.objects.get(username=persona_username("controller"))
    kommun = Kommun.objects.get(name=KOMMUN_NAME)
    round = create_round(kommun, budget_year=YEAR, by=controller, frame_tkr=400000)
    ensure_analyses(round, by=controller)
    for analysis in round.analyses.all():
        analysis.status = AnalysisStatus.SUBMITTED
        analysis.submitted_at = timezone.now()
        analysis.submitted_by = controller
        analysis.save()
    round.phase = Phase.UPPFOLJNING
    round.save()
    today = timezone.localdate()
    set_periods(
        round,
        {kind: today + datetime.timedelta(days=days) for kind, days in PERIOD_DAYS.items()},
        by=controller,
    )
    return Round.objects.get(pk=round.pk)


def grow_to(round, size: int) -> None:
    """Decided proposals up to ``size``, each with its reports."""
    from django.utils import timezone

    from bench.generate import LAST_NAMES, TOPICS, _bulk_create, persona_username
    from followup.models import FollowUpPeriod
    from followup.rules import decided_amount, period_budget
    from ranking.models import Decision, Outcome
    from rounds.models import Proposal, ProposalType, User

    start = Proposal.objects.filter(round=round).count()
    if start >= size:
        return
    rng = random.Random(f"{SEED}:{start}:{size}")
    controller = User.objects.get(username=persona_username("controller"))
    analyses = list(round.analyses.order_by("forvaltning__name"))
    periods = list(FollowUpPeriod.objects.filter(round=round).order_by("kind"))
    types = list(ProposalType.values)
    proposals = []
    for n in range(start, size):
        typ = types[n % len(types)]
        saving = typ in (ProposalType.RANSONERING, ProposalType.EFFEKTIVISERING)
        cost = rng.randrange(100, 4000, 50) * (-1 if saving else 1)
        proposals.append(
            Proposal(
                round=round,
                analysis=analyses[n % len(analyses)],
                number=n + 1,
                title=f"Förslag {n + 1}: {rng.choice(LAST_NAMES)}s {rng.choice(TOPICS)}",
                typ=typ,
                ransonering_kind="process" if typ == ProposalType.RANSONERING else "",
                malomrade="invanare",
                situation="Situationen beskrivs här.",
                cost_year1=cost,
                cost_year2=cost,
                svarighetsgrad=rng.randint(1, 4),
                nytta=rng.randint(0, 4),
                kostnadseffektivitet=rng.randint(1, 4),
                created_by=controller,
            )
        )
    _bulk_create(Proposal, proposals, by=controller)
    proposals = list(Proposal.objects.filter(round=round, number__gt=start).order_by("number"))

    decisions = []
    for proposal in proposals:
        amount = None
        if proposal.cost_year1 < 0:
            outcome = (
                Outcome.EFFEKTIVISERAS
                if proposal.typ == ProposalType.EFFEKTIVISERING
                else Outcome.RANSONERAS
            )
        elif rng.random() < 0.12:
            outcome, amount = Outcome.DELVIS, proposal.cost_year1 // 2
        elif rng.random() < 0.12:
            outcome = Outcome.INOM_RAM
        else:
            outcome = Outcome.FINANSIERAS
        decisions.append(
            Decision(
                round=round,
                proposal=proposal,
                outcome=outcome,
                amount_tkr=amount,
                motivation="Beslutat i kommunfullmäktige.",
                decided_by=controller,
            )
        )
    _bulk_create(Decision, decisions, by=controller)
    costs = {p.pk: p.cost_year1 for p in proposals}
    decided = {
        d.proposal_id: decided_amount(d.outcome, d.amount_tkr, costs[d.proposal_id])
        for d in decisions
    }

    reports = []
    for period in periods:
        for proposal in proposals:
            chance = rng.random()
            if chance < 0.06:
                continue  # missing
            budget = period_budget(decided[proposal.pk], period.kind)
            progress = _progress(rng, period.kind)
            submitted = chance >= 0.09  # 3 % drafts
            late = submitted and rng.random() < 0.07
            day = period.deadline + datetime.timedelta(days=rng.randint(1, 12) if late else -2)
            deviating = progress in ("mindre_avvikelse", "storre_avvikelse", "avbruten")
            reports.append(
                _report(
                    period,
                    proposal,
                    controller,
                    progress=progress,
                    outcome=whole(budget * rng.uniform(0.7, 1.3)),
                    submitted_at=(
                        timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
                        if submitted
                        else None
                    ),
                    deviating=deviating,
                )
            )
    _bulk_create(type(reports[0]), reports, by=controller)


def whole(value: float) -> int:
    return round(value)


def _progress(rng, kind: int) -> str:
    roll = rng.random()
    if kind == 1 and roll < 0.15:
        return "ej_paborjad"
    if roll < 0.65:
        return "enligt_plan"
    if roll < 0.78:
        return "mindre_avvikelse"
    if roll < 0.83:
        return "storre_avvikelse"
    if roll < 0.85:
        return "avbruten"
    return "genomford" if kind > 1 else "enligt_plan"


def _report(period, proposal, by, *, progress, outcome, submitted_at, deviating):
    from followup.models import FollowUpReport
    from rounds.models import AnalysisStatus

    return FollowUpReport(
        period=period,
        proposal=proposal,
        state=AnalysisStatus.SUBMITTED if submitted_at else AnalysisStatus.DRAFT,
        progress=progress,
        cost_outcome_tkr=outcome,
        effect_achieved=None if progress == "ej_paborjad" else 2,
        effect_text="Effekten följs upp enligt plan.",
        deviation=(
            "Rekryteringen tog längre tid än planerat och verksamheten kom i gång senare; "
            "kostnaden för perioden skiljer sig därför från budgeten."
            if deviating
            else ""
        ),
        measures=(
            "Förvaltningen anpassar tidplanen och återkommer i nästa rapport med en "
            "bedömning av helåret."
            if deviating
            else ""
        ),
        created_by=by,
        submitted_at=submitted_at,
        submitted_by=by if submitted_at else None,
    )


def measure_documents(followed) -> dict:
    """The Årsbokslut report as Excel and as PDF, made as the worker makes
    them (``generate.run``); seconds, pages and rows. Reported, not failed."""
    from bench.generate import persona_username
    from documents import generate
    from documents.models import Document
    from followup.documents import FOLLOWUP_PDF, FOLLOWUP_XLSX
    from followup.models import FollowUpPeriod
    from rounds.models import User

    controller = User.objects.get(username=persona_username("controller"))
    period = FollowUpPeriod.objects.get(round=followed, kind=3)
    made = {}
    for kind in (FOLLOWUP_XLSX, FOLLOWUP_PDF):
        document, _new = generate.request_document(followed, kind, by=controller, period=period)
        started = time.perf_counter()
        outcome = generate.run(document.pk, document.attempts)
        seconds = time.perf_counter() - started
        document = Document.objects.get(pk=document.pk)
        if outcome != "done":
            raise SystemExit(f"{kind}: {outcome} – {document.error}")
        made[str(kind)] = {
            "seconds": round(seconds, 2),
            "pages": document.pages,
            "rows": document.rows,
            "bytes": document.size,
        }
        print(
            f"{kind}: {seconds:.1f} s"
            + (f", {document.pages} pages" if document.pages else f", {document.rows} rows")
        )
    return made


def placeholders() -> dict:
    from rounds.models import Analysis

    namnd = (
        Analysis.objects.filter(round__budget_year=YEAR)
        .order_by("forvaltning__namnd__name")
        .values_list("forvaltning__namnd_id", flat=True)
        .first()
    )
    return {"namnd": namnd}


def main() -> int:
    from bench import run as harness

    # Its own SQLite file (unless BENCH_DATABASE_URL names one), beside the page bench's.
    harness.SQLITE_PATH = harness.BENCH_DIR / "bench-followup.sqlite3"
    started = time.perf_counter()
    repeat = int(os.environ.get("BENCH_REPEAT", "30"))
    warmup = int(os.environ.get("BENCH_WARMUP", "3"))
    static_root = tempfile.mkdtemp(prefix="bench-followup-static-")
    media_root = tempfile.mkdtemp(prefix="bench-followup-media-")
    try:
        harness.configure_environment(static_root)
        os.environ["MEDIA_ROOT"] = media_root
        import django

        django.setup()
        import logging

        logging.getLogger("prioritering.security").setLevel(logging.WARNING)
        harness.prepare_database()
        return run(repeat, warmup, started)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(media_root, ignore_errors=True)


def run(repeat: int, warmup: int, started: float) -> int:
    from django.db import transaction

    from bench.run import measure, print_growth, print_sql, print_table, signed_in_clients
    from followup.models import FollowUpReport
    from rounds.models import Proposal

    shrink_generator()
    clients = signed_in_clients()
    by_size, problems, data = {}, [], {}
    for size in SIZES:
        seeded = time.perf_counter()
        with transaction.atomic():
            round = followup_round()
            grow_to(round, size)
        data[size] = {
            "proposals": Proposal.objects.filter(round=round).count(),
            "reports": FollowUpReport.objects.filter(period__round=round).count(),
            "seconds": whole(time.perf_counter() - seeded),
        }
        print(
            f"\nFollow-up round {YEAR}: {data[size]['proposals']} decided proposals, "
            f"{data[size]['reports']} reports in three periods"
        )
        values = placeholders()
        shown = [replace(page, url=page.url.format(**values)) for page in pages()]
        results = [measure(page, clients[page.user_role], size, repeat, warmup) for page in shown]
        by_size[size] = results
        print_table(results, f"The follow-up overview with {size} proposals")
        for result in results:
            if result.problems():
                problems += result.problems()
                print_sql(result)
    print(f"\nThe follow-up report of {data[SIZES[-1]]['proposals']} proposals (Årsbokslut)")
    documents = measure_documents(round)
    first, last = by_size[SIZES[0]], by_size[SIZES[-1]]
    grew = print_growth(first, last) if len(SIZES) > 1 else []
    problems += [f"query count grew with the data: {line}" for line in grew]
    RESULTS.write_text(
        json.dumps(
            {
                "sizes": list(SIZES),
                "repeat": repeat,
                "target_ms": TARGET_MS,
                "data": {str(size): data[size] for size in SIZES},
                "documents": documents,
                "pages": [
                    {
                        **result.as_json(),
                        "at_size": {str(size): by_size[size][index].as_json() for size in SIZES},
                    }
                    for index, result in enumerate(first)
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nWrote {RESULTS.name} in {time.perf_counter() - started:.0f} s")
    if problems:
        sys.stdout.flush()
        print("\nFAILED:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("OK: the overview answers with the same number of queries at every size.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
