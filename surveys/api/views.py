from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from cxportal.api import ServiceViewSetMixin
from surveys import distribution, services
from surveys.api import serializers
from surveys.models import Answer, Campaign, Invitation, Question, Response, Survey


class SurveyViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    api_area = "surveys"
    queryset = Survey.objects.prefetch_related("questions")
    create_service = services.survey_create
    user_kwarg = "created_by"
    update_fields = [
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
    ]
    filterset_fields = ["touchpoint", "language", "is_active"]
    ordering_fields = ["created_at", "title"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.SurveyUpdateSerializer
        return serializers.SurveySerializer


class QuestionViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    api_area = "surveys"
    queryset = Question.objects.all()
    serializer_class = serializers.QuestionSerializer
    create_service = services.question_add
    update_fields = ["text", "help_text", "required", "choices", "scale_max"]
    filterset_fields = ["survey", "kind"]
    ordering_fields = ["position"]


class ResponseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    api_area = "surveys"
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

    @extend_schema(request=serializers.ResponseCreateSerializer, responses={201: serializers.ResponseSerializer})
    def create(self, request, *args, **kwargs):
        data = serializers.ResponseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.response_submit(source=Response.Source.API, **data.validated_data)
        return ApiResponse(
            self.get_serializer(self.get_queryset().get(pk=response.pk)).data, status=status.HTTP_201_CREATED
        )


class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """E-mail campaigns: POST schedules one (``send_at`` defaults to now); ``cancel`` stops it."""

    api_area = "surveys"
    queryset = Campaign.objects.all()
    serializer_class = serializers.CampaignSerializer
    filterset_fields = ["survey", "status"]
    ordering_fields = ["send_at", "created_at"]

    def perform_create(self, serializer):
        by = self.request.user if getattr(self.request.user, "pk", None) else None
        serializer.instance = distribution.campaign_schedule(by=by, **serializer.validated_data)

    @extend_schema(request=None, responses=serializers.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        campaign = distribution.campaign_cancel(campaign=self.get_object())
        return ApiResponse(self.get_serializer(campaign).data)


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
        by = request.user if getattr(request.user, "pk", None) else None
        invitation = distribution.invitation_send_now(by=by, **data.validated_data)
        return ApiResponse(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    ordering_fields = ["created_at", "sent_at"]
