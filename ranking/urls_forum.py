"""URLs under /omgangar/<year>/forum/: the forum's compiled list, each
forumdeltagare's own sheet, the live meeting view, and the controller's
agreed order, budget line, review, decisions and publication."""

from django.urls import path

from ranking import views

urlpatterns = [
    path("", views.forum_list, name="forum_list"),
    path("mitt-ark/", views.forum_sheet, name="forum_sheet"),
]

# Meeting
urlpatterns += [
    path("mote/", views.forum_meeting, name="forum_meeting"),
    path("mote/tabell/", views.forum_meeting_table, name="forum_meeting_table"),
]

# Decisions
from ranking import views_decision  # noqa: E402

urlpatterns += [
    path("ordning/", views_decision.forum_order, name="forum_order"),
    path("budgetlinje/", views_decision.forum_budget, name="forum_budget"),
    path("granskning/", views_decision.forum_review, name="forum_review"),
    path("beslut/", views_decision.forum_decisions, name="forum_decisions"),
    path("publicera/", views_decision.forum_publish, name="forum_publish"),
    path(
        "beslut/<id:number>/rattelse/",
        views_decision.forum_correction,
        name="forum_correction",
    ),
    path("historik/", views_decision.forum_history, name="forum_history"),
]
