"""The customers pages of the journeys UI."""

urlpatterns = []
