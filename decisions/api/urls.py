from django.urls import path
from rest_framework.routers import SimpleRouter

from decisions.api.views import ChurnRiskViewSet, DriversView

router = SimpleRouter()
router.register("churn-risk", ChurnRiskViewSet, basename="churn-risk")

urlpatterns = [path("drivers/", DriversView.as_view(), name="drivers"), *router.urls]
