"""Views of the rounds app, one module per area: ``organisation``, ``round``
(set-up, instructions, lists, phases), ``analysis_grid`` and
``analysis_workflow`` (the verksamhetsanalys and its submit/return),
``proposal``, ``importing`` (Excel into a round), ``documents`` (the round's
documents, from the registry); ``common`` (getting a round, an analysis, a
proposal, a file), ``conflicts`` and ``refused`` (the pages of a form saved
over by a colleague, or after the door closed)."""
