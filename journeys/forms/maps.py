"""Forms of the map workbench. They check the shape of the input; the services check the rules.

Edit forms are bound without ``instance`` (with ``initial`` from the object instead), so validating
a form never changes the object the service compares against.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from journeys.models import TOUCHPOINT_CONTENT_FIELDS, JourneyMap, Lane, Opportunity, PainPoint, Stage, Touchpoint
from journeys.stage_templates import STAGE_TEMPLATES


class JourneyMapForm(forms.ModelForm):
    stage_template = forms.ChoiceField(
        label=_("Start with stages"), choices=[(k, v[0]) for k, v in STAGE_TEMPLATES.items()], initial="classic"
    )

    class Meta:
        model = JourneyMap
        fields = ["name", "kind", "personas", "goal", "scope", "review_cadence_days"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 2})}


class JourneyMapEditForm(forms.ModelForm):
    class Meta:
        model = JourneyMap
        fields = ["name", "kind", "status", "personas", "goal", "scope", "review_cadence_days"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 2})}


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


TOUCHPOINT_FORM_FIELDS = list(TOUCHPOINT_CONTENT_FIELDS)
TOUCHPOINT_WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 2}),
    "customer_action": forms.Textarea(attrs={"rows": 2}),
    "thoughts": forms.Textarea(attrs={"rows": 2}),
    "emotion_score": forms.NumberInput(attrs={"min": -3, "max": 3}),
}


class TouchpointForm(forms.ModelForm):
    class Meta:
        model = Touchpoint
        fields = TOUCHPOINT_FORM_FIELDS
        widgets = TOUCHPOINT_WIDGETS


class TouchpointEditForm(forms.ModelForm):
    """All fields of a touchpoint, plus its stage (another stage of the same map moves it there)."""

    class Meta:
        model = Touchpoint
        fields = ["stage", *TOUCHPOINT_FORM_FIELDS]
        widgets = TOUCHPOINT_WIDGETS

    def __init__(self, *args, journey_map: JourneyMap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = journey_map.stages.order_by("position", "id")


class TouchpointMoveForm(forms.Form):
    """Where a touchpoint card goes: ``offset`` places within its stage, or into ``stage`` (at ``position``)."""

    stage = forms.ModelChoiceField(
        queryset=Stage.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Stage %(value)s is not a stage of this map.")},
    )
    offset = forms.IntegerField(required=False, error_messages={"invalid": _("Give the offset as a whole number.")})
    position = forms.IntegerField(required=False, error_messages={"invalid": _("Give the position as a whole number.")})

    def __init__(self, *args, journey_map: JourneyMap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = journey_map.stages.all()


class LaneForm(forms.ModelForm):
    class Meta:
        model = Lane
        fields = ["kind", "name"]
        labels = {"name": _("Name (empty: named after the kind)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False


class LaneRenameForm(forms.Form):
    name = forms.CharField(label=_("Lane name"), max_length=120)


class CellForm(forms.Form):
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class _FindingForm(forms.ModelForm):
    """Stage and touchpoint are limited to the map; a touchpoint alone places the finding in its stage."""

    def __init__(self, *args, journey_map: JourneyMap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = journey_map.stages.order_by("position", "id")
        self.fields["stage"].empty_label = _("— whole map —")
        self.fields["touchpoint"].queryset = Touchpoint.objects.filter(stage__journey_map=journey_map).select_related(
            "stage"
        )
        self.fields["touchpoint"].label_from_instance = lambda tp: f"{tp.stage.name}: {tp.name}"
        self.fields["touchpoint"].empty_label = _("— none —")


FINDING_WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 2}),
    "evidence": forms.Textarea(attrs={"rows": 2}),
}


class PainPointForm(_FindingForm):
    class Meta:
        model = PainPoint
        fields = ["title", "severity", "stage", "touchpoint", "description", "evidence", "source"]
        widgets = {**FINDING_WIDGETS, "severity": forms.NumberInput(attrs={"min": 1, "max": 5})}


class OpportunityForm(_FindingForm):
    class Meta:
        model = Opportunity
        fields = ["title", "impact", "effort", "stage", "touchpoint", "description", "evidence", "source"]
        widgets = {
            **FINDING_WIDGETS,
            "impact": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "effort": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }
