from django.urls import path

from actionplans import views, views_loop, views_map
from actionplans.views import responses as response_views

app_name = "actionplans"
urlpatterns = [
    path("", views.action_list, name="action_list"),
    path("my-department/", views.my_department, name="my_department"),
    path("kanban/", views.action_kanban, name="action_kanban"),
    path("matrix/", views.action_matrix, name="action_matrix"),
    path("timeline/", views.action_timeline, name="action_timeline"),
    path("new/", views.action_create, name="action_create"),
    path("<int:action_id>/", views.action_detail, name="action_detail"),
    path("<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("<int:action_id>/delete/", views.action_delete, name="action_delete"),
    path("<int:action_id>/move/", views.action_move, name="action_move"),
    path("<int:action_id>/milestones/", views.action_milestone_add, name="action_milestone_add"),
    path(
        "<int:action_id>/milestones/<int:milestone_id>/done/",
        views.action_milestone_toggle,
        name="action_milestone_toggle",
    ),
    path("<int:action_id>/comments/", views.action_comment, name="action_comment"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:department_id>/edit/", views.department_edit, name="department_edit"),
    *views_map.urlpatterns,
    *views_loop.urlpatterns,
    *response_views.urlpatterns,
]
