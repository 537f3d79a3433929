"""Settings pages for CX managers: the settings index and API keys (list, create, show once, revoke)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cxportal.apikeys import api_key_create, api_key_revoke, api_keys_list
from cxportal.errors import form_add_errors
from cxportal.forms import ApiKeyForm
from cxportal.models import ApiKey
from cxportal.navigation import outbox_available
from cxportal.roles import manager_required

# The raw key travels from the create POST to the page that shows it in a signed cookie that lives a few
# minutes, is sent only to that page and is deleted there: nothing on the server (session, database, the URL in
# access logs) ever holds it.
NEW_KEY_COOKIE = "cx_new_api_key"
NEW_KEY_SALT = "cxportal.apikey-created"
NEW_KEY_MAX_AGE = 5 * 60
_WEBHOOKS_PATH = "/settings/webhooks/"


def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@manager_required
def settings_index(request):
    links = [(_("API keys"), _("Keys for integrators: scopes, department, expiry, revoke."), reverse("apikey_list"))]
    if _exists(_WEBHOOKS_PATH):
        links.append((_("Webhooks"), _("Tell other systems when something happens in CX portal."), _WEBHOOKS_PATH))
    links.append(
        (
            _("Audit log"),
            _("Who changed what and when, and every sign-in; with filters and CSV export."),
            reverse("audit_log"),
        )
    )
    if outbox_available():
        description = _("The e-mails this development installation kept instead of sending them.")
        links.append((_("Outbox (development)"), description, reverse("outbox")))
    links.append(
        (
            _("Branding"),
            _("Company name, logo and accent colour respondents see on survey pages and in invitations."),
            reverse("branding_edit"),
        )
    )
    return render(request, "cxportal/settings.html", {"links": links})


@manager_required
def apikey_list(request):
    return render(request, "cxportal/apikey_list.html", {"api_keys": api_keys_list()})


@manager_required
@require_http_methods(["GET", "POST"])
def apikey_create(request):
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, raw_key = api_key_create(created_by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            response = redirect("apikey_created", pk=api_key.pk)
            response.set_signed_cookie(
                NEW_KEY_COOKIE,
                f"{api_key.pk}:{raw_key}",
                salt=NEW_KEY_SALT,
                max_age=NEW_KEY_MAX_AGE,
                path=reverse("apikey_created", args=[api_key.pk]),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Strict",
            )
            return response
    return render(request, "cxportal/apikey_form.html", {"form": form})


@manager_required
@never_cache
def apikey_created(request, pk: int):
    """Shows the raw key once, from the signed short-lived cookie of the create step, and deletes the cookie."""
    api_key = get_object_or_404(ApiKey, pk=pk)
    path = reverse("apikey_created", args=[api_key.pk])
    try:
        value = request.get_signed_cookie(NEW_KEY_COOKIE, salt=NEW_KEY_SALT, max_age=NEW_KEY_MAX_AGE)
    except (KeyError, BadSignature):
        value = ""
    key_id, _sep, raw_key = value.partition(":")
    if key_id != str(api_key.pk) or not raw_key:
        raw_key = None
    response = render(request, "cxportal/apikey_created.html", {"api_key": api_key, "raw_key": raw_key})
    response.delete_cookie(NEW_KEY_COOKIE, path=path, samesite="Strict")
    return response


@manager_required
@require_http_methods(["GET", "POST"])
def apikey_revoke(request, pk: int):
    api_key = get_object_or_404(api_keys_list(), pk=pk)
    if request.method == "POST":
        if api_key.is_revoked:
            messages.info(request, _("The key “%(name)s” was already revoked.") % {"name": api_key.name})
        else:
            api_key_revoke(api_key=api_key)
            messages.success(
                request, _("The key “%(name)s” is revoked; requests with it now get 401.") % {"name": api_key.name}
            )
        return redirect("apikey_list")
    return render(request, "cxportal/apikey_revoke.html", {"api_key": api_key})
