from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from cxportal.api.fields import DateTimeField
from journeys.models import Customer, Touchpoint
from surveys import scales
from surveys.models import Answer, Campaign, CampaignSeries, Invitation, PrivacyRequest, Question, Response, Survey

LOGIC_FIELDS = ["starts_page", "show_if_question", "show_if_op", "show_if_value"]


class QuestionSerializer(serializers.ModelSerializer):
    """A question; ``show_if_*`` make it conditional on an earlier scored question of the same survey."""

    class Meta:
        model = Question
        fields = [
            "id",
            "survey",
            "kind",
            "text",
            "help_text",
            "required",
            "position",
            "choices",
            "scale_max",
            *LOGIC_FIELDS,
        ]
        read_only_fields = ["position"]
        extra_kwargs = {
            "show_if_question": {"help_text": "Show only when this earlier NPS/CSAT/CES/rating question's answer…"},
            "show_if_op": {"help_text": "…is ≤ (lte), ≥ (gte) or = (eq)…"},
            "show_if_value": {
                "help_text": "…this value. Otherwise the question is hidden: not required, answer ignored."
            },
        }


class NestedQuestionSerializer(QuestionSerializer):
    """Questions inside a survey; display logic is read here and written through ``/questions/``."""

    # Declared: a read-only field built from the model would lose ``allow_blank`` ("" = unconditional).
    show_if_op = serializers.ChoiceField(choices=Question.Op.choices, allow_blank=True, read_only=True)

    class Meta(QuestionSerializer.Meta):
        fields = ["id", "kind", "text", "help_text", "required", "position", "choices", "scale_max", *LOGIC_FIELDS]
        read_only_fields = ["id", "position", "show_if_question", "show_if_op", "show_if_value"]
        extra_kwargs = {}


class QuestionMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class SurveySerializer(serializers.ModelSerializer):
    questions = NestedQuestionSerializer(many=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "public_title",
            "touchpoint",
            "language",
            "intro",
            "thank_you_text",
            "is_active",
            "opens_at",
            "closes_at",
            "anonymous",
            "public_link_enabled",
            "one_response_per_browser",
            "public_url",
            "questions",
            "created_at",
        ]

    def get_public_url(self, survey) -> str:
        return settings.SITE_URL + reverse("respondent:survey", args=[survey.public_token])


class SurveyUpdateSerializer(SurveySerializer):
    questions = NestedQuestionSerializer(many=True, read_only=True)


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "value", "text", "choices"]


@extend_schema_serializer(component_name="SurveyResponse")
class ResponseSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "survey",
            "customer",
            "touchpoint",
            "external_id",
            "source",
            "language",
            "submitted_at",
            "created_at",
            "answers",
        ]


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    value = serializers.JSONField(required=False, help_text="The score of an NPS/CSAT/CES/rating question.")
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    choices = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema_serializer(component_name="SurveyResponseCreate")
class ResponseCreateSerializer(serializers.Serializer):
    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.all())
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(),
        required=False,
        allow_null=True,
    )
    submitted_at = DateTimeField(
        required=False,
        allow_null=True,
        help_text="When it was answered (history); default: now, if the survey is open.",
    )
    external_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=100)
    answers = AnswerInputSerializer(many=True, allow_empty=False)


@extend_schema_serializer(component_name="SurveyResponseImportRow")
class ResponseImportRowSerializer(ResponseCreateSerializer):
    """One response of a bulk import; ``external_id`` identifies it, so a repeated import stores it once."""

    external_id = serializers.CharField(max_length=100)


@extend_schema_serializer(component_name="SurveyResponseImportError")
class ImportErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the row in the request body, from 0.")
    external_id = serializers.CharField(allow_null=True)
    errors = serializers.DictField(help_text="Field errors of the row, as in a single request.")


@extend_schema_serializer(component_name="SurveyResponseImportResult")
class ResponseImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text="Rows whose external id was stored already.")
    errors = ImportErrorSerializer(many=True)


@extend_schema_serializer(component_name="SurveyResponseImportRefused")
class ResponseImportRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    created = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField(required=False)
    errors = ImportErrorSerializer(many=True, required=False)


class CampaignSerializer(serializers.ModelSerializer):
    # Recurrence: written when the campaign is scheduled (its first run), read from its series on every run.
    repeat_every = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Repeat every N weeks or months (null: once)."
    )
    repeat_unit = serializers.ChoiceField(
        choices=CampaignSeries.Unit.choices, required=False, allow_blank=True, help_text='"week" or "month".'
    )
    next_run_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Null: once, or paused.")
    series_paused = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "survey",
            "name",
            "kind",
            "persona",
            "send_at",
            "status",
            "reminder_after_days",
            "max_reminders",
            "dispatched_at",
            "completed_at",
            "created_at",
            "series",
            "run_date",
            "repeat_every",
            "repeat_unit",
            "next_run_at",
            "series_paused",
        ]
        read_only_fields = ["kind", "status", "dispatched_at", "completed_at", "created_at", "series", "run_date"]
        extra_kwargs = {"send_at": {"required": False}}

    def get_series_paused(self, campaign) -> bool | None:
        return campaign.series.is_paused if campaign.series_id else None


class InvitationSerializer(serializers.ModelSerializer):
    survey = serializers.IntegerField(source="campaign.survey_id", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "campaign",
            "survey",
            "customer",
            "status",
            "sent_at",
            "last_sent_at",
            "reminders_sent",
            "attempts",
            "error",
            "created_at",
        ]


class TransactionalInvitationSerializer(serializers.Serializer):
    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.all())
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())


class ResponseExportQuerySerializer(serializers.Serializer):
    """The query of ``GET /api/v1/responses/export/``: the file format and the responses list's filters."""

    format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")
    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.all(), required=False)
    touchpoint = serializers.PrimaryKeyRelatedField(queryset=Touchpoint.objects.all(), required=False)
    date_from = serializers.DateField(required=False, help_text="First day (inclusive, site time zone).")
    date_to = serializers.DateField(required=False, help_text="Last day (inclusive, site time zone).")
    band = serializers.ChoiceField(
        choices=list(scales.BAND_NAMES),
        required=False,
        help_text="NPS detractor/passive/promoter, or CSAT/CES low/mid/high.",
    )
    has_comment = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": _("The end date is before the start date.")})
        return attrs


class PrivacyEraseSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    mode = serializers.ChoiceField(choices=["anonymise", "delete"])


class PrivacyCustomerQuerySerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())


class PrivacyRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrivacyRequest
        fields = ["id", "action", "customer_external_id", "performed_by_label", "performed_at", "counts"]


class CustomerDataSerializer(serializers.Serializer):
    """Everything surveys hold about one customer (a data-subject export); link tokens are never included."""

    customer = serializers.DictField()
    responses = serializers.ListField(child=serializers.DictField())
    invitations = serializers.ListField(child=serializers.DictField())
