from django.urls import path
from rest_framework.routers import DefaultRouter

from surveys.api import views

router = DefaultRouter()
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("invitations", views.InvitationViewSet, basename="invitation")
urlpatterns = [
    # Before the router's, whose responses/<pk>/ would take "export" for an id.
    path("responses/export/", views.ResponseExportView.as_view(), name="response-export"),
    path("privacy/export/", views.PrivacyExportView.as_view(), name="privacy-export"),
    path("privacy/erase/", views.PrivacyEraseView.as_view(), name="privacy-erase"),
    *router.urls,
]
