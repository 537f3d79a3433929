"""Read the charts of a rendered page back as plotly JSON (what static/cxportal/charts.js hands to plotly.js)."""

import json
import re

CHART = re.compile(r'<div [^>]*data-cx-chart[^>]*><script type="application/json">(.*?)</script>', re.S)


def figures(content: str) -> list[dict]:
    """Every chart of a page, in page order: ``{"data": [...], "layout": {...}}``."""
    return [json.loads(block)["figure"] for block in CHART.findall(content)]
