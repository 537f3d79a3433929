from django.urls import path

from decisions.views import churn, drivers

app_name = "decisions"
urlpatterns = [
    path("drivers/", drivers.drivers, name="drivers"),
    path("churn-risk/", churn.churn_risk, name="churn_risk"),
    path("churn-risk/panel/", churn.risk_panel, name="churn_risk_panel"),
    path("churn-risk/export/<str:file_format>/", churn.churn_risk_export, name="churn_risk_export"),
    path("churn-risk/customers/<int:customer_id>/", churn.customer_risk, name="customer_risk"),
    path("churn-risk/train/", churn.churn_train, name="churn_train"),
    path("churn-risk/train/status/", churn.churn_train_status, name="churn_train_status"),
]
