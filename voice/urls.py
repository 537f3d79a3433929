from django.urls import path

from voice import views, views_act, views_import, views_steer

app_name = "voice"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("topics/<int:topic_id>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:topic_id>/rename/", views.topic_rename, name="topic_rename"),
    path("topics/<int:topic_id>/merge/", views.topic_merge, name="topic_merge"),
    path("topics/<int:topic_id>/hide/", views.topic_hide, name="topic_hide"),
    path("topics/<int:topic_id>/pin/", views_steer.topic_pin, name="topic_pin"),
    path("topics/<int:topic_id>/split/", views_steer.topic_split, name="topic_split"),
    path("topics/<int:topic_id>/pain-point/", views_act.topic_pain_point, name="topic_pain_point"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("runs/<int:run_id>/", views.run_status, name="run_status"),
    path("import/", views_import.import_upload, name="import"),
    path("import/runs/<int:run_id>/", views_import.import_progress, name="import_progress"),
    path("import/<str:token>/", views_import.import_preview, name="import_preview"),
    path("import/<str:token>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/<str:token>/cancel/", views_import.import_cancel, name="import_cancel"),
]
