import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from demo.data.language import LANGUAGES, demo_data
from demo.loader import DemoLanguageConflict, demo_load

# What the summary line calls each kind of record it counted.
KIND_LABELS = {
    "users": gettext_lazy("users"),
    "departments": gettext_lazy("departments"),
    "personas": gettext_lazy("personas"),
    "customers": gettext_lazy("customers"),
    "journey_maps": gettext_lazy("journey maps"),
    "stages": gettext_lazy("stages"),
    "touchpoints": gettext_lazy("touchpoints"),
    "pain_points": gettext_lazy("pain points"),
    "opportunities": gettext_lazy("opportunities"),
    "lane_cells": gettext_lazy("lane cells"),
    "surveys": gettext_lazy("surveys"),
    "responses": gettext_lazy("responses"),
    "answers": gettext_lazy("answers"),
    "actions": gettext_lazy("actions"),
    "events": gettext_lazy("events"),
    "transactions": gettext_lazy("transactions"),
}


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
                _(
                    "Refusing to load demo data with DEBUG off: its users have published passwords. "
                    "Use --force on a throw-away installation."
                )
            )
        data = demo_data(language)
        started = time.perf_counter()
        try:
            counts = demo_load(seed=seed, language=language)
        except DemoLanguageConflict as conflict:
            raise CommandError(
                _(
                    "This database holds the demo in '%(held)s' already; nothing was loaded. Use --language "
                    "%(held)s, or load '%(language)s' into an empty database (the default SQLite one: remove "
                    "var/cxportal.sqlite3 and migrate)."
                )
                % {"held": conflict, "language": language}
            ) from None
        elapsed = time.perf_counter() - started
        created = ", ".join(f"{n} {KIND_LABELS.get(kind, kind.replace('_', ' '))}" for kind, n in counts.items() if n)
        seconds = number_format(elapsed, 1)
        if created:
            self.stdout.write(
                _("Demo data for %(company)s loaded in %(seconds)s s: %(created)s.")
                % {"company": data.company, "seconds": seconds, "created": created}
            )
        else:
            self.stdout.write(
                _("Demo data for %(company)s is present already; nothing to add (%(seconds)s s).")
                % {"company": data.company, "seconds": seconds}
            )
        self.stdout.write(_("Demo logins:"))
        width = max(len(username) for username, _password, _role in data.demo_logins)
        for username, password, role in data.demo_logins:
            self.stdout.write(f"  {username:<{width}}  {password:<26}  {role!s}")
