from django.core.management.base import BaseCommand

from voice.services import analysis, items


class Command(BaseCommand):
    help = "Copy new survey comments into feedback items and analyse the pending items (--all: every item)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Analyse every item again.")
        parser.add_argument("--rebuild-topics", action="store_true", help="Discover topics first (implies --all).")

    def handle(self, *args, **options):
        created = items.survey_comments_ingest()
        if options["rebuild_topics"]:
            result = analysis.topics_rebuild()
            self.stdout.write(
                f"{created} new survey comments; {result['topics']} topics, {result['items']} items analysed."
            )
            return
        done = analysis.items_analyse(everything=options["all"])
        self.stdout.write(f"{created} new survey comments; {done} items analysed.")
