from rest_framework.routers import DefaultRouter

from actionplans.api import views

router = DefaultRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("actions", views.ActionViewSet, basename="action")
urlpatterns = router.urls
