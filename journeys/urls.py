"""URLs of the journeys UI; each topic module of journeys.views contributes its own ``urlpatterns``."""

from journeys.views import maps

app_name = "journeys"
urlpatterns = [*maps.urlpatterns]
