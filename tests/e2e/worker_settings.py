"""Settings of the Celery worker the story test starts: production settings, with that test's own queue.

Tasks the worker queues itself (a dispatch queues its send chunks) must reach this worker and no other
consumer of the same Redis, so its default queue is the one it listens on.
"""

import os

from cxportal.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["CX_E2E_QUEUE"]
