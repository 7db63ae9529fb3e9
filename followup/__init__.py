"""Genomförande och uppföljning, the round's phase 6: the förvaltningar's
reports on each decided proposal and the controller's periods (``services``,
``forms``, ``views.reports``), the rules that turn them into numbers
(``rules``: budget up to a period, deviation, timing), the controller's
overview with its chart (``views.overview``, ``chart``), carrying a proposal
into the next round (``views.carry``), a proposal's life across years
(``lifecycle``), two rounds compared per nämnd (``comparison``) and the
follow-up's tasks on the start page (``start``).

It builds on ``rounds`` (the round, the proposals) and ``ranking`` (the
decisions), which do not import it: what they show of the follow-up they
reach by URL name, by template tag (``{% proposal_follow_up %}`` on the
proposal's page) or through the start page's lists that ``apps`` fills in.
"""
