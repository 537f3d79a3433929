"""Settings pages for CX managers: the settings index and API keys (list, create, show once, revoke)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
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

# The raw key waits here between the create POST and the page that shows it; that page pops it.
_SESSION_NEW_KEY = "apikey_new"
_WEBHOOKS_PATH = "/settings/webhooks/"


def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@manager_required
def settings_index(request):
    links = [("API keys", "Keys for integrators: scopes, department, expiry, revoke.", reverse("apikey_list"))]
    if _exists(_WEBHOOKS_PATH):
        links.append(("Webhooks", "Tell other systems when something happens in CX portal.", _WEBHOOKS_PATH))
    if outbox_available():
        description = _("The e-mails this development installation kept instead of sending them.")
        links.append((_("Outbox (development)"), description, reverse("outbox")))
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
            request.session[_SESSION_NEW_KEY] = {"id": api_key.pk, "key": raw_key}
            return redirect("apikey_created", pk=api_key.pk)
    return render(request, "cxportal/apikey_form.html", {"form": form})


@manager_required
@never_cache
def apikey_created(request, pk: int):
    """Shows the raw key once: it leaves the session on this read, so a reload no longer has it."""
    api_key = get_object_or_404(ApiKey, pk=pk)
    secret = request.session.get(_SESSION_NEW_KEY)
    raw_key = None
    if secret and secret.get("id") == api_key.pk:
        raw_key = secret["key"]
        del request.session[_SESSION_NEW_KEY]
    return render(request, "cxportal/apikey_created.html", {"api_key": api_key, "raw_key": raw_key})


@manager_required
@require_http_methods(["GET", "POST"])
def apikey_revoke(request, pk: int):
    api_key = get_object_or_404(api_keys_list(), pk=pk)
    if request.method == "POST":
        if api_key.is_revoked:
            messages.info(request, f"The key “{api_key.name}” was already revoked.")
        else:
            api_key_revoke(api_key=api_key)
            messages.success(request, f"The key “{api_key.name}” is revoked; requests with it now get 401.")
        return redirect("apikey_list")
    return render(request, "cxportal/apikey_revoke.html", {"api_key": api_key})
