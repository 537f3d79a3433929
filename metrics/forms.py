from datetime import timedelta

from django import forms
from django.utils import timezone

from metrics.kpis import REGISTRY
from metrics.models import Bucket


class DashboardFilterForm(forms.Form):
    kpi = forms.ChoiceField(
        label="KPI",
        choices=[(k, d.label) for k, d in REGISTRY.items()],
        initial="nps",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    bucket = forms.ChoiceField(
        choices=Bucket.choices,
        initial=Bucket.MONTH,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    @classmethod
    def with_defaults(cls, params) -> "DashboardFilterForm":
        """A bound form whose empty fields show the defaults in effect (last 365 days, monthly, NPS)."""
        today = timezone.localdate()
        data = {
            "kpi": "nps",
            "bucket": Bucket.MONTH,
            "date_to": today.isoformat(),
            "date_from": (today - timedelta(days=364)).isoformat(),
        }
        data.update({k: v for k, v in params.items() if v})
        return cls(data)

    def clean(self):
        data = super().clean()
        data["kpi"] = data.get("kpi") or "nps"
        data["bucket"] = data.get("bucket") or Bucket.MONTH
        data["date_to"] = data.get("date_to") or timezone.localdate()
        data["date_from"] = data.get("date_from") or data["date_to"] - timedelta(days=364)
        if data["date_from"] > data["date_to"]:
            self.add_error("date_from", "“From” must not be after “To”.")
        return data
