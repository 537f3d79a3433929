from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from cxportal import outbox, views

api_v1 = [
    path("", include("journeys.api.urls")),
    path("", include("surveys.api.urls")),
    path("", include("metrics.api.urls")),
    path("", include("actionplans.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("journeys/", include("journeys.urls")),
    path("surveys/", include("surveys.urls")),
    path("s/", include(("surveys.respondent_urls", "respondent"))),
    path("dashboards/", include("metrics.urls")),
    path("actions/", include("actionplans.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("admin/", admin.site.urls),
]
