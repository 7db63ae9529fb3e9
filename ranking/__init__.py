"""Phases 3–5: the nämnd's ranking and the forum's sheets, the sammanvägd
rangordning (``aggregate``), the live meeting, the forum's agreed order, the
budget line (``budget``), the review (``review``), the decisions, publication
and rättelser (``decisions``), and the documents of that material
(``documents``: the decision document, the nämnd's ranking, the Excel
exports), registered with the document machinery. Builds on ``rounds``."""
