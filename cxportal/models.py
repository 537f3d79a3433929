"""API keys: the integrators' credentials. The secret is shown once and only its SHA-256 is stored."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

API_AREAS = ("journeys", "surveys", "feedback", "metrics", "actions", "webhooks", "reports")
API_VERBS = ("read", "write")
# Areas that can only be read: the audit log (``GET /api/v1/audit-log/``) has a read scope and no write scope.
READ_ONLY_AREAS = ("audit",)
ALL_SCOPES = (
    ("*",)
    + tuple(f"{area}:{verb}" for area in API_AREAS for verb in API_VERBS)
    + tuple(f"{area}:read" for area in READ_ONLY_AREAS)
)
# A department-restricted key works on its department's actions and may read the context it needs
# (maps, KPIs); survey answers and webhooks span every department, so those scopes and ``*`` are refused.
DEPARTMENT_KEY_SCOPES = ("actions:read", "actions:write", "journeys:read", "metrics:read")


class ApiKey(models.Model):
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # A restricted key acts like a member of this department in the actions area. PROTECT: deleting
    # the department must never silently widen the key to every department.
    department = models.ForeignKey(
        "actionplans.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_keys",
        verbose_name=_("department"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def status(self) -> str:
        """``revoked``, ``expired`` or ``active`` (revoked wins: it is the deliberate act)."""
        if self.is_revoked:
            return "revoked"
        return "expired" if self.is_expired else "active"

    def allows(self, area: str, verb: str) -> bool:
        scopes = set(self.scopes)
        if self.department_id is not None:
            # Also holds for scopes given outside api_key_create (e.g. edited in the admin).
            scopes &= set(DEPARTMENT_KEY_SCOPES)
        if "*" in scopes or f"{area}:{verb}" in scopes:
            return True
        # Writing implies reading the same area.
        return verb == "read" and f"{area}:write" in scopes


class IdempotencyRecord(models.Model):
    """The first answer to a ``POST /api/v1/…`` sent with an ``Idempotency-Key``; repeats replay it.

    A row without ``status_code`` is a request still in flight. The unique constraint, not a lookup,
    decides which of two concurrent requests with the same key runs. Rows expire after 24 hours; they
    are purged lazily, whenever a new key is stored (see ``cxportal.api.idempotency.IdempotencyMiddleware``).
    """

    credential = models.CharField(_("credential"), max_length=64, help_text=_("api-key:<id> or user:<id>"))
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.TextField(_("path"))
    request_hash = models.CharField(
        _("request hash"), max_length=64, help_text=_("SHA-256 of method, path, query and body")
    )
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["credential", "key"], name="one_idempotency_key_per_credential")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


class Branding(models.Model):
    """What respondents see of the company (survey pages, invitation e-mails): one row, pk 1.

    Empty fields fall back to the environment (``CX_COMPANY_NAME``, ``CX_ACCENT_COLOR``); see cxportal.branding.
    """

    company_name = models.CharField(_("company name"), max_length=120, blank=True, default="")
    accent_color = models.CharField(_("accent color"), max_length=7, blank=True, default="")
    # The logo re-encoded as a PNG (cxportal.images); small, so it lives in the database and needs no media server.
    logo_png = models.BinaryField(_("logo png"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="branding_single_row")]

    def __str__(self) -> str:
        return self.company_name or "Branding"


class Profile(models.Model):
    """A staff member's own settings: the language of their pages and e-mails (blank: follow the browser), and
    how they hear of alerts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        choices=settings.LANGUAGES,
        help_text=_("Empty: the language your browser asks for."),
    )

    class AlertDelivery(models.TextChoices):
        APP_AND_EMAIL = "email", _("In the app and by e-mail")
        APP = "app", _("In the app only")
        OFF = "off", _("Not at all")

    # How the person hears of each kind of alert (cxportal.alert_delivery).
    target_alerts = models.CharField(
        _("target alerts"), max_length=8, choices=AlertDelivery.choices, default=AlertDelivery.APP_AND_EMAIL
    )
    topic_alerts = models.CharField(
        _("emerging topics"), max_length=8, choices=AlertDelivery.choices, default=AlertDelivery.APP_AND_EMAIL
    )
    # Whether the person gets the daily e-mail of their actions due soon and overdue (actionplans reminders).
    action_digest = models.BooleanField(_("daily e-mail of my actions"), default=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"
