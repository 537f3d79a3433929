from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "cxportal.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        from cxportal.erasure import not_personal
        from cxportal.sso import checks  # noqa: F401  (registers the configuration check)

        not_personal(
            "sso.SsoIdentity",
            "links a staff account to its identity provider (issuer and subject); no customer data",
        )
