from django.apps import AppConfig


class CxportalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cxportal"
    verbose_name = "CX portal"

    def ready(self) -> None:
        from cxportal import audit, clientip, erasure_holders, retention_rules
        from cxportal.api import fields  # noqa: F401 - makes its DateTimeField every model serializer's default

        erasure_holders.register()
        audit.register()
        retention_rules.register()
        clientip.trusted_proxies()  # a malformed TRUSTED_PROXIES stops the start with a clear message
