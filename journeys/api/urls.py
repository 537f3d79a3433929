from rest_framework.routers import DefaultRouter

from journeys.api import exchange, people, views

router = DefaultRouter()
people.register(router)
router.register("journey-maps", views.JourneyMapViewSet, basename="journey-map")
router.register("stages", views.StageViewSet, basename="stage")
router.register("touchpoints", views.TouchpointViewSet, basename="touchpoint")
# Explicit paths first: e.g. journey-maps/import/ must not be read as a map id.
urlpatterns = [*exchange.urlpatterns, *router.urls]
