from django.core.management.base import BaseCommand

from metrics.services.recompute import snapshots_recompute
from metrics.services.targets import targets_after_recompute


class Command(BaseCommand):
    help = "Recompute every KPI snapshot now, in this process (no Celery worker needed)."

    def handle(self, *args, **options):
        run = snapshots_recompute()
        crossings = targets_after_recompute()
        self.stdout.write(f"Wrote {run.snapshots_written} KPI snapshots.")
        self.stdout.write(f"{len(crossings)} KPI target crossing(s).")
