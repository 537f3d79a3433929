"""Measured emotion: survey KPIs translated onto the journey map's emotion scale (−3 … +3).

The one place that says how a KPI becomes an emotion. Each source maps its whole range linearly onto the
scale, its neutral answer onto 0; a stage's measured emotion is the mean of the sources that have at least
``CX_MIN_SAMPLE_SIZE`` answers there, and every point keeps the sources it came from (label, value, n), so
further sources (text sentiment) can join with their own label.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import localize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from metrics.kpis import REGISTRY, KpiValue

# The journey map's emotion lane runs from −3 (frustrated) to +3 (delighted).
SCALE = 3


@dataclass(frozen=True)
class EmotionSource:
    kpi: str
    low: float  # the KPI value that maps to −3
    high: float  # the KPI value that maps to +3
    unit: str  # shown after the value in hover texts and the explanation
    explained: object  # the mapping in words

    def to_emotion(self, value: float) -> float:
        middle, half = (self.low + self.high) / 2, (self.high - self.low) / 2
        return (value - middle) / half * SCALE


SOURCES: tuple[EmotionSource, ...] = (
    EmotionSource("nps", -100, 100, "", _("NPS −100 … +100 (0 is neutral)")),
    # xgettext:no-python-format
    EmotionSource("csat", 0, 100, " %", _("CSAT 0 … 100 % satisfied (50 % is neutral)")),
    EmotionSource("ces", 1, 7, "", _("CES 1 … 7 (4, “neither easy nor hard”, is neutral)")),
)
SOURCE_KPIS = [source.kpi for source in SOURCES]
# Text sentiment of the customers' comments, tickets and reviews (``metrics.voice_kpis``): used for a stage
# only where none of the scores above has enough answers, and labelled as such.
TEXT_SOURCE = EmotionSource("sentiment", -100, 100, "", _("text sentiment −100 … +100 (0 is neutral)"))
_BY_KPI: dict[str, EmotionSource] = {source.kpi: source for source in (*SOURCES, TEXT_SOURCE)}


def to_emotion(kpi: str, value: float) -> float:
    """A KPI value on the emotion scale −3 … +3."""
    return _BY_KPI[kpi].to_emotion(value)


def measured_point(results: dict[str, KpiValue | None], *, min_n: int | None = None) -> dict | None:
    """The measured emotion of a scope from its KPI results, with the sources it came from; None without any.

    A source counts when it has a value from at least ``min_n`` answers (default: ``CX_MIN_SAMPLE_SIZE``).
    """
    min_n = settings.CX_MIN_SAMPLE_SIZE if min_n is None else min_n
    sources = []
    for source in SOURCES:
        result = results.get(source.kpi)
        if result is None or result.value is None or result.n < min_n:
            continue
        sources.append(
            {
                "kpi": source.kpi,
                "label": str(REGISTRY[source.kpi].label),
                "value": result.value,
                "unit": source.unit,
                "n": result.n,
                "emotion": source.to_emotion(result.value),
            }
        )
    text = results.get(TEXT_SOURCE.kpi)
    if not sources and text is not None and text.value is not None and text.n >= min_n:
        sources.append(
            {
                "kpi": TEXT_SOURCE.kpi,
                "label": gettext("Text sentiment"),
                "value": text.value,
                "unit": TEXT_SOURCE.unit,
                "n": text.n,
                "emotion": TEXT_SOURCE.to_emotion(text.value),
                "texts": True,
            }
        )
    if not sources:
        return None
    return {"value": round(sum(s["emotion"] for s in sources) / len(sources), 1), "sources": sources}


def source_text(source: dict) -> str:
    """ "NPS 18.9 from 157 answers" — what a measured point came from, for hover texts and tables."""
    if source.get("texts"):
        return gettext("%(label)s %(value)s from %(n)s texts") % {**source, "value": localize(source["value"])}
    return gettext("%(label)s %(value)s%(unit)s from %(n)s answers") % {**source, "value": localize(source["value"])}


def explanation(*, min_n: int) -> str:
    """The mapping in plain words, for the page under the curve."""
    return (
        gettext(
            "Measured emotion: %(sources)s are each mapped onto the map's emotion scale from −3 to +3; a stage's "
            "point is the average of those with at least %(min_n)s answers there, so a stage shows a point when "
            "at least one of them has enough answers."
        )
        % {"sources": ", ".join(str(s.explained) for s in SOURCES), "min_n": min_n}
        + " "
        + gettext(
            "Where none has, the sentiment of the customers' texts (%(text)s) from at least %(min_n)s texts is used "
            "instead, and the point says so."
        )
        % {"text": str(TEXT_SOURCE.explained), "min_n": min_n}
    )
