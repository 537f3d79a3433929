"""Forms of the exchange pages: importing a journey map."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journeys.models import JourneyMap


class JourneyMapImportForm(forms.Form):
    file = forms.FileField(
        label=_("Journey map file (JSON)"),
        help_text=_("A file exported from CX portal (Export JSON), at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )
    name = forms.CharField(
        label=_("Name of the new map"),
        required=False,
        max_length=JourneyMap._meta.get_field("name").max_length,
        help_text=_("Leave empty to keep the name in the file."),
    )
