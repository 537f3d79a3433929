"""The shape of the report form; the rules are in services/definitions.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from actionplans.models import Department
from journeys.models import JourneyMap, Persona
from reports.models import ReportDefinition
from reports.sections import SECTION_CHOICES


class ReportForm(forms.ModelForm):
    sections = forms.MultipleChoiceField(
        label=_("Sections"), choices=SECTION_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    users = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=get_user_model().objects.filter(is_active=True).exclude(email="").order_by("username"),
        required=False,
        help_text=_("They receive the report in the language of their profile, else in the report's language."),
    )
    addresses = forms.CharField(
        label=_("Further addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, optionally followed by a language: “board@example.com de”."),
    )

    class Meta:
        model = ReportDefinition
        fields = [
            "name",
            "journey_map",
            "persona",
            "channel",
            "department",
            "department_audience",
            "rhythm",
            "weekday",
            "day_of_month",
            "send_time",
            "language",
        ]
        widgets = {"send_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journey_map"].queryset = JourneyMap.objects.order_by("name")
        self.fields["persona"].queryset = Persona.objects.order_by("name")
        self.fields["department"].queryset = Department.objects.order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["sections"] = self.instance.sections
            recipients = list(self.instance.recipients.all())
            self.initial["users"] = [r.user_id for r in recipients if r.user_id]
            self.initial["addresses"] = "\n".join(
                f"{r.email} {r.language}".strip() for r in recipients if not r.user_id
            )
