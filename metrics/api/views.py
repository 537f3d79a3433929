from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cxportal.api.filtering import allowed_query_params, check_query_params
from cxportal.dbrouter import reads_from_replica
from metrics import selectors
from metrics.api.serializers import MetricsQuerySerializer, MetricsResultSerializer
from metrics.periods import is_partial, range_is_partial, site_today
from metrics.selectors.changes import bucket_changes, range_change


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
        today = site_today()
        # "partial" is only written when true: a finished period keeps the answer's original shape.
        total = series["total"].as_dict() | ({"partial": True} if range_is_partial(q["to"], today=today) else {})
        results = [
            r | ({"partial": True} if is_partial(r["period_start"], q["bucket"], today=today) else {})
            for r in series["results"]
        ]
        if q.get("compare") == "previous":
            scope = {"kpi": q["kpi"], "scope_type": q["scope_type"], "scope_key": q["scope_key"]}
            total["change"] = range_change(**scope, date_from=q["from"], date_to=q["to"], bucket=q["bucket"]).as_dict()
            changes = bucket_changes(**scope, bucket=q["bucket"], date_from=q["from"], date_to=q["to"])
            for result in results:
                result["change"] = changes[result["period_start"]].as_dict()
        last = selectors.last_recompute()
        body = {
            "kpi": q["kpi"],
            "scope": {"type": q["scope_type"], "id": q["scope_key"] or None},
            "from": q["from"],
            "to": q["to"],
            "bucket": q["bucket"],
            "computed_at": last.finished_at if last else None,
            "total": total,
            "results": results,
        }
        return Response(MetricsResultSerializer(body).data)
