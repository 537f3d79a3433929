"""Every read in surveys, by topic.

- ``access``: who may read which responses — the one rule every list, detail, export and API path applies.
- ``surveys``: surveys and their questions (builder, respondent pages, home page counts).
- ``campaigns``: campaigns with their counts, their problems, an invitation by its link token.
- ``audience``: who a campaign would reach (contactable customers, their languages against the survey's).
- ``responses``: the filtered responses list (score bands from ``surveys.scales``), one response, export columns.
- ``privacy``: finding a customer, everything surveys hold about them, the audit of data-subject requests.

The names are re-exported here, so ``from surveys import selectors; selectors.response_list(...)`` works.
"""

from surveys.selectors.access import (
    may_read_touchpoint,
    readable_surveys,
    readable_touchpoint_ids,
    readable_touchpoints,
    reads_all_responses,
    responses_visible_to,
)
from surveys.selectors.audience import CONTACTABLE, campaign_language_mismatch
from surveys.selectors.campaigns import (
    campaign_detail,
    campaign_problems,
    campaigns_with_counts,
    invitation_by_token,
    series_runs,
)
from surveys.selectors.privacy import customer_data, customer_find, customer_responses, privacy_requests
from surveys.selectors.responses import export_questions, response_detail, response_list
from surveys.selectors.surveys import (
    responses_for_survey,
    survey_by_public_token,
    survey_counts,
    survey_list,
    survey_question,
    survey_questions,
)

__all__ = [
    "CONTACTABLE",
    "campaign_detail",
    "campaign_language_mismatch",
    "campaign_problems",
    "campaigns_with_counts",
    "series_runs",
    "customer_data",
    "customer_find",
    "customer_responses",
    "export_questions",
    "invitation_by_token",
    "may_read_touchpoint",
    "privacy_requests",
    "readable_touchpoint_ids",
    "readable_surveys",
    "readable_touchpoints",
    "reads_all_responses",
    "response_detail",
    "response_list",
    "responses_for_survey",
    "responses_visible_to",
    "survey_by_public_token",
    "survey_counts",
    "survey_list",
    "survey_question",
    "survey_questions",
]
