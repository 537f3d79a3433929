"""What a text is about, as normalised terms: the input of topic discovery, assignment and highlighting.

German: nouns (simplemma capitalises noun lemmas), compounds split into their parts so that
"Lieferverzögerung", "Lieferzeit" and "Lieferung" share the term "lieferung". English: content words
(not function words, generic verbs/time words, or sentiment words). Phrases — runs of adjacent content
words — become the candidate labels ("spare parts", "Ersatzteillieferung").
"""

from dataclasses import dataclass

from voice.analysis.sentiment import Lexicon
from voice.analysis.text import STOPWORDS, Token, is_known, lemma, read_words, split_compound, tokenize

GENERIC = {"de": read_words("generic_de.txt"), "en": read_words("generic_en.txt")}
CX_NOUNS_EN = read_words("cx_nouns_en.txt")
MAX_PHRASE = 3
PREFIXES = frozenset(
    "ab an auf aus außen be bei da durch ein ent er gegen hoch innen inne miss mit nach neben ober über um unter "
    "ver vor weg wider zer zu zurück zusammen".split()
)


@dataclass(frozen=True, slots=True)
class WordTerms:
    terms: tuple[str, ...]  # normalised terms for topic discovery (empty: not a content word)
    display: str  # the lemma as shown in a label ("Ersatzteil", "part")
    keys: tuple[str, ...] = ()  # every normalised part, generic ones too: what pinned keywords match


def _modifier_term(part: str) -> str:
    """A compound modifier as the noun it stands for: "liefer" -> "lieferung", "wartungs" -> "wartung"."""
    if part.endswith(("ungs", "heits", "keits", "ions", "täts", "schafts")):
        return part[:-1]  # the linking s after these endings
    if is_known(part, "de") or is_known(part.capitalize(), "de"):
        return part
    if is_known((part + "ung").capitalize(), "de"):
        return part + "ung"
    return part


def _german(token: Token) -> WordTerms:
    lower = token.lower
    root = lemma(lower, "de")
    normal = root.lower()
    noun = root[:1].isupper() or (token.text[:1].isupper() and not is_known(lower, "de"))
    if not noun or len(lower) < 3 or lower in STOPWORDS["de"]:
        return WordTerms((), root, (normal,))
    display = root if root[:1].isupper() else token.text
    parts = split_compound(normal, "de") if len(normal) >= 8 else (normal,)
    if (
        len(parts) > 1
        and is_known(root, "de")
        and (parts[0] in PREFIXES or len(parts[0]) < 4 or (len(parts[0]) < 5 and len(parts[-1]) < 5))
    ):
        parts = (normal,)  # "Unterstützung", "Vorwarnung": a prefix, not a compound
    if len(parts) == 1:
        return WordTerms(() if normal in GENERIC["de"] else (normal,), display, (normal,))
    *modifiers, head = parts
    keys = [_modifier_term(m) for m in modifiers if len(m) >= 3]
    keys.append(lemma(head.capitalize(), "de").lower())
    keys = list(dict.fromkeys(keys))
    terms = [t for t in keys if t not in STOPWORDS["de"] and t not in GENERIC["de"]]
    return WordTerms(tuple(terms), display, tuple(keys))


def _english(token: Token) -> WordTerms:
    lower = token.lower
    root = lemma(lower, "en").lower()
    term = lower if lower.endswith("ing") else root  # "training" is not "train"
    if len(lower) < 3 or lower in STOPWORDS["en"] or root in STOPWORDS["en"]:
        return WordTerms((), root, (term,))
    if root in GENERIC["en"] or lower in GENERIC["en"]:
        return WordTerms((), root, (term,))
    words = Lexicon.load("en").words
    if (words.get(lower) or words.get(root)) and root not in CX_NOUNS_EN and lower not in CX_NOUNS_EN:
        return WordTerms((), root, (term,))
    return WordTerms((term,), lower, (term,))


_cache: dict[tuple[str, str, bool], WordTerms] = {}


def word_terms(token: Token, language: str) -> WordTerms:
    key = (token.lower, language, token.text[:1].isupper())
    found = _cache.get(key)
    if found is None:
        found = _german(token) if language == "de" else _english(token)
        if len(_cache) < 500_000:
            _cache[key] = found
    return found


@dataclass(slots=True)
class TextTerms:
    tokens: list[Token]
    per_token: list[WordTerms]
    terms: frozenset[str]
    keys: frozenset[str]
    phrases: list[tuple[str, tuple[str, ...]]]  # (display, terms) of each run of content words


def analyse_terms(text: str, language: str, tokens: list[Token] | None = None) -> TextTerms:
    tokens = tokenize(text) if tokens is None else tokens
    per_token = [word_terms(t, language) if t.is_word else WordTerms((), "") for t in tokens]
    terms: set[str] = set()
    keys: set[str] = set()
    phrases: list[tuple[str, tuple[str, ...]]] = []
    run: list[int] = []
    for word in per_token:
        keys.update(word.keys)
    for index in range(len(tokens) + 1):
        if index < len(tokens) and per_token[index].terms:
            terms.update(per_token[index].terms)
            run.append(index)
            continue
        if run:
            for start in range(0, len(run), MAX_PHRASE):
                chunk = run[start : start + MAX_PHRASE]
                display = " ".join(per_token[i].display for i in chunk)
                phrase_terms = tuple(dict.fromkeys(t for i in chunk for t in per_token[i].terms))
                phrases.append((display, phrase_terms))
            run = []
    return TextTerms(tokens=tokens, per_token=per_token, terms=frozenset(terms), keys=frozenset(keys), phrases=phrases)
