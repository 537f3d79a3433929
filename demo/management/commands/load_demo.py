import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data.language import LANGUAGES, demo_data
from demo.loader import DemoLanguageConflict, demo_load


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: only what is missing is created)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7, help="Seed of the random demo data (default 7).")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default="en",
            help="Language of the demo's texts (maps, surveys, comments, actions …); the numbers are the same.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (the demo users have published passwords).",
        )

    def handle(self, *args, seed, language, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: its users have published passwords. "
                "Use --force on a throw-away installation."
            )
        data = demo_data(language)
        started = time.perf_counter()
        try:
            counts = demo_load(seed=seed, language=language)
        except DemoLanguageConflict as conflict:
            raise CommandError(
                f"This database holds the demo in '{conflict}' already; nothing was loaded. Use --language "
                f"{conflict}, or load '{language}' into an empty database (the default SQLite one: remove "
                "var/cxportal.sqlite3 and migrate)."
            ) from None
        elapsed = time.perf_counter() - started
        created = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items() if n)
        if created:
            self.stdout.write(f"Demo data for {data.company} loaded in {elapsed:.1f} s: {created}.")
        else:
            self.stdout.write(f"Demo data for {data.company} is present already; nothing to add ({elapsed:.1f} s).")
        self.stdout.write("Demo logins:")
        width = max(len(username) for username, _password, _role in data.demo_logins)
        for username, password, role in data.demo_logins:
            self.stdout.write(f"  {username:<{width}}  {password:<26}  {role}")
