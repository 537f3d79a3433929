"""Two beat processes started by mistake: the second refuses to start, so every periodic job runs once.

``cxportal.beat.LockedDatabaseScheduler`` holds a PostgreSQL advisory lock for the life of the beat; the
server releases it when that process dies, so a replacement beat takes over at once.
"""

import pytest

from cxportal.beat import REFUSAL
from tests.reliability.processes import TIMEOUT, Celery, forget_queue, run_only_every_second

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HOLDING = "Holding the beat lock"
SENDING = "Sending due task"


def log(process) -> str:
    return process.log_path.read_text(errors="replace") if process.log_path.exists() else ""


def test_second_beat_refuses_to_start_and_a_replacement_takes_over_when_the_first_dies(
    postgresql_url, redis_url, tmp_path
):
    run_only_every_second("surveys.dispatch_due_campaigns")
    celery = Celery(tmp_path=tmp_path, database_url=postgresql_url, broker_url=redis_url)
    try:
        first = celery.beat()
        celery.wait_for(lambda: HOLDING in log(first), "the first beat to take the lock")
        celery.wait_for(lambda: SENDING in log(first), "the first beat to send the job")

        second = celery.beat()
        assert second.wait(timeout=TIMEOUT) != 0
        assert REFUSAL in log(second)
        assert SENDING not in log(second)
        assert first.poll() is None, "the first beat keeps running"

        first.kill()  # SIGKILL: the database ends its session, and with it the lock
        first.wait(timeout=10)
        third = celery.beat()
        celery.wait_for(lambda: SENDING in log(third), "the replacement beat to send the job")
        assert HOLDING in log(third)
    finally:
        celery.close()
        forget_queue(redis_url)
