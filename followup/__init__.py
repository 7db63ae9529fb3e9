"""Genomförande och uppföljning, the round's phase 6: the förvaltningar's
reports on each decided proposal and the controller's periods (``services``,
``forms``, ``views.reports``), the rules that turn them into numbers
(``rules``: budget up to a period, deviation, timing), the controller's
overview with its chart (``views.overview``, ``chart``), carrying a proposal
into the next round (``views.carry``), a proposal's life across years
(``lifecycle``) and two rounds compared per nämnd (``comparison``).

It builds on ``rounds`` (the round, the proposals) and ``ranking`` (the
decisions).
"""
