"""API keys: the integrators' credentials. The secret is shown once and only its SHA-256 is stored."""

from django.conf import settings
from django.db import models
from django.utils import timezone

API_AREAS = ("journeys", "surveys", "metrics", "actions")
API_VERBS = ("read", "write")
ALL_SCOPES = ("*",) + tuple(f"{area}:{verb}" for area in API_AREAS for verb in API_VERBS)


class ApiKey(models.Model):
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, area: str, verb: str) -> bool:
        scopes = set(self.scopes)
        if "*" in scopes or f"{area}:{verb}" in scopes:
            return True
        # Writing implies reading the same area.
        return verb == "read" and f"{area}:write" in scopes
