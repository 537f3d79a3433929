"""Run every benchmark in sequence (``make bench``), print a summary table and write bench/results.json.

Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cx_bench) names the
benchmark database; the benchmarks create and use ``cx_bench``, ``cx_bench_small``, ``cx_bench_submit``
and ``cx_bench_distribution`` on that server (never any other database). The large data set is
generated on the first run and reused while its marker matches (see bench/dataset.py).

    .venv/bin/python bench/run_all.py [--quick]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, goals  # noqa: E402

RESULTS = common.BASE_DIR / "bench" / "results.json"
# Written by other benchmark runs (``make bench-scale``: P6, P8, P9); their goal rows join the table.
OTHER_RESULTS = [common.BASE_DIR / "bench" / "results_scale.json"]


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    with common.connect(common.database_url().rsplit("/", 1)[0] + "/postgres") as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "postgresql": pg,
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and requests (a smoke run)")
    args = parser.parse_args()
    common.require_postgres()
    python = common.PYTHON
    distribution_url = common.database_url("_distribution")
    steps = [
        ("dataset", [python, "bench/dataset.py"], {}),
        ("recompute", [python, "bench/recompute.py", "--rounds", "1" if args.quick else "3"], {}),
        ("decisions", [python, "bench/decisions.py"], {}),
        ("dashboard", [python, "bench/dashboard.py", "--requests", "20" if args.quick else "60"], {}),
        ("submit", [python, "bench/submit.py", "--submits", "100" if args.quick else "300"], {}),
        ("distribution", [python, "bench/distribution.py"], {"BENCH_DATABASE_URL": distribution_url}),
        ("voice", [python, "bench/voice.py", "--texts", "20000" if args.quick else "100000"], {}),
        ("reports", [python, "bench/reports.py", "--rounds", "2" if args.quick else "5"], {}),
    ]
    if RESULTS.exists():
        RESULTS.unlink()
    info = machine()
    started = time.perf_counter()
    failed = []
    durations = {}
    for name, cmd, env in steps:
        print(f"\n=== {name}: {' '.join(cmd[1:])}", flush=True)
        if name == "distribution":
            common.recreate_database(distribution_url)
        t0 = time.perf_counter()
        code = subprocess.run(cmd, cwd=common.BASE_DIR, env={**os.environ, **env}).returncode  # noqa: S603
        durations[name] = round(time.perf_counter() - t0, 1)
        if code != 0:
            failed.append(name)
    total = time.perf_counter() - started

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["run"] = {
        "machine": info,
        "seconds": round(total, 1),
        "step_seconds": durations,
        "failed": failed,
        "quick": args.quick,
    }
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"\n=== summary ({info['nproc']} cores, {info['cpu']}, PostgreSQL {info['postgresql']})")
    print(f"{'benchmark':<14} {'reference':<44} {'product':<34} {'ratio':>8}  goal")
    rows = []
    if "recompute" in results:
        r = results["recompute"]
        rows.append(
            (
                "recompute",
                f"1 SQL aggregate {r['reference_s']:.2f} s",
                f"full recompute {r['product_s']:.2f} s",
                f"{r['ratio']:.2f}×",
                "≤ 3×" + ("" if r["met"] else " (missed)"),
            )
        )
    if "dashboard" in results:
        d = results["dashboard"]
        worst = max(d["pages"].items(), key=lambda item: item[1]["p95_ratio"])
        rows.append(
            (
                "dashboard",
                f"p95 with {d['answers_small']:,} answers",
                f"p95 with {d['answers_large']:,} answers",
                f"{d['max_p95_ratio']:.2f}×",
                f"~1× (worst: {worst[0]})",
            )
        )
    if "submit" in results:
        s = results["submit"]
        rows.append(
            (
                "submit",
                f"minimal view {s['reference_per_s']:.0f}/s",
                f"survey submit {s['product_per_s']:.0f}/s",
                f"{s['ratio']:.2f}",
                "≥ 0.5 (P1)",
            )
        )
    if "distribution" in results:
        s = results["distribution"]
        rows.append(
            (
                "distribution",
                f"smtplib {s['reference_per_s']:.0f}/s",
                f"invitations_send {s['product_per_s']:.0f}/s",
                f"{s['ratio']:.2f}",
                "≥ 0.7 (P4)",
            )
        )
    if "voice" in results:
        v = results["voice"]
        rows.append(
            (
                "voice",
                f"F1 plain count de {v['quality']['de']['plain_count']:.2f} en {v['quality']['en']['plain_count']:.2f}",
                f"engine de {v['quality']['de']['engine']:.2f} en {v['quality']['en']['engine']:.2f}",
                f"{v['texts_per_s']:,}/s",
                f"≥ 1,000/s, rebuild {v['rebuild_s']:.0f} s ≤ 60 s" + ("" if v["met"] else " (missed)"),
            )
        )
    if "reports" in results:
        r = results["reports"]
        rows.append(
            (
                "reports",
                f"dashboard overview {r['dashboard_s'] * 1000:.0f} ms",
                f"report PDF {r['report_pdf_s'] * 1000:.0f} ms",
                f"{r['ratio']:.1f}×",
                "≤ 10×" + ("" if r["met"] else " (missed)"),
            )
        )
    for row in rows:
        print(f"{row[0]:<14} {row[1]:<44} {row[2]:<34} {row[3]:>8}  {row[4]}")
    goal_rows = goals.merge(
        *[goals.rows_from(json.loads(path.read_text())) for path in OTHER_RESULTS if path.exists()],
        goals.rows_from(results),
    )
    print("\n=== goals of issue 17 (ratios measured in the same run; see BENCHMARKS.md)")
    print(goals.format_table(goal_rows))
    failed += [f"goal {goal_id}" for goal_id in goals.missed(goal_rows)]
    results["run"]["goals"] = goal_rows
    results["run"]["failed"] = failed
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"make bench took {total / 60:.1f} min ({', '.join(f'{k} {v:.0f} s' for k, v in durations.items())})")
    print(f"results: {RESULTS.relative_to(common.BASE_DIR)}")
    if failed:
        sys.exit(f"failed or missed their goal: {', '.join(failed)}")


if __name__ == "__main__":
    main()
