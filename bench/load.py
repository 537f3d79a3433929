"""Load test: respondents answering a 5-question survey while CX managers load dashboards, against gunicorn +
PostgreSQL on 127.0.0.1 only.

It creates a database of its own (``<BENCH_DATABASE_URL name>_load``, default ``cx_bench_load``), migrates and
seeds it (the survey, one single-use invitation per simulated answer, a CX manager, 90 days of history and its
KPI snapshots), starts gunicorn, and runs for ``--duration`` seconds:

- ``--respondents`` simulated respondents (default 200), each in a loop: open the next invitation link
  (GET, which sets the CSRF cookie), post the five answers with the CSRF token, expect the redirect to the
  thank-you page, go on with the next invitation;
- ``--managers`` CX managers (default 4), logged in with a session, loading the dashboards in a loop.

It reports throughput and p50/p95/p99 latency per kind of request and the errors, then checks that there
was no 5xx and that every accepted answer (the thank-you redirect) is stored exactly once; it exits 1
otherwise. Invitation links are per respondent, so the public-link submit limit does not apply.

    .venv/bin/python bench/load.py [--duration 60] [--respondents 200] [--managers 4] [--workers 3]
    make load
"""

import argparse
import asyncio
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

MANAGER, MANAGER_PASSWORD = "load.manager", "load-only-password-2026"  # noqa: S105 - throw-away database
REQUEST_TIMEOUT = 60.0
DASHBOARDS = [
    ("dashboard overview", "/dashboards/"),
    ("dashboard nps", "/dashboards/kpi/?kpi=nps"),
    ("dashboard csat", "/dashboards/kpi/?kpi=csat&bucket=week"),
]
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- Seeding (in this process, on the load database) --------------------------------------------------


def seed(*, invitations: int) -> dict:
    """The survey, its campaign with ``invitations`` sent links, a CX manager, history and snapshots."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from cxportal import roles
    from journeys.models import Customer
    from metrics.services import snapshots_recompute
    from surveys.models import Answer, Campaign, Invitation, Question, Response
    from surveys.services import survey_create

    survey = survey_create(
        title="Load test: your visit",
        questions=[
            {"kind": Question.Kind.NPS, "text": "How likely are you to recommend us?"},
            {"kind": Question.Kind.CSAT, "text": "How satisfied were you with the visit?"},
            {"kind": Question.Kind.CES, "text": "It was easy to get what I needed."},
            {"kind": Question.Kind.SINGLE_CHOICE, "text": "How did you come?", "choices": ["Web", "Phone", "Store"]},
            {"kind": Question.Kind.LONG_TEXT, "text": "Anything else?", "required": False},
        ],
    )
    questions = list(survey.questions.order_by("position"))
    now = timezone.now()
    customers = Customer.objects.bulk_create(
        (Customer(external_id=f"L-{i}", email=f"load{i}@example.com", name=f"Load {i}") for i in range(invitations)),
        batch_size=5000,
    )
    campaign = Campaign.objects.create(
        survey=survey, name="Load", status=Campaign.Status.SENDING, send_at=now, dispatched_at=now
    )
    rows = Invitation.objects.bulk_create(
        (
            Invitation(campaign=campaign, customer=c, status=Invitation.Status.SENT, sent_at=now, last_sent_at=now)
            for c in customers
        ),
        batch_size=5000,
    )
    # 90 days of history, so the dashboards have snapshots to draw.
    rng = random.Random(7)  # noqa: S311 - test data
    history = Response.objects.bulk_create(
        Response(
            survey=survey, source=Response.Source.PUBLIC_LINK, submitted_at=now - timedelta(hours=rng.randint(1, 2160))
        )
        for _ in range(3000)
    )
    scored = questions[:3]
    Answer.objects.bulk_create(
        (Answer(response=r, question=q, value=rng.randint(*q.scale)) for r in history for q in scored),
        batch_size=5000,
    )
    snapshots_recompute()
    manager = User.objects.create_user(MANAGER, password=MANAGER_PASSWORD, email="load.manager@example.com")
    manager.groups.add(Group.objects.get(name=roles.CX_MANAGER))
    return {
        "tokens": [i.token for i in rows],
        "questions": [
            (f"q{q.pk}", q.kind, q.choices, q.scale if q.kind in Question.SCORED else None) for q in questions
        ],
        "campaign": campaign.pk,
    }


def stored_responses(campaign_id: int) -> Counter:
    """Responses per invitation token of the load campaign."""
    from django.db.models import Count

    from surveys.models import Response

    rows = (
        Response.objects.filter(invitation__campaign_id=campaign_id)
        .values("invitation__token")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter({r["invitation__token"]: r["n"] for r in rows})


# --- A small HTTP/1.1 client on asyncio (one connection per request, like a browser behind gunicorn sync) ----


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k == name), "")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)


class Client:
    """One simulated browser: keeps its cookies."""

    def __init__(self, host: str, port: int, stats: Stats):
        self.host, self.port, self.stats = host, port, stats
        self.cookies: dict[str, str] = {}

    async def request(self, kind: str, method: str, path: str, form: dict | None = None) -> Reply | None:
        body = urlencode(form or {}, doseq=True).encode() if method == "POST" else b""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Connection: close",
            "User-Agent: cxportal-load",
            "Accept: text/html",
        ]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        started = time.perf_counter()
        try:
            reply = await asyncio.wait_for(
                self._exchange(("\r\n".join(head) + "\r\n\r\n").encode() + body), REQUEST_TIMEOUT
            )
        except (TimeoutError, OSError, ValueError) as exc:
            self.stats.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            self.stats.statuses[kind]["error"] += 1
            return None
        self.stats.latencies[kind].append(time.perf_counter() - started)
        self.stats.statuses[kind][reply.status] += 1
        for name, value in reply.headers:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return reply

    async def _exchange(self, raw: bytes) -> Reply:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(raw)
            await writer.drain()
            data = await reader.read()
        finally:
            writer.close()
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = [(k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:])]
        if ("transfer-encoding", "chunked") in headers:
            body = _dechunk(body)
        return Reply(status, headers, body)


def _dechunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


# --- The simulated people -------------------------------------------------------------------------------


def answers(questions, rng: random.Random) -> dict:
    form = {}
    for name, _kind, choices, scale in questions:
        if scale:
            form[name] = str(rng.randint(*scale))
        elif choices:
            form[name] = rng.choice(choices)
        elif rng.random() < 0.3:
            form[name] = rng.choice(["Friendly staff.", "Took too long <b>really</b>", "=1+1 ok", "Danke!"])
    return form


async def respondent(n: int, host: str, port: int, tokens: list[str], questions, stats: Stats, deadline: float):
    rng = random.Random(n)  # noqa: S311 - simulated answers
    while time.monotonic() < deadline and tokens:
        token = tokens.pop()
        client = Client(host, port, stats)  # each invitation is another person's browser
        page = await client.request("respondent GET page", "GET", f"/s/i/{token}/")
        if page is None or page.status != 200:
            continue
        match = CSRF_INPUT.search(page.body)
        if not match:
            stats.errors.append("respondent GET page: no CSRF token in the form")
            continue
        form = {"csrfmiddlewaretoken": match.group(1).decode(), **answers(questions, rng)}
        reply = await client.request("respondent POST answers", "POST", f"/s/i/{token}/", form)
        if reply is None:
            continue
        if reply.status == 302 and reply.header("location").endswith(f"/s/i/{token}/thanks/"):
            stats.accepted.append(token)
        elif reply.status < 500:
            stats.errors.append(f"respondent POST answers: unexpected HTTP {reply.status}")


async def manager(n: int, host: str, port: int, stats: Stats, deadline: float):
    client = Client(host, port, stats)
    page = await client.request("manager login", "GET", "/accounts/login/")
    match = CSRF_INPUT.search(page.body) if page else None
    if not match:
        stats.errors.append("manager login: no login form")
        return
    form = {"csrfmiddlewaretoken": match.group(1).decode(), "username": MANAGER, "password": MANAGER_PASSWORD}
    reply = await client.request("manager login", "POST", "/accounts/login/", form)
    if reply is None or reply.status != 302:
        stats.errors.append(f"manager login failed: {reply.status if reply else 'no reply'}")
        return
    i = n
    while time.monotonic() < deadline:
        kind, path = DASHBOARDS[i % len(DASHBOARDS)]
        reply = await client.request(kind, "GET", path)
        if reply is not None and reply.status != 200 and reply.status < 500:
            stats.errors.append(f"{kind}: unexpected HTTP {reply.status}")
        i += 1


async def run_load(server: str, seeded: dict, args) -> tuple[Stats, float]:
    parts = urlsplit(server)
    stats = Stats()
    tokens = list(seeded["tokens"])
    random.Random(1).shuffle(tokens)  # noqa: S311
    # Warm every gunicorn worker up (imports, URLconf, templates) before measuring.
    warm = Stats()
    await asyncio.gather(
        *(
            Client(parts.hostname, parts.port, warm).request("warm", "GET", path)
            for path in ["/accounts/login/"] * args.workers * 4
        )
    )
    started = time.monotonic()
    deadline = started + args.duration
    await asyncio.gather(
        *(
            respondent(n, parts.hostname, parts.port, tokens, seeded["questions"], stats, deadline)
            for n in range(args.respondents)
        ),
        *(manager(n, parts.hostname, parts.port, stats, deadline) for n in range(args.managers)),
    )
    if not tokens:
        print("load: every seeded invitation link was used; seed more with --invitations", flush=True)
    return stats, time.monotonic() - started


# --- Report -----------------------------------------------------------------------------------------------


def report(stats: Stats, elapsed: float, stored: Counter, args) -> list[str]:
    print(f"\nload: {args.respondents} respondents + {args.managers} CX managers for {elapsed:.1f} s", end="")
    print(f", gunicorn with {args.workers} workers")
    print(f"{'request':<26}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    total = 0
    for kind in sorted(stats.statuses):
        lat = [x * 1000 for x in stats.latencies[kind]]
        count = sum(stats.statuses[kind].values())
        total += count
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(stats.statuses[kind].items(), key=str))
        p = [common.percentile(lat, q) for q in (0.5, 0.95, 0.99)]
        print(f"{kind:<26}{count:>8}{count / elapsed:>9.1f}{p[0]:>9.0f}{p[1]:>9.0f}{p[2]:>9.0f}  {statuses}")
    print(f"{'all requests':<26}{total:>8}{total / elapsed:>9.1f}")
    accepted = Counter(stats.accepted)
    rate = len(stats.accepted) / elapsed
    print(f"answers accepted: {len(stats.accepted)} ({rate:.1f}/s); stored: {sum(stored.values())}")

    failures = []
    server_errors = sum(n for c in stats.statuses.values() for s, n in c.items() if isinstance(s, int) and s >= 500)
    if server_errors:
        failures.append(f"{server_errors} responses were 5xx")
    if stats.errors:
        shown = Counter(stats.errors).most_common(5)
        failures.append(f"{len(stats.errors)} request errors, e.g. {shown}")
    not_once = {t: stored.get(t, 0) for t in accepted if stored.get(t, 0) != 1}
    if not_once:
        failures.append(f"{len(not_once)} accepted answers not stored exactly once, e.g. {list(not_once.items())[:5]}")
    unacknowledged = set(stored) - set(accepted)
    if unacknowledged:
        failures.append(f"{len(unacknowledged)} answers stored that were never acknowledged to the respondent")
    if any(n > 1 for n in stored.values()):
        failures.append("an invitation has more than one response")
    if not stats.accepted:
        failures.append("no answer was accepted")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--respondents", type=int, default=200, help="simulated respondents (default 200)")
    parser.add_argument("--managers", type=int, default=4, help="CX managers loading dashboards (default 4)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--invitations", type=int, default=0, help="links to seed (default: enough for 100/s)")
    args = parser.parse_args()
    if not (0 < args.duration <= 600 and 0 < args.respondents <= 1000 and 0 <= args.managers <= 50):
        parser.error("bounded load only: --duration ≤ 600, --respondents ≤ 1000, --managers ≤ 50")

    common.require_postgres()
    url = common.database_url("_load")
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the load test runs against a local PostgreSQL only (127.0.0.1)")
    common.recreate_database(url)
    var_dir = tempfile.mkdtemp(prefix="cxportal-load-")
    # Follow-up tasks (detractor answers) go to a broker directory of this run, never to a live queue.
    env = common.django_env(
        url, var_dir, CELERY_BROKER_URL="filesystem://", CELERY_TASK_ALWAYS_EAGER="false", CONN_MAX_AGE="60"
    )
    print(f"load: migrating and seeding {common.database_name(url)} …", flush=True)
    subprocess.run(  # noqa: S603 - our own command line
        [common.PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=common.BASE_DIR, env=env, check=True
    )
    common.setup_django(url, var_dir)
    from django.db import connections

    seeded = seed(invitations=args.invitations or int(100 * args.duration) + 1000)
    connections.close_all()

    with common.gunicorn(env, workers=args.workers) as server:
        print(f"load: {server}, {len(seeded['tokens'])} invitation links, running {args.duration:.0f} s …", flush=True)
        stats, elapsed = asyncio.run(run_load(server, seeded, args))
    stored = stored_responses(seeded["campaign"])
    connections.close_all()
    failures = report(stats, elapsed, stored, args)
    for failure in failures:
        print(f"FAIL: {failure}")
    print("load: OK — zero 5xx, every accepted answer stored exactly once" if not failures else "load: FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
