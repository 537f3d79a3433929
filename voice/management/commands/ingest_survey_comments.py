from django.core.management.base import BaseCommand

from voice.services import items


class Command(BaseCommand):
    help = "Backfill: copy every survey text answer that has no feedback item yet (idempotent)."

    def handle(self, *args, **options):
        created = items.survey_comments_ingest()
        self.stdout.write(f"{created} survey comments copied; run analyse_feedback to analyse them.")
