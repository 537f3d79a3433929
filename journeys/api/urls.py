from rest_framework.routers import DefaultRouter

from journeys.api import exchange, people, views

router = DefaultRouter()
people.register(router)
router.register("journey-maps", views.JourneyMapViewSet, basename="journey-map")
router.register("stages", views.StageViewSet, basename="stage")
router.register("touchpoints", views.TouchpointViewSet, basename="touchpoint")
router.register("lanes", views.LaneViewSet, basename="lane")
router.register("lane-cells", views.LaneCellViewSet, basename="lane-cell")
router.register("pain-points", views.PainPointViewSet, basename="pain-point")
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")
# Explicit paths first: e.g. journey-maps/import/ must not be read as a map id.
urlpatterns = [*exchange.urlpatterns, *router.urls]
