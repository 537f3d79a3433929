"""A learner that adapts the lexicon to one company's own words, trained on its scored comments.

A comment written with an NPS of 2 is rarely positive: ``weak_label`` turns the score given with a
comment into a (weak) sentiment label, ``SentimentModel.fit`` learns TF-IDF word and character n-grams
plus the lexicon score with a logistic regression per language, and ``predict`` blends the model with
the lexicon. The model's weight grows with the number of examples of that language (none: lexicon
only), so items without a score (tickets, reviews) and companies with little history still get the
lexicon's judgement.
"""

import math
import pickle  # noqa: S403 - models the application wrote itself
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from surveys.scales import NPS_DETRACTOR_MAX, NPS_PASSIVE_MAX
from voice.analysis.sentiment import LABELS, NEGATIVE, NEUTRAL, POSITIVE, Sentiment, label_for, lexicon_score

SCALES = {"nps": (0, 10), "csat": (1, 5), "rating": (1, 5)}


def weak_label(value: float, kind: str = "nps", scale: tuple[float, float] | None = None) -> str:
    """The sentiment a score suggests: NPS 0–6 negative, 7–8 neutral, 9–10 positive; CSAT 1–2 negative,
    3 neutral, 4–5 positive; any other scale (low, high) in thirds."""
    if kind == "nps" and scale is None:
        return NEGATIVE if value <= NPS_DETRACTOR_MAX else NEUTRAL if value <= NPS_PASSIVE_MAX else POSITIVE
    low, high = scale or SCALES[kind]
    if not low <= value <= high:
        raise ValueError(f"score {value} outside {low}..{high}")
    position = (value - low) / (high - low) if high > low else 0.5
    return NEGATIVE if position < 0.4 else POSITIVE if position > 0.6 else NEUTRAL


def _as_label(score) -> str:
    if isinstance(score, str):
        if score not in LABELS:
            raise ValueError(f"unknown label {score!r}")
        return score
    return label_for(float(score), threshold=1 / 3)


def _lexicon_distribution(score: float) -> np.ndarray:
    """A soft class distribution (negative, neutral, positive) from the lexicon score."""
    label = label_for(score)
    confidence = 0.6 if label == NEUTRAL else 0.55 + 0.4 * min(1.0, abs(score) / 0.6)
    distribution = np.full(3, (1 - confidence) / 2)
    distribution[LABELS.index(label)] = confidence
    return distribution


class SentimentModel:
    """Lexicon + a per-language logistic regression learnt from weakly labelled comments."""

    def __init__(self, *, min_examples: int = 30, max_weight: float = 0.7, half_weight_at: int = 150):
        self.min_examples = min_examples
        self.max_weight = max_weight
        self.half_weight_at = half_weight_at
        self.models: dict[str, tuple] = {}
        self.examples: dict[str, int] = {}

    def weight(self, language: str) -> float:
        """How much the learnt model counts against the lexicon for this language (0 without a model)."""
        n = self.examples.get(language, 0)
        if language not in self.models:
            return 0.0
        return self.max_weight * n / (n + self.half_weight_at)

    def fit(self, texts: Sequence[str], languages: Sequence[str], scores: Sequence) -> "SentimentModel":
        """Learn from the company's comments; ``scores`` are labels or numbers in -1..1 (see ``weak_label``)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        if not len(texts) == len(languages) == len(scores):
            raise ValueError("texts, languages and scores must have the same length")
        self.models, self.examples = {}, {}
        for language in sorted(set(languages)):
            rows = [(t, _as_label(s)) for t, lang, s in zip(texts, languages, scores, strict=True) if lang == language]
            labels = [label for _, label in rows]
            if len(rows) < self.min_examples or len(set(labels)) < 2:
                continue
            words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
            chars = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, max_features=50_000
            )
            batch = [t for t, _ in rows]
            lexicon = [lexicon_score(t, language) for t in batch]
            matrix = self._features(words.fit_transform(batch), chars.fit_transform(batch), lexicon)
            classifier = LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced")
            classifier.fit(matrix, labels)
            self.models[language] = (words, chars, classifier)
            self.examples[language] = len(rows)
        return self

    @staticmethod
    def _features(words, chars, lexicon: list[float]):
        column = sparse.csr_matrix(np.asarray(lexicon, dtype=float).reshape(-1, 1) * 3.0)
        return sparse.hstack([words, chars, column], format="csr")

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Sentiment]:
        """Sentiments for a batch (much faster than one call per text)."""
        lexicon = [lexicon_score(t, lang) for t, lang in zip(texts, languages, strict=True)]
        results: list[Sentiment | None] = [None] * len(texts)
        by_language: dict[str, list[int]] = {}
        for index, language in enumerate(languages):
            by_language.setdefault(language, []).append(index)
        for language, indices in by_language.items():
            weight = self.weight(language)
            if not weight:
                for index in indices:
                    results[index] = Sentiment(label_for(lexicon[index]), lexicon[index])
                continue
            words, chars, classifier = self.models[language]
            batch = [texts[i] for i in indices]
            matrix = self._features(words.transform(batch), chars.transform(batch), [lexicon[i] for i in indices])
            predicted = classifier.predict_proba(matrix)
            probabilities = np.zeros((len(indices), 3))
            for column, label in enumerate(classifier.classes_):
                probabilities[:, LABELS.index(label)] = predicted[:, column]
            for row, index in enumerate(indices):
                blended = weight * probabilities[row] + (1 - weight) * _lexicon_distribution(lexicon[index])
                label = LABELS[int(np.argmax(blended))]
                score = weight * (probabilities[row][2] - probabilities[row][0]) + (1 - weight) * lexicon[index]
                score = max(-1.0, min(1.0, score))
                if label == NEUTRAL:
                    score = math.copysign(min(abs(score), 0.149), score)
                elif (score > 0) != (label == POSITIVE):
                    score = 0.15 if label == POSITIVE else -0.15
                results[index] = Sentiment(label, round(score, 4))
        return results  # type: ignore[return-value]

    def dumps(self) -> bytes:
        """The fitted model as bytes, for the application to keep (e.g. in a file under var/)."""
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> "SentimentModel":
        """A model written by ``dumps``. Only load bytes this application wrote itself (pickle)."""
        model = pickle.loads(data)  # noqa: S301 - our own file, never user input
        if not isinstance(model, cls):
            raise ValueError("not a SentimentModel")
        return model

    def analyse(self, text: str, language: str) -> Sentiment:
        return self.predict([text], [language])[0]
