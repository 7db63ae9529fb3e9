"""URLs under /oppna-prioriteringar/: published rounds, readable without
signing in."""

from django.urls import path

from ranking.views import bodies, open_data, public

urlpatterns = [
    path("", public.public_list, name="public_list"),
    path("<year:year>/", public.public_round, name="public_round"),
    path(
        "<year:year>/beslutsunderlag.pdf",
        public.public_decision_document,
        name="public_decision_document",
    ),
    path("<year:year>/protokoll/<id:pk>/", bodies.body_protocol, name="body_protocol"),
    # Open data (ranking.open_data)
    path("schema.json", open_data.open_data_schema, name="open_data_schema"),
    path("<year:year>/oppna-data/", open_data.open_data_page, name="open_data_page"),
    path("<year:year>/data.json", open_data.open_data_json, name="open_data_json"),
    path("<year:year>/data.csv", open_data.open_data_csv, name="open_data_csv"),
    path("<year:year>/rangordningar.pb", open_data.open_data_pabulib, name="open_data_pabulib"),
]
