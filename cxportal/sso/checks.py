"""A wrong ``OIDC_ROLE_MAP`` is found when the site starts (``manage.py check``), not at someone's first sign-in."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from cxportal.sso.mapping import role_map


@checks.register()
def role_map_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        role_map()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="sso.E001")]
    return []
