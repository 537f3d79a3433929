"""Voice's worker tasks (queue ``voice``: settings CELERY_TASK_ROUTES ``voice.*``)."""

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from voice.models import AnalysisRun
from voice.services import analysis, items


def _finish(run: AnalysisRun, message: str, status=AnalysisRun.Status.DONE) -> None:
    run.status, run.message, run.finished_at = status, message[:500], timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])


@shared_task(name="voice.ingest_survey_comments")
def ingest_survey_comments(response_ids: list[int] | None = None) -> dict:
    """After responses arrive: copy their comments into feedback items (idempotent), then analyse them."""
    created = items.survey_comments_ingest(response_ids=response_ids)
    analysed = analysis.items_analyse() if created else 0
    return {"created": created, "analysed": analysed}


@shared_task(name="voice.analyse_feedback")
def analyse_feedback(run_id: int | None = None, everything: bool = False) -> dict:
    """Analyse the pending items (``everything``: all) in batches, with progress on the run."""
    run = AnalysisRun.objects.get(pk=run_id) if run_id else analysis.run_start(AnalysisRun.Kind.ANALYSE)
    try:
        done = analysis.items_analyse(everything=everything, progress=analysis.run_progress(run))
    except Exception as exc:
        _finish(run, _("The analysis failed: %(error)s") % {"error": exc}, AnalysisRun.Status.FAILED)
        raise
    _finish(run, _("%(count)d items analysed.") % {"count": done})
    return {"run": run.pk, "analysed": done}


@shared_task(name="voice.rebuild_topics")
def rebuild_topics(run_id: int | None = None) -> dict:
    """Nightly (beat) and on request: discover topics from every text and assign them again."""
    run = AnalysisRun.objects.get(pk=run_id) if run_id else analysis.run_start(AnalysisRun.Kind.REBUILD)
    items.survey_comments_ingest()  # a backstop for comments whose ingestion was not queued (broker outage)
    try:
        result = analysis.topics_rebuild(progress=analysis.run_progress(run))
    except Exception as exc:
        _finish(run, _("The topic rebuild failed: %(error)s") % {"error": exc}, AnalysisRun.Status.FAILED)
        raise
    from voice.services.alerts import emerging_topics_notify

    result["emerging"] = len(emerging_topics_notify())
    _finish(
        run,
        _("%(topics)d topics (%(new)d new), %(items)d items assigned again.")
        % {"topics": result["topics"], "new": result["new_topics"], "items": result["items"]},
    )
    return {"run": run.pk, **result}


@shared_task(name="voice.import_feedback", acks_late=True)
def import_feedback(*, run_id: int, token: str, user_id: int) -> dict:
    """A confirmed CSV import: store its rows with progress on the run; its message says what happened."""
    from django.contrib.auth import get_user_model

    from voice.services.feedback_import import feedback_import_run

    run = AnalysisRun.objects.get(pk=run_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        created, updated, skipped = feedback_import_run(run=run, token=token, by=user)
    except Exception as exc:
        _finish(run, _("The import failed: %(error)s") % {"error": exc}, AnalysisRun.Status.FAILED)
        raise
    _finish(
        run,
        _("Imported %(created)d new and %(updated)d updated items; %(skipped)d invalid rows skipped.")
        % {"created": created, "updated": updated, "skipped": skipped},
    )
    return {"run": run.pk, "created": created, "updated": updated, "skipped": skipped}
