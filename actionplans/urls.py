from django.urls import path

from actionplans import views

app_name = "actionplans"
urlpatterns = [
    path("", views.action_list, name="action_list"),
    path("my-department/", views.my_department, name="my_department"),
    path("new/", views.action_create, name="action_create"),
    path("<int:action_id>/", views.action_detail, name="action_detail"),
]
