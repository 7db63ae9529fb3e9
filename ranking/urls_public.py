"""URLs under /oppna-prioriteringar/: published rounds, readable without
signing in."""

from django.urls import path

from ranking.views import bodies, public

urlpatterns = [
    path("", public.public_list, name="public_list"),
    path("<year:year>/", public.public_round, name="public_round"),
    path(
        "<year:year>/beslutsunderlag.pdf",
        public.public_decision_document,
        name="public_decision_document",
    ),
    path("<year:year>/protokoll/<id:pk>/", bodies.body_protocol, name="body_protocol"),
]
