"""``make bench-scale``: the 10 M-answer goals of issue 17 (P6, P8, P9), as ratios measured in the same run.

- **P6** incremental recompute after 1,000 new answers: the minutely run
  (``metrics.services.snapshots_recompute_if_changed``) on the store of 10,000,000 answers against the same
  run on the store of 1,000,000, rounds alternating between the two, medians compared. Goal ≤ 1.3×: its cost
  follows the new data, not the history. After each run the day's company NPS snapshot must equal the answers
  (checked, or the benchmark fails).
- **P8** peak memory (RSS, ``getrusage``) of the process running the full recompute at 10 M answers, once into
  an empty snapshot table and once in the steady state (only changed cells written). Goal ≤ 1 GB. The full
  recompute's time per million answers is printed beside the one-statement SQL aggregate (P2's reference).
- **P9** dashboard p95 at 10 M answers against 1,000 answers: ``bench/dashboard.py`` with the 10 M store as its
  large data set. Goal ≤ 1.2×.

The 10 M store is ``<name>_scale`` (``bench/dataset.py --answers 10000000``, kept between runs by its marker;
generating it takes about 15 minutes on the 2-core machine of BENCHMARKS.md); the 1 M store is the one of
``make bench``. Each measurement runs in a process of its own (``--measure``), so the memory and the database
connection are that measurement's alone. Results go to bench/results_scale.json, whose goal rows
``make bench`` prints in its goals table too.

    .venv/bin/python bench/scale.py [--rounds 3] [--requests 60] [--answers 10000000]
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, dataset, goals  # noqa: E402

RESULTS = common.BASE_DIR / "bench" / "results_scale.json"
LARGE = {"answers": 10_000_000, "customers": 100_000}
BASE = {"answers": 1_000_000, "customers": 100_000}
NEW_ANSWERS = 1_000  # two scored answers per response
P6_GOAL, P8_GOAL_GB, P9_GOAL = 1.3, 1.0, 1.2

# 500 responses (two scored answers each) to random surveys from random customers, submitted just now.
NEW_RESPONSES_SQL = """
WITH c AS (SELECT min(id) AS lo, max(id) AS hi FROM journeys_customer),
r AS (
    INSERT INTO surveys_response (survey_id, customer_id, touchpoint_id, external_id, invitation_id, source,
                                 language, submitted_at, created_at)
    SELECT s.id, c.lo + floor(random() * (c.hi - c.lo + 1))::bigint, s.touchpoint_id, NULL, NULL, 'public_link',
           'en', now(), now()
    FROM generate_series(1, %(n)s) g
    CROSS JOIN c
    JOIN surveys_survey s ON s.id = (SELECT array_agg(id ORDER BY id) FROM surveys_survey)[g %% %(surveys)s + 1]
    RETURNING id, survey_id
)
INSERT INTO surveys_answer (response_id, question_id, value, text, choices)
SELECT r.id, q.id,
       CASE q.kind WHEN 'nps' THEN floor(random() * 11) WHEN 'csat' THEN 1 + floor(random() * 5)
                   ELSE 1 + floor(random() * 7) END,
       '', '[]'::jsonb
FROM r JOIN surveys_question q ON q.survey_id = r.survey_id
WHERE q.kind IN ('nps', 'csat', 'ces')
"""

# Today's company-wide NPS from the answers (the check of each incremental run).
TODAY_NPS_SQL = """
SELECT count(*), count(*) FILTER (WHERE a.value >= 9), count(*) FILTER (WHERE a.value <= 6)
FROM surveys_answer a JOIN surveys_question q ON q.id = a.question_id JOIN surveys_response r ON r.id = a.response_id
WHERE q.kind = 'nps' AND a.value IS NOT NULL
  AND (r.submitted_at AT TIME ZONE %(tz)s)::date = (now() AT TIME ZONE %(tz)s)::date
"""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure_full(url: str, *, cold: bool) -> dict:
    """One full recompute (into an empty snapshot table when ``cold``), its time, the reference's, peak RSS."""
    common.setup_django(url)
    from bench.recompute import reference
    from metrics.models import KpiSnapshot
    from metrics.services import snapshots_recompute

    if cold:
        KpiSnapshot.objects.all().delete()
    before = _peak_rss_mb()
    start = time.perf_counter()
    run = snapshots_recompute()
    seconds = time.perf_counter() - start
    peak = _peak_rss_mb()
    start = time.perf_counter()
    reference()
    reference_s = time.perf_counter() - start
    return {
        "seconds": seconds,
        "reference_s": reference_s,
        "snapshots": run.snapshots_written,
        "rss_before_mb": before,
        "rss_peak_mb": peak,
    }


def measure_incremental(url: str) -> dict:
    """Add 1,000 answers, then time the minutely run; check today's company NPS against the answers."""
    common.setup_django(url)
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from metrics.kpis import Stats, compute
    from metrics.models import KpiSnapshot, RecomputeRun
    from metrics.services import snapshots_recompute, snapshots_recompute_if_changed

    if not RecomputeRun.objects.exists():
        snapshots_recompute()
    snapshots_recompute_if_changed()  # settle anything left over, so the timed run sees only the new answers
    with connection.cursor() as cursor:
        cursor.execute(NEW_RESPONSES_SQL, {"n": NEW_ANSWERS // 2, "surveys": dataset.SURVEYS})
        added = cursor.rowcount
    start = time.perf_counter()
    run = snapshots_recompute_if_changed()
    seconds = time.perf_counter() - start
    if run is None or run.kind != RecomputeRun.Kind.CHANGED:
        sys.exit("the minutely run did not notice the new answers")
    with connection.cursor() as cursor:
        cursor.execute(TODAY_NPS_SQL, {"tz": settings.TIME_ZONE})
        n, promoters, detractors = cursor.fetchone()
    expected = compute("nps", Stats(n, 0.0, 0.0, promoters, 0, detractors)).value if n else None
    stored = (
        KpiSnapshot.objects.filter(
            kpi="nps", scope_type="company", bucket="day", period_start=timezone.localdate()
        ).values_list("value", flat=True)
    ).first()
    if expected is not None and (stored is None or abs(stored - expected) > 1e-9):
        sys.exit(f"after the minutely run today's company NPS is {stored}, the answers say {expected}")
    return {"seconds": seconds, "answers_added": added, "snapshots": run.snapshots_written}


def _measure(kind: str, url: str, **flags) -> dict:
    cmd = [common.PYTHON, __file__, "--measure", kind, "--database", url]
    cmd += [f"--{name}" for name, on in flags.items() if on]
    out = subprocess.run(cmd, cwd=common.BASE_DIR, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(out.strip().splitlines()[-1])


def _count_answers(url: str) -> int:
    with common.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM surveys_answer").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="incremental runs per store (alternating)")
    parser.add_argument("--requests", type=int, default=60, help="dashboard requests per page and store")
    parser.add_argument("--answers", type=int, default=LARGE["answers"], help="size of the large store")
    parser.add_argument("--measure", choices=["full", "incremental"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure == "full":
        print(json.dumps(measure_full(args.database, cold=args.cold)))
        return
    if args.measure == "incremental":
        print(json.dumps(measure_incremental(args.database)))
        return

    common.require_postgres()
    started = time.perf_counter()
    large_url, base_url = common.database_url("_scale"), common.database_url()
    generated = {}
    for url, size in ((large_url, {**LARGE, "answers": args.answers}), (base_url, BASE)):
        info = dataset.ensure(url, **size)
        generated[common.database_name(url)] = None if info["reused"] else round(info["seconds"], 1)
    answers = {url: _count_answers(url) for url in (large_url, base_url)}
    print(f"scale: {answers[large_url]:,} answers against {answers[base_url]:,} (and 1,000 for the dashboards)")

    # P8: the full recompute at 10 M, once into an empty table and once in the steady state.
    full = {"cold": _measure("full", large_url, cold=True), "steady": _measure("full", large_url)}
    peak_gb = max(r["rss_peak_mb"] for r in full.values()) / 1024
    per_million = full["steady"]["seconds"] / (answers[large_url] / 1e6)
    for name, r in full.items():
        print(
            f"  full recompute ({name}): {r['seconds']:.1f} s, {r['snapshots']:,} snapshots written, peak RSS "
            f"{r['rss_peak_mb']:.0f} MB (after Django's start {r['rss_before_mb']:.0f} MB); the one-statement "
            f"aggregate {r['reference_s']:.1f} s ({r['seconds'] / r['reference_s']:.2f}×)"
        )

    # P6: the minutely run after 1,000 new answers, alternating between the two stores.
    times = {large_url: [], base_url: []}
    for i in range(args.rounds):
        for url in (large_url, base_url) if i % 2 == 0 else (base_url, large_url):
            times[url].append(_measure("incremental", url)["seconds"])
    incremental = {url: common.median(values) for url, values in times.items()}
    p6 = incremental[large_url] / incremental[base_url]
    print(
        f"  minutely run after {NEW_ANSWERS:,} new answers: {incremental[large_url]:.2f} s at "
        f"{answers[large_url]:,} answers, {incremental[base_url]:.2f} s at {answers[base_url]:,} "
        f"({p6:.2f}×; rounds {[round(t, 2) for t in times[large_url]]} / {[round(t, 2) for t in times[base_url]]})"
    )

    # P9: the dashboards on the 10 M store against 1,000 answers (bench/dashboard.py records its entry).
    subprocess.run(  # noqa: S603 - our own script
        [
            common.PYTHON,
            "bench/dashboard.py",
            "--requests",
            str(args.requests),
            "--large",
            large_url,
            "--large-answers",
            str(args.answers),
            "--record",
            "dashboard_scale",
            "--results",
            str(RESULTS),
        ],
        cwd=common.BASE_DIR,
        check=True,
    )
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    p9 = results["dashboard_scale"]["max_p95_ratio"]

    rows = [
        goals.goal_row(
            "P6",
            "incremental recompute after 1,000 new answers: store of 10 M answers vs store of 1 M",
            measured=p6,
            goal=f"≤ {P6_GOAL}×",
            met=p6 <= P6_GOAL,
        ),
        goals.goal_row(
            "P8",
            "peak memory (RSS) of the recompute at 10 M answers",
            measured=peak_gb,
            unit=" GB",
            goal=f"≤ {P8_GOAL_GB:.0f} GB",
            met=peak_gb <= P8_GOAL_GB,
        ),
        goals.goal_row(
            "P9",
            "dashboard p95 at 10 M vs 1 k answers",
            measured=p9,
            goal=f"≤ {P9_GOAL}×",
            met=p9 <= P9_GOAL,
        ),
    ]
    total = time.perf_counter() - started
    results["scale"] = {
        "answers_large": answers[large_url],
        "answers_base": answers[base_url],
        "generated_s": generated,
        "full_recompute": full,
        "full_recompute_s_per_million_answers": round(per_million, 2),
        "incremental_s": {"large": times[large_url], "base": times[base_url]},
        "incremental_ratio": round(p6, 2),
        "peak_rss_gb": round(peak_gb, 3),
        "seconds": round(total, 1),
        "goals": rows,
        "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print("\n=== goals of issue 17 at 10 M answers (see BENCHMARKS.md)")
    print(goals.format_table(rows))
    print(f"make bench-scale took {total / 60:.1f} min; results: {RESULTS.relative_to(common.BASE_DIR)}")
    if goals.missed(rows):
        sys.exit(f"missed: {', '.join(goals.missed(rows))}")


if __name__ == "__main__":
    main()
