"""The documents made of a round's own material: one förvaltning's
verksamhetsanalys as PDF and Excel (``analysis``), the follow-up report of a
period (``followup``), and the proposal pages the PDFs share (``pages``)."""
