from django import forms

from actionplans.models import Action, Department
from journeys.selectors import touchpoint_choices


class ActionCreateForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "department",
            "owner",
            "touchpoint",
            "kpi",
            "priority",
            "start_date",
            "due_date",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["touchpoint"].queryset = touchpoint_choices()

    def _post_clean(self):
        # Validation beyond the fields' shape is the service's job (owner in department, dates).
        pass


class ActionStatusForm(forms.ModelForm):
    """What a department member may change: status and progress."""

    class Meta:
        model = Action
        fields = ["status", "progress"]
        widgets = {"progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5})}

    def _post_clean(self):
        pass
