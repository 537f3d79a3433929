"""mozilla-django-oidc's backend, stricter: the ID token's issuer, audience and expiry are checked, the person is
found by issuer + subject (``SsoIdentity``), and roles come from ``OIDC_ROLE_MAP`` (``cxportal.sso.services``).

Why mozilla-django-oidc: it does one thing (the OpenID Connect code flow for Django, with PKCE) in a small
codebase we can read and subclass; django-allauth would bring its own account pages and sign-up flows
that CX portal does not want next to its own login.
"""

import jwt
from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cxportal.sso.errors import SsoRefused
from cxportal.sso.services import sso_user_sign_in


class SsoBackend(OIDCAuthenticationBackend):
    def verify_token(self, token, **kwargs):
        """The token's claims, once its signature, algorithm, issuer, audience, expiry and nonce hold."""
        try:
            algorithm = jwt.get_unverified_header(token or "").get("alg")
        except jwt.InvalidTokenError as exc:
            raise SsoRefused("token", "not a JWT") from exc
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SsoRefused("token", f"algorithm {algorithm!r}")
        if self.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES", "PS")):
            key = self.OIDC_RP_IDP_SIGN_KEY or self.retrieve_matching_jwk(token)
        else:
            key = self.OIDC_RP_CLIENT_SECRET
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "sub", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SsoRefused("expired") from exc
        except jwt.InvalidIssuerError as exc:
            raise SsoRefused("issuer") from exc
        except jwt.InvalidTokenError as exc:
            raise SsoRefused("token", str(exc)) from exc
        if "nonce" in kwargs and self.get_settings("OIDC_USE_NONCE", True) and payload.get("nonce") != kwargs["nonce"]:
            raise SsoRefused("token", "nonce")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        if not self.OIDC_OP_USER_ENDPOINT:
            return {}
        return super().get_userinfo(access_token, id_token, payload)

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") not in (None, payload["sub"]):
            raise SsoRefused("token", "userinfo is about someone else")
        claims = {**payload, **userinfo}
        user = sso_user_sign_in(issuer=payload["iss"], claims=claims)
        self.request.cx_sign_in_via = {"via": "sso", "issuer": payload["iss"]}
        return user
