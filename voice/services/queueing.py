"""Ask the worker to analyse pending items; a broker outage must not fail the write (the nightly run catches up)."""

import logging

from django.db import transaction

from cxportal.tasks import task_queue

logger = logging.getLogger(__name__)


def _queue() -> None:
    try:
        task_queue("voice.analyse_feedback", retry=False)
    except Exception:  # noqa: BLE001
        logger.warning("Could not queue the feedback analysis; the nightly run will", exc_info=True)


def analysis_request() -> None:
    transaction.on_commit(_queue)


def _queue_reassign() -> None:
    try:
        task_queue("voice.analyse_feedback", kwargs={"everything": True}, retry=False)
    except Exception:  # noqa: BLE001
        logger.warning("Could not queue the topic reassignment; the nightly rebuild will", exc_info=True)


def reassign_request() -> None:
    """After steering: assign every item's topics again (in the worker)."""
    transaction.on_commit(_queue_reassign)
