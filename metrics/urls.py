from django.urls import path

from metrics.views import breakdown, dashboard, imports, maps, overview, surveys, targets, trends

app_name = "metrics"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("kpi/", dashboard.dashboard, name="dashboard"),
    path("trends/", trends.trends, name="trends"),
    path("breakdown/", breakdown.breakdown, name="breakdown"),
    path("targets/", targets.target_list, name="target_list"),
    path("targets/new/", targets.target_create, name="target_create"),
    path("targets/<int:target_id>/edit/", targets.target_edit, name="target_edit"),
    path("targets/<int:target_id>/delete/", targets.target_delete, name="target_delete"),
    path("notifications/", targets.notification_list, name="notification_list"),
    path("notifications/read/", targets.notifications_read, name="notifications_read"),
    path("maps/<int:map_id>/kpis/", maps.map_kpis, name="map_kpis"),
    path("personas/<int:persona_id>/kpis/", maps.persona_kpis, name="persona_kpis"),
    path("surveys/<int:survey_id>/kpis/", surveys.survey_kpis, name="survey_kpis"),
    path("surveys/scores/", surveys.survey_scores, name="survey_scores"),
    path("import/", imports.import_upload, name="import"),
    path("import/<str:token>/", imports.import_preview, name="import_preview"),
    path("import/<str:token>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/<str:token>/cancel/", imports.import_cancel, name="import_cancel"),
]
