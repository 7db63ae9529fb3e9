"""The benchmark harness: server time and SQL queries per page, on a large kommun.

``make bench`` (or ``.venv/bin/python -m bench.run``) does this:

1. Points Django at a database of its own — a fresh ``bench/bench.sqlite3``, or
   ``BENCH_DATABASE_URL`` (e.g. a PostgreSQL database whose name contains
   "bench"; the harness empties it) — and migrates it.
2. Fills it with :func:`bench.generate.generate` at ``scale=1``: "Storkommun",
   14 nämnder, 20 förvaltningar and 300 users holding every role; round 2027
   in the verksamhetsanalys phase with 1,000 proposals, and round 2026 in the
   forum phase with 600 forwarded proposals ranked by 40 forumdeltagare.
3. Requests every page in :data:`bench.run.PAGES` through Django's test client
   (in-process: server time without the network), a few warm-up requests and
   then ``BENCH_REPEAT`` (default 30) timed ones, counting SQL queries.
4. Adds a second pass of data (``scale=2``: 300 more users, 20 more
   förvaltningar, more roles for the measured users, 1,000 more proposals in
   2027, 600 more forwarded proposals and 40 more forumdeltagare in the forum)
   and measures again.
5. Prints a table, writes ``bench/results.json`` and exits non-zero if a page
   answered with an unexpected status, if its query count differed between
   repeats, or if it grew with the data. Timing never fails the run: the
   targets are reported, but the machines are shared and noisy.

Adding to it: a new page is one ``Page(...)`` line in ``bench/run.py``; a new
kind of data is one ``@generator`` function in ``bench/generate.py``.

``make bench-load`` (``bench/load.py``) is the other half: the same data on
PostgreSQL behind gunicorn, with 40 forumdeltagare ranking at once while the
forum's meeting view refreshes, timed from outside over HTTP.
"""
