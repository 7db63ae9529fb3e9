"""Phases 1–2 and what every later phase builds on: the organisation (kommun,
nämnder, förvaltningar, users and their roles), the round with its set-up,
lists and phases, the verksamhetsanalys and its items, the proposals and their
assessment, the importer from Excel, the analysis documents,
and the lock order every write in the app follows (``locks``)."""
