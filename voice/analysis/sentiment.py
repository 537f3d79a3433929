"""Lexicon-based sentiment for German and English feedback (no training data needed).

English words come from VADER's lexicon (MIT, shipped in the ``vaderSentiment`` wheel) plus
``data/en_domain.tsv``; German words from ``data/de_lexicon.tsv`` (written for this project). Rules, in
the spirit of VADER: negation ("nicht schlecht", "kein Problem", "not helpful", "no response"),
intensifiers ("sehr", "extrem", "really"), diminishers ("etwas", "slightly"), contrast ("aber", "but":
what follows weighs more), German compounds (an unknown word is split into known parts and its head
carries the value: "Lieferverzögerung" -> "Verzögerung"), and fixed phrases ("zu spät", "on time").
"""

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from voice.analysis.text import Token, lemma, read_table, split_compound, tokenize

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
LABELS = (NEGATIVE, NEUTRAL, POSITIVE)
THRESHOLD = 0.15  # |score| below this is neutral (chosen on bench/data/voice_dev.csv, not on the eval set)
NEGATION_FACTOR = -0.74  # VADER's constant: "not good" is less negative than "bad" is
CONTRAST_BEFORE, CONTRAST_AFTER = 0.5, 1.5
QUESTION_FACTOR = 0.6
ALPHA = 15.0  # normalisation of the summed valence to -1..1, as in VADER
WINDOW = 3  # how far back a negation or intensifier reaches (within the clause)

NEGATORS = {
    "de": {"nicht": 1.0, "kein": 1.0, "keine": 1.0, "keinen": 1.0, "keinem": 1.0, "keiner": 1.0, "keines": 1.0,
           "nie": 1.0, "niemals": 1.0, "ohne": 1.0, "weder": 1.0, "noch nie": 1.0, "kaum": 0.6, "nirgends": 1.0},
    "en": {"not": 1.0, "no": 1.0, "never": 1.0, "without": 1.0, "nor": 1.0, "neither": 1.0, "cannot": 1.0,
           "hardly": 0.6, "barely": 0.6, "none": 1.0, "lack": 1.0, "nobody": 1.0},
}  # fmt: skip
INTENSIFIERS = {
    "de": {"sehr": 1.3, "extrem": 1.5, "äußerst": 1.5, "ausgesprochen": 1.3, "absolut": 1.4, "total": 1.4,
           "völlig": 1.4, "komplett": 1.4, "wirklich": 1.25, "echt": 1.25, "besonders": 1.3, "super": 1.4,
           "richtig": 1.25, "ziemlich": 1.15, "höchst": 1.4, "zu": 1.25, "viel": 1.2, "überaus": 1.4,
           "deutlich": 1.2, "ständig": 1.2, "immer": 1.1, "sowas": 1.3, "mega": 1.4, "maßlos": 1.5,
           "wahnsinnig": 1.5, "unglaublich": 1.5, "top": 1.3, "hoch": 1.2},
    "en": {"very": 1.3, "extremely": 1.5, "really": 1.25, "so": 1.25, "totally": 1.4, "completely": 1.4,
           "absolutely": 1.4, "super": 1.4, "highly": 1.3, "incredibly": 1.5, "particularly": 1.2,
           "especially": 1.2, "too": 1.25, "way": 1.2, "far": 1.2, "much": 1.15, "deeply": 1.4, "utterly": 1.5,
           "constantly": 1.2, "quite": 1.1, "truly": 1.3, "seriously": 1.2, "most": 1.2, "such": 1.2,
           "real": 1.2, "all": 1.1},
}  # fmt: skip
DIMINISHERS = {
    "de": {"etwas": 0.6, "bisschen": 0.6, "wenig": 0.6, "eher": 0.7, "relativ": 0.8, "halbwegs": 0.6,
           "teilweise": 0.7, "manchmal": 0.7, "anfangs": 0.6, "leicht": 0.7},
    "en": {"slightly": 0.6, "somewhat": 0.7, "bit": 0.6, "little": 0.6, "fairly": 0.8, "rather": 0.8,
           "partly": 0.7, "sometimes": 0.7, "kind": 0.7, "sort": 0.7, "occasionally": 0.7},
}  # fmt: skip
# "Trotz Engpass ...", "despite the shortage ...": the words right after a concession weigh little.
CONCESSION = {"de": frozenset({"trotz", "obwohl", "obgleich"}), "en": frozenset({"despite", "although", "though"})}
CONCESSION_FACTOR, CONCESSION_WINDOW = 0.3, 3
CONTRAST = {
    "de": frozenset({"aber", "jedoch", "allerdings", "dennoch", "trotzdem", "doch"}),
    "en": frozenset({"but", "however", "though", "nevertheless", "yet"}),
}


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str  # "negative" | "neutral" | "positive"
    score: float  # -1 .. 1

    def as_dict(self) -> dict:
        return {"label": self.label, "score": self.score}


def label_for(score: float, threshold: float = THRESHOLD) -> str:
    if score >= threshold:
        return POSITIVE
    if score <= -threshold:
        return NEGATIVE
    return NEUTRAL


def _vader_lexicon() -> dict[str, float]:
    import vaderSentiment

    path = Path(vaderSentiment.__file__).resolve().parent / "vader_lexicon.txt"
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            words[parts[0]] = float(parts[1])
    return words


@dataclass
class Lexicon:
    """The word and phrase values of one language; phrases are tuples of lower-case words."""

    language: str
    words: dict[str, float]
    phrases: dict[tuple[str, ...], float]
    wanted: dict[str, float]

    @classmethod
    @cache
    def load(cls, language: str) -> "Lexicon":
        if language not in NEGATORS:
            raise ValueError(f"unsupported language: {language!r}")
        entries: dict[str, float] = {}
        if language == "en":
            entries.update(_vader_lexicon())
            rows = read_table("en_domain.tsv")
        else:
            rows = read_table("de_lexicon.tsv")
        for key, value in rows:
            entries[key] = float(value)
        words = {k: v for k, v in entries.items() if " " not in k}
        phrases = {tuple(k.split()): v for k, v in entries.items() if " " in k}
        wanted = {row[1]: float(row[2]) for row in read_table("wanted.tsv") if row[0] == language}
        return cls(language=language, words=words, phrases=phrases, wanted=wanted)

    def word_value(self, lower: str) -> float:
        """A word's value: the word itself, its lemma, then (German) the head of the compound."""
        value = self.words.get(lower)
        if value is not None:
            return value
        root = lemma(lower, self.language).lower()
        value = self.words.get(root)
        if value is not None:
            return value
        if self.language == "de":
            for ending in ("en", "em", "er", "es", "e"):  # inflected adjectives: "tolle", "unkomplizierten"
                if lower.endswith(ending) and len(lower) - len(ending) >= 3:
                    value = self.words.get(lower[: -len(ending)])
                    if value is not None:
                        return value
        if self.language == "de" and len(lower) >= 7:
            parts = split_compound(lower, "de")
            if len(parts) > 1:
                head = self.words.get(parts[-1]) or self.words.get(lemma(parts[-1], "de").lower())
                if head:
                    return head  # the modifier alone decides nothing: "Fehlercode" is neutral
        return 0.0

    def root(self, lower: str) -> str:
        return lemma(lower, self.language).lower()


@cache
def _word_cache(language: str) -> dict[str, float]:
    return {}


def _value(lexicon: Lexicon, lower: str) -> float:
    memo = _word_cache(lexicon.language)
    value = memo.get(lower)
    if value is None:
        value = lexicon.word_value(lower)
        if len(memo) < 200_000:
            memo[lower] = value
    return value


def _is_negator(lower: str, language: str) -> float:
    weight = NEGATORS[language].get(lower)
    if weight:
        return weight
    if language == "en" and (lower.endswith("n't") or lower.endswith("n'")):
        return 1.0
    return 0.0


def valences(tokens: list[Token], language: str) -> list[tuple[int, float]]:
    """(token index, valence after modifiers) for every sentiment-bearing word or phrase."""
    lexicon = Lexicon.load(language)
    lowers = [t.lower for t in tokens]
    n = len(lowers)
    found: list[tuple[int, float]] = []
    contrast_at = -1
    i = 0
    while i < n:
        word = lowers[i]
        if word in CONTRAST[language] and i > 0:
            contrast_at = len(found)
            found.append((i, 0.0))
            i += 1
            continue
        value = 0.0
        span = 1
        for size in (3, 2):
            if i + size <= n:
                phrase = tuple(lowers[i : i + size])
                if phrase in lexicon.phrases:
                    # "nie wieder" is negative, but in "nie wieder Probleme" it negates what follows.
                    after = i + size
                    if phrase[0] in NEGATORS[language] and after < n and _value(lexicon, lowers[after]):
                        continue
                    value, span = lexicon.phrases[phrase], size
                    break
        if span == 1:
            if not tokens[i].is_word or word in NEGATORS[language]:
                i += 1
                continue
            # A modifier with a value of its own ("super freundlich") counts only when nothing follows it.
            if word in INTENSIFIERS[language] and i + 1 < n and _value(lexicon, lowers[i + 1]):
                i += 1
                continue
            value = _value(lexicon, word)
        negated = _negation(lowers, tokens, i, span, language)
        if not value:
            wanted = lexicon.wanted.get(lexicon.root(word)) if negated else None
            if wanted:
                found.append((i, wanted))
            i += span
            continue
        factor = 1.0
        for j in range(i - 1, max(-1, i - 1 - WINDOW), -1):
            if tokens[j].is_boundary:
                break
            factor *= INTENSIFIERS[language].get(lowers[j], 1.0) * DIMINISHERS[language].get(lowers[j], 1.0)
        value *= min(factor, 2.0)
        for j in range(i - 1, max(-1, i - 1 - CONCESSION_WINDOW), -1):
            if tokens[j].is_boundary:
                break
            if lowers[j] in CONCESSION[language]:
                value *= CONCESSION_FACTOR
                break
        if negated:
            value *= NEGATION_FACTOR * negated
        found.append((i, value))
        i += span
    if contrast_at >= 0:
        found = [
            (idx, v * (CONTRAST_BEFORE if k < contrast_at else CONTRAST_AFTER)) for k, (idx, v) in enumerate(found)
        ]
    return [(idx, v) for idx, v in found if v]


def _negation(lowers: list[str], tokens: list[Token], i: int, span: int, language: str) -> float:
    """The strength of a negation governing the word at i: before it in the clause, or (German) a
    clause-final "nicht" after it ("das funktioniert nicht")."""
    for j in range(i - 1, max(-1, i - 1 - WINDOW), -1):
        if tokens[j].is_boundary:
            break
        weight = _is_negator(lowers[j], language)
        if weight:
            return weight
    if language == "de":
        n = len(lowers)
        for j in range(i + span, min(n, i + span + WINDOW)):
            if tokens[j].is_boundary:
                break
            if lowers[j] in ("nicht", "nie") and (j + 1 == n or tokens[j + 1].is_boundary):
                return 1.0
    return 0.0


def lexicon_score(text: str, language: str, tokens: list[Token] | None = None) -> float:
    """The lexicon score in -1..1."""
    tokens = tokenize(text) if tokens is None else tokens
    total = sum(v for _, v in valences(tokens, language))
    if not total:
        return 0.0
    bangs = min(text.count("!"), 3)
    total += math.copysign(0.2 * bangs, total)
    if text.rstrip().endswith("?"):
        total *= QUESTION_FACTOR
    return round(total / math.sqrt(total * total + ALPHA), 4)


def analyse(text: str, language: str) -> Sentiment:
    """Sentiment of one text in "de" or "en" from the lexicon alone (works with no history at all)."""
    score = lexicon_score(text, language)
    return Sentiment(label=label_for(score), score=score)


def analyse_many(texts: list[str], languages: list[str]) -> list[Sentiment]:
    return [analyse(text, language) for text, language in zip(texts, languages, strict=True)]


def plain_count(text: str, language: str) -> Sentiment:
    """Baseline for the benchmark: the same lexicon, words counted without any rule (no negation,
    intensifiers, compounds, phrases or contrast)."""
    lexicon = Lexicon.load(language)
    total = 0.0
    for token in tokenize(text):
        if token.is_word:
            total += lexicon.words.get(token.lower) or lexicon.words.get(lexicon.root(token.lower), 0.0)
    score = total / math.sqrt(total * total + ALPHA) if total else 0.0
    return Sentiment(label=label_for(score), score=round(score, 4))
