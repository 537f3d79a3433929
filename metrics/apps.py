from django.apps import AppConfig


class MetricsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "metrics"

    def ready(self) -> None:
        from metrics import changes, topic_alerts
        from metrics.services import erasure

        changes.connect()
        erasure.register()
        topic_alerts.connect()
