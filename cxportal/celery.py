"""The Celery application; configuration comes from the CELERY_* block of the Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxportal.settings")

app = Celery("cxportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
