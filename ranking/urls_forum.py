"""URLs under /omgangar/<year>/forum/: the forum's compiled list, each
forumdeltagare's own sheet and the live meeting view. The outcome's pages
share the prefix (``ranking.urls_decision``)."""

from django.urls import path

from ranking.views import forum

urlpatterns = [
    path("", forum.forum_list, name="forum_list"),
    path("mitt-ark/", forum.forum_sheet, name="forum_sheet"),
    path("mote/", forum.forum_meeting, name="forum_meeting"),
    path("mote/tabell/", forum.forum_meeting_table, name="forum_meeting_table"),
]
