"""Every write in surveys, by topic. Each service owns its transaction and raises ValidationError/ApplicationError.

- ``building``: create a survey (from questions, the NPS pair or a template) and change its settings —
  the builder pages and the API's ``PATCH /surveys/<id>/`` both call ``survey_update``.
- ``questions``: add, change, delete and reorder questions (``question_validate`` holds every rule).
- ``responses``: validate answers (display logic) and submit a response; the detractor webhook and follow-up.
- ``distribution``: campaigns (schedule, cancel, dispatch due ones), invitations and the fatigue rules, and
  **sending the survey e-mails** (``invitations_send``, ``invitation_send_now``); opened links, unsubscribes.
- ``series``: recurring campaigns — a run created once when due (``series_runs_create_due``), pause, resume.
- ``ingestion``: the bulk import of responses by external id.
- ``privacy``: data-subject requests (export, erase — always audited).
- ``erasure``: what surveys erase of a customer, registered in the personal-data inventory.

The names most callers use are re-exported here, so ``from surveys.services import response_submit`` works.
"""

from surveys.services.building import (
    NPS_REASON_TEXT,
    NPS_TEXT,
    SETTINGS_FIELDS,
    TEMPLATE_CHOICES,
    TEMPLATES,
    survey_create,
    survey_create_from_template,
    survey_create_nps,
    survey_update,
)
from surveys.services.distribution import (
    TransientSendError,
    campaign_cancel,
    campaign_schedule,
    campaigns_dispatch_due,
    customer_unsubscribe,
    invitation_mark_opened,
    invitation_send_now,
    invitations_send,
)
from surveys.services.ingestion import ResponseRow, responses_import
from surveys.services.privacy import customer_erase, customer_export
from surveys.services.questions import (
    QUESTION_FIELDS,
    question_add,
    question_delete,
    question_move,
    question_update,
    question_validate,
)
from surveys.services.responses import AlreadyAnswered, answers_validate, response_submit
from surveys.services.series import series_pause, series_resume, series_runs_create_due

__all__ = [
    "NPS_REASON_TEXT",
    "NPS_TEXT",
    "QUESTION_FIELDS",
    "SETTINGS_FIELDS",
    "TEMPLATES",
    "TEMPLATE_CHOICES",
    "AlreadyAnswered",
    "ResponseRow",
    "TransientSendError",
    "answers_validate",
    "campaign_cancel",
    "campaign_schedule",
    "campaigns_dispatch_due",
    "customer_erase",
    "customer_export",
    "customer_unsubscribe",
    "invitation_mark_opened",
    "invitation_send_now",
    "invitations_send",
    "question_add",
    "question_delete",
    "question_move",
    "question_update",
    "question_validate",
    "response_submit",
    "responses_import",
    "series_pause",
    "series_resume",
    "series_runs_create_due",
    "survey_create",
    "survey_create_from_template",
    "survey_create_nps",
    "survey_update",
]
