"""Views of the follow-up, one module per area: the reports and the periods,
the controller's overview, carrying over, and two rounds compared."""
