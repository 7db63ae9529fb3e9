"""Measure the robustness of the budget line (issue 18): how long the whole
analysis (``ranking.robustness.analyse``: the method's rule, one run per
member left out, the mean, Borda, Copeland and the costs ± 10 %) takes for
600 forwarded proposals and 40 members — the issue's size, where the target
is at most 1 s — and for twice both.

Run by ``make bench`` (or alone: ``.venv/bin/python -m bench.robustness``).
The analysis is pure (no database), so the data is made here, seeded: each
member ranks every proposal 1–10 around a shared opinion of it, as a forum
does (members mostly agree and sometimes do not), with costs år 1 from 50 to
3,000 tkr, one in twelve a saving, and a frame that funds about a third.
Each size is analysed ``BENCH_REPEAT`` times (default 7) after one untimed
run, and the median and the slowest are reported; the target is reported,
not failed (the machines are shared and noisy). The pages keep the analysis
in the cache by the ranks' stamp (``ranking.selectors.robustness_of``), so
this is what the first reader after a change waits for; results go to
``bench/results-robustness.json``.
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import django

TARGET_S = 1.0
SIZES = ((600, 40), (1200, 80))


def data(proposals: int, members: int, seed: int = 18):
    from ranking import budget

    rng = random.Random(seed)
    opinion = {key: rng.uniform(1, 10) for key in range(1, proposals + 1)}
    ballots = [
        {key: min(10, max(1, round(value + rng.gauss(0, 1.5)))) for key, value in opinion.items()}
        for _member in range(members)
    ]
    entries = []
    for key in opinion:
        cost = -rng.randint(50, 800) if rng.random() < 1 / 12 else rng.randint(50, 3000)
        entries.append(budget.Entry(key=key, cost_year1=cost, cost_years1_3=cost * 3))
    frame = sum(e.cost_year1 for e in entries if e.cost_year1 > 0) // 3
    return ballots, entries, frame


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prioritering.settings")
    django.setup()
    from ranking import robustness

    repeat = int(os.environ.get("BENCH_REPEAT", "7"))
    results = []
    for proposals, members in SIZES:
        ballots, entries, frame = data(proposals, members)
        robustness.analyse(ballots, entries, frame)  # untimed: imports, first allocations
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            analysis = robustness.analyse(ballots, entries, frame)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        counts = {klass: count for klass, _label, count in analysis.counts}
        results.append(
            {
                "proposals": proposals,
                "members": members,
                "median_s": round(median, 3),
                "max_s": round(max(times), 3),
                "target_s": TARGET_S if (proposals, members) == SIZES[0] else None,
                "classes": counts,
            }
        )
        met = (
            ""
            if (proposals, members) != SIZES[0]
            else (" (target ≤ 1 s: met)" if median <= TARGET_S else " (target ≤ 1 s: NOT met)")
        )
        print(
            f"robustness: {proposals} proposals × {members} members: median "
            f"{median * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms{met}; {counts}"
        )
    Path(__file__).with_name("results-robustness.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
