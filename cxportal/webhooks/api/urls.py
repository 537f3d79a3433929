from rest_framework.routers import DefaultRouter

from cxportal.webhooks.api import views

router = DefaultRouter()
router.register("webhooks", views.WebhookSubscriptionViewSet, basename="webhook")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")
urlpatterns = router.urls
