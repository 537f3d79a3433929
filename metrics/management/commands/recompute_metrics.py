from django.core.management.base import BaseCommand

from metrics.services import snapshots_recompute
from metrics.targets import targets_evaluate


class Command(BaseCommand):
    help = "Recompute every KPI snapshot now, in this process (no Celery worker needed)."

    def handle(self, *args, **options):
        run = snapshots_recompute()
        crossings = targets_evaluate()
        self.stdout.write(f"Wrote {run.snapshots_written} KPI snapshots.")
        self.stdout.write(f"{len(crossings)} KPI target crossing(s).")
