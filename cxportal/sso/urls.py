from django.urls import path

from cxportal.sso import views

# The names are mozilla-django-oidc's, so its views find the callback address.
urlpatterns = [
    path("start/", views.StartView.as_view(), name="oidc_authentication_init"),
    path("callback/", views.CallbackView.as_view(), name="oidc_authentication_callback"),
]
