from rest_framework.routers import DefaultRouter

from journeys.api import people, views

router = DefaultRouter()
people.register(router)
router.register("journey-maps", views.JourneyMapViewSet, basename="journey-map")
router.register("stages", views.StageViewSet, basename="stage")
router.register("touchpoints", views.TouchpointViewSet, basename="touchpoint")
urlpatterns = router.urls
