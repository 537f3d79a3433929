from django.contrib import admin

from cxportal.sso.models import SsoIdentity


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    """Which account belongs to which person at the provider. Deleting a row unlinks the account: the person's
    next sign-in through the provider then creates a new account (or links by e-mail with OIDC_LINK_BY_EMAIL)."""

    list_display = ["user", "issuer", "subject", "created_at", "last_sign_in_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "issuer", "subject", "created_at", "last_sign_in_at"]

    def has_add_permission(self, request):
        return False  # made by the first sign-in through the provider
