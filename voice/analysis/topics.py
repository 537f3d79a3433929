"""Topics discovered from feedback texts, stable across runs and steerable by a CX manager.

``TopicModel.rebuild(texts, languages)`` extracts terms (see ``terms.py``), keeps the frequent ones,
groups terms that occur together (a term joins the cluster of a more frequent seed term when they share
most of their texts: "spare" + "part"), labels each cluster with its most representative phrase, and
matches the clusters to the topics it already has: a term that belonged to a topic keeps belonging to
it, so an existing topic keeps its key, label and texts when new texts arrive, and only new terms form
new topics. ``assign(text)`` returns topic keys; ``highlight(text, key)`` the character spans to mark.

Steering (``TopicSteering``, plain data the Django layer stores): pinned topics with keywords (they win
over discovered topics for their keywords — this is also how a topic is split), merged topics
(source -> target: the source's texts count for the target, now and after every rebuild), renamed
labels and hidden topics (kept, so that noise does not come back under a new key, but never assigned).
"""

import gc
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse

from voice.analysis.language import detect_language
from voice.analysis.terms import TextTerms, analyse_terms
from voice.analysis.text import LANGUAGES


@dataclass(frozen=True)
class Topic:
    key: str
    language: str
    label: str
    terms: frozenset[str]
    count: int = 0  # texts in the last rebuild
    pinned: bool = False

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "language": self.language,
            "label": self.label,
            "terms": sorted(self.terms),
            "count": self.count,
            "pinned": self.pinned,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Topic":
        return cls(
            key=data["key"],
            language=data["language"],
            label=data["label"],
            terms=frozenset(data["terms"]),
            count=data.get("count", 0),
            pinned=data.get("pinned", False),
        )


@dataclass(frozen=True)
class PinnedTopic:
    label: str
    keywords: tuple[str, ...]  # words or phrases; a text matches when it has all terms of one keyword
    language: str | None = None  # None: both languages


@dataclass
class TopicSteering:
    pinned: dict[str, PinnedTopic] = field(default_factory=dict)  # key -> pinned topic
    merged: dict[str, str] = field(default_factory=dict)  # source key -> target key
    renamed: dict[str, str] = field(default_factory=dict)  # key -> label
    hidden: frozenset[str] = frozenset()

    def resolve(self, key: str) -> str:
        """The key a topic's texts count for, following merges (cycles stop where they repeat)."""
        seen = {key}
        while key in self.merged and self.merged[key] not in seen:
            key = self.merged[key]
            seen.add(key)
        return key


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    return language


def slug(label: str) -> str:
    text = label.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "topic"


def _keyword_terms(keyword: str, language: str) -> frozenset[str]:
    """What a pinned keyword matches: all normalised parts of its words ("Lieferzeit": lieferung + zeit)."""
    return analyse_terms(keyword, language).keys


class TopicModel:
    def __init__(
        self,
        topics: list[Topic] | None = None,
        steering: TopicSteering | None = None,
        *,
        min_count: int = 3,
        min_share: float = 0.002,
        max_topics: int = 40,
        max_terms: int = 400,
        min_overlap: float = 0.5,
        min_jaccard: float = 0.2,
    ):
        self.steering = steering or TopicSteering()
        self.min_count, self.min_share = min_count, min_share
        self.max_topics, self.max_terms = max_topics, max_terms
        self.min_overlap, self.min_jaccard = min_overlap, min_jaccard
        self.topics: dict[str, Topic] = {}
        for topic in topics or []:
            self.topics[topic.key] = topic
        self._index()

    # ----- storage -------------------------------------------------------------------------------
    def to_data(self) -> list[dict]:
        return [t.as_dict() for t in self.topics.values() if not t.pinned]

    @classmethod
    def from_data(cls, data: list[dict], steering: TopicSteering | None = None, **options) -> "TopicModel":
        return cls([Topic.from_dict(d) for d in data], steering, **options)

    # ----- the index used by assign/highlight ------------------------------------------------------
    def _index(self) -> None:
        """Term -> topic key per language, and the pinned keywords, from topics and steering."""
        for key in [k for k, t in self.topics.items() if t.pinned and k not in self.steering.pinned]:
            old = self.topics[key]  # unpinned: back to a discovered topic if it had terms of its own
            if old.terms and old.language in LANGUAGES:
                self.topics[key] = replace(old, pinned=False)
            else:
                del self.topics[key]
        self._keywords: dict[str, list[tuple[frozenset[str], str]]] = {language: [] for language in LANGUAGES}
        for key, pinned in self.steering.pinned.items():
            old = self.topics.get(key)
            language = pinned.language or (old.language if old else "*")
            self.topics[key] = Topic(
                key=key,
                language=language,
                label=pinned.label,
                terms=old.terms if old else frozenset(),  # a pinned discovered topic keeps its terms
                count=old.count if old else 0,
                pinned=True,
            )
            for lang in (pinned.language,) if pinned.language else LANGUAGES:
                for keyword in pinned.keywords:
                    terms = _keyword_terms(keyword, lang)
                    if terms:
                        self._keywords[lang].append((terms, key))
        self._owner: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
        for topic in self.topics.values():
            owner = self._owner.get(topic.language)
            if owner is not None:
                for term in topic.terms:
                    owner.setdefault(term, topic.key)

    def label(self, key: str) -> str:
        key = self.steering.resolve(key)
        if key in self.steering.renamed:
            return self.steering.renamed[key]
        if key in self.steering.pinned:
            return self.steering.pinned[key].label
        return self.topics[key].label if key in self.topics else key

    def visible(self) -> list[Topic]:
        """The topics a person sees, largest first: merged sources folded into their targets, hidden
        ones left out, labels as renamed, counts as of the last rebuild."""
        shown = [
            replace(topic, label=self.label(key))
            for key, topic in self.topics.items()
            if self.steering.resolve(key) == key and key not in self.steering.hidden
        ]
        return sorted(shown, key=lambda t: (-t.count, t.label))

    # ----- assignment -----------------------------------------------------------------------------
    def _assign_terms(self, text_terms: TextTerms, language: str) -> list[str]:
        terms = set(text_terms.terms)
        hits: Counter = Counter()
        for keyword, key in self._keywords[language]:
            if keyword <= text_terms.keys:
                hits[key] += 10 * len(keyword)
                terms -= keyword  # a pinned topic wins its keywords
        owner = self._owner[language]
        for term in terms:
            key = owner.get(term)
            if key is not None:
                hits[key] += 1
        result: dict[str, int] = {}
        for key, weight in hits.items():
            target = self.steering.resolve(key)
            if target in self.steering.hidden:
                continue
            result[target] = result.get(target, 0) + weight
        return sorted(result, key=lambda k: (-result[k], k))

    def assign(self, text: str, language: str | None = None) -> list[str]:
        """Keys of the topics of a text, strongest first (merged topics as their target, no hidden ones)."""
        language = _checked(language or detect_language(text))
        return self._assign_terms(analyse_terms(text, language), language)

    def assign_many(self, texts: list[str], languages: list[str]) -> list[list[str]]:
        return [self.assign(t, lang) for t, lang in zip(texts, languages, strict=True)]

    def highlight(self, text: str, key: str, language: str | None = None) -> list[tuple[int, int]]:
        """Character spans (start, end) of the words in ``text`` that make it belong to topic ``key``."""
        language = _checked(language or detect_language(text))
        keys = {k for k in self.topics if self.steering.resolve(k) == key} | {key}
        owner = self._owner[language]
        found = analyse_terms(text, language)
        # Keywords the text really has; one found within a single word ("Lieferzeit") marks that word
        # only, one spread over words ("spare parts") marks each of its words.
        keywords = [t for t, k in self._keywords[language] if k in keys and t <= found.keys]
        whole = [kw for kw in keywords if any(kw <= set(word.keys) for word in found.per_token)]
        spread = set().union(*(kw for kw in keywords if kw not in whole))
        spans: list[tuple[int, int]] = []
        for token, word in zip(found.tokens, found.per_token, strict=True):
            marked = any(owner.get(t) in keys for t in word.terms)
            marked = marked or any(kw <= set(word.keys) for kw in whole) or bool(spread.intersection(word.keys))
            if not marked:
                continue
            if spans and text[spans[-1][1] : token.start].strip(" -") == "":
                spans[-1] = (spans[-1][0], token.end)
            else:
                spans.append((token.start, token.end))
        return spans

    # ----- discovery ------------------------------------------------------------------------------
    def rebuild(self, texts: list[str], languages: list[str] | None = None) -> list[Topic]:
        """Discover topics in ``texts`` and merge them into the existing ones (keys and labels kept).

        Returns the visible topics with their counts in ``texts``.
        """
        languages = languages or [detect_language(t) for t in texts]
        analysed: dict[str, list[TextTerms]] = {language: [] for language in LANGUAGES}
        collecting = gc.isenabled()
        gc.disable()  # millions of small objects that live until the end: no cyclic garbage to find
        try:
            for text, language in zip(texts, languages, strict=True):
                found = analyse_terms(text, _checked(language))
                found.tokens, found.per_token = [], []  # only terms, keys and phrases are needed
                analysed[language].append(found)
        finally:
            if collecting:
                gc.enable()
        for language in LANGUAGES:
            if analysed[language]:
                self._discover(analysed[language], language)
        self._index()
        counts: Counter = Counter()
        for language in LANGUAGES:
            for text_terms in analysed[language]:
                counts.update(self._assign_terms(text_terms, language))
        for key, topic in list(self.topics.items()):
            self.topics[key] = replace(topic, count=counts.get(key, 0))
        return self.visible()

    def _discover(self, docs: list[TextTerms], language: str) -> None:
        df: Counter = Counter()
        for doc in docs:
            df.update(doc.terms)
        threshold = max(self.min_count, int(self.min_share * len(docs)))
        candidates = [t for t, n in df.most_common(self.max_terms) if n >= threshold]
        if not candidates:
            return
        column = {term: i for i, term in enumerate(candidates)}
        rows, cols = [], []
        for r, doc in enumerate(docs):
            for term in doc.terms:
                c = column.get(term)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
        matrix = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(docs), len(candidates))
        )
        together = (matrix.T @ matrix).toarray()
        counts = np.diag(together).copy()

        # Greedy clustering: terms by frequency; a term joins the best seed it shares most texts with.
        seeds: list[int] = []
        members: dict[int, list[int]] = {}
        for i in range(len(candidates)):
            best, best_score = None, 0.0
            for seed in seeds:
                both = together[i, seed]
                overlap = both / min(counts[i], counts[seed])
                jaccard = both / (counts[i] + counts[seed] - both)
                if overlap >= self.min_overlap and jaccard >= self.min_jaccard and jaccard > best_score:
                    best, best_score = seed, jaccard
            if best is None:
                seeds.append(i)
                members[i] = [i]
            else:
                members[best].append(i)

        # Label candidates: how often each phrase occurs, by its terms.
        phrase_count: Counter = Counter()
        phrase_terms: dict[str, frozenset[str]] = {}
        for doc in docs:
            for display, terms in doc.phrases:
                phrase_count[display] += 1
                phrase_terms.setdefault(display, frozenset(terms))

        owner = self._owner_for(language)
        new_keys: list[str] = []
        for seed in seeds:
            cluster = frozenset(candidates[i] for i in members[seed])
            weight = {t: df[t] for t in cluster}
            votes: Counter = Counter()
            for term in cluster:
                if term in owner:
                    votes[owner[term]] += weight[term]
            free = frozenset(t for t in cluster if t not in owner)
            total = sum(weight.values())
            if votes:
                key, owned = votes.most_common(1)[0]
                if owned / total >= 0.3 or not free:
                    topic = self.topics[key]
                    if not topic.pinned and free:  # an existing topic grows, keeping key and label
                        self.topics[key] = replace(topic, terms=topic.terms | free)
                        owner.update(dict.fromkeys(free, key))
                    continue
            if not free or len(new_keys) >= self.max_topics:  # new topics per rebuild and language
                continue
            main = candidates[seed] if candidates[seed] in free else max(free, key=lambda t: df[t])
            label = self._label(free, main, phrase_count, phrase_terms)
            key = self._new_key(language, label)
            self.topics[key] = Topic(key=key, language=language, label=label, terms=free)
            owner.update(dict.fromkeys(free, key))
            new_keys.append(key)

    def _owner_for(self, language: str) -> dict[str, str]:
        owner: dict[str, str] = {}
        for terms, key in self._keywords[language]:
            if len(terms) == 1:  # "Lieferzeit" does not claim every text about "Lieferung"
                owner.update(dict.fromkeys(terms, key))
        for term, key in self._owner[language].items():
            owner.setdefault(term, key)
        return owner

    @staticmethod
    def _label(cluster: frozenset[str], seed: str, phrase_count: Counter, phrase_terms: dict) -> str:
        """The most frequent phrase with the cluster's seed term and no term outside the cluster; a
        phrase with more terms needs more texts ("Lieferung" before "Ersatzteillieferung")."""
        best, best_key = None, None
        for display, count in phrase_count.items():
            terms = phrase_terms[display]
            if seed not in terms or not terms <= cluster:
                continue
            key = (-count / (1 + 0.25 * (len(terms) - 1)), len(terms), display)
            if best_key is None or key < best_key:
                best, best_key = display, key
        label = best or seed
        return label[:1].upper() + label[1:]

    def _new_key(self, language: str, label: str) -> str:
        base = f"{language}-{slug(label)}"
        key, n = base, 2
        while key in self.topics or key in self.steering.pinned:
            key, n = f"{base}-{n}", n + 1
        return key
