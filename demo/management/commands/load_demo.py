import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data.people import COMPANY, DEMO_LOGINS
from demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: only what is missing is created)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7, help="Seed of the random demo data (default 7).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (the demo users have published passwords).",
        )

    def handle(self, *args, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: its users have published passwords. "
                "Use --force on a throw-away installation."
            )
        started = time.perf_counter()
        counts = demo_load(seed=seed)
        elapsed = time.perf_counter() - started
        created = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items() if n)
        if created:
            self.stdout.write(f"Demo data for {COMPANY} loaded in {elapsed:.1f} s: {created}.")
        else:
            self.stdout.write(f"Demo data for {COMPANY} is present already; nothing to add ({elapsed:.1f} s).")
        self.stdout.write("Demo logins:")
        width = max(len(username) for username, _password, _role in DEMO_LOGINS)
        for username, password, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<{width}}  {password:<26}  {role}")
