"""The form of the closed-loop rule on churn risk (shown on the churn-risk page, saved here)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplans.models import Department


class ChurnRuleForm(forms.Form):
    """The closed-loop rule "risk at or above X %": one follow-up action per customer for a department."""

    enabled = forms.BooleanField(label=_("Open follow-up actions for customers at risk"), required=False)
    threshold = forms.IntegerField(
        label=_("Risk at or above (%)"),
        min_value=5,
        max_value=99,
        widget=forms.NumberInput(attrs={"class": "form-control", "style": "width: 6rem"}),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=None,
        required=False,
        empty_label="–",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    due_in_days = forms.IntegerField(
        label=_("Due in days"),
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"class": "form-control", "style": "width: 6rem"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("name")
