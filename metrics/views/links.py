"""Where a number on the KPI pages leads: the answers behind it, its trend, or the breakdown one level down."""

from datetime import date

from django.urls import reverse
from django.utils.http import urlencode


def responses_url(*, touchpoint_id: int, date_from: date, date_to: date, band: str | None = None) -> str:
    """The surveys responses list filtered to the answers behind a number."""
    params = {"touchpoint": touchpoint_id, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    if band:
        params["band"] = band
    return reverse("surveys:response_list") + "?" + urlencode(params)


def trends_url(*, kpi: str, date_from: date, date_to: date, **scope) -> str:
    """The trends page of one KPI over the period, in the scope given (``touchpoint=…``, ``persona=…``)."""
    params = {"kpi": kpi, "from": date_from.isoformat(), "to": date_to.isoformat(), **scope}
    return reverse("metrics:trends") + "?" + urlencode(params)


def breakdown_url(**params) -> str:
    """The breakdown page with the given filters (empty ones left out)."""
    return reverse("metrics:breakdown") + "?" + urlencode({k: v for k, v in params.items() if v})
