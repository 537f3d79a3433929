"""Comments on an action: anyone who works on it may add one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.models import Action, ActionEvent, Comment
from actionplans.services.access import require_worker
from actionplans.services.history import action_event_record
from cxportal.actor import acting_person


@transaction.atomic
def comment_create(*, action: Action, body: str, by) -> Comment:
    require_worker(action, by)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something.")})
    comment = Comment(action=action, author=acting_person(by), body=body)
    comment.full_clean()
    comment.save()
    action_event_record(action=action, user=by, verb=ActionEvent.Verb.COMMENTED, changes={"comment": comment.pk})
    return comment
