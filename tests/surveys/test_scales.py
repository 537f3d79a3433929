"""The score bands of surveys.scales: each score of a scale falls in exactly one band of the responses filter,
and a detractor follow-up is queued for exactly the scores the filter calls detractors."""

import pytest

from surveys import scales, selectors
from surveys.services import response_submit, survey_create
from surveys.services import responses as response_services
from tests.journeys.factories import TouchpointFactory

pytestmark = pytest.mark.django_db

SCALES = {"nps": (0, 10, ("detractor", "passive", "promoter")), "csat": (1, 5, ("low", "mid", "high"))}
SCALES["ces"] = (1, 7, ("low", "mid", "high"))


@pytest.mark.parametrize("kind", ["nps", "csat", "ces"])
def test_every_score_is_in_exactly_one_band(kind):
    low, high, bands = SCALES[kind]
    survey = survey_create(title=kind, touchpoint=TouchpointFactory(), questions=[{"kind": kind, "text": "Score?"}])
    question = survey.questions.get()
    by_score = {
        value: response_submit(survey=survey, answers=[{"question": question.pk, "value": value}]).pk
        for value in range(low, high + 1)
    }
    in_band = {band: set(selectors.response_list(user=None, band=band).values_list("pk", flat=True)) for band in bands}

    for value, pk in by_score.items():
        assert [band for band in bands if pk in in_band[band]] == [_expected_band(kind, value)], value


def _expected_band(kind: str, value: int) -> str:
    if kind == "nps":
        return {"detractors": "detractor", "passives": "passive", "promoters": "promoter"}[scales.nps_group(value)]
    if value <= scales.LOW_MAX[kind]:
        return "low"
    return "high" if value >= scales.TOP_BOX_MIN[kind] else "mid"


def test_the_detractor_follow_up_is_queued_for_the_detractor_band_only(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(response_services, "_queue_detractor_follow_up", queued.append)
    survey = survey_create(title="NPS", touchpoint=TouchpointFactory(), questions=[{"kind": "nps", "text": "?"}])
    question = survey.questions.get()
    with django_capture_on_commit_callbacks(execute=True):
        for value in range(11):
            response_submit(survey=survey, answers=[{"question": question.pk, "value": value}])

    detractor_band = set(selectors.response_list(user=None, band="detractor").values_list("pk", flat=True))
    assert set(queued) == detractor_band
    assert len(queued) == scales.NPS_DETRACTOR_MAX + 1
