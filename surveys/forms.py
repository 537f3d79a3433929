from django import forms

from journeys.models import Language, Persona
from journeys.selectors import touchpoint_choices


class TouchpointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.stage.journey_map.name} › {obj.stage.name} › {obj.name}"


class NpsSurveyForm(forms.Form):
    title = forms.CharField(max_length=200)
    touchpoint = TouchpointChoiceField(
        queryset=touchpoint_choices(), required=False, help_text="The touchpoint this survey measures."
    )
    language = forms.ChoiceField(choices=Language.choices)
    ask_reason = forms.BooleanField(label="Also ask for the reason of the score", required=False, initial=True)


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=200)
    persona = forms.ModelChoiceField(
        queryset=Persona.objects.all(),
        required=False,
        empty_label="All customers",
        help_text="Invite this persona's customers.",
    )
    reminder_after_days = forms.IntegerField(
        required=False, min_value=1, max_value=60, label="Remind non-responders after (days)"
    )
    max_reminders = forms.IntegerField(required=False, min_value=0, max_value=3, initial=0, label="At most … reminders")
    send_at = forms.DateTimeField(
        required=False,
        label="Send at",
        help_text="Leave empty to send now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
