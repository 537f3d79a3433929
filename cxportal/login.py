"""The web sign-in, with growing delays after failed attempts — never a lock that others can trigger.

Three counters (``cxportal.throttling.Backoff``), all in the shared cache:

- per (username, address): ``LOGIN_FAILURES_FREE`` failures are free, then each attempt waits 2, 4, 8 … seconds
  (up to ``LOGIN_BACKOFF_MAX_SECONDS``) after the last failure. A success clears this pair only.
- per address, any username (``LOGIN_ADDRESS_FAILURES_FREE``): one address trying many usernames slows down —
  only that address.
- per username, any address (``LOGIN_USERNAME_FAILURES_FREE``): a distributed attack on one account slows down
  the addresses that took part in it (those that failed on that username), never an address that has not
  failed: the person signing in from there is not locked out by the attack.

A refused attempt answers 429 with ``Retry-After``, and its password is not checked. Successful sign-ins
clear nobody else's failures, so signing in to one's own account does not buy more guesses at others.
"""

import hashlib
import math

from django import forms
from django.contrib.admin import site as admin_site
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import ngettext

from cxportal.throttling import (
    LOGIN_BACKOFF_PER_ADDRESS,
    LOGIN_BACKOFF_PER_PAIR,
    LOGIN_BACKOFF_PER_USERNAME,
    client_address,
)


def username_ident(username: str) -> str:
    # Case-folded, so "Manager" and "MANAGER" share one budget; hashed, so any username makes a valid cache key.
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()


class LoginForm(AuthenticationForm):
    """Django's sign-in form; each attempt is counted before the password is checked (see the module)."""

    retry_after: int | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()  # nothing is checked, nothing is counted
        address = client_address(self.request)
        user_ident = username_ident(username)
        pair_ident = f"{user_ident}_{address}"
        counted = []
        waits = []
        for backoff, ident in (
            (LOGIN_BACKOFF_PER_PAIR, pair_ident),
            (LOGIN_BACKOFF_PER_ADDRESS, address),
            (LOGIN_BACKOFF_PER_USERNAME, user_ident),
        ):
            attempt, wait = backoff.attempt(ident)
            counted.append((backoff, attempt))
            if wait is None:
                continue
            if backoff is LOGIN_BACKOFF_PER_USERNAME and LOGIN_BACKOFF_PER_PAIR.failures(pair_ident) <= 1:
                continue  # this address has not failed on this username: the attack elsewhere does not hold it
            waits.append(wait)
        if waits:
            self._undo(counted)  # no password was checked, so this was no failure
            self.retry_after = max(waits)
            raise self._throttled(self.retry_after)
        try:
            cleaned_data = super().clean()
        except forms.ValidationError:
            for backoff, attempt in counted:  # a wrong password or an inactive account: the counts stay
                backoff.failed(attempt)
            raise
        self._undo(counted)
        LOGIN_BACKOFF_PER_PAIR.clear(pair_ident)
        return cleaned_data

    @staticmethod
    def _undo(counted) -> None:
        for backoff, attempt in counted:
            backoff.undo(attempt)

    @staticmethod
    def _throttled(seconds: int) -> forms.ValidationError:
        if seconds < 60:
            message = ngettext(
                "Too many failed sign-ins; try again in %(count)d second.",
                "Too many failed sign-ins; try again in %(count)d seconds.",
                seconds,
            )
            count = seconds
        else:
            count = math.ceil(seconds / 60)
            message = ngettext(
                "Too many failed sign-ins; try again in %(count)d minute.",
                "Too many failed sign-ins; try again in %(count)d minutes.",
                count,
            )
        return forms.ValidationError(message, code="throttled", params={"count": count})


class ThrottledLoginMixin:
    """A refused attempt over the limit answers 429 with ``Retry-After`` (site and admin alike)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "retry_after", None) is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class LoginView(ThrottledLoginMixin, auth_views.LoginView):
    """``accounts/login/``: the password form and, with single sign-on, the provider's button (only the button
    with ``SSO_ONLY``: a posted password is then refused without being checked)."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        from cxportal.sso.views import login_context

        return {**super().get_context_data(**kwargs), **login_context()}

    def post(self, request, *args, **kwargs):
        from cxportal.sso.views import password_sign_in_allowed

        if not password_sign_in_allowed():
            context = self.get_context_data(form=self.get_form_class()(request), password_refused=True)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The same limit on Django's admin sign-in (``/admin/login/``), which also requires a staff account."""


def admin_login(request, extra_context=None):
    """``/admin/login/``: the admin's own sign-in page, answering 429 with ``Retry-After`` like the site; with
    ``SSO_ONLY`` the site's sign-in page instead (no password path around the provider)."""
    from cxportal.sso.views import password_sign_in_allowed

    if not password_sign_in_allowed():
        return redirect_to_login(request.GET.get("next") or "/admin/")
    response = admin_site.login(request, extra_context)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if getattr(form, "retry_after", None) is not None:
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response
