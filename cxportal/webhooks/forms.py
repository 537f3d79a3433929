from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cxportal.webhooks.models import EVENT_TYPES


class WebhookSubscriptionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("For you: what receives these events, e.g. “CRM sync”.")
    )
    # Checked by the service (http/https, and a public address unless the operator allows private ones).
    url = forms.CharField(
        label=_("URL"),
        max_length=2000,
        help_text=_("The http(s) address the events are POSTed to."),
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/cx-webhook"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(name, format_lazy("{} — {}", name, meaning)) for name, meaning in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("Inactive subscriptions receive nothing.")
    )
