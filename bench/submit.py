"""Response submission throughput through gunicorn, as a ratio to a minimal Django view, in the same run.

One gunicorn server (``--workers``, the production settings on PostgreSQL) serves both sides, and the
same concurrent client (``--clients`` threads, each with its own session and CSRF cookie) drives them:

- reference: ``POST /bench/insert/`` — a minimal Django view inserting one row into a table of its own
  (bench/minimal_urls.py), through the same middleware: the floor of any view that stores something;
- product: respondents ``POST`` their answers (NPS, CSAT, a comment) to their single-use invitation links
  ``/s/i/<token>/`` — the respondent view and ``surveys.services.response_submit`` (validation, one
  response and its answers in one transaction, the invitation marked answered), then a redirect.

Rounds alternate between the two; the medians of the rates are compared. Every product submit must
store exactly one response. The ratio product/reference is printed, never asserted.

    .venv/bin/python bench/submit.py [--submits 300] [--rounds 3] [--clients 4] [--workers 2]
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, dataset  # noqa: E402

SIZE = {"answers": 1_000, "customers": 1_000}


def _prepare(url: str, count: int) -> tuple[list[str], dict]:
    """``count`` fresh invitations (new campaigns of one survey) and the form data of a valid answer."""
    with common.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_row (id bigserial PRIMARY KEY, payload text)")
        survey_id = conn.execute("SELECT min(survey_id) FROM surveys_question WHERE kind = 'csat'").fetchone()[0]
        questions = conn.execute(
            "SELECT id, kind FROM surveys_question WHERE survey_id = %s ORDER BY position, id", [survey_id]
        ).fetchall()
        customers = [row[0] for row in conn.execute("SELECT id FROM journeys_customer ORDER BY id").fetchall()]
        tokens = []
        while len(tokens) < count:
            campaign = conn.execute(
                "INSERT INTO surveys_campaign (survey_id, name, kind, send_at, status, max_reminders, created_at) "
                "VALUES (%s, 'Bench submit', 'scheduled', now(), 'sent', 0, now()) RETURNING id",
                [survey_id],
            ).fetchone()[0]
            n = min(len(customers), count - len(tokens))
            rows = conn.execute(
                """
                INSERT INTO surveys_invitation (campaign_id, customer_id, token, status, queued_at, claimed_at,
                    sent_at, last_sent_at, reminders_sent, attempts, error, created_at)
                SELECT %s, c, md5(random()::text) || md5(random()::text), 'sent', now(), now(), now(), now(),
                       0, 1, '', now()
                FROM unnest(%s::bigint[]) c
                RETURNING token
                """,
                [campaign, customers[:n]],
            ).fetchall()
            tokens += [row[0] for row in rows]
    values = {"nps": "9", "csat": "4", "ces": "6", "long_text": "Quick and friendly, thank you."}
    form = {f"q{qid}": values.get(kind, "") for qid, kind in questions}
    return tokens, {**form, "nav": "submit"}


def _drive(server: str, requests_per_client: list[list[tuple[str, dict]]], expect: int) -> float:
    """Send each client's requests from its own thread; the seconds until all are answered."""
    import requests

    sessions = []
    for _ in requests_per_client:
        session = requests.Session()
        session.get(f"{server}/accounts/login/", timeout=30).raise_for_status()  # the CSRF cookie
        sessions.append(session)
    failures = []

    def client(session, work):
        token = session.cookies["csrftoken"]
        for path, data in work:
            response = session.post(
                server + path, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=60
            )
            if response.status_code != expect:
                failures.append(f"{path}: HTTP {response.status_code}")

    threads = [threading.Thread(target=client, args=(s, w)) for s, w in zip(sessions, requests_per_client, strict=True)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if failures:
        sys.exit(f"{len(failures)} requests failed, e.g. {failures[:3]}")
    return elapsed


def _split(items: list, parts: int) -> list[list]:
    return [items[i::parts] for i in range(parts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=300, help="per round and side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    common.require_postgres()
    url = common.database_url("_submit")
    dataset.ensure(url, **SIZE)
    tokens, answer = _prepare(url, args.submits * args.rounds)
    with common.connect(url) as conn:
        before = conn.execute("SELECT count(*) FROM surveys_response").fetchone()[0]
    ref_rates, prod_rates = [], []
    with tempfile.TemporaryDirectory(prefix="cxportal-bench-") as var_dir:
        env = common.django_env(
            url, var_dir, DJANGO_SETTINGS_MODULE="bench.minimal_settings", CELERY_TASK_ALWAYS_EAGER="false"
        )
        with common.gunicorn(env, workers=args.workers) as server:
            # Warm up both paths in every worker.
            warm = [("/bench/insert/", {"payload": "warm-up"})] * (4 * args.workers)
            _drive(server, _split(warm, args.clients), 200)
            for r in range(args.rounds):
                reference = [("/bench/insert/", {"payload": f"row {r}-{i}"}) for i in range(args.submits)]
                elapsed = _drive(server, _split(reference, args.clients), 200)
                ref_rates.append(args.submits / elapsed)
                batch = tokens[r * args.submits : (r + 1) * args.submits]
                product = [(f"/s/i/{token}/", answer) for token in batch]
                elapsed = _drive(server, _split(product, args.clients), 302)
                prod_rates.append(args.submits / elapsed)
    with common.connect(url) as conn:
        stored = conn.execute("SELECT count(*) FROM surveys_response").fetchone()[0] - before
    if stored != len(tokens):
        sys.exit(f"{stored} responses stored for {len(tokens)} submits")
    ref, prod = common.median(ref_rates), common.median(prod_rates)
    print(
        f"submit: {args.submits} submits per round, {args.rounds} alternating rounds, {args.clients} concurrent "
        f"clients, gunicorn with {args.workers} sync workers (PostgreSQL)"
    )
    print(f"  minimal view inserting one row : {ref:8.1f} requests/s")
    print(f"  survey submit (invitation link): {prod:8.1f} responses/s")
    print(f"  ratio submit/minimal view      : {prod / ref:8.3f}")
    common.record(
        "submit",
        {
            "reference_per_s": round(ref, 1),
            "product_per_s": round(prod, 1),
            "ratio": round(prod / ref, 3),
            "clients": args.clients,
            "workers": args.workers,
            "submits": args.submits * args.rounds,
        },
    )


if __name__ == "__main__":
    main()
