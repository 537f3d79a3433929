from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cxportal.api.filtering import allowed_query_params, check_query_params
from cxportal.dbrouter import reads_from_replica
from metrics import selectors
from metrics.api.serializers import MetricsQuerySerializer, MetricsResultSerializer


class MetricsView(APIView):
    """A KPI over a date range for one scope, read from the snapshots."""

    api_area = "metrics"
    member_access = "read"

    @extend_schema(
        parameters=[
            MetricsQuerySerializer,
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day, inclusive (default: one year before `to`)."
            ),
        ],
        responses=MetricsResultSerializer,
    )
    @reads_from_replica
    def get(self, request):
        check_query_params(request, allowed_query_params(self, MetricsQuerySerializer().get_fields()))
        query = MetricsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        series = selectors.kpi_series(
            kpi=q["kpi"],
            scope_type=q["scope_type"],
            scope_key=q["scope_key"],
            bucket=q["bucket"],
            date_from=q["from"],
            date_to=q["to"],
        )
        last = selectors.last_recompute()
        body = {
            "kpi": q["kpi"],
            "scope": {"type": q["scope_type"], "id": q["scope_key"] or None},
            "from": q["from"],
            "to": q["to"],
            "bucket": q["bucket"],
            "computed_at": last.finished_at if last else None,
            "total": series["total"].as_dict(),
            "results": series["results"],
        }
        return Response(MetricsResultSerializer(body).data)
