"""URLs of the survey management UI; each topic module of surveys.views contributes its ``urlpatterns``."""

from surveys.views import builder, campaigns, responses

app_name = "surveys"
urlpatterns = [*builder.urlpatterns, *campaigns.urlpatterns, *responses.urlpatterns]
