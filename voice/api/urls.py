from rest_framework.routers import DefaultRouter

from voice.api import views

router = DefaultRouter()
views.register(router)
urlpatterns = router.urls
