"""Why a single sign-on was refused, in words the person can act on."""

from django.conf import settings
from django.utils.translation import gettext as _


class SsoRefused(Exception):
    """A sign-in through the provider that does not go through; ``code`` names the reason (see ``message``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# The HTTP status of each refusal's page: the person's request was fine, the provider or the claims were not.
STATUS = {
    "state": 400,
    "provider_error": 403,
    "expired": 400,
    "token": 400,
    "issuer": 400,
    "claims": 400,
    "no_role": 403,
    "inactive": 403,
    "unreachable": 502,
}


def message(code: str, *, provider: str) -> str:
    messages = {
        "state": _(
            "This sign-in could not be matched to the one you started (it was used already, or started in "
            "another browser or tab). Please sign in again."
        ),
        "provider_error": _("%(provider)s did not sign you in. Please try again or ask your administrator."),
        "expired": _("The sign-in from %(provider)s has expired. Please sign in again."),
        "token": _("The answer from %(provider)s could not be verified, so you were not signed in."),
        "issuer": _("The sign-in came from an identity provider that CX portal does not trust."),
        "claims": _("%(provider)s did not tell CX portal who you are (no user id), so you were not signed in."),
        "no_role": _(
            "Your account at %(provider)s is in no group that gives access to CX portal, so no CX portal "
            "account was created. Ask your administrator to add you to a CX portal group."
        ),
        "inactive": _("Your CX portal account is deactivated. Ask a CX manager."),
        "unreachable": _("%(provider)s cannot be reached right now. Please try again in a few minutes."),
    }
    return messages.get(code, messages["token"]) % {"provider": provider}


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME or _("your organisation's sign-in")
