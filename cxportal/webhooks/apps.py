from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "cxportal.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cxportal.webhooks import erasure

        erasure.register()
