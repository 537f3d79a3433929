from django.apps import AppConfig


class CxportalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cxportal"
    verbose_name = "CX portal"

    def ready(self) -> None:
        from cxportal import erasure_holders

        erasure_holders.register()
