from django.core.management.base import BaseCommand

from metrics.services import snapshots_recompute


class Command(BaseCommand):
    help = "Recompute every KPI snapshot now, in this process (no Celery worker needed)."

    def handle(self, *args, **options):
        run = snapshots_recompute()
        self.stdout.write(f"Wrote {run.snapshots_written} KPI snapshots.")
