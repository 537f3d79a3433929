from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response as ApiResponse

from cxportal.api import ServiceViewSetMixin
from surveys import services
from surveys.api import serializers
from surveys.models import Answer, Question, Response, Survey


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
