from django.urls import path

from actionplans import views
from actionplans.views import churn_rule, closed_loop, follow_up_queue, journey_map, ownership, responses, revisions

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
    # Journey map fragment, touchpoint ownership, the review of revised maps.
    path("maps/<int:map_id>/fragment/", journey_map.map_actions, name="map_actions"),
    path(
        "departments/<int:department_id>/touchpoints/",
        ownership.department_touchpoints,
        name="department_touchpoints",
    ),
    path(
        "departments/<int:department_id>/touchpoints/add/",
        ownership.department_touchpoint_add,
        name="department_touchpoint_add",
    ),
    path(
        "departments/<int:department_id>/touchpoints/remove/",
        ownership.department_touchpoint_remove,
        name="department_touchpoint_remove",
    ),
    path("review/", revisions.review_list, name="review_list"),
    path("review/<int:action_id>/obsolete/", revisions.review_mark_obsolete, name="review_mark_obsolete"),
    path("review/<int:action_id>/relink/", revisions.review_relink, name="review_relink"),
    # The closed loop: follow-up rules, the "Needs a department" queue, pulse surveys, a response's follow-up.
    path("follow-up-rules/", closed_loop.follow_up_rules, name="follow_up_rules"),
    path("follow-up-rules/churn-risk/", churn_rule.churn_rule_edit, name="churn_rule"),
    path("follow-up-rules/<int:touchpoint_id>/", closed_loop.follow_up_rule_edit, name="follow_up_rule_edit"),
    path("needs-a-department/", follow_up_queue.follow_up_queue_page, name="follow_up_queue"),
    path(
        "needs-a-department/<int:entry_id>/route/",
        follow_up_queue.follow_up_queue_route,
        name="follow_up_queue_route",
    ),
    path(
        "needs-a-department/<int:entry_id>/dismiss/",
        follow_up_queue.follow_up_queue_dismiss,
        name="follow_up_queue_dismiss",
    ),
    path("<int:action_id>/pulse-survey/", closed_loop.action_pulse_survey, name="action_pulse_survey"),
    path("responses/<int:response_id>/follow-up/", responses.response_follow_up, name="response_follow_up"),
]
