"""The web sign-in, with a limit on failed attempts per client address and per username.

``LOGIN_FAILURE_RATE`` (e.g. ``10/15min``) holds for each client address and, separately, for each
username, so neither one address trying many usernames nor many addresses trying one username gets
further. Beyond it the page answers 429 with the wait, without checking the password. A successful
sign-in takes back only its own attempt: it clears nobody's failures, so signing in to one's own account
in between does not buy more guesses at others.
"""

import hashlib
import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import ngettext

from cxportal.throttling import LOGIN_FAILURES_PER_ADDRESS, LOGIN_FAILURES_PER_USERNAME, client_address


def username_ident(username: str) -> str:
    # Case-folded, so "Manager" and "MANAGER" share one budget; hashed, so any username makes a valid cache key.
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()


class LoginForm(AuthenticationForm):
    """Django's sign-in form; each attempt is counted as a failure before the password is checked.

    Counting first (an atomic increment) means parallel attempts cannot all pass a check made before any
    of them failed; a successful sign-in then takes its own count back.
    """

    retry_after: int | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()  # nothing is checked, nothing is counted
        hits = [
            LOGIN_FAILURES_PER_ADDRESS.hit(client_address(self.request)),
            LOGIN_FAILURES_PER_USERNAME.hit(username_ident(username)),
        ]
        waits = [hit.retry_after for hit in hits if hit is not None and hit.retry_after is not None]
        if waits:
            self._undo(hits)  # no password was checked, so this was no failure
            self.retry_after = max(waits)
            minutes = math.ceil(self.retry_after / 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many failed sign-ins; try again in %(minutes)d minute.",
                    "Too many failed sign-ins; try again in %(minutes)d minutes.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        cleaned_data = super().clean()  # raises for a wrong password or an inactive account: the count stays
        self._undo(hits)
        return cleaned_data

    @staticmethod
    def _undo(hits) -> None:
        LOGIN_FAILURES_PER_ADDRESS.undo(hits[0])
        LOGIN_FAILURES_PER_USERNAME.undo(hits[1])


class LoginView(auth_views.LoginView):
    """``accounts/login/``: a refused attempt over the limit answers 429 with ``Retry-After``."""

    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The same limit on Django's admin sign-in (``/admin/login/``), which also requires a staff account."""
