"""URLs under /oppna-prioriteringar/: published rounds, readable without
signing in."""

from django.urls import path

from ranking import views_decision

urlpatterns = [
    path("", views_decision.public_list, name="public_list"),
    path("<year:year>/", views_decision.public_round, name="public_round"),
    path(
        "<year:year>/beslutsunderlag.pdf",
        views_decision.public_decision_document,
        name="public_decision_document",
    ),
]
