"""Feedback items for the tests: stored as the bulk API stores them, analysed synchronously."""

from voice.services import analysis
from voice.services.items import feedback_upsert


def items(*rows: dict, analyse: bool = True, rebuild: bool = False) -> list:
    """Upsert ``rows`` (external_id defaults to t1, t2 …) and analyse them; returns the stored ids."""
    body = [{"external_id": f"t{i}", "source": "ticket", **row} for i, row in enumerate(rows, 1)]
    result = feedback_upsert(rows=body)
    if rebuild:
        analysis.topics_rebuild()
    elif analyse:
        analysis.items_analyse()
    return result.ids
