from django import forms
from django.contrib.auth import get_user_model

from actionplans.models import Action, ActionPlan, Comment, Department, Milestone
from journeys.models import JourneyMap, Opportunity, PainPoint
from journeys.selectors import touchpoint_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ServiceValidated(forms.ModelForm):
    def _post_clean(self):
        # Validation beyond the fields' shape is the service's job (owner in department, dates, links).
        pass


class DepartmentForm(_ServiceValidated):
    class Meta:
        model = Department
        fields = ["name", "lead", "members", "contact_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["lead"].queryset = users
        self.fields["members"].queryset = users
        self.fields["members"].widget = forms.CheckboxSelectMultiple(choices=self.fields["members"].choices)


class ActionPlanForm(_ServiceValidated):
    class Meta:
        model = ActionPlan
        fields = ["name", "journey_map", "goal", "period_start", "period_end", "owner"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3}), "period_start": DATE, "period_end": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journey_map"].queryset = JourneyMap.objects.order_by("name")
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")


class ActionForm(_ServiceValidated):
    """Everything a CX manager sets on an action (status and progress only when editing)."""

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "plan",
            "department",
            "owner",
            "pain_point",
            "opportunity",
            "touchpoint",
            "kpi",
            "scope_type",
            "scope_key",
            "target_value",
            "impact",
            "effort",
            "resources",
            "start_date",
            "due_date",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE,
            "due_date": DATE,
        }
        help_texts = {
            "impact": "1 (small) – 5 (large); 4 and 5 count as high.",
            "effort": "1 (little) – 5 (a lot); 4 and 5 count as high.",
        }

    def __init__(self, *args, with_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["plan"].queryset = ActionPlan.objects.order_by("name")
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["touchpoint"].queryset = touchpoint_choices()
        self.fields["pain_point"].queryset = PainPoint.objects.select_related("journey_map").order_by(
            "journey_map__name", "id"
        )
        self.fields["opportunity"].queryset = Opportunity.objects.select_related("journey_map").order_by(
            "journey_map__name", "id"
        )
        for name in ("impact", "effort"):
            self.fields[name].required = False
        if with_status:
            self.fields["status"] = forms.ChoiceField(choices=Action.Status.choices)
            self.fields["progress"] = forms.IntegerField(min_value=0, max_value=100)

    def clean(self):
        cleaned = super().clean()
        for name in ("impact", "effort"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 3
        return cleaned


class ActionStatusForm(_ServiceValidated):
    """What a department member may change: status and progress."""

    class Meta:
        model = Action
        fields = ["status", "progress"]
        widgets = {"progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5})}


class MilestoneForm(_ServiceValidated):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE}


class CommentForm(_ServiceValidated):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": "Comment"}
