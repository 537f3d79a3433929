from rest_framework.routers import DefaultRouter

from journeys.api import views

router = DefaultRouter()
router.register("personas", views.PersonaViewSet, basename="persona")
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("journey-maps", views.JourneyMapViewSet, basename="journey-map")
router.register("stages", views.StageViewSet, basename="stage")
router.register("touchpoints", views.TouchpointViewSet, basename="touchpoint")
urlpatterns = router.urls
