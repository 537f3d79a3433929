"""The demo holds a monthly management report that renders with numbers in every section."""

from django.utils import timezone

from demo.loader import demo_load
from metrics.services import snapshots_recompute
from reports.models import ReportDefinition
from reports.schedule import report_latest_due
from reports.services.rendering import report_context


def test_demo_has_a_monthly_report_whose_sections_are_not_empty(db):
    counts = demo_load(language="de")
    snapshots_recompute()

    report = ReportDefinition.objects.get()
    assert counts["reports"] == 1 and demo_load(language="de")["reports"] == 0
    assert (report.name, report.rhythm, report.language) == ("Monatlicher Management-Bericht", "monthly", "de")
    assert [(r.address.split("@")[0], r.effective_language) for r in report.recipients.all()] == [
        ("katrin.vogel", "de"),
        ("board", "de"),
    ]
    _moment, date_from, date_to = report_latest_due(report, now=timezone.now())
    parts = {p["key"]: p["data"] for p in report_context(report=report, date_from=date_from, date_to=date_to)["parts"]}
    nps = next(row for row in parts["kpi_summary"]["rows"] if row["kpi"] == "nps")
    assert nps["n"] > 0 and nps["value"] != "–"
    assert parts["journey_map"]["touchpoints"]
    assert parts["detractor_comments"]["comments"]
    assert sum(s["count"] for s in parts["actions"]["statuses"]) > 0
    assert parts["campaigns"]["campaigns"]
