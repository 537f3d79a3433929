from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cxportal.webhooks import retention


class Command(BaseCommand):
    help = (
        "Delete finished webhook deliveries (succeeded, or failed for good) whose last attempt is older than "
        "the retention period; pending ones stay. Beat runs the same purge daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help="Keep this many days instead of WEBHOOKS_RETENTION_DAYS (at least 1)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, days: int | None = None, dry_run: bool = False, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1; to keep every delivery, set WEBHOOKS_RETENTION_DAYS=0.")
        result = retention.webhook_deliveries_purge(days=days, dry_run=dry_run)
        if not result.days:
            self.stdout.write("WEBHOOKS_RETENTION_DAYS is 0: webhook deliveries are kept forever; nothing deleted.")
            return
        cutoff = timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M %Z")
        by_status = ", ".join(f"{count} {status}" for status, count in result.counts.items())
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {result.total} finished webhook deliveries last attempted before {cutoff} "
            f"(older than {result.days} days): {by_status}."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was deleted.")
