"""Phases 3–5: the nämnd's ranking, the forum's sheets and live meeting, and
the forum's outcome — the agreed order, the budget line (``budget``), the
review (``review``), the decisions, publication and rättelser — and the public
page of a published round. In the layout of every app: ``models``,
``services`` and ``views`` with a module per area (``namnd``, ``forum``,
``decision``), ``selectors`` for what the pages read, ``aggregate`` for the
sammanvägd rangordning, and ``documents`` for the decision document, the
nämnd's ranking and the Excel exports, registered with the document
machinery. Builds on ``rounds``."""
