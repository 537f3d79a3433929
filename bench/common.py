"""What the PostgreSQL benchmarks share: the databases, the environment, a gunicorn server, statistics.

The benchmarks use databases of their own, named after ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/cx_bench``): the large data set lives in that database, the small
ones in ``<name>_small``, ``<name>_submit`` and ``<name>_distribution``, the 10 M store of ``make bench-scale``
in ``<name>_scale``. Nothing else is touched.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cx_bench"
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - throw-away
BENCH_USER, BENCH_PASSWORD = "bench.manager", "bench-only-password-2026"  # noqa: S105 - bench databases only


def base_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL


def database_url(suffix: str = "") -> str:
    """The benchmark database ``<name><suffix>`` on the server of BENCH_DATABASE_URL."""
    parts = urlsplit(base_url())
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance_dsn(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def connect(url: str, **kwargs):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(scheme="postgresql")), **kwargs)


def require_postgres() -> None:
    """Exit with a clear message when the PostgreSQL server of BENCH_DATABASE_URL is not reachable."""
    url = base_url()
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"BENCH_DATABASE_URL must be a PostgreSQL URL (got {url!r}).")
    try:
        import psycopg

        with psycopg.connect(_maintenance_dsn(url), connect_timeout=5, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means: no server to benchmark on
        sys.exit(
            f"The benchmarks need PostgreSQL: cannot connect to {_maintenance_dsn(url)} ({exc}).\n"
            "Start PostgreSQL or set BENCH_DATABASE_URL=postgres://user:pw@host:5432/cx_bench "
            "(a name starting with cx_bench: the benchmarks drop and create <name>, <name>_small, <name>_submit "
            "and <name>_distribution)."
        )


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if not name.startswith("cx_bench"):
        sys.exit(f"refusing to drop {name!r}: benchmark databases are named cx_bench*")
    with psycopg.connect(_maintenance_dsn(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def django_env(url: str, var_dir: str, **extra: str) -> dict:
    """Production-like settings (DEBUG off) for a local, plain-HTTP benchmark against ``url``."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cxportal.settings",
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        CXPORTAL_VAR_DIR=var_dir,
        CELERY_TASK_ALWAYS_EAGER="true",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def setup_django(url: str, var_dir: str | None = None) -> None:
    """Configure this process for ``url`` and set Django up."""
    var_dir = var_dir or tempfile.mkdtemp(prefix="cxportal-bench-")
    os.environ.update(django_env(url, var_dir))
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict, *, workers: int = 2, threads: int = 1, app: str = "cxportal.wsgi"):
    """A gunicorn server on a free local port; yields its base URL."""
    port = free_port()
    cmd = [
        PYTHON,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=env)  # noqa: S603 - our own command line
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                sys.exit(f"gunicorn exited with {proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("gunicorn did not start within 60 s")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0…1) by linear interpolation, like numpy's default."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def median(values: list[float]) -> float:
    return statistics.median(values)


def login(session, server: str) -> None:
    """Log the bench CX manager in (a requests.Session)."""
    page = session.get(f"{server}/accounts/login/", timeout=30)
    page.raise_for_status()
    response = session.post(
        f"{server}/accounts/login/",
        data={"username": BENCH_USER, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{server}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        sys.exit(f"login as {BENCH_USER} failed: HTTP {response.status_code}")


def record(name: str, result: dict, path: Path | None = None) -> None:
    """Merge one benchmark's result into bench/results.json (read by run_all.py and BENCHMARKS.md), or ``path``."""
    import json

    path = path or BASE_DIR / "bench" / "results.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = {**result, "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
