"""URLs under /omgangar/: rounds, analyses and proposals, by budget year."""

urlpatterns: list = []
