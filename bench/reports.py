"""Report rendering benchmark: one management report with every section as a PDF, beside the dashboard page
for the same filters, both in this process on the demo data set (PostgreSQL).

    .venv/bin/python bench/reports.py [--rounds 5]

The report reads the same snapshots as the dashboards and then lays out a PDF (WeasyPrint); the goal is a
report that costs at most 10× the overview page for the same period (median of the rounds). Exits non-zero
when the goal is missed. Uses the database ``cx_bench_reports`` (recreated on every run).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GOAL_RATIO = 10.0


def _timed(rounds: int, work) -> list[float]:
    work()  # warm-up: imports, template and font caches
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = common.database_url("_reports")
    common.recreate_database(url)
    common.setup_django(url)

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from demo.loader import demo_load
    from metrics.services import snapshots_recompute
    from reports.models import ReportDefinition
    from reports.schedule import report_latest_due
    from reports.sections import scope_for
    from reports.services.rendering import report_pdf

    call_command("migrate", verbosity=0)
    demo_load()
    snapshots_recompute()
    report = ReportDefinition.objects.get()
    _moment, date_from, date_to = report_latest_due(report, now=timezone.now())
    client = Client(HTTP_HOST="localhost")
    client.force_login(report.created_by)
    params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "bucket": "month"}
    # The dashboard for the same filter the report's KPIs read (one of map, persona and channel).
    scope_type, scope_key = scope_for(report, date_from=date_from, date_to=date_to).scope
    if scope_type != "company":
        params[scope_type] = scope_key

    def dashboard():
        response = client.get("/dashboards/", params)
        if response.status_code != 200:
            raise RuntimeError(f"dashboard answered {response.status_code}")

    def pdf():
        if not report_pdf(report=report, date_from=date_from, date_to=date_to, language="en").startswith(b"%PDF"):
            raise RuntimeError("no PDF")

    page = statistics.median(_timed(args.rounds, dashboard))
    rendered = statistics.median(_timed(args.rounds, pdf))
    ratio = rendered / page
    met = ratio <= GOAL_RATIO
    sections = len(report.sections)
    print(f"dashboard overview {page * 1000:.0f} ms, report PDF (all {sections} sections) {rendered * 1000:.0f} ms")
    print(f"ratio {ratio:.1f}× (goal ≤ {GOAL_RATIO:.0f}×){'' if met else ' — missed'}")
    common.record(
        "reports",
        {"dashboard_s": round(page, 4), "report_pdf_s": round(rendered, 4), "ratio": round(ratio, 2), "met": met},
    )
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
