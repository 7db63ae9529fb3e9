"""URLs under /omgangar/<year>/dokument/: a round's generated documents."""

from django.urls import path

from rounds.views import documents as views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("skapa/", views.document_request, name="document_request"),
    path("<id:pk>/", views.document_detail, name="document_detail"),
    path("<id:pk>/kor-igen/", views.document_rerun, name="document_rerun"),
    path("<id:pk>/ladda-ner/", views.document_download, name="document_download"),
]
