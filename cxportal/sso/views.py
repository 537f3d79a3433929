"""The sign-in through the provider (start and callback), its refusal page, and sign-out at the provider too."""

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import View
from mozilla_django_oidc.utils import absolutify
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from cxportal import audit
from cxportal.sso.errors import STATUS, SsoRefused, message, provider_name

logger = logging.getLogger(__name__)


def sso_enabled() -> bool:
    return bool(settings.OIDC_ENABLED)


def password_sign_in_allowed() -> bool:
    return not (sso_enabled() and settings.SSO_ONLY)


def login_context() -> dict:
    """What the login page needs to offer the provider's button (and whether to offer the password form)."""
    return {
        "sso_enabled": sso_enabled(),
        "sso_provider_name": provider_name(),
        "password_sign_in": password_sign_in_allowed(),
    }


class StartView(OIDCAuthenticationRequestView):
    """``accounts/sso/start/``: off (404) unless SSO is configured; then to the provider with state, nonce
    and a PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the parent reads the endpoints here; they exist only when SSO is on

    def get(self, request):
        if not sso_enabled():
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """``accounts/sso/callback/``: the provider's answer; any refusal is a page that says why."""

    def get(self, request):
        if not sso_enabled():
            raise Http404
        states = request.session.get("oidc_states") or {}
        if request.GET.get("error"):
            return self.refuse("provider_error", request.GET.get("error", ""))
        if "code" not in request.GET or request.GET.get("state") not in states:
            return self.refuse("state")
        try:
            return super().get(request)
        except SsoRefused as exc:
            return self.refuse(exc.code, exc.detail)
        except SuspiciousOperation as exc:
            return self.refuse("token", str(exc))
        except requests.HTTPError as exc:
            status = getattr(exc.response, "status_code", 0) or 0
            # 4xx from the token endpoint: the code or the PKCE verifier was refused; 5xx: the provider is down.
            return self.refuse("unreachable" if status >= 500 else "token", str(exc))
        except (requests.ConnectionError, requests.Timeout) as exc:
            return self.refuse("unreachable", str(exc))

    def login_failure(self):
        return self.refuse("inactive" if getattr(self, "user", None) else "token")

    def refuse(self, code: str, detail: str = ""):
        logger.info("single sign-on refused: %s %s", code, detail)
        if self.request.user.is_authenticated:
            auth.logout(self.request)
        audit.sign_in_failed_entry(request=self.request, username="", reason=f"sso:{code}")
        context = {
            "message": message(code, provider=provider_name()),
            "code": code,
            "password_sign_in": password_sign_in_allowed(),
        }
        return render(self.request, "sso/refused.html", context, status=STATUS.get(code, 400))


def provider_logout_url(request) -> str | None:
    """The provider's end-session address for this session's sign-in, or None (no SSO, or no endpoint)."""
    id_token = request.session.get("oidc_id_token")
    if not (sso_enabled() and settings.OIDC_OP_LOGOUT_ENDPOINT and id_token):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": absolutify(request, reverse("login")),
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"


class LogoutView(auth_views.LogoutView):
    """``accounts/logout/``: Django's sign-out; after an SSO sign-in also the provider's (end_session)."""

    def post(self, request, *args, **kwargs):
        provider_url = provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        if provider_url:
            return HttpResponseRedirect(provider_url)
        return response
