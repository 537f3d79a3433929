"""Public, account-free pages for respondents (mounted at /s/)."""

from django.urls import path

from surveys.views import respondent as views

urlpatterns = [
    path("i/<str:token>/", views.respond_invitation, name="invitation"),
    path("i/<str:token>/thanks/", views.invitation_thanks, name="invitation_thanks"),
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<str:token>/", views.respond, name="survey"),
    path("<str:token>/thanks/", views.thanks, name="thanks"),
]
