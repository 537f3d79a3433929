from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from cxportal.actor import request_person
from cxportal.api.viewsets import ServiceViewSetMixin
from cxportal.errors import ApplicationError
from cxportal.exports import XLSX_CONTENT_TYPE
from surveys import exports, selectors, services
from surveys.api import serializers
from surveys.forms.responses import response_filter_kwargs
from surveys.models import Answer, Campaign, Invitation, Question, Response, Survey
from surveys.services import ingestion


class SurveyViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Surveys; ``PATCH``/``PUT`` change the settings through ``survey_update``, the builder's settings service."""

    api_area = "surveys"
    queryset = Survey.objects.prefetch_related("questions")
    create_service = services.survey_create
    user_kwarg = "created_by"
    filterset_fields = ["touchpoint", "language", "is_active"]
    ordering_fields = ["created_at", "title"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.SurveyUpdateSerializer
        return serializers.SurveySerializer

    def perform_update(self, serializer):
        serializer.instance = services.survey_update(survey=serializer.instance, data=serializer.validated_data)


class QuestionViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Questions; writes are validated like the builder's (choices, scales, display logic), ``move`` reorders."""

    api_area = "surveys"
    queryset = Question.objects.all()
    serializer_class = serializers.QuestionSerializer
    create_service = services.question_add
    filterset_fields = ["survey", "kind"]
    ordering_fields = ["position"]

    def perform_update(self, serializer):
        data = {f: v for f, v in serializer.validated_data.items() if f in services.QUESTION_FIELDS}
        serializer.instance = services.question_update(question=serializer.instance, data=data)

    def perform_destroy(self, instance):
        services.question_delete(question=instance)

    @extend_schema(request=serializers.QuestionMoveSerializer, responses=serializers.QuestionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = serializers.QuestionMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_move(question=self.get_object(), direction=data.validated_data["direction"])
        return ApiResponse(self.get_serializer(question).data)


class ResponseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Responses; department members read those of their department's touchpoints (others are not found)."""

    api_area = "surveys"
    member_access = "read"
    queryset = Response.objects.select_related("survey").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.order_by("question__position", "question_id"))
    )
    serializer_class = serializers.ResponseSerializer
    filterset_fields = {
        "survey": ["exact"],
        "touchpoint": ["exact"],
        "customer": ["exact"],
        "submitted_at": ["gte", "lt"],
    }
    ordering_fields = ["submitted_at", "created_at"]

    def get_queryset(self):
        return selectors.responses_visible_to(user=request_person(self.request), responses=super().get_queryset())

    def list(self, request, *args, **kwargs):
        # Another touchpoint's responses are not found, as in the UI, rather than an empty page.
        touchpoint = request.query_params.get("touchpoint", "")
        if touchpoint.isdigit() and not selectors.may_read_touchpoint(
            user=request_person(self.request), touchpoint_id=int(touchpoint)
        ):
            raise NotFound(_("No such touchpoint."))
        return super().list(request, *args, **kwargs)

    @extend_schema(request=serializers.ResponseCreateSerializer, responses={201: serializers.ResponseSerializer})
    def create(self, request, *args, **kwargs):
        data = serializers.ResponseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.response_submit(source=Response.Source.API, **data.validated_data)
        return ApiResponse(
            self.get_serializer(self.get_queryset().get(pk=response.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=f"Import up to {ingestion.MAX_ROWS:,} responses by external id",
        description=(
            f"The body is a JSON list of at most {ingestion.MAX_ROWS:,} responses, each like a single "
            "`POST /responses/` plus a required `external_id`; each is checked by the same rules. A response "
            "whose `external_id` is stored already (for the same survey) is counted as unchanged, so a "
            "repeated import stores nothing twice. Give `submitted_at` for history (default: now, which needs "
            "an open survey). All or nothing: any row with an error stores nothing and answers 400 with "
            "every row's errors, unless `partial=true`, which stores the valid rows and returns the errors "
            "with 200."
        ),
        parameters=[
            OpenApiParameter(
                "partial", OpenApiTypes.BOOL, description="Store the valid rows even when others have errors."
            )
        ],
        request=serializers.ResponseImportRowSerializer(many=True),
        responses={
            200: serializers.ResponseImportResultSerializer,
            400: OpenApiResponse(serializers.ResponseImportRefusedSerializer, description="Nothing was stored."),
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk", filter_backends=[], pagination_class=None)
    def bulk(self, request):
        if not isinstance(request.data, list):
            raise ValidationError(_("Send a JSON list of responses."))
        if len(request.data) > ingestion.MAX_ROWS:
            raise ValidationError(
                _("At most %(max)s responses at a time; this has %(count)s.")
                % {"max": f"{ingestion.MAX_ROWS:,}", "count": f"{len(request.data):,}"}
            )
        rows = []
        for index, row in enumerate(request.data):
            data = serializers.ResponseImportRowSerializer(data=row)
            valid = data.is_valid()
            external_id = row.get("external_id") if isinstance(row, dict) else None
            rows.append(
                ingestion.ResponseRow(
                    index=index,
                    external_id=external_id if isinstance(external_id, str) else None,
                    data=data.validated_data if valid else None,
                    errors={} if valid else dict(data.errors),
                )
            )
        partial = str(request.query_params.get("partial", "")).lower() in ("1", "true", "yes")
        return ApiResponse(ingestion.responses_import(rows=rows, partial=partial).as_dict())


class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """E-mail campaigns: POST schedules one (``send_at`` defaults to now); ``cancel`` stops it.

    With ``repeat_every`` and ``repeat_unit`` the campaign repeats: each run is a campaign of its own with the
    same ``series``; ``pause`` and ``resume`` (on any run) stop and restart the series.
    """

    api_area = "surveys"
    queryset = Campaign.objects.select_related("series")
    serializer_class = serializers.CampaignSerializer
    filterset_fields = ["survey", "status"]
    ordering_fields = ["send_at", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.campaign_schedule(by=request_person(self.request), **serializer.validated_data)

    @extend_schema(request=None, responses=serializers.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        campaign = services.campaign_cancel(campaign=self.get_object())
        return ApiResponse(self.get_serializer(campaign).data)

    def _series_change(self, change):
        campaign = self.get_object()
        if campaign.series is None:
            raise ApplicationError(str(_("This campaign does not repeat.")))
        change(series=campaign.series)
        campaign.series.refresh_from_db()
        return ApiResponse(self.get_serializer(campaign).data)

    @extend_schema(request=None, responses=serializers.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._series_change(services.series_pause)

    @extend_schema(request=None, responses=serializers.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._series_change(services.series_resume)


class InvitationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Invitations; POST sends one survey to one customer now (transactional), under the fatigue rules.

    A customer the rules exclude (unsubscribed, do-not-contact, no e-mail, invited within the quiet
    period) gets an invitation with status ``suppressed`` and the reason in ``error``, and no e-mail.
    """

    api_area = "surveys"
    queryset = Invitation.objects.select_related("campaign")
    serializer_class = serializers.InvitationSerializer
    filterset_fields = ["campaign", "customer", "status"]

    @extend_schema(
        request=serializers.TransactionalInvitationSerializer, responses={201: serializers.InvitationSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = serializers.TransactionalInvitationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_send_now(by=request_person(request), **data.validated_data)
        return ApiResponse(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    ordering_fields = ["created_at", "sent_at"]


class _JsonErrorsNegotiationMixin:
    """Downloads answer with a file; everything else (errors) is JSON whatever ``?format=`` says.

    ``format`` is DRF's URL format override, which would otherwise look for a ``csv`` renderer and 404.
    """

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type


class ResponseExportView(_JsonErrorsNegotiationMixin, APIView):
    """All responses matching the filters as CSV (UTF-8 with BOM, streamed) or XLSX: one row per response.

    Cells that a spreadsheet could read as a formula (starting with = + - @, tab or CR) are prefixed
    with an apostrophe. ``submitted_at`` is ISO 8601 with the site's UTC offset; the customer external
    id is blank for anonymous responses.
    """

    api_area = "surveys"

    @extend_schema(
        parameters=[serializers.ResponseExportQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
        },
    )
    def get(self, request):
        query = serializers.ResponseExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        file_format = data.pop("format")
        responses = selectors.response_list(user=None, **response_filter_kwargs(**data))
        return exports.responses_export(responses=responses, file_format=file_format)


class PrivacyExportView(APIView):
    """A data-subject export: everything surveys hold about one customer, as JSON. The export is audited."""

    api_area = "surveys"

    @extend_schema(
        parameters=[serializers.PrivacyCustomerQuerySerializer], responses=serializers.CustomerDataSerializer
    )
    def get(self, request):
        query = serializers.PrivacyCustomerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return ApiResponse(services.customer_export(customer=query.validated_data["customer"], by=request.user))


class PrivacyEraseView(APIView):
    """Erase one customer: ``anonymise`` keeps their scores for the KPIs without any link to them, ``delete``
    deletes their responses; invitations and the customer record are deleted in both modes. Answers with
    the audit entry (no personal data besides the external id)."""

    api_area = "surveys"

    @extend_schema(request=serializers.PrivacyEraseSerializer, responses={200: serializers.PrivacyRequestSerializer})
    def post(self, request):
        data = serializers.PrivacyEraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.customer_erase(by=request.user, **data.validated_data)
        return ApiResponse(serializers.PrivacyRequestSerializer(entry).data)
