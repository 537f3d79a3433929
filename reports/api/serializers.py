"""The API's shape of a report definition, its recipients and its sends; the rules live in services/definitions.py."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.models import Language, ReportDefinition, ReportRecipient, ReportSend
from reports.schedule import report_next_due
from reports.sections import SECTION_CHOICES


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "07:00"})
class WallClockTimeField(serializers.TimeField):
    """A time of day on the Berlin wall clock as "HH:MM" (OpenAPI's "time" format would demand an offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class RecipientSerializer(serializers.ModelSerializer):
    """A person by their account (``user``: written to in their profile's language) or a bare ``email``
    with an optional ``language``."""

    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False, allow_blank=True)

    class Meta:
        model = ReportRecipient
        fields = ["user", "email", "language"]

    def validate(self, attrs):
        if bool(attrs.get("user")) == bool(attrs.get("email")):
            raise serializers.ValidationError(_("Give either a user or an e-mail address."))
        return attrs


class ReportSerializer(serializers.ModelSerializer):
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=SECTION_CHOICES),
        help_text="Section keys in the order the report shows them.",
    )
    recipients = RecipientSerializer(many=True, required=False)
    send_time = WallClockTimeField(required=False, help_text="The time of day (Europe/Berlin) it is sent, e.g. 07:00.")
    next_due = serializers.SerializerMethodField(help_text="The next scheduled send; null when paused.")

    class Meta:
        model = ReportDefinition
        fields = [
            "id",
            "name",
            "sections",
            "journey_map",
            "persona",
            "channel",
            "department",
            "department_audience",
            "rhythm",
            "weekday",
            "day_of_month",
            "send_time",
            "language",
            "active",
            "recipients",
            "next_due",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_due(self, report):
        if not report.active:
            return None
        return serializers.DateTimeField().to_representation(report_next_due(report, now=timezone.now()))


class ReportSendSerializer(serializers.ModelSerializer):
    has_pdf = serializers.BooleanField(read_only=True, help_text="Whether the PDF as sent is kept.")

    class Meta:
        model = ReportSend
        fields = [
            "id",
            "period_start",
            "period_end",
            "recipient",
            "language",
            "trigger",
            "batch",
            "status",
            "attempts",
            "error",
            "created_at",
            "sent_at",
            "has_pdf",
        ]
        read_only_fields = fields


class ReportSendBatchSerializer(serializers.Serializer):
    batch = serializers.IntegerField(help_text="The number of this manual send of the report.")
    sends = ReportSendSerializer(many=True)


class ReportPdfQuerySerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared under another name and renamed below.
    date_from = serializers.DateField(required=False, help_text="First day (with `to`); default: the latest period.")
    to = serializers.DateField(required=False, help_text="Last day (with `from`).")
    language = serializers.ChoiceField(choices=Language.choices, required=False, help_text="Default: the report's.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        return fields

    def validate(self, attrs):
        start, end = attrs.get("from"), attrs.get("to")
        if (start is None) != (end is None):
            raise serializers.ValidationError({"to": _("Give both “from” and “to”, or neither.")})
        if start and end and start > end:
            raise serializers.ValidationError({"from": _("“From” must not be after “To”.")})
        return attrs
