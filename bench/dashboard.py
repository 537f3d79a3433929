"""Dashboard latency with 1,000,000 answers stored, as a ratio to the same pages with 1,000 answers.

Dashboards read snapshots, never answers, so their latency should not depend on how many answers are
stored: the ratio large/small should be about 1. Two gunicorn servers (one worker each, the production
settings) serve the same code, one on the large data set and one on the small one (both recomputed);
a logged-in CX manager requests each page alternately from both, and the median and 95th percentile
of each are compared:

- the KPI overview (``/dashboards/``: a card per KPI with sparkline, previous period and target);
- the metrics API (``/api/v1/metrics/?kpi=nps&bucket=month`` over a year);
- the trends page (NPS per month, with the margin band and promoter/passive/detractor stack);
- the journey map lit up (``/dashboards/maps/<id>/kpis/``, the htmx fragment with the touchpoint badges).

    .venv/bin/python bench/dashboard.py [--requests 60]
"""

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, dataset  # noqa: E402

SMALL = {"answers": 1_000, "customers": 1_000}
LARGE = {"answers": 1_000_000, "customers": 100_000}


def _ensure_snapshots(url: str, var_dir: str) -> None:
    with common.connect(url) as conn:
        runs = conn.execute("SELECT count(*) FROM metrics_recomputerun").fetchone()[0]
    if not runs:
        env = common.django_env(url, var_dir)
        cmd = [common.PYTHON, "manage.py", "recompute_metrics"]
        subprocess_run(cmd, env)


def subprocess_run(cmd: list[str], env: dict) -> None:
    import subprocess

    subprocess.run(cmd, cwd=common.BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def _pages(url: str) -> list[tuple[str, str, dict]]:
    with common.connect(url) as conn:
        map_id = conn.execute("SELECT min(id) FROM journeys_journeymap").fetchone()[0]
    today = date.today()  # noqa: DTZ011 - a query parameter only
    year_ago = (today - timedelta(days=364)).isoformat()
    return [
        ("overview", "/dashboards/", {}),
        ("metrics API", f"/api/v1/metrics/?kpi=nps&bucket=month&from={year_ago}&to={today.isoformat()}", {}),
        ("trends", "/dashboards/trends/?kpi=nps&bucket=month", {}),
        ("map lit up", f"/dashboards/maps/{map_id}/kpis/", {"HX-Request": "true"}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="per page and data set")
    parser.add_argument("--large", help="the large data set's database (default: BENCH_DATABASE_URL's)")
    parser.add_argument("--large-answers", type=int, default=LARGE["answers"], help="its size (answers)")
    parser.add_argument("--record", default="dashboard", help="the name of the result entry")
    parser.add_argument("--results", type=Path, help="the results file (default bench/results.json)")
    args = parser.parse_args()
    common.require_postgres()
    import requests

    large_url, small_url = args.large or common.database_url(), common.database_url("_small")
    dataset.ensure(large_url, **{**LARGE, "answers": args.large_answers})
    dataset.ensure(small_url, **SMALL)
    answers = {}
    with tempfile.TemporaryDirectory(prefix="cxportal-bench-") as var_dir:
        for url in (large_url, small_url):
            _ensure_snapshots(url, var_dir)
            with common.connect(url) as conn:
                answers[url] = conn.execute("SELECT count(*) FROM surveys_answer").fetchone()[0]
        pages = {url: _pages(url) for url in (large_url, small_url)}
        with (
            common.gunicorn(common.django_env(large_url, var_dir), workers=1) as large,
            common.gunicorn(common.django_env(small_url, var_dir), workers=1) as small,
        ):
            servers = {large_url: large, small_url: small}
            sessions = {}
            for url, server in servers.items():
                sessions[url] = requests.Session()
                common.login(sessions[url], server)
            times = {(name, url): [] for url in servers for name, _path, _headers in pages[url]}
            for i in range(args.requests + 5):  # the first 5 warm up each worker
                for index in range(len(pages[large_url])):
                    order = (large_url, small_url) if i % 2 == 0 else (small_url, large_url)
                    for url in order:
                        name, path, headers = pages[url][index]
                        start = time.perf_counter()
                        response = sessions[url].get(servers[url] + path, headers=headers, timeout=60)
                        elapsed = time.perf_counter() - start
                        if response.status_code != 200:
                            sys.exit(f"{name} ({servers[url]}{path}) answered HTTP {response.status_code}")
                        if i >= 5:
                            times[(name, url)].append(elapsed)

    print(
        f"dashboard: latency with {answers[large_url]:,} answers vs {answers[small_url]:,} answers stored "
        f"(gunicorn, 1 worker each, {args.requests} requests per page, alternating)"
    )
    print(f"  {'page':<12} {'large median':>12} {'p95':>8} {'small median':>13} {'p95':>8} {'p95 ratio':>10}")
    result = {"answers_large": answers[large_url], "answers_small": answers[small_url], "pages": {}}
    ratios = []
    for name, _path, _headers in pages[large_url]:
        big, little = times[(name, large_url)], times[(name, small_url)]
        row = {
            "large_median_ms": round(1000 * common.median(big), 1),
            "large_p95_ms": round(1000 * common.percentile(big, 0.95), 1),
            "small_median_ms": round(1000 * common.median(little), 1),
            "small_p95_ms": round(1000 * common.percentile(little, 0.95), 1),
        }
        row["p95_ratio"] = round(row["large_p95_ms"] / row["small_p95_ms"], 2)
        row["median_ratio"] = round(row["large_median_ms"] / row["small_median_ms"], 2)
        ratios.append(row["p95_ratio"])
        result["pages"][name] = row
        print(
            f"  {name:<12} {row['large_median_ms']:>9.1f} ms {row['large_p95_ms']:>5.1f} ms "
            f"{row['small_median_ms']:>10.1f} ms {row['small_p95_ms']:>5.1f} ms {row['p95_ratio']:>10.2f}"
        )
    result["max_p95_ratio"] = max(ratios)
    print(f"  ratio large/small of the p95 latency: at most {max(ratios):.2f} (about 1 expected: snapshots only)")
    common.record(args.record, result, args.results)


if __name__ == "__main__":
    main()
