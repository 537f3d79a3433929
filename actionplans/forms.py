from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, pgettext_lazy

from actionplans.models import Action, ActionPlan, Comment, Department, FollowUpRule, Milestone
from actionplans.selectors.closed_loop import PULSE_IN_DAYS
from journeys.models import JourneyMap, Opportunity, PainPoint
from journeys.selectors import touchpoint_choices
from metrics.selectors.scopes import scope_choice_split, scope_choice_value, scope_choices
from surveys.scales import NPS_DETRACTOR_MAX

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
            "impact": gettext_lazy("1 (small) – 5 (large); 4 and 5 count as high."),
            "effort": gettext_lazy("1 (little) – 5 (a lot); 4 and 5 count as high."),
        }

    # Where the KPI is measured: one grouped picker of names; the service still gets scope_type + scope_key.
    kpi_scope = forms.ChoiceField(
        label=gettext_lazy("Where the KPI is measured"),
        required=False,
        help_text=gettext_lazy("The whole company, or one journey map, stage, touchpoint, persona, channel or survey."),
    )
    field_order = [*Meta.fields[: Meta.fields.index("kpi") + 1], "kpi_scope"]

    def __init__(self, *args, with_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi_scope"].choices = [("", "–"), *scope_choices()]
        if self.instance.pk and (self.instance.kpi or self.instance.scope_type):
            self.initial.setdefault("kpi_scope", scope_choice_value(self.instance.scope_type, self.instance.scope_key))
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
        if "kpi_scope" in cleaned:
            cleaned["scope_type"], cleaned["scope_key"] = scope_choice_split(cleaned.pop("kpi_scope"))
        return cleaned

    def add_error(self, field, error):
        # The service names scope_type/scope_key; on this form both are the one picker.
        if field in ("scope_type", "scope_key"):
            field = "kpi_scope"
        elif isinstance(error, dict):
            error = {("kpi_scope" if f in ("scope_type", "scope_key") else f): e for f, e in error.items()}
        super().add_error(field, error)


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
        labels = {"body": gettext_lazy("Comment")}


class FollowUpRuleForm(forms.Form):
    enabled = forms.BooleanField(required=False, label=gettext_lazy("Open a follow-up action for each detractor"))
    department = forms.ModelChoiceField(
        Department.objects.all(),
        required=False,
        label=pgettext_lazy("closed loop", "Department"),
        empty_label=gettext_lazy("The department that owns the touchpoint"),
        help_text=gettext_lazy("Who follows up. Empty: the touchpoint's owning department."),
    )
    due_in_days = forms.IntegerField(min_value=1, max_value=365, label=gettext_lazy("Due in (days)"))
    threshold = forms.IntegerField(
        min_value=0,
        max_value=FollowUpRule.DEFAULT_THRESHOLD,
        label=gettext_lazy("NPS at or below"),
        help_text=format_lazy(gettext_lazy("Detractors: 0–{max}."), max=NPS_DETRACTOR_MAX),
    )


class PulseSurveyForm(forms.Form):
    in_days = forms.IntegerField(min_value=1, max_value=365, initial=PULSE_IN_DAYS)


class RouteForm(forms.Form):
    department = forms.ModelChoiceField(Department.objects.all(), label=pgettext_lazy("closed loop", "Department"))
    route_future = forms.BooleanField(
        required=False, label=gettext_lazy("Also send this touchpoint's next detractors to this department")
    )
