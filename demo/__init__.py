"""The demo: Exempelkommun, its people and its rounds, for `make run`, the
``load_demo`` command and the tests. Development data lives here and not in a
domain app (as Zulip keeps its own in ``zilencer``): this app sits on top of
``rounds`` and ``ranking`` and writes through their services, and nothing
imports it but the command, the tests and the benchmarks.

- ``loading``: ``load_demo()``, what the command and the tests call.
- ``organisation``: the kommun, its nämnder and förvaltningar, and its people.
- ``round_parts``: what both rounds are made of (lists, perspektiv, a proposal
  row's fields) and the ranking steps both take (nämnd, forum, agreed order).
- ``round_2026``: last year's round, through the whole cycle to publication.
- ``followup_2026``: round 2026 followed up through the year.
- ``round_2027_ranking``: round 2027 taken on from the verksamhetsanalys to
  the nämnd, forum or beslut phase.
- ``round_2027``: this year's round, with what round 2026 carried over, in the
  forum phase unless ``load_demo --phase`` asks for another.

Each module imports only those above it in the order organisation, round_parts,
round_2026, followup_2026, round_2027_ranking, round_2027, loading (and the
command on top).
"""
