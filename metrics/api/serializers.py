from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from journeys.models import Channel
from metrics.kpis import REGISTRY, scope_error
from metrics.models import Bucket, ScopeType

SCOPE_PARAMS = [
    ScopeType.MAP,
    ScopeType.STAGE,
    ScopeType.TOUCHPOINT,
    ScopeType.PERSONA,
    ScopeType.CHANNEL,
    ScopeType.SURVEY,
]


def _scope_models() -> dict:
    """The objects a scope names, checked like the list filters check theirs (an unknown one is a 400)."""
    from journeys.models import JourneyMap, Persona, Stage, Touchpoint
    from surveys.models import Survey

    return {
        ScopeType.MAP: JourneyMap,
        ScopeType.STAGE: Stage,
        ScopeType.TOUCHPOINT: Touchpoint,
        ScopeType.PERSONA: Persona,
        ScopeType.SURVEY: Survey,
    }


class MetricsQuerySerializer(serializers.Serializer):
    kpi = serializers.ChoiceField(choices=sorted(REGISTRY))
    map = serializers.IntegerField(required=False, min_value=1)
    stage = serializers.IntegerField(required=False, min_value=1)
    touchpoint = serializers.IntegerField(required=False, min_value=1)
    persona = serializers.IntegerField(required=False, min_value=1)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    survey = serializers.IntegerField(required=False, min_value=1)
    # "from" is a Python keyword: declared below under its public name.
    to = serializers.DateField(required=False, help_text="Last day, inclusive (default: today).")
    bucket = serializers.ChoiceField(choices=Bucket.choices, default=Bucket.MONTH)
    compare = serializers.ChoiceField(
        choices=["previous"],
        required=False,
        help_text="`previous`: add `change` to `total` (against the period before `from`: as many whole buckets "
        "when `from`–`to` is whole buckets, else as many days) and to each result (against the bucket before it).",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, help_text="First day, inclusive (default: one year before `to`)."
        )
        return fields

    def validate(self, attrs):
        scopes = [p for p in SCOPE_PARAMS if p in attrs]
        if len(scopes) > 1:
            raise serializers.ValidationError(
                {"scope": _("Give at most one scope, not %(scopes)s.") % {"scopes": ", ".join(scopes)}}
            )
        attrs["scope_type"] = scopes[0] if scopes else ScopeType.COMPANY
        attrs["scope_key"] = str(attrs[scopes[0]]) if scopes else ""
        if message := scope_error(attrs["kpi"], attrs["scope_type"]):
            raise serializers.ValidationError({"kpi": message})
        model = _scope_models().get(scopes[0]) if scopes else None
        if model is not None and not model.objects.filter(pk=attrs[scopes[0]]).exists():
            message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise serializers.ValidationError({scopes[0]: [message.format(pk_value=attrs[scopes[0]])]})
        attrs.setdefault("to", timezone.localdate())
        attrs.setdefault("from", attrs["to"] - timedelta(days=364))
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": _("`from` must not be after `to`.")})
        if (attrs["to"] - attrs["from"]).days > 366 * 10:
            raise serializers.ValidationError({"from": _("Ask for at most ten years at once.")})
        return attrs


class ChangeSerializer(serializers.Serializer):
    delta = serializers.FloatField(
        allow_null=True, help_text="This value minus the previous one, in the KPI's unit (null: a side has no value)."
    )
    p_value = serializers.FloatField(
        allow_null=True,
        help_text="Two-sided p-value of the difference: NPS by the per-answer variance, rates by the "
        "two-proportion z-test, means by Welch's t-test (null: no test possible, e.g. CLV or an empty side).",
    )
    significant = serializers.BooleanField(help_text="p_value < 0.05.")


class KpiValueSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField()
    margin_of_error = serializers.FloatField(allow_null=True)
    partial = serializers.BooleanField(
        required=False,
        help_text="Present (true) only when the period has not ended — it holds today in the site time zone: "
        "the value is to date, and for churn, retention and CLV not final.",
    )
    change = ChangeSerializer(required=False, help_text="Only with `compare=previous`.")


class KpiPeriodSerializer(KpiValueSerializer):
    period_start = serializers.DateField()


class ScopeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ScopeType.choices)
    id = serializers.CharField(allow_null=True)


class MetricsResultSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    scope = ScopeSerializer()
    bucket = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    total = KpiValueSerializer()
    results = KpiPeriodSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields
