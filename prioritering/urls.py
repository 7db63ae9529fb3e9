from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from notices import views as notice_views
from prioritering import views
from prioritering.forms import SignInForm

handler403 = "prioritering.views.permission_denied"

urlpatterns = [
    path("", views.start, name="start"),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/losenord/", views.password_change, name="password_change"),
    path("konto/aviseringar/", notice_views.notice_settings, name="notice_settings"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("halsa/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("oppna-prioriteringar/", include("ranking.urls_public")),
    path("admin/", admin.site.urls),
    path("", include("rounds.urls")),
    path("omgangar/", include("followup.urls")),
]
