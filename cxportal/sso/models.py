"""Which person at which identity provider a CX portal account belongs to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SsoIdentity(models.Model):
    """An account's identity at an OpenID Connect provider: issuer + subject, never the e-mail address.

    The subject (``sub``) is the provider's stable id for a person, so a changed e-mail address or name at the
    provider updates the same account instead of creating a second one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities", verbose_name=_("user")
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique_subject")]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.subject}"
