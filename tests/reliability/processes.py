"""The processes a fault test starts (and only those it may stop): Celery workers and beats, a redis-server."""

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.integration.smtp_sink import free_port
from tests.integration.test_celery_worker import ALL_QUEUES, celery_command, worker_env

TIMEOUT = 300  # a bound for a stuck run, generous for a loaded CI machine; not a speed assertion


class RedisServer:
    """``redis-server`` on 127.0.0.1 and a free port, without persistence (a restart loses what it held)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.binary = shutil.which("redis-server") or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
        )
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        try:
            wait_for(lambda: _pings(client), "the test's redis-server to answer", processes=[self.process])
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


class Celery:
    """Celery processes (workers, beats) of one test, with their logs; all stopped by ``close``."""

    def __init__(self, *, tmp_path: Path, database_url: str, broker_url: str, **extra_env: str):
        self.tmp_path = tmp_path
        self.env = worker_env(database_url=database_url, broker_url=broker_url, var_dir=tmp_path / "var")
        self.env.update(extra_env)
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self, kind: str, *args: str, env: dict | None = None) -> subprocess.Popen:
        log_path = self.tmp_path / f"{kind}-{len(self.processes)}.log"
        self.logs.append(log_path)
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [*celery_command(), "-A", "cxportal", kind, "-l", "info", *args],
                cwd=settings.BASE_DIR,
                env={**self.env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path
        self.processes.append(process)
        return process

    def worker(self, *args: str, name: str, queues: str = ALL_QUEUES, env: dict | None = None) -> subprocess.Popen:
        """A solo worker consuming ``queues`` (by default every queue of the product, as ``make run``'s)."""
        return self.start(
            "worker",
            "-Q",
            queues,
            "--pool=solo",
            "--concurrency=1",
            "-n",
            f"{name}-{len(self.processes)}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            *args,
            env=env,
        )

    def beat(self) -> subprocess.Popen:
        n = len(self.processes)
        return self.start(
            "beat", f"--pidfile={self.tmp_path / f'beat-{n}.pid'}", f"--schedule={self.tmp_path / f'beat-{n}'}"
        )

    def log_text(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-20000:]}" for p in self.logs if p.exists())

    def wait_for(self, condition, what: str, *, timeout: float = TIMEOUT) -> None:
        wait_for(condition, what, processes=self.processes, timeout=timeout, logs=self.log_text)

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_for(condition, what: str, *, processes=(), timeout: float = TIMEOUT, logs=lambda: "") -> None:
    """Poll ``condition`` until true; fail (with the logs) on timeout or when every given process has exited."""
    deadline = time.monotonic() + timeout
    while not condition():
        if processes and all(p.poll() is not None for p in processes):
            pytest.fail(f"every process exited while waiting for {what}:\n{logs()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}:\n{logs()}")
        time.sleep(0.05)


def run_only_every_second(task: str) -> None:
    """Beat's schedule in the test database: only ``task``, every second (the real jobs run every minute)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update(enabled=False)
    # The migration's rows may be gone: an earlier transactional test flushed the database.
    PeriodicTask.objects.update_or_create(
        name=f"Every second: {task}",
        defaults={"task": task, "interval": every_second, "crontab": None, "enabled": True},
    )
    PeriodicTasks.update_changed()


def forget_queue(url: str, queue: str | None = None) -> None:
    """Drop what a test left in ``queue`` (by default every queue of the product) and the unacked messages."""
    queues = [queue] if queue else [*settings.CX_CELERY_QUEUES, "celery"]
    client = redis.Redis.from_url(url)
    try:
        client.delete(*queues, *(f"_kombu.binding.{q}" for q in queues), "unacked", "unacked_index")
    finally:
        client.close()
