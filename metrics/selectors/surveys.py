"""Reads behind a survey's KPI summary and the survey list's score column (snapshots only, fixed queries)."""

from datetime import date

from django.conf import settings

from metrics.kpis import KpiValue
from metrics.models import Bucket, ScopeType
from metrics.selectors import dashboards
from metrics.selectors.snapshots import kpi_by_scope

# The score KPIs of a survey, in the order a survey's headline score is picked.
SCORE_KPIS = ["nps", "csat", "ces"]


def survey_summary(*, survey_id: int, date_from: date, date_to: date) -> dict:
    """The survey's score KPIs (value, n, margin, change), NPS categories and monthly trend points.

    ``cards`` holds only the score KPIs that have answers, and the response rate when invitations were sent;
    ``split`` the promoter / passive / detractor counts and shares (None without NPS answers).
    """
    key = str(survey_id)
    cards = [
        card
        for card in dashboards.overview_cards(
            scope_type=ScopeType.SURVEY, scope_key=key, date_from=date_from, date_to=date_to, bucket=Bucket.MONTH
        )
        if card.current.n
    ]
    kpis = [c.kpi for c in cards if c.kpi in SCORE_KPIS]
    trends = dashboards.trends(
        kpis=kpis, scope_type=ScopeType.SURVEY, scope_key=key, date_from=date_from, date_to=date_to, bucket=Bucket.MONTH
    )
    nps = next((c for c in cards if c.kpi == "nps"), None)
    return {"cards": cards, "split": nps_split(nps.current) if nps else None, "trends": trends}


def nps_split(result: KpiValue) -> dict | None:
    """Promoters, passives and detractors with their shares of n (shares only when n reaches the minimum)."""
    if not result.n:
        return None
    parts = []
    for name in ("promoters", "passives", "detractors"):
        count = result.breakdown.get(name, 0)
        parts.append({"name": name, "count": count, "share": round(100 * count / result.n, 1)})
    return {"n": result.n, "parts": parts, "enough": result.n >= settings.CX_MIN_SAMPLE_SIZE}


def survey_scores(*, survey_ids: list[int], date_from: date, date_to: date) -> dict[int, dict | None]:
    """Per survey its headline score: the first of NPS, CSAT, CES that has answers (one query per KPI)."""
    by_kpi = {
        kpi: kpi_by_scope(kpi=kpi, scope_type=ScopeType.SURVEY, date_from=date_from, date_to=date_to)
        for kpi in SCORE_KPIS
    }
    scores = {}
    for survey_id in survey_ids:
        scores[survey_id] = None
        for kpi in SCORE_KPIS:
            result = by_kpi[kpi].get(str(survey_id))
            if result is not None and result.n:
                enough = result.value is not None and result.n >= settings.CX_MIN_SAMPLE_SIZE
                scores[survey_id] = {"kpi": kpi, "result": result, "enough": enough}
                break
    return scores
