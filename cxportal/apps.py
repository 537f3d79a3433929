from django.apps import AppConfig


class CxportalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cxportal"
    verbose_name = "CX portal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cxportal import audit, clientip, erasure_holders, i18n, retention_rules
        from cxportal.api import fields  # noqa: F401 - makes its DateTimeField every model serializer's default

        erasure_holders.register()
        audit.register()
        retention_rules.register()
        user_logged_in.connect(i18n.remember_on_sign_in, dispatch_uid="cxportal.i18n.remember_on_sign_in")
        clientip.trusted_proxies()  # a malformed TRUSTED_PROXIES stops the start with a clear message
