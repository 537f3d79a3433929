from django.urls import path

from journeys import views

app_name = "journeys"
urlpatterns = [
    path("", views.map_list, name="map_list"),
    path("new/", views.map_create, name="map_create"),
    path("<int:map_id>/", views.map_detail, name="map_detail"),
    path("<int:map_id>/stages/new/", views.stage_create, name="stage_create"),
    path("stages/<int:stage_id>/touchpoints/new/", views.touchpoint_create, name="touchpoint_create"),
]
