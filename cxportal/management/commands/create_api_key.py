from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cxportal.apikeys import api_key_create
from cxportal.models import ALL_SCOPES


class Command(BaseCommand):
    help = "Create an API key and print it on the last line (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            required=True,
            help=f"Repeat for several scopes. One of: {', '.join(ALL_SCOPES)}",
        )

    def handle(self, *args, name, scopes, **options):
        try:
            api_key, raw_key = api_key_create(name=name, scopes=scopes)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stderr.write(f"Created API key {api_key.name!r} with scopes {', '.join(api_key.scopes)}.")
        self.stdout.write(raw_key)
