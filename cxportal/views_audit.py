"""The audit log page for CX managers: filters, the entries newest first, and the same entries as CSV."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cxportal.audit_log import AuditLogFilterSet, audit_entries, entry_view
from cxportal.exports import CSV_CONTENT_TYPE, csv_stream
from cxportal.roles import manager_required

PAGE_SIZE = 50


def _filtered(request):
    filterset = AuditLogFilterSet(request.GET or None, queryset=audit_entries())
    return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else audit_entries())


@manager_required
def audit_log(request):
    filterset, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cxportal/audit_log.html",
        {
            "filter": filterset,
            "page": page,
            "entries": [entry_view(entry) for entry in page.object_list],
            "query": query.urlencode(),
        },
    )


@manager_required
def audit_log_csv(request):
    """The filtered entries as CSV: ISO times and plain values, translated headers, formula-safe cells."""
    _filterset, entries = _filtered(request)
    header = [
        _("Time"),
        _("Person or API key"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Changes"),
        _("Address"),
    ]

    def rows():
        yield header
        for entry in entries.iterator(chunk_size=500):
            view = entry_view(entry)
            yield [
                view.timestamp.isoformat(),
                view.actor,
                view.action_label,
                view.object_type,
                view.object_id,
                view.object_repr,
                "; ".join(view.change_lines),
                view.remote_addr or "",
            ]

    response = StreamingHttpResponse(csv_stream(rows()), content_type=CSV_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
