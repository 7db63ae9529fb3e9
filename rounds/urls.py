from django.urls import include, path

from rounds.views import organisation

urlpatterns = [
    path("organisation/", organisation.organisation, name="organisation"),
    path("organisation/personer/", organisation.people, name="people"),
    path("omgangar/", include("rounds.urls_round")),
]
