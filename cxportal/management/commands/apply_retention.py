from django.core.management.base import BaseCommand

from cxportal.retention import retention_apply, rules


class Command(BaseCommand):
    help = "Anonymise or delete what is older than the retention settings (RETENTION_*_DAYS); --dry-run only counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        descriptions = {rule.kind: (rule.setting, rule.description) for rule in rules()}
        for outcome in retention_apply(dry_run=dry_run):
            setting, description = descriptions[outcome.kind]
            if not outcome.days:
                self.stdout.write(f"{outcome.kind}: kept forever ({setting}=0)")
                continue
            verb = "would change" if dry_run else "changed"
            self.stdout.write(
                f"{outcome.kind}: {verb} {outcome.count} older than {outcome.days} days "
                f"(before {outcome.cutoff:%Y-%m-%d %H:%M}) — {description}"
            )
