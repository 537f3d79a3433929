from django import forms

from cxportal.webhooks.models import EVENT_TYPES


class WebhookSubscriptionForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="For you: what receives these events, e.g. “CRM sync”.")
    # Checked by the service (http/https, and a public address unless the operator allows private ones).
    url = forms.CharField(
        label="URL",
        max_length=2000,
        help_text="The http(s) address the events are POSTed to.",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/cx-webhook"}),
    )
    events = forms.MultipleChoiceField(
        choices=[(name, f"{name} — {meaning}") for name, meaning in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True, help_text="Inactive subscriptions receive nothing."
    )
