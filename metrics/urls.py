from django.urls import path

from metrics import imports, views, views_surveys, views_trends

app_name = "metrics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kpi/", views.dashboard, name="dashboard"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/<int:target_id>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:target_id>/delete/", views.target_delete, name="target_delete"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("maps/<int:map_id>/kpis/", views.map_kpis, name="map_kpis"),
    path("personas/<int:persona_id>/kpis/", views.persona_kpis, name="persona_kpis"),
    *views_trends.urlpatterns,
    *views_surveys.urlpatterns,
    *imports.urlpatterns,
]
