from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cxportal.dbrouter import reads_from_replica
from metrics import selectors
from metrics.api.serializers import MetricsQuerySerializer, MetricsResultSerializer


class MetricsView(APIView):
    """A KPI over a date range for one scope, read from the snapshots."""

    api_area = "metrics"
    member_access = "read"

    @extend_schema(
        parameters=[MetricsQuerySerializer, OpenApiParameter("from", str, description="YYYY-MM-DD, inclusive")],
        responses=MetricsResultSerializer,
    )
    @reads_from_replica
    def get(self, request):
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
