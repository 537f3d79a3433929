"""URLs of the journeys UI; each topic module of journeys.views contributes its own ``urlpatterns``."""

from journeys.views import customers, exchange, maps, personas, reading, workbench

app_name = "journeys"
urlpatterns = [
    *maps.urlpatterns,
    *workbench.urlpatterns,
    *reading.urlpatterns,
    *personas.urlpatterns,
    *customers.urlpatterns,
    *exchange.urlpatterns,
]
