"""German/English language detection for short feedback texts.

A small model written for this project (no data downloaded): function words of each language count
most, then letters and letter groups that are typical of one language (umlauts, "sch", "th", "-ing").
On the evaluation set it beats simplemma's dictionary-based ``langdetect`` and is ~20× faster (see
BENCHMARKS.md); mixed texts get the language with more evidence, ties go to ``default``.
"""

import re

from voice.analysis.text import LANGUAGES, STOPWORDS

WORD_RE = re.compile(r"[^\W\d_]+")

# Function words that are frequent and do not exist (or are rare) in the other language.
_FUNCTION = {
    "de": frozenset(STOPWORDS["de"] - STOPWORDS["en"] - {"so", "in", "man", "will", "was", "hat", "am", "an"}),
    "en": frozenset(STOPWORDS["en"] - STOPWORDS["de"] - {"so", "in", "will", "am", "an", "die"}),
}
_EXTRA_WORDS = {
    "de": frozenset("ist sind wird wurde nicht kein keine und der die das den dem ein eine uns wir sie ihr".split()),
    "en": frozenset("the and is are was were not no of to with for our we you it this that".split()),
}
# Letter groups with a weight: evidence for German (positive) or English (negative).
_NGRAMS = (
    ("ä", 2.0),
    ("ö", 2.0),
    ("ü", 2.0),
    ("ß", 2.5),
    ("sch", 1.0),
    ("ung", 0.8),
    ("keit", 1.2),
    ("heit", 1.0),
    ("lich", 0.8),
    ("ei", 0.4),
    ("ie", 0.3),
    ("tz", 0.8),
    ("zu", 0.4),
    ("pf", 0.6),
    ("th", -1.0),
    ("wh", -1.2),
    ("ing", -0.8),
    ("tion", -0.4),
    ("ly", -0.6),
    ("ou", -0.6),
    ("ea", -0.6),
    ("oo", -0.5),
    ("y", -0.4),
    ("w", -0.15),
    ("c", -0.15),
)


def language_scores(text: str) -> dict[str, float]:
    """Evidence per language (larger is more likely); both 0 when the text has no words."""
    score = {"de": 0.0, "en": 0.0}
    for word in WORD_RE.findall(text.lower()):
        for language in LANGUAGES:
            if word in _FUNCTION[language] or word in _EXTRA_WORDS[language]:
                score[language] += 3.0
        evidence = 0.0
        for gram, weight in _NGRAMS:
            if gram in word:
                evidence += weight
        if evidence > 0:
            score["de"] += evidence
        else:
            score["en"] -= evidence
    return score


def detect_language(text: str, default: str = "de") -> str:
    """ "de" or "en": the language with more evidence; ``default`` when there is none either way."""
    score = language_scores(text)
    if score["de"] == score["en"]:
        return default
    return "de" if score["de"] > score["en"] else "en"
