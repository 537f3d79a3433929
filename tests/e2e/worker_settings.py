"""Settings of the Celery worker the story test starts: production settings, with that test's own queue.

The test sends beat's tasks to this queue of its own; what the worker queues itself goes by the product's
routes (a dispatch queues its send chunks on "mail"), so the worker consumes the product's queues too. Runs
in parallel on one Redis are kept apart by CX_TEST_REDIS_DB.
"""

import os

from cxportal.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["CX_E2E_QUEUE"]
