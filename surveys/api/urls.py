from rest_framework.routers import DefaultRouter

from surveys.api import views

router = DefaultRouter()
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("invitations", views.InvitationViewSet, basename="invitation")
urlpatterns = router.urls
