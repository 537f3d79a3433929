"""The exchange pages of the journeys UI."""

urlpatterns = []
