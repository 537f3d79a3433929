"""A report rendered for one period in one language: its data, the HTML (page, PDF, e-mail) and the PDF.

The PDF is drawn by WeasyPrint from the same HTML as the preview page, with its charts inline as SVG and
fonts from the system (Debian's DejaVu via Pango): the renderer never fetches anything, and the HTML
holds no external URL (a test checks).
"""

import datetime
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from reports import sections
from reports.models import ReportDefinition


def report_context(*, report: ReportDefinition, date_from: datetime.date, date_to: datetime.date) -> dict:
    """What the templates need: each chosen section's title and data (read in the active language)."""
    scope = sections.scope_for(report, date_from=date_from, date_to=date_to)
    parts = []
    for key in report.sections:
        section = sections.SECTIONS.get(key)
        if section is None:
            continue
        parts.append(
            {
                "key": key,
                "title": str(section.title),
                "data": section.reader(scope),
                "filters": sections.filter_note(section, scope),
            }
        )
    return {
        "report": report,
        "date_from": date_from,
        "date_to": date_to,
        "parts": parts,
        "scope_label": report.journey_map.name if report.journey_map_id else _("Whole company"),
        "department_label": report.department.name if report.department_id else "",
        "filters": report_filters(report),
    }


def report_filters(report: ReportDefinition) -> list[dict]:
    """The report's filters as readers see them: [{"label": "Persona", "value": "Purchasing manager"}, …]."""
    values = {
        "map": report.journey_map.name if report.journey_map_id else "",
        "persona": report.persona.name if report.persona_id else "",
        "channel": report.get_channel_display() if report.channel else "",
        "department": report.department.name if report.department_id else "",
    }
    return [
        {"key": key, "label": str(sections.FILTER_LABELS[key]), "value": values[key]}
        for key in sections.FILTER_KEYS
        if values[key]
    ]


def report_html(*, report: ReportDefinition, date_from, date_to, language: str, for_pdf: bool = True) -> str:
    with translation.override(language):
        context = report_context(report=report, date_from=date_from, date_to=date_to)
        context["for_pdf"] = for_pdf
        return render_to_string("reports/document.html", context)


def report_pdf(*, report: ReportDefinition, date_from, date_to, language: str) -> bytes:
    """The report as a PDF (bytes); WeasyPrint is imported here so pages that never render one do not load it."""
    import weasyprint

    html = report_html(report=report, date_from=date_from, date_to=date_to, language=language)
    with cycle_collection_paused():
        return weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf()


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off for the block. WeasyPrint builds tens of thousands of boxes that point at
    each other; the collector, started again and again while they pile up, walked them all each time: a third
    of a report's PDF (bench/reports.py: WeasyPrint 0.41–0.51 s with it, 0.31 s without). What the block leaves
    behind is collected at the collector's next run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _no_fetch(url: str, *args, **kwargs):
    # Nothing is ever loaded from outside: every resource of the report is inline.
    raise ValueError(f"report rendering fetches nothing ({url[:40]})")


def pdf_filename(*, report: ReportDefinition, date_from) -> str:
    from django.utils.text import slugify

    return f"{slugify(report.name) or 'report'}-{date_from.isoformat()}.pdf"
