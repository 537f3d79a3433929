"""Report definitions for integrators: CRUD, send now (202), the PDF on demand and the history of sends.

CX managers and keys with ``reports:read`` / ``reports:write``; department members have no access (reports
can span every department). Writes go through ``reports.services`` like the pages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from cxportal.actor import request_person
from reports import selectors, tasks
from reports.api import serializers
from reports.models import ReportDefinition, ReportRecipient
from reports.schedule import report_latest_due
from reports.services import definitions, rendering, sending


class PdfRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; the PDF itself goes out as a plain response."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _recipients(items) -> tuple[list, list[tuple[str, str]]]:
    users = [item["user"] for item in items if item.get("user")]
    addresses = [(item["email"].lower(), item.get("language", "")) for item in items if item.get("email")]
    return users, addresses


class ReportViewSet(viewsets.ModelViewSet):
    """Scheduled management reports: what they show, for which filters, to whom and when."""

    api_area = "reports"
    member_access = None
    serializer_class = serializers.ReportSerializer
    filterset_fields = ["rhythm", "active", "journey_map", "persona", "channel", "department", "language"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.report_list().prefetch_related(
            Prefetch("recipients", queryset=ReportRecipient.objects.order_by("pk"))
        )

    def _save(self, serializer, report=None):
        data = dict(serializer.validated_data)
        if "recipients" in data:
            users, addresses = _recipients(data.pop("recipients"))
        elif report is None:
            users, addresses = [], []
        else:
            recipients = list(report.recipients.select_related("user"))
            users = [r.user for r in recipients if r.user_id]
            addresses = [(r.email, r.language) for r in recipients if not r.user_id]
        fields = {}
        for field in definitions.FIELDS:
            if field in data:
                fields[field] = data[field]
            elif report is not None:
                fields[field] = getattr(report, field)
            else:
                fields[field] = ReportDefinition._meta.get_field(field).get_default()
        try:
            saved = definitions.report_save(
                report=report,
                data=fields,
                users=users,
                addresses=addresses,
                active=data.get("active"),
                by=request_person(self.request),
            )
        except DjangoValidationError as exc:
            body = dict(exc.message_dict) if hasattr(exc, "error_dict") else {"detail": exc.messages}
            for name in ("users", "addresses"):
                if name in body:
                    body.setdefault("recipients", []).extend(body.pop(name))
            raise ValidationError(body) from exc
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, report=serializer.instance)

    def perform_destroy(self, instance):
        definitions.report_delete(report=instance)

    @extend_schema(
        request=None,
        responses={
            202: serializers.ReportSendBatchSerializer,
            400: OpenApiResponse(description="The report has no recipient with an e-mail address."),
        },
    )
    @route(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send the report's latest finished period to every recipient now; the worker mails it (202)."""
        report = self.get_object()
        send_ids = sending.report_send_now(report=report)
        if not send_ids:
            return Response(
                {"detail": _("This report has no recipient with an e-mail address.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        tasks.send_now.delay_on_commit(send_ids)
        sends = list(selectors.report_send_history(report=report).filter(pk__in=send_ids))
        body = {"batch": sends[0].batch, "sends": serializers.ReportSendSerializer(sends, many=True).data}
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[serializers.ReportPdfQuerySerializer],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        filters=False,
    )
    @route(detail=True, methods=["get"], filter_backends=[], renderer_classes=[renderers.JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        """The report as a PDF for its latest finished period (or ``from``/``to``), in ``language``."""
        report = self.get_object()
        query = serializers.ReportPdfQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        date_from, date_to = query.validated_data.get("from"), query.validated_data.get("to")
        if date_from is None:
            _moment, date_from, date_to = report_latest_due(report, now=timezone.now())
        language = query.validated_data.get("language") or report.language
        pdf = rendering.report_pdf(report=report, date_from=date_from, date_to=date_to, language=language)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = rendering.pdf_filename(report=report, date_from=date_from)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    @extend_schema(responses=serializers.ReportSendSerializer(many=True), filters=False)
    @route(detail=True, methods=["get"], filter_backends=[])
    def sends(self, request, pk=None):
        """The history of the report's sends, newest first (scheduled and manual, with their status)."""
        page = self.paginate_queryset(selectors.report_send_history(report=self.get_object()))
        return self.get_paginated_response(serializers.ReportSendSerializer(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("send_id", int, OpenApiParameter.PATH, description="The send's id.")],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        filters=False,
    )
    @route(
        detail=True,
        methods=["get"],
        url_path=r"sends/(?P<send_id>[0-9]+)/pdf",
        filter_backends=[],
        renderer_classes=[renderers.JSONRenderer, PdfRenderer],
    )
    def sent_pdf(self, request, pk=None, send_id=None):
        """The PDF exactly as it went out with one send (404 when it was not sent or is not kept)."""
        report = self.get_object()
        send = report.sends.filter(pk=send_id, pdf__isnull=False).defer("pdf").first()
        if send is None:
            raise NotFound(_("This send has no PDF."))
        pdf = bytes(report.sends.values_list("pdf", flat=True).get(pk=send.pk))
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = rendering.pdf_filename(report=report, date_from=send.period_start)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def handle_exception(self, exc):
        # Errors are JSON also for a client that asked for the PDF only.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)
