from django.contrib import admin
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.cache import cache_page
from django.views.decorators.http import last_modified
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from cxportal import login, outbox, views, views_apikeys, views_audit, views_branding, views_profile
from cxportal.api import root
from cxportal.api.audit import AuditLogViewSet
from cxportal.sso import views as sso_views

# The admin's sign-in gets the same limit on failed attempts as the site's, and its 429 (cxportal/login.py).
admin.site.login_form = login.AdminLoginForm

_audit_router = SimpleRouter()
_audit_router.register("audit-log", AuditLogViewSet, basename="audit-log")

api_v1 = [
    path("", root.ApiRootView.as_view(), name="api-root"),
    path("", include("journeys.api.urls")),
    path("", include("surveys.api.urls")),
    path("", include("voice.api.urls")),
    path("", include("metrics.api.urls")),
    path("", include("decisions.api.urls")),
    path("", include("actionplans.api.urls")),
    path("", include("cxportal.webhooks.api.urls")),
    path("", include("reports.api.urls")),
    *_audit_router.urls,
]

# The JavaScript catalogue (djangojs): a script from our own URL (no inline script under the CSP), cached per
# language (the page asks for ``/jsi18n/?l=de``, so a browser's cached copy changes with the language).
_JS_CATALOGUE_STARTED = timezone.now()
javascript_catalog = cache_page(86400, key_prefix="jsi18n")(
    last_modified(lambda request: _JS_CATALOGUE_STARTED)(JavaScriptCatalog.as_view())
)

urlpatterns = [
    path("", views.home, name="home"),
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    path("accounts/login/", login.LoginView.as_view(), name="login"),
    path("accounts/logout/", sso_views.LogoutView.as_view(), name="logout"),
    path("accounts/sso/", include("cxportal.sso.urls")),
    path("journeys/", include("journeys.urls")),
    path("surveys/", include("surveys.urls")),
    path("s/", include(("surveys.respondent_urls", "respondent"))),
    path("voice/", include("voice.urls")),
    path("dashboards/", include("metrics.urls")),
    path("dashboards/", include("decisions.urls")),
    path("actions/", include("actionplans.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI loads only our static files (sidecar) and its init script from a URL of its own (no inline
    # script). Redoc is dropped: its bundle shows a logo from the vendor's CDN on every page; the old address
    # leads to Swagger UI.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", RedirectView.as_view(pattern_name="api-docs", permanent=True), name="api-redoc"),
    path("profile/", views_profile.profile, name="profile"),
    path("i18n/setlang/", views_profile.set_language, name="set_language"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("settings/", views_apikeys.settings_index, name="settings_index"),
    path("settings/api-keys/", views_apikeys.apikey_list, name="apikey_list"),
    path("settings/api-keys/new/", views_apikeys.apikey_create, name="apikey_create"),
    path("settings/api-keys/<int:pk>/created/", views_apikeys.apikey_created, name="apikey_created"),
    path("settings/api-keys/<int:pk>/revoke/", views_apikeys.apikey_revoke, name="apikey_revoke"),
    path("settings/webhooks/", include("cxportal.webhooks.urls")),
    path("settings/audit-log/", views_audit.audit_log, name="audit_log"),
    path("settings/audit-log/export.csv", views_audit.audit_log_csv, name="audit_log_csv"),
    path("admin/login/", login.admin_login),
    path("settings/branding/", views_branding.branding_edit, name="branding_edit"),
    path("branding/logo.png", views_branding.branding_logo, name="branding_logo"),
    path("branding/theme.css", views_branding.branding_theme, name="branding_theme"),
    path("admin/", admin.site.urls),
]

# API paths that match no route answer JSON, like every other API error; pages keep the HTML 404.
handler404 = "cxportal.api.errors.not_found"
handler403 = "cxportal.views_errors.permission_denied"
