"""The forms of surveys, by screen.

- ``builder``: a new survey (from a template), its settings, a question, a campaign.
- ``responses``: the responses list's filters (shared by the page, its exports and the API export).
- ``respondent``: the respondent's form for one page of questions (the pages themselves: ``surveys.paging``).
"""

from surveys.forms.builder import CampaignForm, QuestionForm, SurveyCreateForm, SurveySettingsForm

__all__ = ["CampaignForm", "QuestionForm", "SurveyCreateForm", "SurveySettingsForm"]
