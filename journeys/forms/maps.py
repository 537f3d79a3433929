from django import forms

from journeys.models import JourneyMap, Stage, Touchpoint
from journeys.stage_templates import STAGE_TEMPLATES


class JourneyMapForm(forms.ModelForm):
    stage_template = forms.ChoiceField(
        label="Start with stages", choices=[(k, v[0]) for k, v in STAGE_TEMPLATES.items()], initial="classic"
    )

    class Meta:
        model = JourneyMap
        fields = ["name", "kind", "personas", "goal", "scope", "review_cadence_days"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 2})}


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TouchpointForm(forms.ModelForm):
    class Meta:
        model = Touchpoint
        fields = [
            "name",
            "channel",
            "description",
            "customer_action",
            "thoughts",
            "emotion_score",
            "is_moment_of_truth",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "customer_action": forms.Textarea(attrs={"rows": 2}),
            "thoughts": forms.Textarea(attrs={"rows": 2}),
            "emotion_score": forms.NumberInput(attrs={"min": -3, "max": 3}),
        }
