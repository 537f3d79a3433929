"""What survey scores and rates mean, defined once: the NPS, CSAT and CES bands and the response rate.

Every place that counts promoters, filters detractors, computes a top-box share or a response rate imports
these — surveys (the responses filter, the detractor webhook and follow-up), metrics (the KPI registry, the
recompute in the ORM and in SQL), actionplans (the closed loop's threshold), voice and the demo. surveys is
the lowest app that needs them, so they live here (metrics imports surveys, never the other way round).

- NPS (0–10): detractors 0–6, passives 7–8, promoters 9–10; NPS = % promoters − % detractors.
- CSAT (1–5): satisfied ("top-two box") 4–5; low 1–2, middle 3.
- CES (1–7): easy 5–7; low 1–3, middle 4.
"""

from django.db.models import Q

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

# The score bands of the responses list (``?band=``), as filters on an Answer.
BAND_NAMES = ("detractor", "passive", "promoter", "low", "mid", "high")
BANDS = {
    "detractor": Q(question__kind=NPS, value__lte=NPS_DETRACTOR_MAX),
    "passive": Q(question__kind=NPS, value__gte=NPS_PASSIVE_MIN, value__lte=NPS_PASSIVE_MAX),
    "promoter": Q(question__kind=NPS, value__gte=NPS_PROMOTER_MIN),
    "low": Q(question__kind=CSAT, value__lte=CSAT_LOW_MAX) | Q(question__kind=CES, value__lte=CES_LOW_MAX),
    "mid": Q(question__kind=CSAT, value__gt=CSAT_LOW_MAX, value__lt=CSAT_TOP_MIN)
    | Q(question__kind=CES, value__gt=CES_LOW_MAX, value__lt=CES_TOP_MIN),
    "high": Q(question__kind=CSAT, value__gte=CSAT_TOP_MIN) | Q(question__kind=CES, value__gte=CES_TOP_MIN),
}
# The band a "low scores" link of a KPI's figure selects, by the question kind the KPI is computed from.
LOW_BAND_OF_KIND = {NPS: "detractor", CSAT: "low", CES: "low"}


def is_detractor(score: int | None) -> bool:
    return score is not None and score <= NPS_DETRACTOR_MAX


def nps_group(score: int) -> str:
    """``promoters``, ``passives`` or ``detractors`` for an NPS score (0–10)."""
    if score >= NPS_PROMOTER_MIN:
        return "promoters"
    return "detractors" if score <= NPS_DETRACTOR_MAX else "passives"


def top_box_q(kinds=(NPS, CSAT, CES)) -> Q:
    """Answers in the good box of their kind (promoters, satisfied, easy), as a filter on an Answer."""
    top = Q()
    for kind in kinds:
        top |= Q(question__kind=kind, value__gte=TOP_BOX_MIN[kind])
    return top


def nps_passives_q() -> Q:
    return Q(question__kind=NPS, value__gte=NPS_PASSIVE_MIN, value__lte=NPS_PASSIVE_MAX)


def nps_detractors_q() -> Q:
    return Q(question__kind=NPS, value__lte=NPS_DETRACTOR_MAX)


def response_rate(*, sent: int, responded: int) -> float | None:
    """Responses ÷ invitations sent, in percent with one decimal; None when nothing was sent.

    The one formula behind a campaign's rate (surveys) and the response-rate KPI (metrics.kpis).
    """
    return None if sent == 0 else round(100 * responded / sent, 1)
