from django.contrib import admin

from cxportal.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "scopes", "department", "created_at", "last_used_at", "expires_at", "revoked_at"]
    # Clearing the department would widen a restricted key to every department, and revoking is final:
    # both are decided at creation / by revoking under Settings → API keys.
    readonly_fields = ["prefix", "key_hash", "department", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False  # keys are created by `create_api_key`, which shows the secret once
