from django.urls import path

from decisions.views import churn, drivers

app_name = "decisions"
urlpatterns = [
    path("drivers/", drivers.drivers, name="drivers"),
    path("churn-risk/", churn.churn_risk, name="churn_risk"),
    path("churn-risk/rule/", churn.churn_rule_save, name="churn_rule"),
    path("churn-risk/train/", churn.churn_train, name="churn_train"),
    path("churn-risk/train/status/", churn.churn_train_status, name="churn_train_status"),
]
