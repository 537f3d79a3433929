from django.urls import path
from rest_framework.routers import SimpleRouter

from metrics.api.ingestion import EventViewSet, TransactionViewSet
from metrics.api.targets import KpiTargetViewSet
from metrics.api.views import MetricsView

router = SimpleRouter()
router.register("events", EventViewSet, basename="event")
router.register("transactions", TransactionViewSet, basename="transaction")
router.register("kpi-targets", KpiTargetViewSet, basename="kpi-target")

urlpatterns = [path("metrics/", MetricsView.as_view(), name="metrics"), *router.urls]
