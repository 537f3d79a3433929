"""Beat's database scheduler with a start-up lock: a second beat on the same database refuses to start.

Two beats would send every periodic job twice. With PostgreSQL the lock is a session-level advisory
lock held on a connection of its own for the life of the process, so it works across machines and is
released by the server the moment the process dies (even by SIGKILL): a replacement beat can start at
once. With SQLite (one machine by definition) it is an exclusive ``flock`` on a file under ``VAR_DIR``.

If the lock connection breaks (database restart), the next check takes the lock again; should another
beat have taken it in between, this one stops.
"""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

BEAT_LOCK_ID = 74_211_002
CHECK_EVERY = 30.0  # seconds between checks that the lock is still held

REFUSAL = (
    "Another celery beat is running on this database (it holds the beat lock); refusing to start a second one, "
    "which would send every periodic job twice. Run exactly one beat."
)


class BeatAlreadyRunning(SystemExit):
    """Raised at start-up (a SystemExit, so beat exits with status 1 and this message, no traceback)."""


class _PostgresLock:
    def __init__(self):
        self.wrapper = None

    def acquire(self) -> bool:
        self.release()
        # A connection of its own: Django closes its default connection between beat ticks.
        self.wrapper = connections.create_connection("default")
        with self.wrapper.cursor() as cursor:
            cursor.execute("SET application_name = 'cxportal-beat-lock'")
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [BEAT_LOCK_ID])
            return bool(cursor.fetchone()[0])

    def held(self) -> bool:
        return self.wrapper is not None and self.wrapper.connection is not None and self.wrapper.is_usable()

    def release(self) -> None:
        if self.wrapper is not None:
            try:
                self.wrapper.close()  # ending the session releases the lock
            except (DatabaseError, InterfaceError):
                pass
            self.wrapper = None


class _FileLock:
    def __init__(self):
        self.file = None

    def acquire(self) -> bool:
        import fcntl

        self.release()
        self.file = (settings.VAR_DIR / "celerybeat.lock").open("a")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            return False
        return True

    def held(self) -> bool:
        return self.file is not None

    def release(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def beat_lock():
    return _PostgresLock() if connections["default"].vendor == "postgresql" else _FileLock()


class LockedDatabaseScheduler(DatabaseScheduler):
    """django-celery-beat's DatabaseScheduler that runs only while it holds the beat lock."""

    _lock = None
    _checked_at = 0.0

    def setup_schedule(self):
        self._lock = beat_lock()
        if not self._lock.acquire():
            logger.error(REFUSAL)
            raise BeatAlreadyRunning(REFUSAL)
        self._checked_at = time.monotonic()
        logger.info("Holding the beat lock: this is the only beat on this database")
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        if time.monotonic() - self._checked_at >= CHECK_EVERY:
            self._check_lock()
        return super().tick(*args, **kwargs)

    def _check_lock(self) -> None:
        self._checked_at = time.monotonic()
        try:
            if self._lock.held():
                return
            logger.warning("Lost the beat lock's connection; taking the lock again")
            taken = self._lock.acquire()
        except (DatabaseError, InterfaceError):
            logger.warning("Cannot check the beat lock now (database unreachable); retrying", exc_info=True)
            return
        if not taken:
            logger.error("Another beat took the beat lock while this one was cut off; stopping this one")
            raise SystemExit(1)

    def close(self):
        try:
            super().close()
        finally:
            if self._lock is not None:
                self._lock.release()
