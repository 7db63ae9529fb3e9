"""URLs under /omgangar/<year>/namnder/: the nämnder's rankings."""

from django.urls import path

from ranking.views import namnd

urlpatterns = [
    path("", namnd.namnd_ranking_list, name="namnd_ranking_list"),
    path("<id:namnd_id>/", namnd.namnd_ranking, name="namnd_ranking"),
    path("<id:namnd_id>/spara/", namnd.namnd_ranking_save, name="namnd_ranking_save"),
    path("<id:namnd_id>/registrera/", namnd.namnd_ranking_record, name="namnd_ranking_record"),
]
