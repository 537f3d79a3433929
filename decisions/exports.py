"""Exporting the churn risks for outreach: one row per scored customer, riskiest first, with the reasons in words.

Streamed (CSV) or written a row at a time (XLSX) by ``cxportal.exports``, whose cells are formula-safe. The
reasons are worked out from each risk's stored features with the model's scaling read once.
"""

from collections.abc import Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from cxportal.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_stream, xlsx_file
from decisions.models import ChurnModel, ChurnRisk
from decisions.reasons import reason_label, risk_reasons

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
HEADERS = [_("Customer external ID"), _("Customer"), _("Churn risk (%)"), _("Strongest reasons"), _("Scored at")]


def risk_rows() -> Iterator[list]:
    """The header row, then every scored customer of the latest model, riskiest first (none when it refused).
    Headers and reasons in the language of the request (taken now), also while a streamed download is written."""
    return _risk_rows(get_language())


def _risk_rows(language: str) -> Iterator[list]:
    with override(language):
        yield [str(header) for header in HEADERS]
        model = ChurnModel.objects.first()
        if model is None or model.status != ChurnModel.Status.OK:
            return
        risks = (
            ChurnRisk.objects.select_related("customer")
            .only("customer__external_id", "customer__name", "probability", "features", "scored_at")
            .order_by("-probability", "customer_id")
        )
        for risk in risks.iterator(chunk_size=CHUNK_SIZE):
            reasons = risk_reasons(bytes(risk.features), model.scaling)
            yield [
                risk.customer.external_id,
                risk.customer.name,
                round(risk.probability * 100, 1),
                ", ".join(reason_label(reason) for reason in reasons),
                timezone.localtime(risk.scored_at).isoformat(timespec="seconds"),
            ]


def risks_export(*, file_format: str):
    """An HTTP response that downloads the risks as CSV (streamed) or XLSX."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "xlsx":
        return FileResponse(
            xlsx_file(risk_rows(), title=str(_("Churn risk"))),
            as_attachment=True,
            filename=f"churn-risk-{stamp}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    download = StreamingHttpResponse(csv_stream(risk_rows()), content_type=CSV_CONTENT_TYPE)
    download["Content-Disposition"] = f'attachment; filename="churn-risk-{stamp}.csv"'
    return download
