from rest_framework.routers import DefaultRouter

from actionplans.api import views

router = DefaultRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("action-plans", views.ActionPlanViewSet, basename="action-plan")
router.register("actions", views.ActionViewSet, basename="action")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("touchpoint-owners", views.TouchpointOwnershipViewSet, basename="touchpoint-owner")
urlpatterns = router.urls
