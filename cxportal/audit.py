"""The audit log: who changed what, when and from where — staff changes across the product and sign-ins.

Built on django-auditlog: each model below is registered, so every save and delete through the UI, the API,
the admin or a service writes a ``LogEntry`` with the fields' old and new values. The acting person comes from
the request (``AuditMiddleware``); an API key is named in ``additional_data`` (``{"api_key": prefix,
"api_key_name": name}``) because it is not a person; the address is the client's behind ``TRUSTED_PROXIES``
(``cxportal.clientip``). Sign-ins and failed sign-ins are entries of their own (``action`` *access*, the user
model, ``additional_data["event"]``). Entries are read-only in the product: the page, the API and the admin
offer no way to change or delete them; only the retention job (``cxportal.retention``) removes old ones.
"""

import ipaddress

from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.contenttypes.models import ContentType

from cxportal.clientip import client_ip

# Model label → django-auditlog registration options. Secrets are never stored, not even masked.
AUDITED_MODELS = {
    "journeys.Persona": {},
    "journeys.JourneyMap": {"m2m_fields": {"personas"}},
    "journeys.Stage": {},
    "journeys.Touchpoint": {},
    "journeys.Lane": {},
    "journeys.Finding": {},
    "surveys.Survey": {},
    "surveys.Question": {},
    "surveys.Campaign": {},
    "surveys.PrivacyRequest": {},
    "voice.Topic": {"exclude_fields": ["terms", "count"]},
    "metrics.KpiTarget": {},
    "actionplans.Department": {"m2m_fields": {"members"}},
    "actionplans.ActionPlan": {},
    "actionplans.Action": {},
    "actionplans.Milestone": {},
    "actionplans.TouchpointOwnership": {},
    "actionplans.FollowUpRule": {},
    "reports.ReportDefinition": {},
    "reports.ReportRecipient": {},
    "actionplans.ChurnRiskRule": {},
    "cxportal.ApiKey": {"exclude_fields": ["key_hash", "last_used_at"]},
    "cxportal.Profile": {},
    "cxportal.Branding": {"exclude_fields": ["logo_png"]},  # binary: "the logo changed" shows as updated_at
    "webhooks.WebhookSubscription": {"exclude_fields": ["secret"]},
    "sso.SsoIdentity": {"exclude_fields": ["last_sign_in_at"]},  # sign-ins are entries of their own
    "auth.User": {"exclude_fields": ["password", "last_login"], "m2m_fields": {"groups"}},
}

SIGN_IN, SIGN_IN_FAILED = "sign_in", "sign_in_failed"


def register() -> None:
    """Register the audited models (``CxportalConfig.ready``); models of apps not installed are skipped."""
    for label, options in AUDITED_MODELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if not auditlog.contains(model):
            auditlog.register(model, **options)
    user_logged_in.connect(_signed_in, dispatch_uid="cxportal.audit.signed_in")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="cxportal.audit.sign_in_failed")


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, with the client address read the way the rest of the product reads it
    (a forged ``X-Forwarded-For`` from an untrusted client does not name the address)."""

    @staticmethod
    def _get_remote_addr(request):
        return _address_or_none(request)

    @staticmethod
    def _get_remote_port(request):
        return None


def _address_or_none(request) -> str | None:
    """The client address for the log's address column, or None when there is none that is an address (a
    request built without ``REMOTE_ADDR`` yields "unknown", which PostgreSQL's inet column refuses)."""
    if request is None:
        return None
    text = client_ip(request)
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def note_api_key(api_key) -> None:
    """Name the API key that authenticated this request on the entries it writes (called on authentication)."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["additional_data"] = {"api_key": api_key.prefix, "api_key_name": api_key.name}


def _sign_in_entry(*, request, user, event: str, username: str, extra: dict | None = None) -> None:
    user_model = get_user_model()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(user_model),
        object_pk=str(user.pk) if user is not None else "",
        object_id=user.pk if user is not None else None,
        object_repr=username[:200],
        action=LogEntry.Action.ACCESS,
        actor=user,
        actor_email=getattr(user, "email", None) or None,
        remote_addr=_address_or_none(request),
        additional_data={"event": event, **(extra or {})},
    )


def _signed_in(sender, request, user, **kwargs):
    # A sign-in through the identity provider says so (``{"via": "sso", "issuer": …}``, cxportal/sso/backend.py).
    extra = getattr(request, "cx_sign_in_via", None)
    _sign_in_entry(request=request, user=user, event=SIGN_IN, username=user.get_username(), extra=extra)


def sign_in_failed_entry(*, request, username: str, reason: str) -> None:
    """A refused sign-in that Django's ``user_login_failed`` does not see (a single sign-on refused by us)."""
    _sign_in_entry(request=request, user=None, event=SIGN_IN_FAILED, username=username or "?", extra={"reason": reason})


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # A failed attempt is not the account's act: no actor, only the name that was tried.
    username = str(credentials.get("username") or "")
    _sign_in_entry(request=request, user=None, event=SIGN_IN_FAILED, username=username or "?")
