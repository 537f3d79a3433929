"""Key drivers and churn training over the large data set, each as a ratio to the full KPI recompute, same run.

- reference: ``metrics.services.snapshots_recompute`` — the nightly full recomputation of every KPI
  (the steady state: snapshots already there), timed in this run;
- product: ``decisions.services.drivers.drivers_analyse`` (relationship NPS over every answer, with its 200
  bootstrap resamples) and ``decisions.services.churn.churn_model_train`` (features at four moments, the
  held-out evaluation, the refit and scoring every active customer, written as risks).

Goal (issue 15): each ≤ 1 × the recompute; exits 1 when one is missed.

    .venv/bin/python bench/decisions.py [--answers 1000000] [--customers 100000]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, dataset  # noqa: E402

GOAL = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()
    common.require_postgres()
    url = common.database_url()
    info = dataset.ensure(url, answers=args.answers, customers=args.customers)
    common.setup_django(url)

    from django.conf import settings

    from decisions.services.churn import churn_model_train

    # The generated churn is random (no signal), so the model would rightly refuse as too weak and stop
    # before scoring; the bench times the whole path, scoring and storing every risk included.
    settings.CX_CHURN_MIN_AUC = 0.0
    from decisions.services.drivers import drivers_analyse
    from metrics.services import snapshots_recompute

    snapshots_recompute()  # the snapshots exist: the timed run below is the nightly steady state
    start = time.perf_counter()
    snapshots_recompute()
    ref = time.perf_counter() - start
    start = time.perf_counter()
    analysis = drivers_analyse(kpi="nps")
    drivers_s = time.perf_counter() - start
    start = time.perf_counter()
    model = churn_model_train()
    churn_s = time.perf_counter() - start

    print(f"decisions: over {args.answers:,} answers, {args.customers:,} customers (PostgreSQL)")
    if not info["reused"]:
        print(f"  data set generated in {info['seconds']:.1f} s")
    print(f"  reference, snapshots_recompute (every KPI × scope × bucket): {ref:8.2f} s")
    print(
        f"  drivers_analyse (relationship NPS, {len(analysis.drivers)} drivers, n={analysis.n:,}"
        f"{', refused: ' + analysis.refused if analysis.refused else ''}): {drivers_s:8.2f} s  "
        f"ratio {drivers_s / ref:5.2f}  (goal ≤ {GOAL:.0f})"
    )
    print(
        f"  churn_model_train ({model.status}{' ' + model.reason if model.reason else ''}, AUC "
        f"{model.auc if model.auc is None else round(model.auc, 3)}, {model.scored:,} scored): {churn_s:8.2f} s  "
        f"ratio {churn_s / ref:5.2f}  (goal ≤ {GOAL:.0f})"
    )
    met = drivers_s / ref <= GOAL and churn_s / ref <= GOAL
    common.record(
        "decisions",
        {
            "reference_s": round(ref, 3),
            "drivers_s": round(drivers_s, 3),
            "drivers_ratio": round(drivers_s / ref, 2),
            "churn_s": round(churn_s, 3),
            "churn_ratio": round(churn_s / ref, 2),
            "churn_status": model.status,
            "churn_auc": model.auc,
            "goal": f"<= {GOAL}",
            "met": met,
        },
    )
    if not met:
        sys.exit(f"goal missed: drivers {drivers_s / ref:.2f} ×, churn {churn_s / ref:.2f} × the recompute")


if __name__ == "__main__":
    main()
