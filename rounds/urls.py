from django.urls import path

from rounds import views

urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/personer/", views.people, name="people"),
]
