from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from cxportal.schedule import PERIODIC_JOBS, schedule_register


class Command(BaseCommand):
    help = "Create or update the periodic jobs (KPI recomputation, reminders) in the beat schedule."

    def handle(self, *args, **options):
        schedule_register(
            IntervalSchedule=IntervalSchedule,
            CrontabSchedule=CrontabSchedule,
            PeriodicTask=PeriodicTask,
            time_zone=settings.TIME_ZONE,
        )
        for name, task, _kind, _spec in PERIODIC_JOBS:
            self.stdout.write(f"{name}: {task}")
