from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from cxportal.api.filtering import allowed_query_params, check_query_params
from cxportal.dbrouter import reads_from_replica
from decisions.api.serializers import ChurnRiskSerializer, DriversQuerySerializer, DriversResultSerializer
from decisions.selectors import risks_ranked
from decisions.services.drivers import drivers_analyse


class DriversView(APIView):
    """Key drivers of the relationship NPS (or CSAT): touchpoints and questions, importance with interval and n."""

    api_area = "metrics"
    member_access = "read"

    @extend_schema(
        parameters=[
            DriversQuerySerializer,
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day, inclusive (default: one year before `to`)."
            ),
        ],
        responses=DriversResultSerializer,
    )
    @reads_from_replica
    def get(self, request):
        check_query_params(request, allowed_query_params(self, DriversQuerySerializer().get_fields()))
        query = DriversQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        analysis = drivers_analyse(kpi=q["kpi"], date_from=q["from"], date_to=q["to"])
        return Response(DriversResultSerializer(analysis.as_dict()).data)


class ChurnRiskViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Customers by their churn risk, highest first, with the three strongest reasons (the latest model)."""

    api_area = "metrics"
    member_access = None  # names customers: CX managers and integrators only
    serializer_class = ChurnRiskSerializer
    ordering_fields = ["probability", "customer"]
    filterset_fields = {"customer": ["exact"], "probability": ["gte", "lte"]}
    queryset = risks_ranked()
