from django.urls import path

from cxportal.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.subscription_list, name="subscription_list"),
    path("new/", views.subscription_create, name="subscription_create"),
    path("<int:subscription_id>/", views.subscription_detail, name="subscription_detail"),
    path("<int:subscription_id>/edit/", views.subscription_edit, name="subscription_edit"),
    path("<int:subscription_id>/delete/", views.subscription_delete, name="subscription_delete"),
    path("<int:subscription_id>/rotate-secret/", views.secret_rotate, name="secret_rotate"),
    path("<int:subscription_id>/ping/", views.subscription_ping, name="subscription_ping"),
    path("deliveries/<int:delivery_id>/redeliver/", views.delivery_redeliver, name="delivery_redeliver"),
]
