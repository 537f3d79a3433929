"""The beat lock in-process, on whichever database the suite runs (a file lock on SQLite, an advisory lock on
PostgreSQL); two real beat processes are in test_two_beats.py."""

import pytest

from cxportal.beat import REFUSAL, BeatAlreadyRunning, LockedDatabaseScheduler
from cxportal.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_scheduler_refuses_to_start_until_the_first_has_stopped(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = LockedDatabaseScheduler(app=app)
    try:
        with pytest.raises(BeatAlreadyRunning) as refused:
            LockedDatabaseScheduler(app=app)
        assert str(refused.value) == REFUSAL
    finally:
        first.close()

    replacement = LockedDatabaseScheduler(app=app)
    replacement.close()
