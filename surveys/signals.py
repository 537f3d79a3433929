"""Signal receivers of surveys: a changed question touches its survey (``updated_at``).

The respondent's submit keeps a survey's questions per process for as long as the survey's ``updated_at``
stays the same (``surveys.selectors.respondent``); touching the survey makes every process read them again.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone


def survey_touch(survey_id: int | None) -> None:
    """Mark the survey changed (its questions, their order or logic), here and in every other process."""
    from surveys.models import Survey
    from surveys.selectors import respondent

    if survey_id is None:
        return
    Survey.objects.filter(pk=survey_id).update(updated_at=timezone.now())
    respondent.forget_kept(survey_id=survey_id)


def _question_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures: the survey's own row is loaded as it was
    survey_touch(instance.survey_id)


def register() -> None:
    from surveys.models import Question

    post_save.connect(_question_changed, sender=Question, dispatch_uid="surveys.question_touches_survey")
    post_delete.connect(_question_changed, sender=Question, dispatch_uid="surveys.question_deleted_touches_survey")
