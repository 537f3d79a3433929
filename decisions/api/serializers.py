from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from decisions.services.drivers import KPIS


class DriversQuerySerializer(serializers.Serializer):
    kpi = serializers.ChoiceField(choices=KPIS, default="nps", help_text="The relationship score to explain.")
    to = serializers.DateField(required=False, help_text="Last day, inclusive (default: today).")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, help_text="First day, inclusive (default: one year before `to`)."
        )
        return fields

    def validate(self, attrs):
        attrs.setdefault("to", timezone.localdate())
        attrs.setdefault("from", attrs["to"] - timedelta(days=364))
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": [_("The first day must not be after the last day.")]})
        if (attrs["to"] - attrs["from"]).days > 366 * 10:
            raise serializers.ValidationError({"from": [_("Ask for at most ten years at once.")]})
        return attrs


class DriverSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["touchpoint", "question", "topic"])
    id = serializers.IntegerField()
    name = serializers.CharField()
    n = serializers.IntegerField(help_text="Customers who gave both the relationship score and this driver.")
    importance = serializers.FloatField(help_text="Share of the score's variance it explains (relative weight).")
    importance_ci = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text="95 % bootstrap interval."
    )
    correlation = serializers.FloatField()
    p_value = serializers.FloatField()
    significant = serializers.BooleanField(help_text="p_value below 0.05 divided by the number of drivers.")
    performance = serializers.FloatField(help_text="Its own average score, 0–100.")
    quadrant = serializers.ChoiceField(
        choices=["fix_first", "keep", "monitor", "overkill"], allow_null=True, help_text="Null when not significant."
    )


class TooFewSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    n = serializers.IntegerField()


class DriversResultSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    to = serializers.DateField()
    n = serializers.IntegerField(help_text="Customers with the relationship score in the period.")
    min_n = serializers.IntegerField()
    refused = serializers.ChoiceField(
        choices=["too_few_customers", "no_drivers"], allow_null=True, help_text="Why there are no results."
    )
    r_squared = serializers.FloatField(allow_null=True)
    results = DriverSerializer(many=True)
    too_few_answers = TooFewSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields


class ChurnModelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trained_at = serializers.DateTimeField()
    status = serializers.CharField()
    reason = serializers.CharField()
    horizon_days = serializers.IntegerField()
    auc = serializers.FloatField(allow_null=True, help_text="ROC AUC on the held-out later period.")
    brier = serializers.FloatField(allow_null=True)
    n_train = serializers.IntegerField()
    n_test = serializers.IntegerField()
    churners_test = serializers.IntegerField()


class ReasonSerializer(serializers.Serializer):
    feature = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    contribution = serializers.FloatField(help_text="Log-odds this feature adds for the customer.")


class ChurnRiskSerializer(serializers.Serializer):
    customer = serializers.IntegerField(source="customer_id")
    external_id = serializers.CharField(source="customer.external_id")
    name = serializers.CharField(source="customer.name")
    probability = serializers.FloatField()
    reasons = ReasonSerializer(many=True)
    scored_at = serializers.DateTimeField()
    model = serializers.IntegerField(source="model_id")
