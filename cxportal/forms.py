"""Forms of the project-wide settings pages (API keys)."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cxportal.apikeys import expiry_of
from cxportal.models import API_AREAS, DEPARTMENT_KEY_SCOPES, READ_ONLY_AREAS, ApiKey

_VERB_LABELS = {"read": _("read"), "write": _("write (includes read)")}


# What each area of the API is called on the page (the scope itself, e.g. ``feedback:read``, stays as is).
AREA_LABELS = {
    "all": _("All areas"),
    "journeys": _("Journey maps"),
    "surveys": _("Surveys"),
    "feedback": _("Voice"),
    "metrics": _("KPIs"),
    "actions": _("Actions"),
    "webhooks": _("Webhooks"),
    "reports": _("Reports"),
    "audit": _("Audit log"),
}


def _scope_choices() -> list[tuple[str, str]]:
    choices = [("*", _("everything: every area, read and write"))]
    choices += [(f"{area}:{verb}", _VERB_LABELS[verb]) for area in API_AREAS for verb in _VERB_LABELS]
    choices += [(f"{area}:read", _VERB_LABELS["read"]) for area in READ_ONLY_AREAS]
    return choices


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Who or what uses the key, e.g. “CRM sync”."))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=_scope_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )
    department = forms.ModelChoiceField(
        queryset=ApiKey._meta.get_field("department").related_model.objects.order_by("name"),
        required=False,
        label=_("Department"),
        empty_label=_("All departments (unrestricted)"),
        help_text=format_lazy(
            _("A restricted key sees only that department's actions and may have only {scopes}."),
            scopes=", ".join(DEPARTMENT_KEY_SCOPES),
        ),
    )
    expires_on = forms.DateField(
        required=False,
        label=_("Expires after"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: the last day the key works (site time zone). Empty: until revoked."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day

    def scope_groups(self) -> list[tuple[str, list]]:
        """The scope checkboxes grouped for the page under the area's name: ``*`` first, then read/write per
        area."""
        groups: dict[str, list] = {}
        for checkbox in self["scopes"]:
            value = checkbox.data["value"]
            area = "all" if value == "*" else value.split(":")[0]
            groups.setdefault(area, []).append(checkbox)
        return [(AREA_LABELS.get(area, area), checkboxes) for area, checkboxes in groups.items()]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        expires_on = data.get("expires_on")
        return {
            "name": data["name"],
            "scopes": data["scopes"],
            "department": data.get("department"),
            "expires_at": expiry_of(expires_on) if expires_on else None,
        }
