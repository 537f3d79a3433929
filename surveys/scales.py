"""What survey scores and rates mean, defined once: the NPS, CSAT and CES bands and the response rate.

Every place that counts promoters, filters detractors, computes a top-box share or a response rate imports
these — surveys (the responses filter, the detractor webhook and follow-up), metrics (the KPI registry, the
recompute in the ORM and in SQL), actionplans (the closed loop's threshold), voice and the demo. surveys is
the lowest app that needs them, so they live here (metrics imports surveys, never the other way round).

- NPS (0–10): detractors 0–6, passives 7–8, promoters 9–10; NPS = % promoters − % detractors.
- CSAT (1–5): satisfied ("top-two box") 4–5; low 1–2, middle 3.
- CES (1–7): easy 5–7; low 1–3, middle 4.
"""

NPS = "nps"
CSAT = "csat"
CES = "ces"

NPS_DETRACTOR_MAX = 6
NPS_PASSIVE_MIN, NPS_PASSIVE_MAX = 7, 8
NPS_PROMOTER_MIN = 9
CSAT_LOW_MAX = 2
CSAT_TOP_MIN = 4
CES_LOW_MAX = 3
CES_TOP_MIN = 5

# The answers at or above these are the "good" box a KPI's count_a counts: promoters, satisfied, easy.
TOP_BOX_MIN = {NPS: NPS_PROMOTER_MIN, CSAT: CSAT_TOP_MIN, CES: CES_TOP_MIN}
# The answers at or below these are the low end a "low scores" link selects: detractors, dissatisfied, hard.
LOW_MAX = {NPS: NPS_DETRACTOR_MAX, CSAT: CSAT_LOW_MAX, CES: CES_LOW_MAX}

# The score bands of the responses list (``?band=``): per question kind, the lowest and highest score in it.
BANDS = {
    "detractor": {NPS: (None, NPS_DETRACTOR_MAX)},
    "passive": {NPS: (NPS_PASSIVE_MIN, NPS_PASSIVE_MAX)},
    "promoter": {NPS: (NPS_PROMOTER_MIN, None)},
    "low": {CSAT: (None, CSAT_LOW_MAX), CES: (None, CES_LOW_MAX)},
    "mid": {CSAT: (CSAT_LOW_MAX + 1, CSAT_TOP_MIN - 1), CES: (CES_LOW_MAX + 1, CES_TOP_MIN - 1)},
    "high": {CSAT: (CSAT_TOP_MIN, None), CES: (CES_TOP_MIN, None)},
}
BAND_NAMES = tuple(BANDS)
# The band a "low scores" link of a KPI's figure selects, by the question kind the KPI is computed from.
LOW_BAND_OF_KIND = {NPS: "detractor", CSAT: "low", CES: "low"}


def is_detractor(score: int | None) -> bool:
    return score is not None and score <= NPS_DETRACTOR_MAX


def nps_group(score: int) -> str:
    """``promoters``, ``passives`` or ``detractors`` for an NPS score (0–10)."""
    if score >= NPS_PROMOTER_MIN:
        return "promoters"
    return "detractors" if score <= NPS_DETRACTOR_MAX else "passives"


# Filters on an Answer (``question__kind``, ``value``) for the ORM. Django is imported when they are called, so
# this module stays importable without Django (voice.analysis, which runs without it, uses the constants).
def _range_q(kind: str, low: int | None, high: int | None):
    from django.db.models import Q  # noqa: PLC0415 - see above

    bounds = {"value__gte": low, "value__lte": high}
    return Q(question__kind=kind, **{k: v for k, v in bounds.items() if v is not None})


def band_q(band: str):
    """The answers in a band of the responses list (``BANDS``)."""
    return _any_of([_range_q(kind, low, high) for kind, (low, high) in BANDS[band].items()])


def top_box_q(kinds=(NPS, CSAT, CES)):
    """Answers in the good box of their kind (promoters, satisfied, easy)."""
    return _any_of([_range_q(kind, TOP_BOX_MIN[kind], None) for kind in kinds])


def _any_of(filters: list):
    combined = filters[0]
    for more in filters[1:]:
        combined |= more
    return combined


def nps_passives_q():
    return _range_q(NPS, NPS_PASSIVE_MIN, NPS_PASSIVE_MAX)


def nps_detractors_q():
    return _range_q(NPS, None, NPS_DETRACTOR_MAX)


def response_rate(*, sent: int, responded: int) -> float | None:
    """Responses ÷ invitations sent, in percent with one decimal; None when nothing was sent.

    The one formula behind a campaign's rate (surveys) and the response-rate KPI (metrics.kpis).
    """
    return None if sent == 0 else round(100 * responded / sent, 1)
