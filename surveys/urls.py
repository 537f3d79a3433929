from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("new/", views.survey_create, name="survey_create"),
    path("<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path("<int:survey_id>/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/cancel/", views.campaign_cancel, name="campaign_cancel"),
]
