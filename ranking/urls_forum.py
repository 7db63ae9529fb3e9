"""URLs under /omgangar/<year>/forum/: the forum's compiled list, each
forumdeltagare's own sheet, the live meeting view and the controller's page
of the round's forum members. The outcome's pages
share the prefix (``ranking.urls_decision``)."""

from django.urls import path

from ranking.views import forum, forum_members

urlpatterns = [
    path("", forum.forum_list, name="forum_list"),
    path("mitt-ark/", forum.forum_sheet, name="forum_sheet"),
    path("mote/", forum.forum_meeting, name="forum_meeting"),
    path("mote/tabell/", forum.forum_meeting_table, name="forum_meeting_table"),
    path("deltagare/", forum_members.forum_members, name="forum_members"),
    path("deltagare/<id:pk>/", forum_members.forum_member_edit, name="forum_member_edit"),
    path(
        "deltagare/<id:pk>/ta-bort/",
        forum_members.forum_member_remove,
        name="forum_member_remove",
    ),
]
