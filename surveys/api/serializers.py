from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from journeys.models import Customer
from surveys.models import Answer, Campaign, Invitation, Question, Response, Survey


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "survey", "kind", "text", "help_text", "required", "position", "choices", "scale_max"]
        read_only_fields = ["position"]


class NestedQuestionSerializer(QuestionSerializer):
    class Meta(QuestionSerializer.Meta):
        fields = ["id", "kind", "text", "help_text", "required", "position", "choices", "scale_max"]
        read_only_fields = ["id", "position"]


class SurveySerializer(serializers.ModelSerializer):
    questions = NestedQuestionSerializer(many=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "touchpoint",
            "language",
            "intro",
            "thank_you_text",
            "is_active",
            "opens_at",
            "closes_at",
            "anonymous",
            "public_link_enabled",
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


class ResponseCreateSerializer(serializers.Serializer):
    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.all())
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(),
        required=False,
        allow_null=True,
    )
    submitted_at = serializers.DateTimeField(required=False, allow_null=True)
    external_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=100)
    answers = AnswerInputSerializer(many=True, allow_empty=False)


class CampaignSerializer(serializers.ModelSerializer):
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
        ]
        read_only_fields = ["kind", "status", "dispatched_at", "completed_at", "created_at"]
        extra_kwargs = {"send_at": {"required": False}}


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
