"""Public, account-free pages for respondents (mounted at /s/)."""

from django.urls import path

from surveys import views

urlpatterns = [
    path("<str:token>/", views.respond, name="survey"),
    path("<str:token>/thanks/", views.thanks, name="thanks"),
]
