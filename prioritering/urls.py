from django.contrib import admin
from django.urls import include, path

from notices import views as notice_views
from prioritering import oidc, two_factor_views, views

handler403 = "prioritering.views.permission_denied"

urlpatterns = [
    path("", views.start, name="start"),
    path("konto/logga-in/", oidc.SignInView.as_view(), name="login"),
    path("konto/logga-ut/", oidc.SignOutView.as_view(), name="logout"),
    # The municipality's own accounts (OpenID Connect; 404 while OIDC_ISSUER is unset).
    path("konto/oidc/logga-in/", oidc.OidcSignInView.as_view(), name="oidc_login"),
    path("konto/oidc/callback/", oidc.OidcCallbackView.as_view(), name="oidc_callback"),
    path("konto/losenord/", views.password_change, name="password_change"),
    # Two-factor (TOTP) for password accounts that administer (prioritering.two_factor).
    path("konto/tvafaktor/", two_factor_views.enrol, name="two_factor"),
    path("konto/tvafaktor/borja/", two_factor_views.start, name="two_factor_start"),
    path("konto/tvafaktor/bekrafta/", two_factor_views.confirm, name="two_factor_confirm"),
    path("konto/tvafaktor/avbryt/", two_factor_views.cancel, name="two_factor_cancel"),
    path("konto/tvafaktor/byt/", two_factor_views.replace, name="two_factor_replace"),
    path("konto/tvafaktor/ta-bort/", two_factor_views.remove, name="two_factor_remove"),
    path("konto/tvafaktor/verifiera/", two_factor_views.verify, name="two_factor_verify"),
    path("konto/aviseringar/", notice_views.notice_settings, name="notice_settings"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("halsa/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("oppna-prioriteringar/", include("ranking.urls_public")),
    path("admin/", admin.site.urls),
    path("", include("rounds.urls")),
    path("omgangar/", include("followup.urls")),
]
