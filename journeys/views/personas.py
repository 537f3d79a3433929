"""The personas pages of the journeys UI."""

urlpatterns = []
