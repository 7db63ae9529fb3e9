"""URLs under /omgangar/<year>/forum/: the forum's compiled list and each
forumdeltagare's own sheet."""

from django.urls import path

from ranking import views

urlpatterns = [
    path("", views.forum_list, name="forum_list"),
    path("mitt-ark/", views.forum_sheet, name="forum_sheet"),
]
