from django.urls import path

from voice import views

app_name = "voice"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("topics/<int:topic_id>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:topic_id>/rename/", views.topic_rename, name="topic_rename"),
    path("topics/<int:topic_id>/merge/", views.topic_merge, name="topic_merge"),
    path("topics/<int:topic_id>/hide/", views.topic_hide, name="topic_hide"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("runs/<int:run_id>/", views.run_status, name="run_status"),
]
