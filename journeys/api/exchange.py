"""API for exporting, importing and deriving journey maps."""

urlpatterns = []
